/** What both task versions ask of a run, once their inputs are read (v1/settings.ts, v2/settings.ts). */
import type { ReportFormat } from './reporters';
import type { EvaluateOptions } from './scan-types';

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
