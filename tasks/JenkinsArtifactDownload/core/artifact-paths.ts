import { Minimatch } from 'minimatch';
import { TaskError } from '../../common/errors';
import { oneLine } from '../../common/log/safe-text';

/**
 * An artifact's relative path from the server (or an archive entry's name), checked before it
 * touches the disk: no `..`, no `.` or empty levels, not absolute (`/x`, `\x`, `C:x`, `//host`),
 * no NUL. Both separators are treated as separators, so a name that is harmless on Linux cannot
 * climb out on a Windows agent. Returns the path with `/` separators.
 */
export function safeRelativePath(raw: string, source: string): string {
  const fail = (why: string): never => {
    throw new TaskError(`Refused ${source} '${oneLine(raw)}': ${why}; nothing is written outside the target folder`);
  };
  if (raw === '') fail('the name is empty');
  if (raw.includes('\0')) fail('the name contains a NUL character');
  if (/^[\\/]/.test(raw) || /^[A-Za-z]:/.test(raw)) fail('it is an absolute path');
  const parts = raw.split(/[\\/]/);
  if (parts.some((p) => p === '..')) fail("it climbs out with '..'");
  if (parts.some((p) => p === '' || p === '.')) fail("it has an empty or '.' level");
  return parts.join('/');
}

/** itemPattern: minimatch lines; `!` lines exclude. Only excludes means "everything but". */
export class ItemFilter {
  private readonly include: Minimatch[];
  private readonly exclude: Minimatch[];

  constructor(readonly patterns: string[]) {
    const opts = { dot: true, nocomment: true };
    this.include = patterns.filter((p) => !p.startsWith('!')).map((p) => new Minimatch(p, opts));
    this.exclude = patterns.filter((p) => p.startsWith('!')).map((p) => new Minimatch(p.slice(1), opts));
  }

  matches(relativePath: string): boolean {
    const included = this.include.length === 0 || this.include.some((m) => m.match(relativePath));
    return included && !this.exclude.some((m) => m.match(relativePath));
  }
}
