import type { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import * as yauzl from 'yauzl';
import { TaskError } from '../../common/errors';
import { oneLine } from '../../common/log/safe-text';
import type { ArchiveEntry, ArchiveReader } from '../core/model';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** yauzl's own name checks, worded as ours. */
function explain(err: Error): Error {
  const m = /^(invalid relative path|absolute path|invalid characters in fileName): (.*)$/s.exec(err.message);
  if (!m) return new TaskError(`The artifact archive is not a valid zip file: ${oneLine(err.message)}`);
  return new TaskError(`Refused archive entry '${oneLine(m[2])}': ${m[1] === 'absolute path' ? 'it is an absolute path' : "it climbs out with '..'"}; nothing is written outside the target folder`);
}

/** The entry's bytes with their CRC-32 checked at the end (yauzl checks sizes, not the CRC). */
async function* checked(stream: Readable, entry: yauzl.Entry): AsyncGenerator<Buffer> {
  let crc = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    crc = zlib.crc32(chunk, crc);
    yield chunk;
  }
  if (crc >>> 0 !== entry.crc32 >>> 0) throw new TaskError(`Archive entry '${oneLine(entry.fileName)}' fails its CRC-32 check; the archive is damaged`);
}

/**
 * Reads a zip through its central directory (yauzl), one entry at a time; entries whose names are
 * absolute or hold `..` stop the extraction.
 */
export const readZip: ArchiveReader = async (zipPath, each) => {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: false });
  } catch (err) {
    throw explain(err as Error);
  }
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (err: Error) => reject(explain(err)));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        const madeByUnix = entry.versionMadeBy >> 8 === 3;
        const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
        const item: ArchiveEntry = {
          name: entry.fileName,
          kind: entry.fileName.endsWith('/') ? 'directory' : madeByUnix && mode === S_IFLNK ? 'symlink' : 'file',
          size: entry.uncompressedSize,
          open: async () => checked(await zip.openReadStreamPromise(entry), entry),
        };
        each(item).then(
          () => zip.readEntry(),
          (err: unknown) => reject(err),
        );
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
};
