/**
 * The build summary (`task.uploadsummary`): verdict first, then what to act on, with the place of
 * every item. Long lists are capped; the full list is in the other reports. The page renders
 * Markdown, so text from templates or servers is escaped: it can neither break a table nor add a
 * link or an image.
 */
import { isFilePlace, type Finding, type Report } from './model';

const MAX_ROWS = 50;

/** Plain text in a table cell or list item: one line, no Markdown of its own. */
export function mdText(text: string): string {
  return text.replace(/\r\n|[\r\n]/g, ' ').replace(/[\\`*_[\]<>|]/g, '\\$&');
}

/** Text as a code span: a fence longer than any backtick run inside (CommonMark), pipes escaped for tables. */
export function mdCode(text: string): string {
  const one = text.replace(/\r\n|[\r\n]/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(one.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = one.startsWith('`') || one.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${one}${pad}${fence}`;
}

function where(f: Finding): string {
  return mdCode(isFilePlace(f.place) ? `${f.place.file}:${f.place.line}` : f.place.url);
}

function table(rows: readonly Finding[], extra: (f: Finding) => string, header: string, nouns: { rule: string; subject: string }): string[] {
  const shown = rows.slice(0, MAX_ROWS).map((f) => `| ${f.severity} | ${mdCode(f.ruleId)} | ${mdText(f.subject.type)} ${mdCode(f.subject.name)} | ${where(f)} | ${mdText(extra(f))} |`);
  const more = rows.length > MAX_ROWS ? ['', `_…and ${rows.length - MAX_ROWS} more (see the JSON or SARIF report)._`] : [];
  return [`| Severity | ${nouns.rule} | ${nouns.subject} | Location | ${header} |`, '|---|---|---|---|---|', ...shown, ...more];
}

export function renderMarkdown(report: Report): string {
  const nouns = report.nouns ?? { rule: 'Control', subject: 'Resource' };
  const c = report.counts;
  const verdict = { pass: 'Passed', warn: 'Passed with warnings', fail: 'Failed' }[report.verdict.result];
  const out: string[] = [
    `## ${report.title}: ${verdict}`,
    '',
    ...report.verdict.reasons.map((r) => `- ${mdText(r)}`),
    ...(report.verdict.reasons.length ? [''] : []),
    report.scopeMarkdown,
    '',
    '| Pass | Fail | Unknown | Attested | Error | Skipped |',
    '|---:|---:|---:|---:|---:|---:|',
    `| ${c.pass} | ${c.fail} | ${c.unknown} | ${c.attested} | ${c.error} | ${c.skipped} |`,
    '',
  ];
  const fails = report.findings.filter((f) => f.outcome === 'fail' || f.outcome === 'error');
  if (fails.length) out.push('### Failures', '', ...table(fails, (f) => f.message, 'Finding', nouns), '');
  const unknowns = report.findings.filter((f) => f.outcome === 'unknown');
  if (unknowns.length) out.push('### Unknown until deployment', '', ...table(unknowns, (f) => f.message, 'Why', nouns), '');
  const attested = report.findings.filter((f) => f.outcome === 'attested');
  if (attested.length) {
    const why = (f: Finding) => `${f.attestation?.justification ?? ''} (${f.attestation?.approvedBy ?? 'unknown approver'}, until ${f.attestation?.expiresOn ?? '?'})`;
    out.push('### Attested', '', ...table(attested, why, 'Justification', nouns), '');
  }
  const source = (a: { source: string; line?: number }) => mdCode(`${a.source}${a.line ? `:${a.line}` : ''}`);
  if (report.expiredAttestations.length) {
    out.push('### Expired attestations', '');
    for (const a of report.expiredAttestations) out.push(`- ${mdCode(a.control)} on ${mdText(a.selector)} expired ${mdText(a.expiresOn)} (${source(a)})`);
    out.push('');
  }
  if (report.unusedAttestations.length) {
    out.push('### Attestations that matched nothing', '');
    for (const a of report.unusedAttestations) out.push(`- ${mdCode(a.control)} on ${mdText(a.selector)} (${source(a)})`);
    out.push('');
  }
  if (report.uncovered.length) {
    out.push('### Not covered by any control', '', 'Reported for visibility; these never fail the gate.', '', ...report.uncovered.map((u) => `- ${mdText(u.type)} (${u.count})`), '');
  }
  return out.join('\n');
}
