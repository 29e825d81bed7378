/**
 * The build summary (`##vso[task.uploadsummary]`): verdict first, then what to act on, with
 * file:line for every item. Long lists are capped; the full list is in the other reports.
 */
import type { Finding, ScanResult } from '../scan-types';
import type { Reporter } from './common';

const MAX_ROWS = 50;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function table(rows: Finding[], extra: (f: Finding) => string, header: string): string[] {
  const shown = rows.slice(0, MAX_ROWS).map(
    (f) => `| ${f.severity} | \`${cell(f.ruleId)}\` | ${cell(f.resource.type)} \`${cell(f.resource.name)}\` | \`${cell(f.file)}:${f.line}\` | ${cell(extra(f))} |`,
  );
  const more = rows.length > MAX_ROWS ? ['', `_…and ${rows.length - MAX_ROWS} more (see the JSON or SARIF report)._`] : [];
  return [`| Severity | Control | Resource | Location | ${header} |`, '|---|---|---|---|---|', ...shown, ...more];
}

export const markdownReporter: Reporter = {
  format: 'markdown',
  fileName: 'armgate-summary.md',
  render(result: ScanResult) {
    const c = result.counts;
    const verdict = { pass: 'Passed', warn: 'Passed with warnings', fail: 'Failed' }[result.verdict.result];
    const out: string[] = [
      `## ARM template security gate: ${verdict}`,
      '',
      ...result.verdict.reasons.map((r) => `- ${r}`),
      ...(result.verdict.reasons.length ? [''] : []),
      `${c.templates} template(s), ${c.resources} resource(s), baseline \`${result.baseline.name}\` (${result.baseline.controls} controls).`,
      '',
      '| Pass | Fail | Unknown | Attested | Error | Skipped |',
      '|---:|---:|---:|---:|---:|---:|',
      `| ${c.pass} | ${c.fail} | ${c.unknown} | ${c.attested} | ${c.error} | ${c.skipped} |`,
      '',
    ];
    const fails = result.findings.filter((f) => f.outcome === 'fail' || f.outcome === 'error');
    if (fails.length) out.push('### Failures', '', ...table(fails, (f) => f.message, 'Finding'), '');
    const unknowns = result.findings.filter((f) => f.outcome === 'unknown');
    if (unknowns.length) out.push('### Unknown until deployment', '', ...table(unknowns, (f) => f.message, 'Why'), '');
    const attested = result.findings.filter((f) => f.outcome === 'attested');
    if (attested.length) {
      out.push('### Attested', '', ...table(attested, (f) => `${f.attestation?.justification ?? ''} (${f.attestation?.approvedBy ?? 'unknown approver'}, until ${f.attestation?.expiresOn ?? '?'})`, 'Justification'), '');
    }
    if (result.expiredAttestations.length) {
      out.push('### Expired attestations', '');
      for (const a of result.expiredAttestations) out.push(`- \`${a.control}\` on ${cell(a.selector)} expired ${a.expiresOn} (\`${a.source}${a.line ? `:${a.line}` : ''}\`)`);
      out.push('');
    }
    if (result.unusedAttestations.length) {
      out.push('### Attestations that matched nothing', '');
      for (const a of result.unusedAttestations) out.push(`- \`${a.control}\` on ${cell(a.selector)} (\`${a.source}${a.line ? `:${a.line}` : ''}\`)`);
      out.push('');
    }
    if (result.uncovered.length) {
      const types = new Map<string, number>();
      for (const u of result.uncovered) types.set(u.type, (types.get(u.type) ?? 0) + 1);
      out.push(
        '### Not covered by any control',
        '',
        'Reported for visibility; these never fail the gate.',
        '',
        ...[...types.entries()].sort((a, b) => b[1] - a[1]).map(([t, n]) => `- ${cell(t)} (${n})`),
        '',
      );
    }
    return out.join('\n');
  },
};
