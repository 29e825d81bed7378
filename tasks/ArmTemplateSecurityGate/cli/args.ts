/**
 * Command line parsing for `armgate`. Knows every option name; everything after it works on the
 * typed CliCommand. Mistakes are UsageErrors (exit code 2) naming the option.
 */
import { parseArgs } from 'node:util';
import { TaskError } from '../../common/errors';
import { baselineNames } from '../core/baselines';
import { REPORT_FORMATS, type ReportFormat } from '../core/reporters';
import type { EvaluateOptions, UnknownPolicy } from '../core/scan-types';
import type { Severity } from '../core/model';

export class UsageError extends TaskError {
  constructor(
    readonly option: string,
    problem: string,
  ) {
    super(`${option}: ${problem}`);
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
  | { kind: 'rules'; format: 'json' | 'console' }
  | { kind: 'scan'; options: EvaluateOptions; reports: ReportTarget[]; color?: boolean; verbose: boolean; quiet: boolean };

export const USAGE = `Usage:
  armgate scan <paths...> [options]   scan ARM templates (files, folders or globs)
  armgate rules [--format json]       list the controls
  armgate --help | --version

Scan options:
  --root <dir>                   folder paths and reported file names are relative to (default: cwd)
  --parameters <file>            parameter file for the template(s) (default: <name>.parameters.json beside each)
  --parameter-map <glob=file>    pair templates matching glob with a parameter file (repeatable)
  --linked-template <uri=file>   local file for a linked template URI or relative path (repeatable)
  --format <fmt>                 ${REPORT_FORMATS.join('|')} (repeatable; default console)
  --output <file>                where the format at the same position goes (repeatable; default stdout)
  --baseline <name|date>         ${baselineNames().join('|')} or YYYY-MM-DD (default latest)
  --severity-threshold <sev>     low|medium|high: failures below it do not fail the gate (default low)
  --unknown <policy>             fail|warn|pass for results known only at deployment (default warn)
  --attestations <file>          attestation YAML file
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

function pairs(option: string, values: string[] | undefined): Array<[string, string]> {
  return (values ?? []).map((v) => {
    const i = v.lastIndexOf('=');
    if (i <= 0 || i === v.length - 1) throw new UsageError(`--${option}`, `expected <from>=<file>, got '${v}'`);
    return [v.slice(0, i), v.slice(i + 1)];
  });
}

function oneOf<T extends string>(option: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase() as T;
  if (!allowed.includes(v)) throw new UsageError(`--${option}`, `expected ${allowed.join(', ')}, got '${value}'`);
  return v;
}

export function parseCli(argv: string[], cwd: string): CliCommand {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') return { kind: 'help', topic: rest[0] };
  if (command === '--version' || command === '-V') return { kind: 'version' };

  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
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
        exclude: { type: 'string', multiple: true },
        'skip-controls': { type: 'string', multiple: true },
        'no-recurse': { type: 'boolean' },
        'fail-if-no-controls': { type: 'boolean' },
        verbose: { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
      },
    });
  } catch (err) {
    throw new UsageError(command, (err as Error).message);
  }
  const v = parsed.values;
  if (v.help) return { kind: 'help', topic: command };

  if (command === 'rules') {
    const format = oneOf('format', (v.format ?? ['console'])[0], ['json', 'console'] as const) ?? 'console';
    return { kind: 'rules', format };
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
  if (baseline !== undefined && !baselineNames().some((n) => n.toLowerCase() === baseline.toLowerCase()) && !/^\d{4}-\d{2}-\d{2}$/.test(baseline)) {
    throw new UsageError('--baseline', `expected ${baselineNames().join(', ')} or a date YYYY-MM-DD, got '${baseline}'`);
  }

  const options: EvaluateOptions = {
    paths: parsed.positionals,
    root: v.root ?? cwd,
    recurse: !v['no-recurse'],
    exclude: list(v.exclude),
    parametersFile: v.parameters,
    parameterMap: pairs('parameter-map', v['parameter-map']).map(([template, parameters]) => ({ template, parameters })),
    linkedTemplateMap: Object.fromEntries(pairs('linked-template', v['linked-template'])),
    baseline: v.baseline,
    severityThreshold: oneOf('severity-threshold', v['severity-threshold'], SEVERITIES),
    unknownPolicy: oneOf('unknown', v.unknown, POLICIES),
    attestationsFile: v.attestations,
    skipControls: list(v['skip-controls']),
    failIfNoControlsScanned: v['fail-if-no-controls'] ?? false,
  };
  const color = v['no-color'] ? false : v.color ? true : undefined;
  return { kind: 'scan', options, reports, color, verbose: v.verbose ?? false, quiet: v.quiet ?? false };
}
