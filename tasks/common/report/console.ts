/**
 * Human output: findings grouped by file (or URL), then subject, worst first within a subject.
 * Passing checks are only counted unless verbose. Colour is the caller's decision.
 *
 * Every text that did not come from our own code (names, types, files, messages quoting values,
 * attestation fields, verdict reasons) is printed through `oneLine`: the report is printed on an
 * agent, and a value must neither carry a pipeline command nor start a line of its own.
 */
import { oneLine } from '../log/safe-text';
import { placeGroup, placeLabel, type Finding, type Outcome, type Report } from './model';

export interface ConsoleOptions {
  /** ANSI colours. */
  color?: boolean;
  /** Also list passing findings. */
  verbose?: boolean;
}

const ANSI = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90, bold: 1 } as const;
type Colour = keyof typeof ANSI;

export const OUTCOME_LABEL: Record<Outcome, string> = { pass: 'PASS', fail: 'FAIL', unknown: 'UNKNOWN', attested: 'ATTESTED', error: 'ERROR' };
const OUTCOME_COLOUR: Record<Outcome, Colour> = { pass: 'green', fail: 'red', unknown: 'yellow', attested: 'cyan', error: 'magenta' };
const ORDER: Record<Outcome, number> = { error: 0, fail: 1, unknown: 2, attested: 3, pass: 4 };

/** Groups in first-seen order, each list in input order; one pass, no copies. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

export function renderConsole(report: Report, options: ConsoleOptions = {}): string {
  const paint = (colour: Colour, text: string) => (options.color ? `\u001b[${ANSI[colour]}m${text}\u001b[0m` : text);
  const out: string[] = [];

  for (const [group, findings] of groupBy(report.findings, (f) => placeGroup(f.place))) {
    const notable = findings.filter((f) => f.outcome !== 'pass');
    const shown = options.verbose ? findings : notable;
    const passed = findings.length - notable.length;
    if (shown.length === 0) {
      if (options.verbose) out.push(`${paint('bold', oneLine(group))}  ${paint('green', `${passed} passed`)}`);
      continue;
    }
    out.push(`${paint('bold', oneLine(group))}${passed ? paint('gray', `  (${passed} passed)`) : ''}`);
    for (const items of groupBy(shown, (f) => `${f.subject.type}\u0000${f.subject.name}`).values()) {
      const s = items[0]!.subject;
      out.push(`  ${oneLine(s.type)} ${paint('bold', oneLine(s.name))}`);
      for (const f of items.sort(worstFirst)) {
        const label = paint(OUTCOME_COLOUR[f.outcome], OUTCOME_LABEL[f.outcome].padEnd(8));
        out.push(`    ${label} ${f.severity.padEnd(6)} ${oneLine(f.ruleId)}  ${paint('gray', oneLine(placeLabel(f.place)))}`);
        out.push(`             ${oneLine(f.message)}`);
        const a = f.attestation;
        if (a) {
          const state = a.expired ? paint('red', `EXPIRED ${oneLine(a.expiresOn)}`) : `until ${oneLine(a.expiresOn)}`;
          out.push(`             ${paint('cyan', 'attested')} ${state}${a.approvedBy ? ` by ${oneLine(a.approvedBy)}` : ''}: ${oneLine(a.justification)}`);
        }
      }
    }
    out.push('');
  }

  if (report.uncovered.length) {
    out.push(paint('gray', 'Not covered by any control (never a failure):'));
    const width = Math.min(60, Math.max(...report.uncovered.map((u) => u.type.length)));
    for (const u of report.uncovered) out.push(paint('gray', `  ${oneLine(u.type).padEnd(width)}  ${u.count}`));
    out.push('');
  }
  const where = (a: { source: string; line?: number }) => `${oneLine(a.source)}${a.line ? `:${a.line}` : ''}`;
  for (const a of report.expiredAttestations) {
    out.push(paint('red', `Expired attestation: ${oneLine(a.control)} on ${oneLine(a.selector)}, expired ${oneLine(a.expiresOn)} (${where(a)})`));
  }
  for (const a of report.unusedAttestations) {
    out.push(paint('yellow', `Attestation matched nothing: ${oneLine(a.control)} on ${oneLine(a.selector)} (${where(a)})`));
  }
  if (report.expiredAttestations.length || report.unusedAttestations.length) out.push('');

  const c = report.counts;
  out.push(
    `${oneLine(report.scope)}: ` +
      [
        paint('green', `${c.pass} passed`),
        paint(c.fail ? 'red' : 'gray', `${c.fail} failed`),
        paint(c.unknown ? 'yellow' : 'gray', `${c.unknown} unknown`),
        paint(c.attested ? 'cyan' : 'gray', `${c.attested} attested`),
        paint(c.error ? 'magenta' : 'gray', `${c.error} error(s)`),
        ...(c.skipped ? [`${c.skipped} skipped`] : []),
      ].join(', '),
  );
  const verdict = { pass: paint('green', 'PASSED'), warn: paint('yellow', 'PASSED with warnings'), fail: paint('red', 'FAILED') }[report.verdict.result];
  const reasons = report.verdict.reasons.map(oneLine);
  out.push(`${report.verdictLabel ?? 'Gate'} ${verdict}${reasons.length ? `: ${reasons.join('; ')}` : ''}`);
  return `${out.join('\n')}\n`;
}

function worstFirst(a: Finding, b: Finding): number {
  return ORDER[a.outcome] - ORDER[b.outcome] || lineOf(a) - lineOf(b);
}

function lineOf(f: Finding): number {
  return 'line' in f.place ? f.place.line : 0;
}
