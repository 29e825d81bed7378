import * as path from 'node:path';
import { FileError } from '../../tasks/common/errors';
import type { FileSystem } from '../../tasks/common/fs/file-system';

/**
 * The file-system port over a map of POSIX paths to texts, for core tests. Folders exist where a
 * file lies below them; errors read like the node implementation's.
 */
export class MemoryFileSystem implements FileSystem {
  readonly files = new Map<string, string>();
  writes: string[] = [];

  constructor(
    files: Record<string, string> = {},
    private readonly base = '/work',
  ) {
    for (const [p, text] of Object.entries(files)) this.files.set(this.abs(p), text);
  }

  private abs(p: string): string {
    return path.posix.resolve(this.base, p);
  }

  private isFolder(abs: string): boolean {
    if (abs === '/') return true;
    for (const f of this.files.keys()) if (f.startsWith(`${abs}/`)) return true;
    return false;
  }

  readText(p: string): string {
    const text = this.files.get(this.abs(p));
    if (text !== undefined) return text;
    throw new FileError(p, `cannot read: ${this.isFolder(this.abs(p)) ? `${this.abs(p)} is a folder; give the path of a file` : `no such file (looked for ${this.abs(p)})`}`);
  }
  exists(p: string): boolean {
    return this.files.has(this.abs(p)) || this.isFolder(this.abs(p));
  }
  isDirectory(p: string): boolean {
    return this.isFolder(this.abs(p));
  }
  isFile(p: string): boolean {
    return this.files.has(this.abs(p));
  }
  list(folder: string): string[] {
    const abs = this.abs(folder);
    if (!this.isFolder(abs)) throw new FileError(folder, `cannot list the folder: ${this.files.has(abs) ? `${abs} is not a folder` : `no such folder (looked for ${abs})`}`);
    const names = new Set<string>();
    for (const f of this.files.keys()) if (f.startsWith(`${abs}/`)) names.add(f.slice(abs.length + 1).split('/')[0]);
    return [...names].sort();
  }
  realPath(p: string): string {
    return this.abs(p);
  }
  writeTextAtomic(p: string, text: string): void {
    this.files.set(this.abs(p), text);
    this.writes.push(p);
  }
}
