import { Worker } from 'node:worker_threads';
import type { Hasher } from '../core/model';

/** The worker: MD5 over the batches it is sent, each batch handed back once hashed, the digest at the end. */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const hash = require('node:crypto').createHash('md5');
parentPort.on('message', (m) => {
  if (m === 'end') parentPort.postMessage({ digest: hash.digest('hex') });
  else { hash.update(new Uint8Array(m.buffer, 0, m.length)); parentPort.postMessage({ ack: m.buffer }, [m.buffer]); }
});
`;

const BATCH = 4 * 1024 * 1024;
const MAX_IN_FLIGHT = 4;

/**
 * MD5 on another thread, for large artifacts: hashing a GiB costs seconds of CPU, which would
 * otherwise sit on the thread that reads the socket and writes the file. Chunks are copied into
 * 4 MiB batches that travel to the worker and back without a copy and are reused, so nothing is
 * left for either garbage collector; at most four are in flight, so memory stays bounded whatever
 * the artifact's size (update waits when the worker is behind).
 */
export function workerMd5(): Hasher {
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  worker.unref();
  const free: ArrayBuffer[] = [];
  let batch = Buffer.allocUnsafeSlow(BATCH);
  let used = 0;
  let inFlight = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  let finish: ((hex: string) => void) | undefined;
  worker.on('message', (m: { ack?: ArrayBuffer; digest?: string }) => {
    if (m.ack) {
      free.push(m.ack);
      inFlight -= 1;
      wake?.();
      wake = undefined;
    } else if (m.digest !== undefined) finish?.(m.digest);
  });
  worker.on('error', (err) => {
    failure = err;
    wake?.();
  });
  const send = () => {
    const buffer = batch.buffer;
    worker.postMessage({ buffer, length: used }, [buffer]);
    inFlight += 1;
    const reused = free.pop();
    batch = reused ? Buffer.from(reused) : Buffer.allocUnsafeSlow(BATCH);
    used = 0;
  };
  const check = () => {
    if (failure) throw failure;
  };
  return {
    update(chunk) {
      check();
      let at = 0;
      while (at < chunk.length) {
        const n = chunk.copy(batch, used, at);
        used += n;
        at += n;
        if (used === BATCH) send();
      }
      if (inFlight < MAX_IN_FLIGHT) return undefined;
      return new Promise<void>((resolve) => {
        wake = resolve;
      }).then(check);
    },
    async digest() {
      check();
      if (used > 0) send();
      const hex = await new Promise<string>((resolve, reject) => {
        finish = resolve;
        worker.once('error', reject);
        worker.postMessage('end');
      });
      await worker.terminate();
      return hex;
    },
    dispose() {
      void worker.terminate();
    },
  };
}
