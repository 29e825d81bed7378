/**
 * Skip rules (AzSK "skip controls from file"): a (control, file, resource) pattern drops matching
 * findings before anything counts them. Errors are never skipped: a file that could not be
 * evaluated was not checked at all.
 */
import { minimatch } from 'minimatch';
import { idMatches } from '../../common/report/attestations';
import type { SkipRule } from './scan-types';
import type { Draft } from './scan-files';

export function applySkips(drafts: Draft[], rules: readonly SkipRule[], aliases: (d: Draft) => readonly string[]): { kept: Draft[]; skipped: number } {
  if (rules.length === 0) return { kept: drafts, skipped: 0 };
  let skipped = 0;
  const kept = drafts.filter((d) => {
    const rule = rules.find(
      (s) =>
        d.outcome !== 'error' &&
        idMatches(s.control, d.ruleId, aliases(d)) &&
        (!s.file || minimatch(d.file, s.file, { dot: true, matchBase: !s.file.includes('/') })) &&
        (!s.resourceName || sameName(d.resource.name, s.resourceName) || minimatch(d.resource.name, s.resourceName, { nocase: true })),
    );
    if (rule) skipped++;
    return !rule;
  });
  return { kept, skipped };
}

/**
 * A name known only at deployment reads as its expression ("[parameters('x')]"), which minimatch
 * would take for a character class; the exact name, as copied from a report, must still match.
 */
function sameName(name: string, wanted: string): boolean {
  return name.length === wanted.length && name.toLowerCase() === wanted.toLowerCase();
}
