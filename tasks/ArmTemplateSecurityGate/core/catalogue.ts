/**
 * The controls of one run: the built-in catalogue, the team's custom controls and Azure Policy
 * definitions, with the settings file applied. The scan and `armgate rules` both read it, so what
 * `rules` shows is what a scan runs.
 */
import * as path from 'node:path';
import { FileError } from '../../common/errors';
import { displayPath } from './files';
import type { Control } from './model';
import { readCustomControl } from './policy/custom-controls';
import { assignmentFileFor, readPolicyDefinition } from './policy/definitions';
import type { GateFs } from './scan-types';
import { applySettings, parseSettings, SETTINGS_FILE, type Exclusion, type GateSettings } from './settings';

export interface CatalogueOptions {
  /** Scan root: files are relative to it, and `armgate.yaml` there is read when no settings file is named. */
  root: string;
  settingsFile?: string;
  /** Folder of custom controls (one YAML or JSON file each). */
  controlsFolder?: string;
  /** Policy definition files or folders. */
  policyPaths?: readonly string[];
}

export interface CatalogueEntry {
  control: Control;
  /** 'enabled', or why not: turned off in the settings, policy effect disabled, not evaluated before deployment. */
  status: 'enabled' | 'disabled' | 'not evaluated';
  reason?: string;
}

export interface Catalogue {
  /** The controls a scan may run (before baseline and skips), configured. */
  controls: Control[];
  /** Every control, with its status, for `armgate rules`. */
  entries: CatalogueEntry[];
  exclusions: Exclusion[];
  /** The settings file read, as shown (relative to the root). */
  settingsFile?: string;
  /** Policy definitions that are listed but cannot be judged before deployment: each is a warning. */
  notEvaluated: Array<{ id: string; reason: string }>;
}

const CONTROL_FILE = /\.(ya?ml|json)$/i;
const POLICY_FILE = /\.json$/i;
const PARAMETER_FILE = /\.parameters\.json$/i;

export function loadCatalogue(builtIns: readonly Control[], options: CatalogueOptions, fs: GateFs): Catalogue {
  const root = path.resolve(options.root);
  const show = (p: string) => displayPath(root, p);
  const settings = readSettingsFile(options, root, fs, show);
  const settingsGive = (control: string, parameter: string) =>
    settings?.controls.some((s) => s.control.toLowerCase() === control.toLowerCase() && s.parameters.some((p) => p.name === parameter)) ?? false;

  const all: Control[] = [...builtIns];
  const where = new Map<string, string>(builtIns.map((c) => [c.meta.id.toLowerCase(), 'the built-in catalogue']));
  const add = (control: Control, file: string) => {
    const clash = where.get(control.meta.id.toLowerCase());
    if (clash) throw new FileError(file, `control id '${control.meta.id}' is already used by ${clash}; choose another id`);
    where.set(control.meta.id.toLowerCase(), file);
    all.push(control);
  };
  if (options.controlsFolder !== undefined) {
    for (const file of listFiles(fs, path.resolve(root, options.controlsFolder), show, CONTROL_FILE, false, 'custom controls folder')) {
      add(readCustomControl(fs.readText(file), show(file)), show(file));
    }
  }
  for (const given of options.policyPaths ?? []) {
    for (const file of listFiles(fs, path.resolve(root, given), show, POLICY_FILE, true, 'policy definition')) {
      if (PARAMETER_FILE.test(file)) continue;
      const values = assignmentFileFor(file);
      const assignment = fs.exists(values) && !fs.isDirectory(values) ? { text: fs.readText(values), file: show(values) } : undefined;
      add(readPolicyDefinition(fs.readText(file), show(file), assignment, settingsGive), show(file));
    }
  }

  const applied = applySettings(all, settings);
  const disabled = new Set(applied.disabled);
  const configured = new Map(applied.controls.map((c) => [c.meta.id, c]));
  const entries: CatalogueEntry[] = all.map((original) => {
    const control = configured.get(original.meta.id) ?? original;
    if (disabled.has(original.meta.id)) return { control, status: 'disabled', reason: `enabled: false in ${settings?.file}` };
    if (control.meta.effect === 'disabled') return { control, status: 'disabled', reason: 'policy effect disabled' };
    if (control.meta.notEvaluated) return { control, status: 'not evaluated', reason: control.meta.notEvaluated };
    return { control, status: 'enabled' };
  });
  return {
    controls: entries.filter((e) => e.status === 'enabled').map((e) => e.control),
    entries,
    exclusions: applied.exclusions,
    ...(settings ? { settingsFile: settings.file } : {}),
    notEvaluated: entries.filter((e) => e.status === 'not evaluated').map((e) => ({ id: e.control.meta.id, reason: e.reason! })),
  };
}

function readSettingsFile(options: CatalogueOptions, root: string, fs: GateFs, show: (p: string) => string): GateSettings | undefined {
  if (options.settingsFile !== undefined) {
    const abs = path.resolve(root, options.settingsFile);
    if (fs.isDirectory(abs)) throw new FileError(show(abs), 'is a folder; give the path of the settings file (YAML)');
    if (!fs.exists(abs)) throw new FileError(show(abs), 'settings file not found');
    return parseSettings(fs.readText(abs), show(abs));
  }
  const conventional = path.join(root, SETTINGS_FILE);
  return fs.exists(conventional) && !fs.isDirectory(conventional) ? parseSettings(fs.readText(conventional), show(conventional)) : undefined;
}

/** A file, or the files of a folder (sorted, so ids clash the same way on every machine). */
function listFiles(fs: GateFs, abs: string, show: (p: string) => string, pattern: RegExp, recurse: boolean, what: string): string[] {
  if (!fs.exists(abs)) throw new FileError(show(abs), `${what} not found`);
  if (!fs.isDirectory(abs)) return [abs];
  const out: string[] = [];
  const visit = (dir: string) => {
    for (const name of [...fs.list(dir)].sort()) {
      const p = path.join(dir, name);
      if (fs.isDirectory(p)) {
        if (recurse) visit(p);
      } else if (pattern.test(name)) out.push(p);
    }
  };
  visit(abs);
  return out;
}
