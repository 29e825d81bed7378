/**
 * AzSK's "skip controls from file": a result CSV, edited down to the rows to skip. We accept
 * AzSK's own CSV and ours (same leading columns): ControlId is required; FilePath and
 * ResourceName narrow the skip when present.
 */
import { FileError } from '../../common/errors';
import type { SkipRule } from './scan-types';

/** RFC 4180 rows; quotes may span lines. */
export function parseCsv(text: string, displayPath = 'CSV'): string[][] {
  return parseCsvLines(text, displayPath).map((r) => r.cells);
}

/** Rows with the line each starts on (a quoted cell may span lines; blank lines are dropped). */
function parseCsvLines(text: string, displayPath: string): Array<{ cells: string[]; line: number }> {
  const rows: Array<{ cells: string[]; line: number }> = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let quoteLine = 1;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (ch === '\n' || (ch === '\r' && src[i + 1] !== '\n')) line++;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') {
      quoted = true;
      quoteLine = line;
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') {
        i++;
        line++;
      }
      row.push(cell);
      rows.push({ cells: row, line: rowLine });
      row = [];
      cell = '';
      rowLine = line;
    } else cell += ch;
  }
  // An unclosed quote would silently swallow every row after it.
  if (quoted) throw new FileError(displayPath, 'a quoted cell is never closed', quoteLine);
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push({ cells: row, line: rowLine });
  }
  return rows.filter((r) => r.cells.some((c) => c.trim() !== ''));
}

export function parseSkipFile(text: string, displayPath: string): SkipRule[] {
  const rows = parseCsvLines(text, displayPath);
  if (rows.length === 0) return [];
  const header = rows[0].cells.map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name.toLowerCase());
  const id = col('ControlId');
  if (id < 0) throw new FileError(displayPath, "the header row has no 'ControlId' column (expected an AzSK ARM Checker result CSV)", rows[0].line);
  const file = col('FilePath');
  const name = col('ResourceName');
  return rows.slice(1).map(({ cells: r, line }) => {
    const control = (r[id] ?? '').trim();
    if (!control) throw new FileError(displayPath, "empty 'ControlId'", line);
    const rule: SkipRule = { control };
    const f = file >= 0 ? (r[file] ?? '').trim().replace(/\\/g, '/') : '';
    if (f) rule.file = f.includes('/') ? `**/${f.replace(/^(\.\/)+/, '').replace(/^.*?([^/]+\/[^/]+)$/, '$1')}` : f;
    const n = name >= 0 ? (r[name] ?? '').trim() : '';
    if (n) rule.resourceName = n;
    return rule;
  });
}
