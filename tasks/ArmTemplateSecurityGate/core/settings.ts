/**
 * Control settings (`armgate.yaml` at the scan root, or a named file): per control, whether it runs,
 * its severity, the values of the parameters it declares, and the files or resources it leaves out.
 * Read strictly — an unknown control, key or parameter, or a value of the wrong type, is an error
 * at file:line — and applied to the catalogue before a scan selects its controls.
 */
import { minimatch } from 'minimatch';
import { idMatches, wildcardMatch } from '../../common/report/attestations';
import { SEVERITIES } from '../../common/report/model';
import { parameterProblem, parameterValue, showParameter } from './controls/helpers/parameters';
import { closest, DocReader, readDocument, type DocNode } from './documents';
import type { Control, ParameterValue, Severity } from './model';

export const SETTINGS_FILE = 'armgate.yaml';

export interface Exclusion {
  /** The control id the exclusion is written under. */
  control: string;
  /** Glob on the reported file path. */
  file?: string;
  /** Wildcards (`*`, `?`) on the resource type and name, as attestations select resources. */
  type?: string;
  name?: string;
  reason: string;
  source: string;
  line: number;
}

interface ParameterSetting {
  name: string;
  node: DocNode;
  keyNode: DocNode;
}

export interface ControlSetting {
  control: string;
  node: DocNode;
  enabled?: boolean;
  severity?: Severity;
  parameters: ParameterSetting[];
  exclusions: Exclusion[];
}

export interface GateSettings {
  file: string;
  controls: ControlSetting[];
}

const TOP_KEYS = ['controls'] as const;
const CONTROL_KEYS = ['enabled', 'severity', 'parameters', 'exclude'] as const;
const EXCLUDE_KEYS = ['file', 'resource', 'reason'] as const;
const RESOURCE_KEYS = ['type', 'name'] as const;

export function parseSettings(text: string, file: string): GateSettings {
  const r: DocReader = new DocReader(file);
  const root = readDocument(text, file);
  if (!root) return { file, controls: [] };
  const top = r.map(root, 'the settings file', TOP_KEYS);
  const controlsNode = top.get('controls');
  if (!controlsNode || controlsNode.value === null) return { file, controls: [] };
  const controls = r.entries(controlsNode, "'controls'").map(({ key, keyNode, node }): ControlSetting => {
    const where = `control '${key}'`;
    const fields = r.map(node, where, CONTROL_KEYS);
    const parametersNode = fields.get('parameters');
    const parameters =
      parametersNode === undefined || parametersNode.value === null
        ? []
        : r.entries(parametersNode, `the parameters of ${where}`).map((e) => ({ name: e.key, node: e.node, keyNode: e.keyNode }));
    const excludeNode = fields.get('exclude');
    const exclusions = excludeNode === undefined || excludeNode.value === null ? [] : r.list(excludeNode, `'exclude' of ${where}`).map((n) => exclusion(r, key, n));
    const enabled = fields.get('enabled');
    const severity = fields.get('severity');
    return {
      control: key,
      node: keyNode,
      ...(enabled !== undefined ? { enabled: r.bool(enabled, `'enabled' of ${where}`) } : {}),
      ...(severity !== undefined ? { severity: r.oneOf(severity, `'severity' of ${where}`, SEVERITIES) } : {}),
      parameters,
      exclusions,
    };
  });
  return { file, controls };
}

function exclusion(r: DocReader, control: string, node: DocNode): Exclusion {
  const what = `an exclusion of control '${control}'`;
  const fields = r.map(node, what, EXCLUDE_KEYS);
  const resource = fields.get('resource');
  const selector = resource === undefined ? new Map<string, DocNode>() : r.map(resource, `'resource' of ${what}`, RESOURCE_KEYS);
  const file = r.optionalString(fields.get('file'), `'file' of ${what}`);
  const type = r.optionalString(selector.get('type'), `'resource.type' of ${what}`);
  const name = r.optionalString(selector.get('name'), `'resource.name' of ${what}`);
  if (file === undefined && type === undefined && name === undefined) r.fail(node, `${what} needs 'file' or 'resource' (type, name): to leave a control out everywhere, set 'enabled: false'`);
  const reason = fields.get('reason');
  if (reason === undefined) r.fail(node, `${what} needs a 'reason', which reports show beside what it leaves out`);
  return { control, ...(file ? { file } : {}), ...(type ? { type } : {}), ...(name ? { name } : {}), reason: r.string(reason, `'reason' of ${what}`).trim(), source: r.file, line: node.line };
}

