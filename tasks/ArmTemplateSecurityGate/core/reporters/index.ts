/** Every report format, in one list; the CLI and the tasks look formats up here. */
import type { ReportFormat, Reporter } from './common';
import { consoleReporter } from './console';
import { csvReporter } from './csv';
import { jsonReporter } from './json';
import { junitReporter } from './junit';
import { markdownReporter } from './markdown';
import { sarifReporter } from './sarif';

export type { ReportFormat, Reporter, RenderOptions } from './common';

export const reporters: readonly Reporter[] = [consoleReporter, jsonReporter, sarifReporter, junitReporter, csvReporter, markdownReporter];

export const REPORT_FORMATS: readonly ReportFormat[] = reporters.map((r) => r.format);

export function findReporter(format: string): Reporter | undefined {
  return reporters.find((r) => r.format === format.toLowerCase());
}
