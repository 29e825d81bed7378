/**
 * Command line parsing for `armgate`. Knows every option name; everything after it works on the
 * typed CliCommand. Mistakes are UsageErrors (exit code 2) naming the option.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { InputError, TaskError } from '../../common/errors';
import { parseMap } from '../../common/host/inputs';
import { baselineNames, resolveBaseline } from '../core/baselines';
import { editDistance as distance } from '../core/documents';
import { defaultRoot } from '../core/files';
import { REPORT_FORMATS, type ReportFormat } from '../core/reporters';
import type { CatalogueOptions } from '../core/catalogue';
import type { EvaluateOptions, UnknownPolicy } from '../core/scan-types';
import type { Severity } from '../core/model';

export class UsageError extends TaskError {
  constructor(
    readonly option: string,
    problem: string,
    /** The problem is a whole sentence that names the option itself. */
    whole = false,
  ) {
    super(whole ? problem : `${option}: ${problem}`);
  }
}

export interface ReportTarget {
  format: ReportFormat;
  /** Undefined: standard output. */
  file?: string;
}

export type CliCommand =
  | { kind: 'help'; topic?: string }
  | { kind: 'version' }
  | { kind: 'rules'; format: 'json' | 'console'; catalogue: CatalogueOptions }
  | { kind: 'scan'; options: EvaluateOptions; rootGiven?: string; reports: ReportTarget[]; color?: boolean; verbose: boolean; quiet: boolean };

export const USAGE = `Usage:
  armgate scan <paths...> [options]   scan ARM templates (files, folders or globs)
  armgate rules [--format json]       list the controls with their effective settings
                 [--settings <file>] [--controls <folder>] [--policy <path>] [--root <dir>]
  armgate --help | --version

Scan options:
  --root <dir>                   folder that bounds what is read and that reported file names are relative to
                                 (default: the deepest folder holding every given path)
  --parameters <file>            parameter file for the template(s) (default: <name>.parameters.json beside each)
  --parameter-map <glob=file>    pair templates matching glob with a parameter file; 'glob => file' too (repeatable)
  --linked-template <uri=file>   local file for a linked template URI or relative path; 'uri => file' too (repeatable)
  --format <fmt>                 ${REPORT_FORMATS.join('|')} (repeatable; default console)
  --output <file>                where the format at the same position goes (repeatable; default stdout)
  --baseline <name|date>         ${baselineNames().join('|')} or YYYY-MM-DD (default latest)
  --severity-threshold <sev>     low|medium|high: failures below it do not fail the gate (default low)
  --unknown <policy>             fail|warn|pass for results known only at deployment (default warn)
  --attestations <file>          attestation YAML file
  --settings <file>              control settings (default: armgate.yaml at the root when present)
  --controls <folder>            folder of custom controls (YAML or JSON, one control per file)
  --policy <file|folder>         Azure Policy definitions to check as controls (repeatable)
  --exclude <glob>               files to leave out (repeatable, comma-separated)
  --skip-controls <ids>          control ids to leave out (repeatable, comma-separated)
  --no-recurse                   do not descend into sub-folders of folder paths
  --fail-if-no-controls          fail when no control applied to any resource
  --verbose                      console: list passing checks too
  --quiet                        no console report when every format goes to a file
  --color / --no-color           force colours on or off (default: on for a TTY unless NO_COLOR)

Exit codes: 0 clean (warnings allowed), 1 violations, 2 usage or input error.`;

const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high'];
const POLICIES: readonly UnknownPolicy[] = ['fail', 'warn', 'pass'];

