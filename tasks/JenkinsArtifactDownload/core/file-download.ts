import { createHash } from 'node:crypto';
import { finished, type Readable } from 'node:stream';
import { RemoteError, TaskError } from '../../common/errors';
import { DEFAULT_RETRY, retryDelayMs } from '../../common/http/retry';
import type { Logger } from '../../common/log/logger';
import { oneLine } from '../../common/log/safe-text';
import type { JenkinsClient } from './jenkins-client';
import type { Clock, Hasher, PartialFile, TargetFolder } from './model';
import type { DownloadProgress, FileProgress } from './progress';

export interface DownloadItem {
  relativePath: string;
  url: string;
  /** MD5 fingerprints the content may have (Jenkins records them by file name); empty when Jenkins has none. */
  md5s: string[];
}

export interface FileResult {
  relativePath: string;
  bytes: number;
  /** Connections that dropped and were resumed. */
  resumes: number;
  /** Bytes received that were already on disk (a server that ignored Range). */
  refetched: number;
  verified: 'md5' | 'length' | 'none';
}

export interface DownloadDeps {
  client: JenkinsClient;
  target: TargetFolder;
  clock: Clock;
  log: Logger;
  progress: DownloadProgress;
  /** Attempts in a row that get no byte further before giving up. */
  retries: number;
  /** An MD5 off the downloading thread, for artifacts of at least LARGE bytes. */
  largeHasher?: () => Hasher;
}

/** From this size on, a fingerprint is checked by `largeHasher` when there is one. */
export const LARGE = 8 * 1024 * 1024;

/** MD5 on this thread: for small files a worker costs more than it saves. */
export function inlineMd5(): Hasher {
  const hash = createHash('md5');
  return {
    update: (chunk) => void hash.update(chunk),
    digest: async () => hash.digest('hex'),
    dispose: () => undefined,
  };
}

/** Resumes after drops that made progress are cheap; this bounds a connection that drops every few bytes. */
const MAX_RESUMES = 50;

const DROP_CODES = new Set(['ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE', 'ECONNREFUSED']);

/** A dropped connection (worth resuming) as opposed to an answer that is wrong or a bug. */
function isDrop(err: unknown): boolean {
  if (err instanceof RemoteError || err instanceof TaskError || !(err instanceof Error)) return false;
  const code = (err as { code?: string }).code;
  return (code !== undefined && DROP_CODES.has(code)) || /aborted|socket hang up|terminated|premature close/i.test(err.message);
}

/**
 * Every chunk of a body handed to `onChunk` as it arrives ('data' events: no promise per chunk, as
 * an async iterator would make, which shows at a gigabyte of 16 KiB TLS records). The body pauses
 * while what `onChunk` returns is pending (the disk or the hasher behind); it settles when the body
 * ended and the last of those finished, or with the first error of either.
 */
export function consume(body: Readable, onChunk: (chunk: Buffer) => Promise<void> | void | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    let inflight: Promise<void> | undefined;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      body.destroy();
      reject(err);
    };
    body.on('data', (chunk: Buffer) => {
      if (settled) return;
      let pending: Promise<void> | void | undefined;
      try {
        pending = onChunk(chunk);
      } catch (err) {
        fail(err);
        return;
      }
      if (!pending) return;
      body.pause();
      inflight = pending.then(() => {
        inflight = undefined;
        if (!settled) body.resume();
      });
      inflight.catch(fail);
    });
    finished(body, (err) => {
      if (err) return fail(err);
      void (inflight ?? Promise.resolve()).then(() => {
        if (settled) return;
        settled = true;
        resolve();
      }, fail);
    });
  });
}

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+|\*)$/;

/**
 * One artifact, streamed to a temporary name under the target folder. A dropped connection is
 * resumed with an HTTP Range from the last byte received, so only the missing bytes cross the
 * network again; the length is checked against Content-Length and the content against Jenkins'
 * MD5 fingerprint when it has one; only then does the file get its real name.
 */
