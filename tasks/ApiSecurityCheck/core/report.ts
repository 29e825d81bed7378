/**
 * API results in the common report model (tasks/common/report), which the console, SARIF, JUnit
 * and Markdown reporters, the annotations, the attestation file and the verdict rules read — the
 * same ones the ARM template security gate uses. A finding's subject is the API host or an
 * operation; its place is the operation's line in the definition, or the URL.
 */
import { applyAttestations, AttestationIndex, attestationNote, isExpired, parseAttestationFile } from '../../common/report/attestations';
import { renderConsole } from '../../common/report/console';
import { renderJunit } from '../../common/report/junit';
import { mdCode, renderMarkdown } from '../../common/report/markdown';
import type { Finding, Place, Report, Rule, Severity } from '../../common/report/model';
import { renderSarif } from '../../common/report/sarif';
import { decideVerdict, isBlocking, type Policy, type UnknownPolicy } from '../../common/report/verdict';
import type { ApiCheckResult, ApiControl, Evidence } from './model';

export type { Report, Severity, UnknownPolicy };

export const TOOL = { name: 'api-security-check', version: '1.0.0' } as const;
export const REPORT_TITLE = 'API security check';
export const HOST_SUBJECT = 'API host';
export const OPERATION_SUBJECT = 'API operation';
export const UNREACHABLE_RULE_ID = 'api-unreachable';

