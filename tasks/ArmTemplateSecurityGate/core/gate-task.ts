/**
 * What both task versions do once their settings are read: scan, log, annotate, write and
 * publish reports, set output variables, decide the task result. Version differences are
 * settings, not code.
 */
import * as path from 'node:path';
import { FileError } from '../../common/errors';
import type { TaskContext, TaskOutcome } from '../../common/host/run-task';
import type { TaskHost } from '../../common/host/task-host';
import { evaluate } from './evaluate';
import { nodeGateDeps, writeReport } from './node-deps';
import { findReporter, type ReportFormat } from './reporters';
import type { EvaluateOptions, Finding, ScanResult } from './scan-types';
import { parseSkipFile } from './skip-file';

export interface GateTaskSettings {
  scan: EvaluateOptions;
  /** AzSK-style skip CSV, read before the scan. */
  skipControlsFile?: string;
  /** Report files to write (console always goes to the log). */
  reports: ReportFormat[];
  /** Folder that receives the report files. */
  reportsFolder: string;
  /** Publish the JUnit report to the Tests tab. */
  publishTestResults: boolean;
  testRunTitle: string;
  /** Upload the SARIF report as the CodeAnalysisLogs artifact (Scans tab). */
  publishSarif: boolean;
  /** Attach the Markdown report to the run summary. */
  uploadSummary: boolean;
  /** At most this many error and this many warning annotations. */
  maxAnnotations: number;
  /**
   * The agent's working directory (System.DefaultWorkingDirectory): the agent reads an
   * annotation's relative sourcepath from there, whereas reported file names are relative to the
   * scan root, which a root folder input may move. Annotations use scan-root paths when absent.
   */
  annotationBase?: string;
}

export const SARIF_ARTIFACT = 'CodeAnalysisLogs';

/** A reported file (relative to the scan root, or absolute) as the agent's sourcepath. */
export function annotationPath(file: string, root: string, base: string | undefined): string {
  if (base === undefined) return file;
  const abs = path.resolve(root, file);
  const rel = path.relative(base, abs);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel.split(path.sep).join('/');
}

function annotate(host: TaskHost, findings: Finding[], max: number, toSourcePath: (file: string) => string): void {
  const errors = findings.filter((f) => f.blocking);
  const warnings = findings.filter((f) => !f.blocking && (f.outcome === 'fail' || f.outcome === 'unknown'));
  for (const [list, log] of [
    [errors, host.error.bind(host)],
    [warnings, host.warning.bind(host)],
  ] as const) {
    for (const f of list.slice(0, max)) {
      log(`${f.ruleId}: ${f.resource.type} '${f.resource.name}': ${f.message}`, { sourcePath: toSourcePath(f.file), lineNumber: f.line, columnNumber: f.column, code: f.ruleId });
    }
    if (list.length > max) host.info(host.loc('MoreAnnotations', list.length - max));
  }
}

function setOutputs(host: TaskHost, result: ScanResult, sarifFile?: string): void {
  const c = result.counts;
  const vars: Record<string, string> = {
    passCount: String(c.pass),
    failCount: String(c.fail),
    unknownCount: String(c.unknown),
    attestedCount: String(c.attested),
    errorCount: String(c.error),
    templateCount: String(c.templates),
    verdict: result.verdict.result,
  };
  if (sarifFile) vars.sarifFile = sarifFile;
  for (const [name, value] of Object.entries(vars)) host.setVariable(name, value, { isOutput: true });
}

export async function executeGate(settings: GateTaskSettings, { host, secrets, log }: TaskContext): Promise<TaskOutcome> {
  const deps = nodeGateDeps(log);
  // Secure parameter values from parameter files reach the agent's masker the moment the engine
  // reads them, before any line about that template is logged; reports mask them themselves.
  deps.onSecret = (value) => secrets.register(value);
  const scan: EvaluateOptions = { ...settings.scan };
  if (settings.skipControlsFile) {
    const shown = settings.skipControlsFile;
    if (!deps.fs.exists(shown) || deps.fs.isDirectory(shown)) throw new FileError(shown, 'skip controls file not found');
    scan.skipRules = [...(scan.skipRules ?? []), ...parseSkipFile(deps.fs.readFile(settings.skipControlsFile), shown)];
  }
  log.info(host.loc('Scanning', scan.paths.join(', '), scan.root));
  const result = evaluate(scan, deps);
  log.info(findReporter('console')!.render(result, { color: false }));

  const written = new Map<ReportFormat, string>();
  const wanted = new Set(settings.reports);
  if (settings.uploadSummary) wanted.add('markdown');
  if (settings.publishTestResults) wanted.add('junit');
  // Every report is rendered before any is written, so a failure leaves no mixed set behind.
  const rendered = [...wanted].filter((f) => f !== 'console').map((format) => {
    const reporter = findReporter(format)!;
    return { format, reporter, text: reporter.render(result) };
  });
  for (const { format, reporter, text } of rendered) {
    // SARIF sits alone in its folder: the Scans tab reads *.sarif at the artifact root.
    const folder = format === 'sarif' ? path.join(settings.reportsFolder, SARIF_ARTIFACT) : settings.reportsFolder;
    const file = path.join(folder, reporter.fileName);
    writeReport(file, text);
    written.set(format, file);
    host.debug(`wrote ${format} report to ${file}`);
  }

  annotate(host, result.findings, settings.maxAnnotations, (file) => annotationPath(file, result.root, settings.annotationBase));

  const junit = written.get('junit');
  if (settings.publishTestResults && junit) {
    host.publishTestResults('JUnit', [junit], settings.testRunTitle);
  }
  const sarif = written.get('sarif');
  if (settings.publishSarif && sarif) host.uploadArtifact(SARIF_ARTIFACT, SARIF_ARTIFACT, path.dirname(sarif));
  const markdown = written.get('markdown');
  if (settings.uploadSummary && markdown) host.uploadSummary(markdown);
  setOutputs(host, result, sarif);

  const c = result.counts;
  const counts = host.loc('Counts', c.templates, c.pass, c.fail, c.unknown, c.attested, c.error);
  switch (result.verdict.result) {
    case 'fail':
      return { result: 'Failed', message: host.loc('GateFailed', result.verdict.reasons.join('; '), counts) };
    case 'warn':
      return { result: 'SucceededWithIssues', message: host.loc('GateWarned', result.verdict.reasons.join('; '), counts) };
    default:
      return { result: 'Succeeded', message: host.loc('GatePassed', counts) };
  }
}
