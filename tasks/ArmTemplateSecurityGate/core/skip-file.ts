/**
 * AzSK's "skip controls from file": a result CSV, edited down to the rows to skip. We accept
 * AzSK's own CSV and ours (same leading columns): ControlId is required; FilePath and
 * ResourceName narrow the skip when present.
 */
import { FileError } from '../../common/errors';
import type { SkipRule } from './scan-types';

/** RFC 4180 rows; quotes may span lines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => r.some((c) => c.trim() !== ''));
}

export function parseSkipFile(text: string, displayPath: string): SkipRule[] {
  const rows = parseCsv(text);
  if (rows.length === 0) return [];
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name.toLowerCase());
  const id = col('ControlId');
  if (id < 0) throw new FileError(displayPath, "the header row has no 'ControlId' column (expected an AzSK ARM Checker result CSV)", 1);
  const file = col('FilePath');
  const name = col('ResourceName');
  return rows.slice(1).map((r, i) => {
    const control = (r[id] ?? '').trim();
    if (!control) throw new FileError(displayPath, "empty 'ControlId'", i + 2);
    const rule: SkipRule = { control };
    const f = file >= 0 ? (r[file] ?? '').trim().replace(/\\/g, '/') : '';
    if (f) rule.file = f.includes('/') ? `**/${f.replace(/^(\.\/)+/, '').replace(/^.*?([^/]+\/[^/]+)$/, '$1')}` : f;
    const n = name >= 0 ? (r[name] ?? '').trim() : '';
    if (n) rule.resourceName = n;
    return rule;
  });
}