export const REPORT_FORMATS = ['sarif', 'junit', 'json', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** File names of the reports this task writes. */
export const REPORT_FILES: Record<ReportFormat, string> = {
  sarif: 'api-security-check.sarif',
  junit: 'TEST-api-security-check.xml',
  json: 'api-security-check-results.json',
  markdown: 'api-security-check-summary.md',
};

/** A result of a control, or the error that stopped the check (outcome 'error'). */
export interface ApiFinding {
  ruleId: string;
  title: string;
  severity: Severity;
  outcome: 'pass' | 'fail' | 'unknown' | 'error';
  message: string;
  result?: ApiCheckResult;
}

export interface ReportInput {
  findings: readonly ApiFinding[];
  /** Controls in play (after skipControls and applies()). */
  controls: readonly ApiControl[];
  evidence: Evidence;
  severityThreshold: Severity;
  unknownPolicy: UnknownPolicy;
  /** The attestation file's text and the name to show for it. */
  attestations?: { text: string; displayPath: string };
  /** Folder that definition paths are relative to (the SARIF root). */
  root: string;
  startedAt: Date;
  finishedAt: Date;
}

const UNREACHABLE_HELP = 'Nothing answered over https: check the URL, that the API is up and that this agent can reach it (proxy, firewall, DNS).';

const UNREACHABLE_RULE: Rule = {
  id: UNREACHABLE_RULE_ID,
  name: 'ApiUnreachable',
  title: 'The API could not be reached',
  severity: 'high',
  description: 'No probe got an answer, so no control could check the API; a check that could not look does not pass.',
  references: [],
  tags: ['security', 'API'],
  help: { text: UNREACHABLE_HELP, markdown: UNREACHABLE_HELP },
};

export function controlRule(c: ApiControl): Rule {
  const m = c.meta;
  const r = m.references;
  return {
    id: m.id,
    title: m.title,
    severity: m.severity,
    description: m.rationale,
    remediation: { text: m.remediation.text, snippet: { language: m.remediation.snippet.trimStart().startsWith('<') ? 'xml' : 'json', text: m.remediation.snippet } },
    references: [
      ['OWASP API Security Top 10', r.owaspApi ?? []],
      ['CWE', r.cwe ?? []],
      ['MCSB', r.mcsb ?? []],
      ['OWASP ASVS', r.asvs ?? []],
    ],
    tags: ['security', 'API', m.scope === 'host' ? HOST_SUBJECT : OPERATION_SUBJECT],
  };
}

/** The subject and place of a finding: an operation at its line in the definition (or its URL), or the host. */
export function subjectOf(f: ApiFinding, evidence: Evidence): Pick<Finding, 'subject' | 'place'> {
  const op = f.result?.operation;
  if (op) {
    const place: Place = op.location ? { file: op.location.file, line: op.location.line, column: 1 } : { url: op.url };
    return { subject: { type: OPERATION_SUBJECT, name: `${op.method} ${op.pathTemplate}` }, place };
  }
  const origin = evidence.context.origin;
  const aspect = f.result?.aspect;
  return { subject: { type: HOST_SUBJECT, name: aspect ? `${origin} (${aspect})` : origin }, place: { url: evidence.context.baseUrl } };
}

export function buildReport(input: ReportInput): Report {
  const { evidence } = input;
  const policy: Policy = { severityThreshold: input.severityThreshold, unknownPolicy: input.unknownPolicy, treatAsPassed: new Set() };
  const findings: Finding[] = input.findings.map((f) => ({ ruleId: f.ruleId, title: f.title, outcome: f.outcome, severity: f.severity, message: f.message, blocking: false, ...subjectOf(f, evidence) }));

  const attestations = input.attestations ? parseAttestationFile(input.attestations.text, input.attestations.displayPath) : [];
  const today = input.finishedAt;
  const used = applyAttestations(findings, new AttestationIndex(attestations), today, (f) => ({
    ruleId: f.ruleId,
    aliases: [],
    file: 'file' in f.place ? f.place.file : f.place.url,
    subject: f.subject,
  }));
  for (const f of findings) f.blocking = isBlocking(f, policy);
  const expiredAttestations = attestations.filter((a) => isExpired(a, today)).map(attestationNote);
  const unusedAttestations = attestations.filter((a) => !used.has(a)).map(attestationNote);

  const counts = { pass: 0, fail: 0, unknown: 0, attested: 0, error: 0, skipped: 0 };
  for (const f of findings) counts[f.outcome]++;
  const notProbed = new Map<string, number>();
  for (const { reason } of evidence.notProbed) {
    const type = `${OPERATION_SUBJECT} not probed (${reason})`;
    notProbed.set(type, (notProbed.get(type) ?? 0) + 1);
  }
  const decided = decideVerdict({
    findings,
    policy,
    expiredAttestations: expiredAttestations.length,
    unusedAttestations: unusedAttestations.length,
    errorsWhat: 'check(s) could not be run (the API could not be reached)',
  });
  // The common wording of an unknown is the gate's (a value known only at deployment); here it is a probe that could not tell.
  const verdict = { ...decided, reasons: decided.reasons.map((r) => r.replace('(values known only at deployment)', '(the probes could not tell)')) };
  const ops = evidence.operations.length;
  const scope = `${ops} operation(s) of ${evidence.context.baseUrl}, ${evidence.requestsSent} request(s)`;
  return {
    tool: { ...TOOL },
    title: REPORT_TITLE,
    verdictLabel: 'API security check',
    scope,
    scopeMarkdown: `${ops} operation(s) of ${mdCode(evidence.context.baseUrl)}, ${evidence.requestsSent} request(s), ${input.controls.length} controls.`,
    startedAt: input.startedAt.toISOString(),
    durationMs: Math.max(0, input.finishedAt.getTime() - input.startedAt.getTime()),
    ...(findings.some((f) => 'file' in f.place) ? { root: input.root } : {}),
    rules: [...input.controls.map(controlRule), ...(findings.some((f) => f.ruleId === UNREACHABLE_RULE_ID) ? [UNREACHABLE_RULE] : [])],
    findings: findings.sort(byPlace),
    counts,
    verdict,
    expiredAttestations,
    unusedAttestations,
    uncovered: [...notProbed.entries()].map(([type, count]) => ({ type, count })),
    problems: findings.filter((f) => f.outcome === 'error').map((f) => ({ place: evidence.context.baseUrl, message: f.message })),
    properties: { baseUrl: evidence.context.baseUrl, verdict: verdict.result },
    nouns: { rule: 'Control', subject: 'Target' },
  };
}

/** Host-wide findings (URL places) first, then the definition's operations by line; then rule. */
function byPlace(a: Finding, b: Finding): number {
  const rank = (f: Finding) => ('file' in f.place ? 1 : 0);
  const line = (f: Finding) => ('file' in f.place ? f.place.line : 0);
  return rank(a) - rank(b) || line(a) - line(b) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

/** The stable machine-readable report: keys are only ever added. */
function renderJson(report: Report): string {
  return `${JSON.stringify(
    {
      tool: report.tool,
      verdict: report.verdict,
      counts: report.counts,
      results: report.findings.map((f) => ({
        ruleId: f.ruleId,
        outcome: f.outcome,
        severity: f.severity,
        subject: f.subject,
        ...('file' in f.place ? { file: f.place.file, line: f.place.line } : { url: f.place.url }),
        message: f.message,
        title: f.title,
        blocking: f.blocking,
        ...(f.attestedOutcome ? { attestedOutcome: f.attestedOutcome } : {}),
        ...(f.attestation ? { attestation: f.attestation } : {}),
      })),
      notProbed: report.uncovered,
      attestations: { unused: report.unusedAttestations, expired: report.expiredAttestations },
    },
    null,
    2,
  )}\n`;
}

export function renderReport(report: Report, format: ReportFormat | 'console', options: { color?: boolean; verbose?: boolean } = {}): string {
  switch (format) {
    case 'console':
      return renderConsole(report, options);
    case 'sarif':
      return renderSarif(report);
    case 'junit':
      return renderJunit(report);
    case 'markdown':
      return renderMarkdown(report);
    case 'json':
      return renderJson(report);
  }
}
