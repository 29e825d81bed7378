/**
 * What every security check reports, whatever it checks: ARM templates (the gate) or a deployed
 * API (ApiSecurityCheck). A finding is about a subject (an ARM resource, a template parameter, an
 * API operation) at a place (a position in a source file, or a URL). The reporters here (console,
 * SARIF, JUnit, Markdown summary, annotations), the attestation file and the verdict rules read
 * only this model; each task maps its own results into it.
 */

export type Outcome = 'pass' | 'fail' | 'unknown' | 'attested' | 'error';

export type Severity = 'high' | 'medium' | 'low';

export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high'];

const SEVERITY_RANK: Record<Severity, number> = { low: 1, medium: 2, high: 3 };

export function severityAtLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

/** What a finding is about: `{ type: 'Microsoft.Web/sites', name: 'app' }`, `{ type: 'GET', name: '/pets/{id}' }`. */
export interface Subject {
  type: string;
  name: string;
  /** SARIF logical location kind; 'resource' when absent. */
  kind?: string;
}

/** A position in a source file: relative to the report's root (forward slashes), or absolute. */
export interface FilePlace {
  file: string;
  line: number;
  column: number;
}

/** A finding observed on a live endpoint. */
export interface UrlPlace {
  url: string;
}

export type Place = FilePlace | UrlPlace;

export function isFilePlace(place: Place): place is FilePlace {
  return 'file' in place;
}

/** How a place reads in text: `infra/main.json:12:5` or the URL. */
export function placeLabel(place: Place): string {
  return isFilePlace(place) ? `${place.file}:${place.line}:${place.column}` : place.url;
}

/** The file or URL a place belongs to, for grouping. */
export function placeGroup(place: Place): string {
  return isFilePlace(place) ? place.file : place.url;
}

export interface AppliedAttestation {
  /** Where the attestation is written (attestation file, or the template for inline ones). */
  source: string;
  line?: number;
  justification: string;
  approvedBy?: string;
  expiresOn: string;
  expired: boolean;
}

export interface Finding {
  ruleId: string;
  title: string;
  outcome: Outcome;
  severity: Severity;
  subject: Subject;
  place: Place;
  message: string;
  /** What the finding was before an attestation covered it. */
  attestedOutcome?: 'fail' | 'unknown';
  attestation?: AppliedAttestation;
  /** True when this finding counts against the verdict. */
  blocking: boolean;
  /** Added to the SARIF result's properties (e.g. the ids of the same check in other tools). */
  properties?: Record<string, unknown>;
}

/** A check as reports describe it (SARIF rules, help texts). */
export interface Rule {
  id: string;
  /** SARIF rule name; the id without punctuation when absent. */
  name?: string;
  title: string;
  severity: Severity;
  /** Why the check matters. */
  description: string;
  remediation?: {
    text: string;
    /** A fixed example of the compliant setting, with the language of its code block. */
    snippet?: { language: string; text: string };
  };
  /** The same check in other tools or benchmarks: [['AzSK', ['Azure_Storage_…']], ['MCSB', ['NS-2']]]. */
  references: Array<[label: string, ids: readonly string[]]>;
  tags: readonly string[];
  /** Help as written, instead of the one built from description, remediation and references. */
  help?: { text: string; markdown: string };
}

/** An attestation as reports list it (expired, or matching nothing). */
export interface AttestationNote {
  control: string;
  source: string;
  line?: number;
  expiresOn: string;
  justification: string;
  selector: string;
}

export interface Verdict {
  result: 'pass' | 'warn' | 'fail';
  /** One line per reason, empty for a clean pass. */
  reasons: string[];
}

export type OutcomeCounts = Record<Outcome, number>;

export interface Report {
  tool: { name: string; version: string };
  /** Heading of the build summary: "ARM template security gate". */
  title: string;
  /** Word the console's verdict line starts with ("Gate FAILED: …"); "Gate" when absent. */
  verdictLabel?: string;
  /** What was checked, in one line: "3 template(s), 12 resource(s), baseline latest". */
  scope: string;
  /** The same in Markdown. */
  scopeMarkdown: string;
  startedAt: string;
  durationMs: number;
  /** Folder that file places are relative to (SARIF's SRCROOT); absent when no finding has a file place. */
  root?: string;
  /** The checks in play, in report order. */
  rules: readonly Rule[];
  /** Sorted by place, then rule. */
  findings: readonly Finding[];
  counts: OutcomeCounts & { skipped: number };
  verdict: Verdict;
  expiredAttestations: readonly AttestationNote[];
  unusedAttestations: readonly AttestationNote[];
  /** Subjects no check applies to, one entry per type (never a failure): listed for visibility. */
  uncovered: ReadonlyArray<{ type: string; count: number }>;
  /** What could not be checked at all (a file that could not be evaluated): SARIF tool notifications. */
  problems: ReadonlyArray<{ place: string; message: string }>;
  /** Run-level properties (SARIF run properties). */
  properties: Record<string, string>;
  /** How the summary names a rule and a subject in its tables; 'Control' and 'Resource' when absent. */
  nouns?: { rule: string; subject: string };
}
