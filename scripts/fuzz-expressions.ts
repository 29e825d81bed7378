/**
 * Seeded fuzzer of the ARM template engine (issue 9): random and mutated expressions (see
 * fuzz/expression-cases.ts) evaluated under a time and memory guard.
 *
 *   npm run fuzz -- --seed 1 --count 20000 [--from 0] [--timeout-ms 10000] [--heap-mb 512]
 *
 * Cases run in a worker thread with a capped heap. A case that runs past --timeout-ms is a hang:
 * the worker is stopped and a new one goes on with the next case; a worker that exhausts its heap is
 * an out-of-memory failure. Prints the counts by outcome, the slowest case and the largest heap seen
 * after a case; exits 1 on any crash, invalid value, hang or out-of-memory.
 */
import * as v8 from 'node:v8';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { CaseResult, Outcome, fuzzCase, runCase } from './fuzz/expression-cases';

interface Job { seed: number; from: number; to: number }
interface Progress { index: number; result: CaseResult; ms: number; heapMb: number }

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const v = Number(args[i + 1]);
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} needs a whole number, got '${args[i + 1] ?? ''}'`);
  return v;
}

function work(job: Job): void {
  for (let index = job.from; index < job.to; index++) {
    const t0 = process.hrtime.bigint();
    const result = runCase(fuzzCase(job.seed, index));
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const heapMb = v8.getHeapStatistics().used_heap_size / 1024 / 1024;
    parentPort!.postMessage({ index, result, ms, heapMb } satisfies Progress);
  }
}

type Failure = { index: number; kind: string; detail: string; expression: string };

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const seed = option(args, 'seed', 1);
  const count = option(args, 'count', 20000);
  const from = option(args, 'from', 0);
  const timeoutMs = option(args, 'timeout-ms', 10000);
  const heapMb = option(args, 'heap-mb', 512);
  const to = from + count;

  const counts: Record<Outcome | 'hang' | 'oom', number> = { value: 0, unknown: 0, error: 0, crash: 0, invalid: 0, hang: 0, oom: 0 };
  const failures: Failure[] = [];
  let slowest = { ms: 0, index: -1 };
  let maxHeap = 0;
  let next = from;
  const started = Date.now();

  while (next < to) {
    const start = next;
    await new Promise<void>((resolve) => {
      const worker = new Worker(__filename, { workerData: { seed, from: start, to } satisfies Job, resourceLimits: { maxOldGenerationSizeMb: heapMb } });
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const finish = (): void => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        resolve();
      };
      const arm = (): void => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          counts.hang++;
          failures.push({ index: next, kind: 'hang', detail: `no result within ${timeoutMs} ms`, expression: fuzzCase(seed, next).expression });
          next++;
          void worker.terminate().then(finish);
        }, timeoutMs);
      };
      arm();
      worker.on('message', (p: Progress) => {
        counts[p.result.outcome]++;
        if (p.result.outcome === 'crash' || p.result.outcome === 'invalid') {
          failures.push({ index: p.index, kind: p.result.outcome, detail: p.result.detail ?? '', expression: fuzzCase(seed, p.index).expression });
        }
        if (p.ms > slowest.ms) slowest = { ms: p.ms, index: p.index };
        if (p.heapMb > maxHeap) maxHeap = p.heapMb;
        next = p.index + 1;
        if (next % 1000 === 0) process.stderr.write(`  ${next - from}/${count}\n`);
        arm();
      });
      worker.on('error', (e: Error & { code?: string }) => {
        const kind = e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'oom' : 'crash';
        counts[kind]++;
        failures.push({ index: next, kind, detail: e.message, expression: fuzzCase(seed, next).expression });
        next++;
        finish();
      });
      worker.on('exit', finish);
    });
  }

  const seconds = (Date.now() - started) / 1000;
  console.log(`fuzz-expressions seed ${seed}, cases ${from}..${to - 1} (${count}) in ${seconds.toFixed(1)} s`);
  console.log(`  values ${counts.value}, unknown ${counts.unknown}, template errors ${counts.error}`);
  console.log(`  crashes ${counts.crash}, invalid values ${counts.invalid}, hangs ${counts.hang} (> ${timeoutMs} ms), out of memory ${counts.oom} (heap cap ${heapMb} MB)`);
  console.log(`  slowest case #${slowest.index}: ${slowest.ms.toFixed(0)} ms; largest heap after a case: ${maxHeap.toFixed(0)} MB`);
  for (const f of failures.slice(0, 20)) {
    const shown = f.expression.length > 300 ? `${f.expression.slice(0, 300)}...` : f.expression;
    console.log(`  ${f.kind} #${f.index}: ${f.detail}\n    ${JSON.stringify(shown)}`);
  }
  return failures.length === 0 ? 0 : 1;
}

if (isMainThread) {
  main().then((code) => { process.exitCode = code; }, (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 2;
  });
} else {
  work(workerData as Job);
}
