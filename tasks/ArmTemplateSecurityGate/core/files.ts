/**
 * Turns the user's paths, folders and globs into the JSON files to look at.
 */
import * as path from 'node:path';
import { minimatch } from 'minimatch';
import { FileError } from '../../common/errors';
import { isInsideFolder } from './engine';
import type { GateFs } from './scan-types';

const JSON_FILE = /\.jsonc?$/i;
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.svn', '.hg']);
const MAGIC = /[*?[\]{}!]/;

export function displayPath(root: string, file: string): string {
  const rel = path.relative(root, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return file.split(path.sep).join('/');
  return rel.split(path.sep).join('/');
}


/**
 * JSON files under `dir`. A symbolic link that leads out of `bound` is not followed (a repository
 * must not make the gate read the agent's other files), and each real folder is walked once, so a
 * link back to a parent folder neither loops nor scans the same files again under longer names.
 */
function walk(fs: GateFs, dir: string, recurse: boolean, out: string[], bound = dir, seen = new Set<string>()): void {
  if (fs.realPath) {
    const real = fs.realPath(dir);
    if (seen.has(real)) return;
    seen.add(real);
  }
  for (const name of fs.readdir(dir).sort()) {
    const full = path.join(dir, name);
    if (fs.isDirectory(full)) {
      if (recurse && !SKIPPED_DIRS.has(name) && isInsideFolder(fs, bound, full)) walk(fs, full, recurse, out, bound, seen);
    } else if (JSON_FILE.test(name) && isInsideFolder(fs, bound, full)) {
      out.push(full);
    }
  }
}

/** Folder paths inside the root may link anywhere within it; others stay within themselves. */
function walkBound(fs: GateFs, root: string, dir: string): string {
  return isInsideFolder(fs, root, dir) ? root : dir;
}

/** The non-magic leading folders of a glob, where walking can start. */
function globBase(glob: string): string {
  const parts = glob.split('/');
  const fixed: string[] = [];
  for (const part of parts.slice(0, -1)) {
    if (MAGIC.test(part)) break;
    fixed.push(part);
  }
  return fixed.join('/');
}

export function isExcluded(rel: string, exclude: readonly string[]): boolean {
  return exclude.some((pattern) => {
    const p = pattern.trim().replace(/\\/g, '/');
    if (!p) return false;
    // A bare file name (AzSK's ExcludeFiles) matches that name in any folder.
    if (!p.includes('/')) return minimatch(rel, p, { matchBase: true, dot: true, nocase: true });
    return minimatch(rel, p, { dot: true });
  });
}

export function isPattern(given: string): boolean {
  return MAGIC.test(given);
}

/**
 * Every JSON file named by `paths` (files, folders, globs relative to root), sorted, without
 * duplicates or excluded files. A plain path that does not exist is an input error; a glob (or a
 * folder) that matches no JSON file is not, but is almost always a mistake: it is added to
 * `options.unmatched` (before exclusions, which are deliberate) for the caller to warn about.
 */
export function discoverFiles(
  fs: GateFs,
  root: string,
  paths: readonly string[],
  options: { recurse?: boolean; exclude?: readonly string[]; unmatched?: string[] },
): string[] {
  const recurse = options.recurse ?? true;
  const found = new Set<string>();
  for (const raw of paths) {
    const given = raw.trim().replace(/\\/g, '/');
    if (!given) continue;
    if (MAGIC.test(given)) {
      const absGlob = path.isAbsolute(given);
      const base = path.resolve(root, globBase(given) || '.');
      let matched = 0;
      if (fs.exists(base) && fs.isDirectory(base)) {
        const candidates: string[] = [];
        walk(fs, base, true, candidates, walkBound(fs, root, base));
        for (const file of candidates) {
          const subject = absGlob ? file.split(path.sep).join('/') : displayPath(root, file);
          if (minimatch(subject, given, { dot: true })) {
            found.add(file);
            matched++;
          }
        }
      }
      if (matched === 0) options.unmatched?.push(given);
      continue;
    }
    const abs = path.resolve(root, given);
    if (!fs.exists(abs)) throw new FileError(given, 'no such file or folder');
    if (fs.isDirectory(abs)) {
      const inDir: string[] = [];
      walk(fs, abs, recurse, inDir, walkBound(fs, root, abs));
      if (inDir.length === 0) options.unmatched?.push(given);
      inDir.forEach((f) => found.add(f));
    } else {
      found.add(abs);
    }
  }
  const exclude = options.exclude ?? [];
  const kept = exclude.some((p) => p.trim() !== '') ? [...found].filter((f) => !isExcluded(displayPath(root, f), exclude)) : [...found];
  return kept.sort();
}

/** The folder where walking a glob starts: its leading parts without wildcards. */
function fixedBase(glob: string): string {
  return globBase(glob) || '.';
}

/**
 * The scan root when none is given: the deepest folder holding every given path (a file's own
 * folder, a folder itself, a glob's fixed leading folders), each resolved against `base`. It
 * follows what is scanned, never the folder the scan is started from, so a verdict does not change
 * with the working directory.
 */
export function defaultRoot(paths: readonly string[], base: string, fs: Pick<GateFs, 'isDirectory'>): string {
  const folders: string[] = [];
  for (const raw of paths) {
    const given = raw.trim().replace(/\\/g, '/');
    if (!given) continue;
    const abs = path.resolve(base, given);
    if (fs.isDirectory(abs)) folders.push(abs);
    else if (MAGIC.test(given)) folders.push(path.resolve(base, fixedBase(given)));
    else folders.push(path.dirname(abs));
  }
  if (folders.length === 0) return path.resolve(base);
  let common = folders[0]!;
  const up = (): boolean => {
    const parent = path.dirname(common);
    if (parent === common) return false;
    common = parent;
    return true;
  };
  for (const f of folders.slice(1)) while (!isWithin(common, f) && up());
  // A path that does not exist (a glob that matches nothing yet) is reported by the scan, from
  // the nearest folder that does.
  while (!fs.isDirectory(common) && up());
  return common;
}

function isWithin(folder: string, p: string): boolean {
  const rel = path.relative(folder, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