export async function downloadFile(item: DownloadItem, deps: DownloadDeps): Promise<FileResult> {
  const name = oneLine(item.relativePath);
  const file: PartialFile = await deps.target.open(item.relativePath);
  const track: FileProgress = deps.progress.track();
  let hash: Hasher | undefined;
  let received = 0;
  let total: number | undefined;
  let resumes = 0;
  let refetched = 0;
  let stalled = 0;
  try {
    for (;;) {
      const before = received;
      try {
        const res = await deps.client.stream(item.url, received, `artifact '${name}'`);
        let skip = 0;
        if (received > 0 && res.status === 206) {
          const m = CONTENT_RANGE.exec(res.headers['content-range'] ?? '');
          if (!m || Number(m[1]) !== received || (m[3] !== '*' && total !== undefined && Number(m[3]) !== total)) {
            res.body.destroy();
            throw new RemoteError(`Jenkins resumed artifact '${name}' with Content-Range '${oneLine(res.headers['content-range'] ?? '')}', not from byte ${received} of ${total ?? 'unknown'}; the artifact may have changed on the server`);
          }
        } else {
          // A first answer, or a server that ignored the Range: the bytes we hold come again.
          skip = received;
          const length = Number(res.headers['content-length']);
          if (res.headers['content-length'] !== undefined && Number.isSafeInteger(length)) {
            if (total !== undefined && length !== total) {
              res.body.destroy();
              throw new RemoteError(`Artifact '${name}' changed size on the server while it was downloaded (${total} then ${length} bytes)`);
            }
            total = length;
          }
          track.setLength(total);
        }
        if (item.md5s.length && !hash) hash = total !== undefined && total >= LARGE && deps.largeHasher ? deps.largeHasher() : inlineMd5();
        const hasher = hash;
        await consume(res.body, (chunk) => {
          let data = chunk;
          if (skip > 0) {
            const dropped = Math.min(skip, data.length);
            skip -= dropped;
            refetched += dropped;
            if (dropped === data.length) return undefined;
            data = data.subarray(dropped);
          }
          received += data.length;
          if (total !== undefined && received > total) throw new RemoteError(`Artifact '${name}' is longer than the ${total} bytes Jenkins announced`);
          track.add(data.length);
          const pending = file.write(data);
          const hashing = hasher?.update(data);
          if (pending && hashing) return Promise.all([pending, hashing]).then(() => undefined);
          return pending ?? hashing ?? undefined;
        });
        if (total === undefined || received === total) break;
        // The body ended early without an error (a proxy closing cleanly): resume like a drop.
        throw Object.assign(new Error(`connection closed after ${received} of ${total} bytes`), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
      } catch (err) {
        if (!isDrop(err)) throw err;
        stalled = received > before ? 0 : stalled + 1;
        resumes += 1;
        if (stalled > deps.retries || resumes > MAX_RESUMES) {
          throw new RemoteError(`Downloading artifact '${name}' failed after ${resumes} attempt(s), ${received} of ${total ?? 'unknown'} bytes received: ${oneLine((err as Error).message)}`);
        }
        const wait = retryDelayMs(Math.max(1, stalled), undefined, DEFAULT_RETRY);
        deps.log.info(`Connection for '${name}' dropped after ${received} of ${total ?? '?'} bytes (${oneLine((err as Error).message)}); resuming from byte ${received} in ${wait} ms`);
        await deps.clock.sleep(wait);
      }
    }
    let verified: FileResult['verified'] = total !== undefined ? 'length' : 'none';
    if (item.md5s.length) {
      const md5 = await (hash ?? inlineMd5()).digest();
      hash = undefined;
      if (!item.md5s.includes(md5)) {
        throw new TaskError(`Artifact '${name}' does not match the MD5 fingerprint Jenkins recorded (${item.md5s.join(' or ')}, got ${md5}); it was not kept`);
      }
      verified = 'md5';
    }
    await file.commit();
    track.done();
    return { relativePath: item.relativePath, bytes: received, resumes, refetched, verified };
  } catch (err) {
    hash?.dispose();
    track.done();
    await file.discard();
    throw err;
  }
}

/**
 * Every item, `parallel` at a time. The first failure stops new downloads; the ones running finish
 * or fail, and each cleans up its own temporary file, so nothing half-written remains.
 */
export async function downloadAll(items: DownloadItem[], parallel: number, deps: DownloadDeps): Promise<FileResult[]> {
  const results: FileResult[] = new Array(items.length);
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const i = next++;
      try {
        results[i] = await downloadFile(items[i], deps);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
  if (failure !== undefined) throw failure;
  return results;
}
