/**
 * The one file that knows where the ARM gate's reporting lives: its reporters (console, SARIF,
 * JUnit, Markdown, JSON), its attestation file format and its severity order. API findings are
 * expressed as gate findings (the subject as a "resource": `API host` or `API operation`), run
 * through the same attestation matching and verdict rules, and rendered by the same reporters.
 * When the gate's reporting moves to a shared place, only the imports below change.
 */
import {
  attestationMatches,
  describeSelector,
  isExpired,
  parseAttestationFile,
  type Attestation,
} from '../../ArmTemplateSecurityGate/core/attestations';
import type { Control, Severity } from '../../ArmTemplateSecurityGate/core/model';
import { findReporter, REPORT_FORMATS, type ReportFormat } from '../../ArmTemplateSecurityGate/core/reporters';
import { severityAtLeast } from '../../ArmTemplateSecurityGate/core/scan';
import type { AttestationProblem, Finding, ScanResult, UnknownPolicy } from '../../ArmTemplateSecurityGate/core/scan-types';
import type { ApiCheckResult, ApiControl, Evidence } from './model';

export type { ReportFormat, ScanResult, Severity, UnknownPolicy };
export { REPORT_FORMATS };

export const TOOL = { name: 'api-security-check', version: '1.0.0' } as const;
export const HOST_SUBJECT = 'API host';
export const OPERATION_SUBJECT = 'API operation';
export const UNREACHABLE_RULE_ID = 'api-unreachable';

/** A result of a control, or an error that stopped one (outcome 'error'). */
export interface ApiFinding {
  control?: ApiControl;
  ruleId: string;
  title: string;
  severity: Severity;
  outcome: 'pass' | 'fail' | 'unknown' | 'error';
  result?: ApiCheckResult;
  message: string;
}

export interface ReportInput {
  findings: ApiFinding[];
  /** Controls in play (after skipControls and applies()). */
  controls: readonly ApiControl[];
  evidence: Evidence;
  severityThreshold: Severity;
  unknownPolicy: UnknownPolicy;
  /** The attestation file's text and the name to show for it. */
  attestations?: { text: string; displayPath: string };
  /** Folder reported file names are relative to (the SARIF root). */
  root: string;
  startedAt: Date;
  finishedAt: Date;
}

export function parseAttestations(text: string, displayPath: string): Attestation[] {
  return parseAttestationFile(text, displayPath);
}

/** A control in the gate's shape, for the reporters' rule tables (SARIF rules, references). */
function asGateControl(c: ApiControl): Control {
  return {
    kind: 'template',
    meta: {
      id: c.meta.id,
      title: c.meta.title,
      severity: c.meta.severity,
      featureSet: 'API',
      resourceTypes: [c.meta.scope === 'host' ? HOST_SUBJECT : OPERATION_SUBJECT],
      rationale: c.meta.rationale,
      remediation: c.meta.remediation,
      references: { mcsb: c.meta.references.mcsb },
      since: c.meta.since,
    },
    check: () => [],
  };
}

/** The subject and place of a finding, as the gate's reporters and attestations read them. */
export function subjectOf(f: ApiFinding, evidence: Evidence): Pick<Finding, 'resource' | 'file' | 'line' | 'column'> {
  const op = f.result?.operation;
  if (op) return { resource: { type: OPERATION_SUBJECT, name: `${op.method} ${op.pathTemplate}` }, file: op.location?.file ?? evidence.context.baseUrl, line: op.location?.line ?? 1, column: 1 };
  const aspect = f.result?.aspect;
  const origin = evidence.context.origin;
  return { resource: { type: HOST_SUBJECT, name: aspect ? `${origin} (${aspect})` : origin }, file: evidence.context.baseUrl, line: 1, column: 1 };
}

