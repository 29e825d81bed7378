/**
 * The `package` input on disk: a path or a glob that must match exactly one zip, jar, war or
 * folder. A folder is zipped while it uploads (yazl streams each file in turn), so a large
 * package is never held in memory.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { minimatch } from 'minimatch';
import * as yazl from 'yazl';
import { FileError } from '../../common/errors';
import { oneLine } from '../../common/log/safe-text';
import type { PackageKind } from '../core/model';
import type { PackageSource } from '../core/ports';

const GLOB = /[*?[\]{}]/;
/** A glob walk stops here: a pattern such as `/**` on a big disk must not run for ever. */
const MAX_WALKED = 200_000;

export function resolvePackage(pattern: string, workingDirectory: string, input = 'package'): PackageSource {
  const absolute = path.resolve(workingDirectory, pattern);
  const matches = GLOB.test(pattern) ? globMatches(absolute, pattern, input) : fs.existsSync(absolute) ? [absolute] : [];
  if (matches.length === 0) {
    throw new FileError(pattern, `Input '${input}': no file or folder matches (looked from ${workingDirectory}); check the path, which is relative to System.DefaultWorkingDirectory`);
  }
  if (matches.length > 1) {
    const shown = matches.slice(0, 5).map((m) => oneLine(path.relative(workingDirectory, m) || m));
    throw new FileError(pattern, `Input '${input}': ${matches.length} files or folders match, expected exactly one: ${shown.join(', ')}${matches.length > 5 ? ', …' : ''}`);
  }
  return packageAt(matches[0], pattern, input);
}

function packageAt(file: string, pattern: string, input: string): PackageSource {
  const stat = fs.statSync(file);
  const name = path.basename(file);
  if (stat.isDirectory()) {
    const files = listFolder(file, pattern);
    if (files.length === 0) throw new FileError(pattern, `Input '${input}': the folder ${oneLine(file)} is empty`);
    return { kind: 'folder', name: `${name}/ (${files.length} files, zipped on the fly)`, open: () => zipFolder(file, files) };
  }
  const ext = path.extname(file).toLowerCase();
  const kind: PackageKind | undefined = ext === '.zip' ? 'zip' : ext === '.jar' ? 'jar' : ext === '.war' ? 'war' : undefined;
  if (!kind) throw new FileError(pattern, `Input '${input}': ${oneLine(name)} is not a .zip, .jar or .war file, nor a folder`);
  return { kind, name, size: stat.size, open: () => fs.createReadStream(file) };
}

function globMatches(absolute: string, pattern: string, input: string): string[] {
  const posix = absolute.split(path.sep).join('/');
  const segments = posix.split('/');
  const firstGlob = segments.findIndex((s) => GLOB.test(s));
  const base = segments.slice(0, firstGlob).join('/') || '/';
  const deep = segments.slice(firstGlob).includes('**');
  const maxDepth = deep ? Infinity : segments.length - firstGlob;
  const out: string[] = [];
  let walked = 0;
  const walk = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (++walked > MAX_WALKED) throw new FileError(pattern, `Input '${input}': the pattern walks more than ${MAX_WALKED} entries; make it more specific`);
      const full = `${dir === '/' ? '' : dir}/${e.name}`;
      if (minimatch(full, posix, { dot: true })) out.push(full.split('/').join(path.sep));
      if (e.isDirectory() && depth + 1 < maxDepth) walk(full, depth + 1);
    }
  };
  if (fs.existsSync(base)) walk(base, 0);
  return out.sort();
}

/** Files under the folder, relative with `/`, sorted (the same folder gives the same zip). */
function listFolder(root: string, pattern: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isSymbolicLink()) throw new FileError(pattern, `${oneLine(child)} is a symbolic link; zip the folder yourself if the link is meant to be followed`);
      if (e.isDirectory()) walk(child);
      else if (e.isFile()) out.push(child);
    }
  };
  walk('');
  return out.sort();
}

function zipFolder(root: string, files: string[]) {
  const zip = new yazl.ZipFile();
  for (const rel of files) zip.addFile(path.join(root, ...rel.split('/')), rel);
  const out = zip.outputStream as unknown as Readable;
  // A file that cannot be read fails the upload instead of sending a truncated zip.
  (zip as unknown as NodeJS.EventEmitter).on('error', (err: Error) => out.destroy(err));
  zip.end();
  return out;
}
