import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { FileError } from '../errors';
import type { FileSystem } from './file-system';

/** The node:fs calls the implementation makes; tests replace some to fail half-way. */
export type NodeFsCalls = Pick<typeof nodeFs, 'readFileSync' | 'statSync' | 'readdirSync' | 'realpathSync' | 'mkdirSync' | 'writeFileSync' | 'renameSync' | 'rmSync'>;

export interface NodeFileSystemOptions {
  /** Relative paths are resolved against this folder (default: the process's working directory). */
  baseFolder?: string;
  /** How messages name the base folder, e.g. 'System.DefaultWorkingDirectory'; added to "no such file" for relative paths. */
  baseFolderName?: string;
  calls?: Partial<NodeFsCalls>;
}

/** The real file system behind the port. */
export function createNodeFileSystem(options: NodeFileSystemOptions = {}): FileSystem {
  const fs: NodeFsCalls = { ...nodeFs, ...options.calls };
  const base = options.baseFolder ?? process.cwd();
  const abs = (p: string) => path.resolve(base, p);
  const problem = (err: unknown, given: string, wanted: 'file' | 'folder') => describeFsError(err, given, abs(given), wanted, options.baseFolderName);
  const stat = (p: string) => {
    try {
      return fs.statSync(abs(p));
    } catch {
      return undefined;
    }
  };
  return {
    readText(p) {
      try {
        return fs.readFileSync(abs(p), 'utf8');
      } catch (err) {
        throw new FileError(p, `cannot read: ${problem(err, p, 'file')}`);
      }
    },
    exists: (p) => stat(p) !== undefined,
    isDirectory: (p) => stat(p)?.isDirectory() ?? false,
    isFile: (p) => stat(p)?.isFile() ?? false,
    list(folder) {
      try {
        return fs.readdirSync(abs(folder)).sort();
      } catch (err) {
        throw new FileError(folder, `cannot list the folder: ${problem(err, folder, 'folder')}`);
      }
    },
    realPath(p) {
      try {
        return fs.realpathSync.native(abs(p));
      } catch {
        return abs(p);
      }
    },
    writeTextAtomic(p, text) {
      const target = abs(p);
      const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      try {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        // 'wx': a fresh file, never written through an existing link.
        fs.writeFileSync(tmp, text, { flag: 'wx' });
        fs.renameSync(tmp, target);
      } catch (err) {
        try {
          fs.rmSync(tmp, { force: true });
        } catch {
          // the write failed already; that error is the one to report
        }
        throw new FileError(p, `cannot write: ${problem(err, p, 'file')}`);
      }
    },
  };
}

/** A node:fs error as what to fix, with the absolute path looked at. */
export function describeFsError(err: unknown, given: string, resolved: string, wanted: 'file' | 'folder', baseFolderName?: string): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return `no such ${wanted} (looked for ${resolved})${baseFolderName && !path.isAbsolute(given) ? `; check the path, which is relative to ${baseFolderName}` : ''}`;
    case 'EISDIR':
      return `${resolved} is a folder; give the path of a file`;
    case 'ENOTDIR':
      return `${resolved} is not a folder`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied for ${resolved}`;
    default:
      return err instanceof Error ? err.message : String(err);
  }
}