export function buildScanResult(input: ReportInput): ScanResult {
  const { evidence, severityThreshold: threshold, unknownPolicy } = input;
  const attestations = input.attestations ? parseAttestations(input.attestations.text, input.attestations.displayPath) : [];
  const gateControls = input.controls.map(asGateControl);
  const byId = new Map(gateControls.map((c) => [c.meta.id, c]));
  const today = input.finishedAt;
  const used = new Set<Attestation>();

  const findings: Finding[] = input.findings.map((f) => {
    const finding: Finding = {
      ruleId: f.ruleId,
      title: f.title,
      outcome: f.outcome,
      severity: f.severity,
      featureSet: 'API',
      message: f.message,
      blocking: false,
      ...subjectOf(f, evidence),
    };
    if (f.outcome === 'fail' || f.outcome === 'unknown') {
      const candidates = attestations.filter((a) => attestationMatches(a, finding, byId.get(f.ruleId)));
      const a = candidates.find((c) => !isExpired(c, today)) ?? candidates[0];
      if (a) {
        used.add(a);
        const expired = isExpired(a, today);
        finding.attestation = { source: a.source, line: a.line, justification: a.justification, approvedBy: a.approvedBy, expiresOn: a.expiresOn, expired };
        if (expired) finding.message += ` — attestation expired on ${a.expiresOn} (${a.source}${a.line ? `:${a.line}` : ''}); renew or fix`;
        else {
          finding.attestedOutcome = f.outcome;
          finding.outcome = 'attested';
        }
      }
    }
    finding.blocking = isBlocking(finding, threshold, unknownPolicy);
    return finding;
  });

  const problem = (a: Attestation): AttestationProblem => ({ control: a.control, source: a.source, line: a.line, expiresOn: a.expiresOn, justification: a.justification, selector: describeSelector(a) });
  const unusedAttestations = attestations.filter((a) => !used.has(a)).map(problem);
  const expiredAttestations = attestations.filter((a) => isExpired(a, today)).map(problem);

  const counts = { pass: 0, fail: 0, unknown: 0, attested: 0, error: 0, skipped: 0, templates: 0, resources: evidence.operations.length };
  for (const f of findings) counts[f.outcome]++;

  const reasons: string[] = [];
  const warnings: string[] = [];
  const blockingFails = findings.filter((f) => f.blocking && f.outcome === 'fail' && !f.attestation?.expired).length;
  if (blockingFails) reasons.push(`${blockingFails} control failure(s) at or above severity '${threshold}'`);
  const blockingUnknown = findings.filter((f) => f.blocking && f.outcome === 'unknown' && !f.attestation?.expired).length;
  if (blockingUnknown) reasons.push(`${blockingUnknown} unknown result(s) under policy 'fail'`);
  const errors = findings.filter((f) => f.outcome === 'error').length;
  if (errors) reasons.push(`${errors} check(s) could not be run`);
  if (expiredAttestations.length) reasons.push(`${expiredAttestations.length} expired attestation(s)`);
  const softFails = findings.filter((f) => f.outcome === 'fail' && !f.blocking).length;
  if (softFails) warnings.push(`${softFails} control failure(s) below the severity threshold`);
  const softUnknown = findings.filter((f) => f.outcome === 'unknown' && !f.blocking).length;
  if (softUnknown && unknownPolicy === 'warn') warnings.push(`${softUnknown} unknown result(s) (the probe could not tell)`);
  if (unusedAttestations.length) warnings.push(`${unusedAttestations.length} attestation(s) matched no finding`);

  return {
    tool: { ...TOOL },
    baseline: { name: 'latest', controls: input.controls.length },
    startedAt: input.startedAt.toISOString(),
    durationMs: Math.max(0, input.finishedAt.getTime() - input.startedAt.getTime()),
    root: input.root,
    findings,
    // Operations nothing was sent to are listed as "not covered", which never fails the check.
    uncovered: evidence.notProbed.map(({ operation, reason }) => ({
      file: operation.location?.file ?? evidence.context.baseUrl,
      line: operation.location?.line ?? 1,
      type: `${OPERATION_SUBJECT} not probed (${reason})`,
      name: `${operation.method} ${operation.pathTemplate}`,
    })),
    files: [],
    unusedAttestations,
    expiredAttestations,
    unmatchedPaths: [],
    counts,
    controls: gateControls,
    verdict: reasons.length ? { result: 'fail', reasons } : warnings.length ? { result: 'warn', reasons: warnings } : { result: 'pass', reasons: [] },
  };
}

function isBlocking(f: Finding, threshold: Severity, unknownPolicy: UnknownPolicy): boolean {
  if (f.attestation?.expired) return true;
  switch (f.outcome) {
    case 'error':
      return true;
    case 'fail':
      return severityAtLeast(f.severity, threshold);
    case 'unknown':
      return unknownPolicy === 'fail' && severityAtLeast(f.severity, threshold);
    default:
      return false;
  }
}

/** File names of the reports this task writes. */
export const REPORT_FILES: Record<Exclude<ReportFormat, 'console'>, string> = {
  json: 'api-security-check-results.json',
  sarif: 'api-security-check.sarif',
  junit: 'TEST-api-security-check.xml',
  csv: 'api-security-check.csv',
  markdown: 'api-security-check-summary.md',
};

/**
 * A report in the given format. The gate's reporters speak of templates and "the gate" in their
 * headings and totals; those lines are restated for an API until the reporters take a subject.
 */
export function renderReport(result: ScanResult, format: ReportFormat, evidence: Evidence, options: { color?: boolean; verbose?: boolean } = {}): string {
  const text = findReporter(format)!.render(result, options);
  const ops = `${evidence.operations.length} operation(s) of ${evidence.context.baseUrl}, ${evidence.requestsSent} request(s)`;
  switch (format) {
    case 'console':
      return text.replace(/^\d+ template\(s\), \d+ resource\(s\), baseline [^:]*:/m, `${ops}:`).replace(/^Gate (?=\S)/m, 'API security check ');
    case 'markdown':
      return text
        .replace(/^## ARM template security gate: /m, '## API security check: ')
        .replace(/^\d+ template\(s\), \d+ resource\(s\), baseline `[^`]*` \((\d+) controls\)\./m, `${ops}, $1 controls.`)
        .replace(/^### Not covered by any control$/m, '### Operations not probed');
    case 'junit':
      return text.replace('<testsuites name="armgate"', `<testsuites name="${TOOL.name}"`);
    default:
      return text;
  }
}
