/**
 * Every report format, in one list; the CLI and the tasks look formats up here. Console, SARIF,
 * JUnit and Markdown are the common reporters over the common report model; JSON (the documented
 * contract) and CSV (AzSK's columns) are the gate's own.
 */
import { renderConsole } from '../../../common/report/console';
import { renderJunit } from '../../../common/report/junit';
import { renderMarkdown } from '../../../common/report/markdown';
import type { Report } from '../../../common/report/model';
import { renderSarif } from '../../../common/report/sarif';
import { toReport } from '../report';
import type { ScanResult } from '../scan-types';
import { renderCsv } from './csv';
import { renderJson } from './json';

export type ReportFormat = 'console' | 'json' | 'sarif' | 'junit' | 'csv' | 'markdown';

export interface RenderOptions {
  /** ANSI colours (console only). */
  color?: boolean;
  /** Console: also list passing findings. */
  verbose?: boolean;
}

export interface Reporter {
  format: ReportFormat;
  /** Default file name when a report is written to a folder. */
  fileName: string;
  render(result: ScanResult, options?: RenderOptions): string;
}

/** The common model is built once per scan result, whatever number of formats are rendered from it. */
const reports = new WeakMap<ScanResult, Report>();
export function reportOf(result: ScanResult): Report {
  let r = reports.get(result);
  if (!r) {
    r = toReport(result);
    reports.set(result, r);
  }
  return r;
}

export const reporters: readonly Reporter[] = [
  { format: 'console', fileName: 'armgate.txt', render: (r, o = {}) => renderConsole(reportOf(r), o) },
  { format: 'json', fileName: 'armgate-results.json', render: renderJson },
  { format: 'sarif', fileName: 'armgate.sarif', render: (r) => renderSarif(reportOf(r)) },
  { format: 'junit', fileName: 'TEST-armgate.xml', render: (r) => renderJunit(reportOf(r)) },
  { format: 'csv', fileName: 'armgate-results.csv', render: renderCsv },
  { format: 'markdown', fileName: 'armgate-summary.md', render: (r) => renderMarkdown(reportOf(r)) },
];

export const REPORT_FORMATS: readonly ReportFormat[] = reporters.map((r) => r.format);

export function findReporter(format: string): Reporter | undefined {
  return reporters.find((r) => r.format === format.toLowerCase());
}
