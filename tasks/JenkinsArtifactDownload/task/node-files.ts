import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileError, InputError, TaskError } from '../../common/errors';
import { oneLine } from '../../common/log/safe-text';
import type { PartialFile, TargetFolder, TempFolder } from '../core/model';

const suffix = () => randomBytes(4).toString('hex');

/**
 * Bytes held before the temporary file is opened. A small artifact (most are) is written in one go
 * when it is complete: one open-write-close instead of a stream's open, writes and close, each a
 * trip to the thread pool, which is what thousands of small files cost. A larger one opens a write
 * stream once this much has arrived and streams from there.
 */
export const BUFFER_FIRST = 1024 * 1024;
/**
 * What a streamed file buffers before back-pressure. Larger (4 MiB) measured no faster on loopback
 * and cost more system time: the write stream gathers what arrives while a write runs into one writev.
 */
const STREAM_HIGH_WATER = 1024 * 1024;

/** A file written under a temporary name: back-pressure as a promise, errors surfaced at the next call. */
function partial(tempPath: string, finalPath: string | undefined): PartialFile {
  let held: Buffer[] = [];
  let heldBytes = 0;
  let ws: fs.WriteStream | undefined;
  let closed: Promise<void> | undefined;
  let failure: Error | undefined;
  let state: 'open' | 'committed' | 'discarded' = 'open';
  let created = false;
  const fail = (err: Error): never => {
    throw new FileError(finalPath ?? tempPath, `cannot be written: ${err.message}`);
  };
  const open = (): fs.WriteStream => {
    const stream = fs.createWriteStream(tempPath, { flags: 'wx', highWaterMark: STREAM_HIGH_WATER });
    created = true;
    stream.on('error', (err) => {
      failure ??= err;
    });
    closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
    return stream;
  };
  const drained = (stream: fs.WriteStream) =>
    new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => {
        stream.off('drain', onDrain);
        reject(new FileError(finalPath ?? tempPath, `cannot be written: ${err.message}`));
      };
      const onDrain = () => {
        stream.off('error', onError);
        resolve();
      };
      stream.once('drain', onDrain);
      stream.once('error', onError);
    });
  return {
    write(chunk) {
      if (failure) fail(failure);
      if (!ws) {
        held.push(chunk);
        heldBytes += chunk.length;
        if (heldBytes < BUFFER_FIRST) return undefined;
        ws = open();
        const first = Buffer.concat(held, heldBytes);
        held = [];
        heldBytes = 0;
        return ws.write(first) ? undefined : drained(ws);
      }
      if (ws.write(chunk)) return undefined;
      return drained(ws);
    },
    async commit() {
      if (failure) fail(failure);
      if (!ws) {
        created = true;
        try {
          await fs.promises.writeFile(tempPath, held.length === 1 ? held[0] : Buffer.concat(held, heldBytes), { flag: 'wx' });
        } catch (err) {
          failure = err as Error;
          fail(failure);
        }
        held = [];
      } else {
        const stream = ws;
        await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
        await closed;
        if (failure) fail(failure);
      }
      if (finalPath) {
        try {
          await fs.promises.rename(tempPath, finalPath);
        } catch (err) {
          fail(err as Error);
        }
      }
      state = 'committed';
    },
    async discard() {
      if (state !== 'open') return;
      state = 'discarded';
      held = [];
      if (ws) {
        ws.destroy();
        await closed;
      }
      if (created) await fs.promises.rm(tempPath, { force: true });
    },
  };
}

/** The nearest existing path at or above `p` when it is not a folder (links followed, as mkdir does). */
async function fileInTheWay(p: string): Promise<string | undefined> {
  for (let at = path.resolve(p); ; at = path.dirname(at)) {
    const stat = await fs.promises.stat(at).catch(() => undefined);
    if (stat) return stat.isDirectory() ? undefined : at;
    if (path.dirname(at) === at) return undefined;
  }
}

const inside = (root: string, p: string) => p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

/**
 * The target folder on disk. Folders are created level by level: an existing link on the way is
 * followed only when its real target is inside the root, so neither a link left in saveTo nor
 * one from an archive can carry a write outside it.
 */
