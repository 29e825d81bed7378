/**
 * What both task versions do once their settings are read: scan, log, annotate, write and
 * publish reports, set output variables, decide the task result. Version differences are
 * settings, not code. The composition root of the task: the real file system and the agent.
 */
import * as path from 'node:path';
import { FileError } from '../../common/errors';
import type { TaskContext, TaskOutcome } from '../../common/host/run-task';
import type { TaskHost } from '../../common/host/task-host';
import { oneLine } from '../../common/log/safe-text';
import { annotate } from '../../common/report/annotate';
import { publishReports } from '../../common/report/publish';
import { evaluate } from '../core/evaluate';
import type { GateTaskSettings } from '../core/gate-settings';
import { findReporter, reportOf, type ReportFormat } from '../core/reporters';
import type { EvaluateOptions, ScanResult } from '../core/scan-types';
import { parseSkipFile } from '../core/skip-file';
import { nodeGateDeps, nodeGateFs } from './node-deps';

export type { GateTaskSettings } from '../core/gate-settings';

export const SARIF_ARTIFACT = 'CodeAnalysisLogs';

/** A reported file (relative to the scan root, or absolute) as the agent's sourcepath. */
export function annotationPath(file: string, root: string, base: string | undefined): string {
  if (base === undefined) return file;
  const abs = path.resolve(root, file);
  const rel = path.relative(base, abs);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel.split(path.sep).join('/');
}

function setOutputs(host: TaskHost, result: ScanResult, sarifFile?: string): void {
  const c = result.counts;
  const vars: Array<[string, string]> = [
    ['passCount', String(c.pass)],
    ['failCount', String(c.fail)],
    ['unknownCount', String(c.unknown)],
    ['attestedCount', String(c.attested)],
    ['errorCount', String(c.error)],
    ['templateCount', String(c.templates)],
    ['verdict', result.verdict.result],
  ];
  if (sarifFile) vars.push(['sarifFile', sarifFile]);
  for (const [name, value] of vars) host.setVariable(name, value, { isOutput: true });
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
    scan.skipRules = [...(scan.skipRules ?? []), ...parseSkipFile(deps.fs.readText(settings.skipControlsFile), shown)];
  }
  log.info(host.loc('Scanning', scan.paths.map(oneLine).join(', '), oneLine(scan.root)));
  const result = evaluate(scan, deps);
  log.info(findReporter('console')!.render(result, { color: false }).trimEnd());

  const wanted = new Set(settings.reports);
  if (settings.uploadSummary) wanted.add('markdown');
  if (settings.publishTestResults) wanted.add('junit');
  const jobs = [...wanted]
    .filter((f) => f !== 'console')
    .map((format) => {
      const reporter = findReporter(format)!;
      // SARIF sits alone in its folder: the Scans tab reads *.sarif at the artifact root.
      const folder = format === 'sarif' ? path.join(settings.reportsFolder, SARIF_ARTIFACT) : settings.reportsFolder;
      return { format, render: () => reporter.render(result), file: path.join(folder, reporter.fileName) };
    });
  const written = new Map<string, string>();
  for (const { format, file } of publishReports(jobs, { write: (file, text) => nodeGateFs.writeTextAtomic(file, text), print: (text) => log.info(text) })) {
    if (file === undefined) continue;
    written.set(format, file);
    host.debug(`wrote ${format} report to ${file}`);
  }

  annotate(log, reportOf(result).findings, {
    max: settings.maxAnnotations,
    sourcePath: (place) => annotationPath(place.file, result.root, settings.annotationBase),
    more: (n) => host.loc('MoreAnnotations', n),
  });

  const junit = written.get('junit');
  if (settings.publishTestResults && junit) host.publishTestResults('JUnit', [junit], settings.testRunTitle);
  const sarif = written.get('sarif');
  if (settings.publishSarif && sarif) host.uploadArtifact(SARIF_ARTIFACT, SARIF_ARTIFACT, path.dirname(sarif));
  const markdown = written.get('markdown' satisfies ReportFormat);
  if (settings.uploadSummary && markdown) host.uploadSummary(markdown);
  setOutputs(host, result, sarif);

  const c = result.counts;
  const counts = host.loc('Counts', c.templates, c.pass, c.fail, c.unknown, c.attested, c.error);
  const reasons = result.verdict.reasons.map(oneLine).join('; ');
  switch (result.verdict.result) {
    case 'fail':
      return { result: 'Failed', message: host.loc('GateFailed', reasons, counts) };
    case 'warn':
      return { result: 'SucceededWithIssues', message: host.loc('GateWarned', reasons, counts) };
    case 'pass':
      return { result: 'Succeeded', message: host.loc('GatePassed', counts) };
  }
}
