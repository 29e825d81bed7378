/**
 * The real file system (the common port), clock and logger, for the CLI and the tasks, which pass
 * their own logging. Reads only what the scan is pointed at.
 */
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { FileError } from '../../common/errors';
import type { FileSystem } from '../../common/fs/file-system';
import { createNodeFileSystem, describeFsError } from '../../common/fs/node-file-system';
import type { Logger } from '../../common/log/logger';
import type { GateDeps } from '../core/scan-types';

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

/** The common node file system, reading text in UTF-8 or UTF-16 (byte-order mark) as templates come. */
export function nodeGateFileSystem(baseFolder?: string): FileSystem {
  const fs = createNodeFileSystem({ baseFolder });
  const base = baseFolder ?? process.cwd();
  return {
    ...fs,
    readText(p) {
      try {
        return decodeText(nodeFs.readFileSync(path.resolve(base, p)));
      } catch (err) {
        throw new FileError(p, `cannot read: ${describeFsError(err, p, path.resolve(base, p), 'file')}`);
      }
    },
  };
}

export const nodeGateFs: FileSystem = nodeGateFileSystem();

export function nodeGateDeps(logger: Logger, fs: FileSystem = nodeGateFs): GateDeps {
  return { fs, clock: { now: () => new Date() }, logger };
}