export async function openTargetFolder(saveTo: string): Promise<TargetFolder> {
  try {
    await fs.promises.mkdir(saveTo, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // EEXIST (saveTo is a file) and ENOTDIR (a folder on its way is a file) say so in Node's words
    // with the syscall; the user needs to know which path is the file.
    const file = code === 'EEXIST' || code === 'ENOTDIR' ? await fileInTheWay(saveTo) : undefined;
    if (file === saveTo) throw new InputError('saveTo', `'${oneLine(saveTo)}' is a file, not a folder; give the path of a folder (it is created if missing)`);
    if (file) throw new InputError('saveTo', `cannot create the folder '${oneLine(saveTo)}': '${oneLine(file)}' on its path is a file, not a folder`);
    throw new FileError(saveTo, `cannot create the target folder (saveTo): ${(err as Error).message}`);
  }
  const root = await fs.promises.realpath(saveTo);
  const dirs = new Map<string, Promise<string>>([['', Promise.resolve(root)]]);

  const ensureDir = (rel: string): Promise<string> => {
    let known = dirs.get(rel);
    if (!known) {
      const parent = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
      const name = rel.slice(rel.lastIndexOf('/') + 1);
      known = ensureDir(parent).then((dir) => childDir(dir, name, rel));
      dirs.set(rel, known);
    }
    return known;
  };

  const childDir = async (dir: string, name: string, rel: string): Promise<string> => {
    const p = path.join(dir, name);
    let stat: fs.Stats | undefined;
    try {
      stat = await fs.promises.lstat(p);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new FileError(p, (err as Error).message);
    }
    if (!stat) {
      await fs.promises.mkdir(p).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw new FileError(p, `cannot create folder: ${err.message}`);
      });
      return childDir(dir, name, rel);
    }
    if (stat.isSymbolicLink()) {
      const real = await fs.promises.realpath(p).catch(() => '');
      if (!real || !inside(root, real)) throw new TaskError(`Refused to write into '${oneLine(rel)}': it is a link that leads outside the target folder ${root}`);
      if (!(await fs.promises.stat(real)).isDirectory()) throw new FileError(p, 'is a link to a file where a folder is needed');
      return real;
    }
    if (!stat.isDirectory()) throw new FileError(p, 'is a file where the artifacts need a folder');
    return p;
  };

  const place = async (relativePath: string) => {
    const at = relativePath.lastIndexOf('/');
    const dir = await ensureDir(at < 0 ? '' : relativePath.slice(0, at));
    return { dir, name: relativePath.slice(at + 1) };
  };

  return {
    root,
    async open(relativePath) {
      const { dir, name } = await place(relativePath);
      // A folder in the way makes the final rename fail, naming the path.
      return partial(path.join(dir, `.${name}.${suffix()}.partial`), path.join(dir, name));
    },
    async link(relativePath, target) {
      const { dir, name } = await place(relativePath);
      const linkPath = path.join(dir, name);
      const resolved = path.resolve(dir, target);
      if (!inside(root, resolved)) throw new TaskError(`Refused link '${oneLine(relativePath)}' → '${oneLine(target)}': it leads outside the target folder`);
      await fs.promises.rm(linkPath, { force: true });
      await fs.promises.symlink(target, linkPath);
    },
  };
}

/** Agent.TempDirectory: names made unique so parallel steps on one agent do not collide. */
export function tempFolder(dir: string): TempFolder {
  return {
    async create(name) {
      await fs.promises.mkdir(dir, { recursive: true });
      const p = path.join(dir, `${suffix()}-${name}`);
      return Object.assign(partial(p, undefined), { path: p });
    },
    async writeText(name, text) {
      await fs.promises.mkdir(dir, { recursive: true });
      const p = path.join(dir, `${suffix()}-${name}`);
      await fs.promises.writeFile(p, text, { flag: 'wx' });
      return p;
    },
    async remove(p) {
      await fs.promises.rm(p, { force: true });
    },
  };
}