/** How settings changed the catalogue. */
export interface AppliedSettings {
  /** Every control, configured; disabled ones are left out. */
  controls: Control[];
  /** Ids of the controls turned off. */
  disabled: string[];
  exclusions: Exclusion[];
}

/**
 * The catalogue with the settings applied. A control is named by its id (or an AzSK id of it); a
 * name that is no control of the catalogue, a parameter it does not declare, or a value its
 * declaration refuses, is an error at the line it is written on.
 */
export function applySettings(catalogue: readonly Control[], settings: GateSettings | undefined): AppliedSettings {
  if (!settings || settings.controls.length === 0) return { controls: [...catalogue], disabled: [], exclusions: [] };
  const r: DocReader = new DocReader(settings.file);
  const changed = new Map<Control, Control>();
  const disabled = new Set<Control>();
  const exclusions: Exclusion[] = [];
  const named = new Map<Control, ControlSetting>();
  for (const s of settings.controls) {
    const control = catalogue.find((c) => idMatches(s.control, c.meta.id, c.meta.references.azsk ?? []));
    if (!control) {
      const hint = closest(s.control, catalogue.map((c) => c.meta.id));
      r.fail(s.node, `unknown control '${s.control}'${hint ? ` (did you mean '${hint}'?)` : ''}; 'armgate rules' lists the controls`);
    }
    const earlier = named.get(control);
    if (earlier) r.fail(s.node, `control '${control.meta.id}' is set twice (also at line ${earlier.node.line})`);
    named.set(control, s);
    let c = control;
    if (s.parameters.length) c = configure(r, c, s.parameters);
    if (s.severity && s.severity !== c.meta.severity) c = { ...c, meta: { ...c.meta, severity: s.severity } };
    changed.set(control, c);
    if (s.enabled === false) disabled.add(control);
    for (const e of s.exclusions) exclusions.push({ ...e, control: control.meta.id });
  }
  return {
    controls: catalogue.filter((c) => !disabled.has(c)).map((c) => changed.get(c) ?? c),
    disabled: [...disabled].map((c) => c.meta.id),
    exclusions,
  };
}

function configure(r: DocReader, control: Control, parameters: readonly ParameterSetting[]): Control {
  const specs = control.meta.parameters ?? {};
  const declared = Object.keys(specs);
  const values = new Map<string, ParameterValue>();
  for (const p of parameters) {
    const spec = Object.hasOwn(specs, p.name) ? specs[p.name] : undefined;
    if (!spec) {
      const hint = closest(p.name, declared);
      r.fail(p.keyNode, declared.length
        ? `control '${control.meta.id}' has no parameter '${p.name}'${hint ? ` (did you mean '${hint}'?)` : ''}; it declares ${declared.join(', ')}`
        : `control '${control.meta.id}' declares no parameters`);
    }
    // A version written without quotes (1.30) is a YAML number (1.3): its text is what was meant.
    const raw = spec.type === 'version' && typeof p.node.value === 'number' && p.node.text !== undefined ? p.node.text : p.node.value;
    const problem = parameterProblem(spec, raw);
    if (problem) r.fail(p.node, `parameter '${p.name}' of control '${control.meta.id}': ${problem}`);
    values.set(p.name, parameterValue(spec, raw));
  }
  return control.configure!(Object.fromEntries(values));
}

/** The exclusion that leaves a finding out, if any. */
export function findExclusion(
  exclusions: readonly Exclusion[],
  finding: { ruleId: string; file: string; resource: { type: string; name: string } },
): Exclusion | undefined {
  return exclusions.find(
    (e) =>
      e.control === finding.ruleId &&
      (e.file === undefined || minimatch(finding.file, e.file, { dot: true, matchBase: !e.file.includes('/') })) &&
      (e.type === undefined || wildcardMatch(e.type, finding.resource.type)) &&
      (e.name === undefined || wildcardMatch(e.name, finding.resource.name)),
  );
}

/** One line per control setting, as `armgate rules` prints values. */
export function describeParameters(control: Control): string {
  const values = control.parameterValues ?? {};
  return Object.entries(values).map(([k, v]) => `${k}=${showParameter(v)}`).join(', ');
}
