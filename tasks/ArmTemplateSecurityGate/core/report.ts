/**
 * A scan result in the common report model (tasks/common/report), which the console, SARIF,
 * JUnit and Markdown reporters and the annotations read: a finding's subject is its resource (or
 * parameter), its place the template file and line.
 */
import { mdCode } from '../../common/report/markdown';
import type { Finding, Report, Rule } from '../../common/report/model';
import type { Control } from './model';
import { ERROR_RULE_ID } from './scan-files';
import type { ScanResult, UncoveredResource } from './scan-types';

export const REPORT_TITLE = 'ARM template security gate';

export function controlRule(c: Control): Rule {
  const m = c.meta;
  const r = m.references;
  return {
    id: m.id,
    title: m.title,
    severity: m.severity,
    description: m.rationale,
    remediation: { text: m.remediation.text, snippet: { language: 'json', text: m.remediation.snippet } },
    references: [
      ['AzSK', r.azsk ?? []],
      ['Checkov', r.checkov ?? []],
      ['PSRule', r.psrule ?? []],
      ['MCSB', r.mcsb ?? []],
    ],
    tags: ['security', m.featureSet, ...m.resourceTypes],
  };
}

const ERROR_HELP = 'Fix the template error at the reported line; nothing in the file was checked.';

export const ERROR_RULE: Rule = {
  id: ERROR_RULE_ID,
  name: 'TemplateError',
  title: 'Template could not be evaluated',
  severity: 'high',
  description: 'The file looks like an ARM template but could not be parsed or evaluated, so no control could check it.',
  references: [],
  tags: ['security'],
  help: { text: ERROR_HELP, markdown: ERROR_HELP },
};

/**
 * Resource types no control covers, one entry per type. ARM compares types without regard to case
 * (`publicIPAddresses` is `publicIpAddresses`): the spelling used most often is shown.
 */
export function uncoveredTypes(uncovered: readonly UncoveredResource[]): Array<{ type: string; count: number }> {
  const byType = new Map<string, { count: number; spellings: Map<string, number> }>();
  for (const u of uncovered) {
    const key = u.type.toLowerCase();
    let entry = byType.get(key);
    if (!entry) {
      entry = { count: 0, spellings: new Map() };
      byType.set(key, entry);
    }
    entry.count++;
    entry.spellings.set(u.type, (entry.spellings.get(u.type) ?? 0) + 1);
  }
  return [...byType.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, e]) => {
      let best = '';
      let most = 0;
      for (const [spelling, n] of e.spellings) if (n > most) [best, most] = [spelling, n];
      return { type: best, count: e.count };
    });
}

export function toReport(result: ScanResult): Report {
  const controls = new Map(result.controls.map((c) => [c.meta.id, c]));
  const usesErrorRule = result.findings.some((f) => f.ruleId === ERROR_RULE_ID && f.outcome !== 'pass');
  const findings: Finding[] = result.findings.map((f) => {
    const azsk = controls.get(f.ruleId)?.meta.references.azsk;
    return {
      ruleId: f.ruleId,
      title: f.title,
      outcome: f.outcome,
      severity: f.severity,
      subject: f.resource,
      place: { file: f.file, line: f.line, column: f.column },
      message: f.message,
      ...(f.attestedOutcome ? { attestedOutcome: f.attestedOutcome } : {}),
      ...(f.attestation ? { attestation: f.attestation } : {}),
      blocking: f.blocking,
      ...(azsk?.length ? { properties: { azsk } } : {}),
    };
  });
  const c = result.counts;
  return {
    tool: result.tool,
    title: REPORT_TITLE,
    scope: `${c.templates} template(s), ${c.resources} resource(s), baseline ${result.baseline.name}`,
    scopeMarkdown: `${c.templates} template(s), ${c.resources} resource(s), baseline ${mdCode(result.baseline.name)} (${result.baseline.controls} controls).`,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    root: result.root,
    rules: [...result.controls.map(controlRule), ...(usesErrorRule ? [ERROR_RULE] : [])],
    findings,
    counts: { pass: c.pass, fail: c.fail, unknown: c.unknown, attested: c.attested, error: c.error, skipped: c.skipped + c.excluded },
    verdict: result.verdict,
    expiredAttestations: result.expiredAttestations,
    unusedAttestations: result.unusedAttestations,
    uncovered: uncoveredTypes(result.uncovered),
    problems: result.files.filter((s) => s.kind === 'error').map((s) => ({ place: s.file, message: s.error ?? 'could not be evaluated' })),
    properties: { baseline: result.baseline.name, verdict: result.verdict.result },
    nouns: { rule: 'Control', subject: 'Resource' },
  };
}
