/**
 * The real file system, clock and a logger over plain callbacks, for the CLI and the tasks
 * (which pass their own logging). Reads only what the scan is pointed at.
 */
import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { FileError } from '../../common/errors';
import type { Logger } from '../../common/log/logger';
import type { GateDeps, GateFs } from '../core/scan-types';

/**
 * The text of a file in the encodings Windows editors and PowerShell write: UTF-8 (with or without
 * a byte-order mark, which is kept) and UTF-16 LE or BE with one. A UTF-16 file without its mark
 * reads as text with NUL characters, which the scan reports instead of passing.
 */
export function decodeText(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.toString('utf16le');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
    return swapped.swap16().toString('utf16le');
  }
  return bytes.toString('utf8');
}

export const nodeGateFs: GateFs = {
  readFile: (file) => decodeText(nodeFs.readFileSync(file)),
  exists: (file) => nodeFs.existsSync(file),
  isDirectory: (file) => {
    try {
      return nodeFs.statSync(file).isDirectory();
    } catch {
      return false;
    }
  },
  readdir: (dir) => nodeFs.readdirSync(dir),
  realPath: (file) => {
    try {
      return nodeFs.realpathSync.native(file);
    } catch {
      return file;
    }
  },
};

export function nodeGateDeps(logger: Logger): GateDeps {
  return { fs: nodeGateFs, clock: { now: () => new Date() }, logger };
}

/** The calls writeReport makes; tests pass one that fails half-way. */
export type WriteFs = Pick<typeof nodeFs, 'mkdirSync' | 'writeFileSync' | 'renameSync' | 'rmSync'>;

/**
 * Writes a report file whole or not at all: the text goes to a new file beside the target, which
 * then replaces the target in one rename. A failure (disk full, no permission) leaves the old
 * report, never half of a new one, and a symbolic link planted at the target is replaced, not
 * followed. Errors name the report file.
 */
export function writeReport(target: string, text: string, shown = target, fs: WriteFs = nodeFs): void {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    // 'wx': a fresh file; never written through an existing link.
    fs.writeFileSync(tmp, text, { flag: 'wx' });
    fs.renameSync(tmp, target);
  } catch (err) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // the write failed already; that error is the one to report
    }
    throw new FileError(shown, `cannot write the report: ${(err as Error).message}`);
  }
}
