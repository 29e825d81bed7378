/**
 * Turns the user's paths, folders and globs into the JSON files to look at, without ever leaving
 * the folders the user meant: a pull request may plant symbolic links (`infra -> /`) and
 * unreadable folders, and name files like globs.
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

/** Whether `p` lies in `folder`, comparing the paths as written (no links resolved). */
export function isWithin(folder: string, p: string): boolean {
  const rel = path.relative(folder, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Whether a path the user gave leaves, through a symbolic link, the folder it was given in: the
 * folder relative paths are typed in (`anchor`: the working directory of the CLI, the agent's
 * working directory for the task) when it lies there as written, else the folder that holds it.
 */
export function leavesThroughLink(fs: GateFs, anchor: string, abs: string): boolean {
  const base = isWithin(anchor, abs) ? anchor : path.dirname(abs);
  return !isInsideFolder(fs, base, abs);
}

/** Something the user named that could not be looked at (a folder that cannot be read, a link out). */
export interface PathProblem {
  /** As shown in reports. */
  path: string;
  message: string;
}

interface Walk {
  fs: GateFs;
  root: string;
  recurse: boolean;
  /** Links may lead anywhere inside it, never out. */
  bound: string;
  seen: Set<string>;
  problems: PathProblem[];
}

/**
 * JSON files under `dir`. A symbolic link that leads out of the bound is not followed (a repository
 * must not make the gate read the agent's other files), and each real folder is walked once, so a
 * link back to a parent folder neither loops nor scans the same files again under longer names. A
 * folder that cannot be listed is reported, and the rest is walked.
 */
function walk(w: Walk, dir: string, out: string[]): void {
  const real = w.fs.realPath(dir);
  if (w.seen.has(real)) return;
  w.seen.add(real);
  let names: string[];
  try {
    names = w.fs.list(dir);
  } catch (err) {
    w.problems.push({ path: displayPath(w.root, dir), message: `could not be read, so the files in it were not checked (${(err as Error).message})` });
    return;
  }
  // A folder that is a normalised absolute path (nearly all) and a listed name (one segment) join
  // by concatenation: path.join normalised the result again for every entry of every folder walked.
  const prefix = path.sep === '/' && isNormalAbsolute(dir) ? (dir === '/' ? '/' : `${dir}/`) : undefined;
  for (const name of names) {
    const full = prefix !== undefined && isPlainName(name) ? prefix + name : path.join(dir, name);
    if (w.fs.isDirectory(full)) {
      if (w.recurse && !SKIPPED_DIRS.has(name) && isInsideFolder(w.fs, w.bound, full)) walk(w, full, out);
    } else if (JSON_FILE.test(name) && isInsideFolder(w.fs, w.bound, full)) {
      out.push(full);
    }
  }
}

/** A POSIX absolute path that path.join leaves as it is: no empty, '.' or '..' segment, no trailing '/'. */
function isNormalAbsolute(p: string): boolean {
  return p.startsWith('/') && !p.includes('//') && !p.includes('/.') && (p.length === 1 || !p.endsWith('/'));
}

/** One path segment that path.join keeps as written. */
function isPlainName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/');
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

export interface Discovery {
  /** Every JSON file to look at, sorted, without duplicates or excluded files. */
  files: string[];
  /** Files named one by one (not found by a folder or a glob): each is checked or reported, never skipped. */
  named: Set<string>;
  /** Globs (and folders) that matched no JSON file, as given, before exclusions (which are deliberate). */
  unmatched: string[];
  problems: PathProblem[];
}

/**
 * Every JSON file named by `paths` (files, folders, globs relative to root). A plain path that does
 * not exist is an input error; a glob (or a folder) that matches no JSON file is not, but is almost
 * always a mistake: it is listed in `unmatched` for the caller to warn about. A path that exists as
 * written is that path, even when its name holds glob characters (`main[1].json`).
 */
export function discoverFiles(
  fs: GateFs,
  root: string,
  paths: readonly string[],
  options: { recurse?: boolean; exclude?: readonly string[]; anchor?: string },
): Discovery {
  const recurse = options.recurse ?? true;
  const anchor = options.anchor ?? root;
  const found = new Set<string>();
  const named = new Set<string>();
  const unmatched: string[] = [];
  const problems: PathProblem[] = [];
  const walkFrom = (dir: string, deep: boolean, out: string[]) => {
    // Folders inside the root may link anywhere within it; others stay within themselves.
    const bound = isInsideFolder(fs, root, dir) ? root : dir;
    // A fresh walk per path: a folder another path walked may hold files this one names.
    walk({ fs, root, recurse: deep, bound, seen: new Set(), problems }, dir, out);
  };
  const refuse = (given: string, abs: string): boolean => {
    if (!leavesThroughLink(fs, anchor, abs)) return false;
    problems.push({ path: given, message: `is a symbolic link (or lies under one) that leads outside ${anchor}; it was not scanned` });
    return true;
  };
  for (const raw of paths) {
    const given = raw.trim().replace(/\\/g, '/');
    if (!given) continue;
    const literal = path.resolve(root, given);
    if (MAGIC.test(given) && !fs.exists(literal)) {
      const absGlob = path.isAbsolute(given);
      const base = path.resolve(root, globBase(given) || '.');
      let matched = 0;
      if (fs.exists(base) && fs.isDirectory(base) && !refuse(given, base)) {
        const candidates: string[] = [];
        walkFrom(base, true, candidates);
        for (const file of candidates) {
          const subject = absGlob ? file.split(path.sep).join('/') : displayPath(root, file);
          if (minimatch(subject, given, { dot: true })) {
            found.add(file);
            matched++;
          }
        }
      }
      if (matched === 0 && !problems.some((p) => p.path === given)) unmatched.push(given);
      continue;
    }
    if (!fs.exists(literal)) throw new FileError(given, 'no such file or folder');
    if (refuse(given, literal)) continue;
    if (fs.isDirectory(literal)) {
      const inDir: string[] = [];
      walkFrom(literal, recurse, inDir);
      if (inDir.length === 0) unmatched.push(given);
      for (const f of inDir) found.add(f);
    } else {
      found.add(literal);
      named.add(literal);
    }
  }
  const exclude = options.exclude ?? [];
  const kept = exclude.some((p) => p.trim() !== '') ? [...found].filter((f) => !isExcluded(displayPath(root, f), exclude)) : [...found];
  return { files: kept.sort(), named, unmatched, problems };
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
  let common = folders[0];
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
