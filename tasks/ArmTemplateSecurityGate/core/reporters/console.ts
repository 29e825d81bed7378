/**
 * Human output: findings grouped by file, then resource, worst first within a resource.
 * Passing checks are only counted unless verbose. Colour is the caller's decision.
 */
import type { Finding, ScanResult } from '../scan-types';
import { OUTCOME_LABEL, type Reporter } from './common';

const ANSI = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90, bold: 1 } as const;
type Colour = keyof typeof ANSI;

const OUTCOME_COLOUR: Record<Finding['outcome'], Colour> = { pass: 'green', fail: 'red', unknown: 'yellow', attested: 'cyan', error: 'magenta' };
const ORDER: Record<Finding['outcome'], number> = { error: 0, fail: 1, unknown: 2, attested: 3, pass: 4 };

export const consoleReporter: Reporter = {
  format: 'console',
  fileName: 'armgate.txt',
  render(result: ScanResult, options = {}) {
    const paint = (colour: Colour, text: string) => (options.color ? `\u001b[${ANSI[colour]}m${text}\u001b[0m` : text);
    const out: string[] = [];
    const byFile = new Map<string, Finding[]>();
    for (const f of result.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);

    for (const [file, findings] of byFile) {
      const shown = options.verbose ? findings : findings.filter((f) => f.outcome !== 'pass');
      const passed = findings.length - findings.filter((f) => f.outcome !== 'pass').length;
      if (shown.length === 0) {
        if (options.verbose) out.push(`${paint('bold', file)}  ${paint('green', `${passed} passed`)}`);
        continue;
      }
      out.push(`${paint('bold', file)}${passed ? paint('gray', `  (${passed} passed)`) : ''}`);
      const byResource = new Map<string, Finding[]>();
      for (const f of shown) {
        const key = `${f.resource.type}\u0000${f.resource.name}`;
        byResource.set(key, [...(byResource.get(key) ?? []), f]);
      }
      for (const items of byResource.values()) {
        const r = items[0].resource;
        out.push(`  ${r.type} ${paint('bold', r.name)}`);
        for (const f of items.sort((a, b) => ORDER[a.outcome] - ORDER[b.outcome] || a.line - b.line)) {
          const label = paint(OUTCOME_COLOUR[f.outcome], OUTCOME_LABEL[f.outcome].padEnd(8));
          out.push(`    ${label} ${f.severity.padEnd(6)} ${f.ruleId}  ${paint('gray', `${f.file}:${f.line}:${f.column}`)}`);
          out.push(`             ${f.message}`);
          if (f.attestation) {
            const a = f.attestation;
            const state = a.expired ? paint('red', `EXPIRED ${a.expiresOn}`) : `until ${a.expiresOn}`;
            out.push(`             ${paint('cyan', 'attested')} ${state}${a.approvedBy ? ` by ${a.approvedBy}` : ''}: ${a.justification}`);
          }
        }
      }
      out.push('');
    }

    if (result.uncovered.length) {
      const types = new Map<string, number>();
      for (const u of result.uncovered) types.set(u.type, (types.get(u.type) ?? 0) + 1);
      out.push(paint('gray', `Not covered by any control (never a failure): ${[...types.entries()].map(([t, n]) => `${t} (${n})`).join(', ')}`), '');
    }
    for (const a of result.expiredAttestations) {
      out.push(paint('red', `Expired attestation: ${a.control} on ${a.selector}, expired ${a.expiresOn} (${a.source}${a.line ? `:${a.line}` : ''})`));
    }
    for (const a of result.unusedAttestations) {
      out.push(paint('yellow', `Attestation matched nothing: ${a.control} on ${a.selector} (${a.source}${a.line ? `:${a.line}` : ''})`));
    }
    if (result.expiredAttestations.length || result.unusedAttestations.length) out.push('');

    const c = result.counts;
    out.push(
      `${c.templates} template(s), ${c.resources} resource(s), baseline ${result.baseline.name}: ` +
        [
          paint('green', `${c.pass} passed`),
          paint(c.fail ? 'red' : 'gray', `${c.fail} failed`),
          paint(c.unknown ? 'yellow' : 'gray', `${c.unknown} unknown`),
          paint(c.attested ? 'cyan' : 'gray', `${c.attested} attested`),
          paint(c.error ? 'magenta' : 'gray', `${c.error} error(s)`),
          ...(c.skipped ? [`${c.skipped} skipped`] : []),
        ].join(', '),
    );
    const verdict = { pass: paint('green', 'PASSED'), warn: paint('yellow', 'PASSED with warnings'), fail: paint('red', 'FAILED') }[result.verdict.result];
    out.push(`Gate ${verdict}${result.verdict.reasons.length ? `: ${result.verdict.reasons.join('; ')}` : ''}`);
    return `${out.join('\n')}\n`;
  },
};
