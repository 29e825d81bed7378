import type { Control } from '../model';
import type { Finding, ScanResult } from '../scan-types';

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

export function controlIndex(result: ScanResult): Map<string, Control> {
  return new Map(result.controls.map((c) => [c.meta.id, c]));
}

export const OUTCOME_LABEL: Record<Finding['outcome'], string> = {
  pass: 'PASS',
  fail: 'FAIL',
  unknown: 'UNKNOWN',
  attested: 'ATTESTED',
  error: 'ERROR',
};

export function resourceLabel(f: Pick<Finding, 'resource'>): string {
  return `${f.resource.type} '${f.resource.name}'`;
}

/** Findings that need a reader's attention (everything but passes), in report order. */
export function notable(result: ScanResult): Finding[] {
  return result.findings.filter((f) => f.outcome !== 'pass');
}