function list(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** `from=file` or `from => file` (the task input's form), as every task reads its maps (parseMap). */
function pairs(option: string, values: string[] | undefined): Array<[string, string]> {
  const out = new Map<string, string>();
  for (const v of values ?? []) {
    let parsed: Map<string, string>;
    try {
      parsed = parseMap(`--${option}`, v);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      parsed = new Map();
    }
    const [entry] = parsed;
    if (parsed.size !== 1 || !entry) throw new UsageError(`--${option}`, `expected <from>=<file> or '<from> => <file>', got '${v}'`);
    if (out.has(entry[0])) throw new UsageError(`--${option}`, `'${entry[0]}' is given twice`);
    out.set(entry[0], entry[1]);
  }
  return [...out];
}

function oneOf<T extends string>(option: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase() as T;
  if (!allowed.includes(v)) throw new UsageError(`--${option}`, `expected ${allowed.join(', ')}, got '${value}'`);
  return v;
}

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  root: { type: 'string' },
  parameters: { type: 'string', short: 'p' },
  'parameter-map': { type: 'string', multiple: true },
  'linked-template': { type: 'string', multiple: true },
  format: { type: 'string', short: 'f', multiple: true },
  output: { type: 'string', short: 'o', multiple: true },
  baseline: { type: 'string' },
  'severity-threshold': { type: 'string' },
  unknown: { type: 'string' },
  attestations: { type: 'string' },
  settings: { type: 'string' },
  controls: { type: 'string' },
  policy: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  'skip-controls': { type: 'string', multiple: true },
  'no-recurse': { type: 'boolean' },
  'fail-if-no-controls': { type: 'boolean' },
  verbose: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
} as const;

/** The known option a mistyped one most likely meant: one it begins, or one a few edits away. */
export function closestOption(name: string): string | undefined {
  const known = Object.keys(OPTIONS);
  const extending = known.filter((k) => k.startsWith(name));
  if (extending.length === 1) return extending[0];
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const k of known) {
    const d = distance(name, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

/** Node's parser would answer an unknown option with its own advice about positionals. */
function rejectUnknownOptions(args: readonly string[]): void {
  const shorts = new Set<string>(Object.values(OPTIONS).flatMap((o) => ('short' in o ? [o.short] : [])));
  for (const arg of args) {
    if (arg === '--') return;
    if (arg.startsWith('--')) {
      const name = arg.slice(2).split('=')[0];
      if (Object.hasOwn(OPTIONS, name)) continue;
      const hint = closestOption(name);
      throw new UsageError(`--${name}`, `unknown option --${name}${hint ? ` (did you mean --${hint}?)` : ''}`, true);
    }
    if (/^-[^-\d]/.test(arg) && !shorts.has(arg[1])) throw new UsageError(arg.slice(0, 2), `unknown option ${arg.slice(0, 2)}`, true);
  }
}

/** Lexically: a name ending in .json or .jsonc is a file, anything else a folder. */
const lexicalIsDirectory = (p: string): boolean => !/\.jsonc?$/i.test(p);

const MAGIC = /[*?[\]{}!]/;

/** A glob's leading segments without wildcards, and the rest. */
function splitGlob(p: string): [fixed: string, rest: string] {
  const parts = p.split('/');
  const i = parts.findIndex((part) => MAGIC.test(part));
  return i < 0 ? [p, ''] : [parts.slice(0, i).join('/'), parts.slice(i).join('/')];
}

/**
 * A path or glob typed relative to the working directory, made relative to the scan root, which
 * the core reads everything against. Undefined when its fixed part is not inside the root.
 */
function rebase(root: string, cwd: string, given: string): string | undefined {
  const [fixed, rest] = splitGlob(given.trim().replace(/\\/g, '/'));
  const rel = path.relative(root, path.resolve(cwd, fixed || '.'));
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return [rel.split(path.sep).join('/'), rest].filter(Boolean).join('/') || '.';
}

/**
 * A filter glob (--exclude, --parameter-map): a bare name matches in any folder and stays as it
 * is; so does a glob whose fixed part lies outside the root ('**' patterns when the root is
 * deeper than the working directory), which is then read relative to the root.
 */
function rebaseFilter(root: string, cwd: string, given: string): string {
  if (!given.includes('/') && !given.includes('\\')) return given;
  return rebase(root, cwd, given) ?? given;
}

export function parseCli(argv: string[], cwd: string, isDirectory: (p: string) => boolean = lexicalIsDirectory): CliCommand {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') return { kind: 'help', topic: rest[0] };
  if (command === '--version' || command === '-V') return { kind: 'version' };

  rejectUnknownOptions(rest);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (err) {
    throw new UsageError(command, (err as Error).message);
  }
  const v = parsed.values;
  if (v.help) return { kind: 'help', topic: command };

  if (command === 'rules') {
    const format = oneOf('format', (v.format ?? ['console'])[0], ['json', 'console'] as const) ?? 'console';
    const base = v.root !== undefined ? path.resolve(cwd, v.root) : cwd;
    return {
      kind: 'rules',
      format,
      catalogue: {
        root: base,
        ...(v.settings !== undefined ? { settingsFile: path.resolve(base, v.settings) } : {}),
        ...(v.controls !== undefined ? { controlsFolder: path.resolve(base, v.controls) } : {}),
        policyPaths: (v.policy ?? []).map((p) => path.resolve(base, p)),
      },
    };
  }
  if (command !== 'scan') throw new UsageError('command', `unknown command '${command}' (expected scan or rules)`);
  if (parsed.positionals.length === 0) throw new UsageError('paths', 'give at least one file, folder or glob to scan');

  const formats = list(v.format).map((f) => oneOf('format', f, REPORT_FORMATS)!);
  if (formats.length === 0) formats.push('console');
  const outputs = v.output ?? [];
  if (outputs.length > formats.length) throw new UsageError('--output', `${outputs.length} outputs for ${formats.length} format(s); give one --format per --output`);
  const reports = formats.map((format, i) => ({ format, file: outputs[i] }));
  if (reports.filter((r) => !r.file).length > 1) throw new UsageError('--output', 'only one format can go to standard output; give --output for the others');

  const baseline = v.baseline;
  // The engine's own rule (a name, or a date that exists), so a bad one is named as the option, never as the task input.
  if (baseline !== undefined && (!baseline.trim() || !resolveBaseline(baseline, []))) {
    throw new UsageError('--baseline', `expected ${baselineNames().join(', ')} or a date YYYY-MM-DD, got '${baseline}'`);
  }

  // With --root, every path is relative to it (as documented since the first release). Without,
  // the root follows what is scanned and what the user typed is relative to where they typed it.
  const explicitRoot = v.root !== undefined;
  const root = explicitRoot ? path.resolve(cwd, v.root!) : defaultRoot(parsed.positionals, cwd, { isDirectory });
  const scanned = (p: string) => (explicitRoot ? p : (rebase(root, cwd, p) ?? path.resolve(cwd, p)));
  const glob = (g: string) => (explicitRoot ? g : rebaseFilter(root, cwd, g));
  const file = (f: string | undefined) => (f === undefined || explicitRoot ? f : path.resolve(cwd, f));
  const options: EvaluateOptions = {
    paths: parsed.positionals.map(scanned),
    root,
    baseFolder: cwd,
    recurse: !v['no-recurse'],
    exclude: list(v.exclude).map(glob),
    parametersFile: file(v.parameters),
    parameterMap: pairs('parameter-map', v['parameter-map']).map(([template, parameters]) => ({ template: glob(template), parameters: file(parameters)! })),
    linkedTemplateMap: Object.fromEntries(pairs('linked-template', v['linked-template']).map(([from, to]) => [from, file(to)!])),
    baseline: v.baseline,
    severityThreshold: oneOf('severity-threshold', v['severity-threshold'], SEVERITIES),
    unknownPolicy: oneOf('unknown', v.unknown, POLICIES),
    attestationsFile: file(v.attestations),
    settingsFile: file(v.settings),
    controlsFolder: file(v.controls),
    policyPaths: (v.policy ?? []).map((p) => file(p)!),
    skipControls: list(v['skip-controls']),
    failIfNoControlsScanned: v['fail-if-no-controls'] ?? false,
  };
  const color = v['no-color'] ? false : v.color ? true : undefined;
  return { kind: 'scan', options, rootGiven: v.root, reports, color, verbose: v.verbose ?? false, quiet: v.quiet ?? false };
}
