/**
 * Scans every template of ../shared/corpora/quickstart with evaluate(), against parsing the same
 * in-memory files alone. Files are read once up front so disk time is in neither figure.
 * Goals: <= 5 ms per template and <= 4x parse-only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseJsonc, parseTree } from 'jsonc-parser';
import { evaluate } from '../../tasks/ArmTemplateSecurityGate/core/evaluate';
import { discoverFiles } from '../../tasks/ArmTemplateSecurityGate/core/files';
import { nodeGateFs } from '../../tasks/ArmTemplateSecurityGate/core/node-deps';
import type { GateDeps, GateFs, ScanResult } from '../../tasks/ArmTemplateSecurityGate/core/scan-types';
import { toolRoot } from '../paths';
import { figure, median, type Benchmark, type BenchContext, type Figure } from './types';

const MIN_RUNS = 3;

function memoryFs(files: Map<string, string>): GateFs {
  return {
    readFile: (f) => {
      const text = files.get(path.resolve(f));
      if (text === undefined) return nodeGateFs.readFile(f);
      return text;
    },
    exists: (f) => files.has(path.resolve(f)) || nodeGateFs.exists(f),
    isDirectory: (f) => nodeGateFs.isDirectory(f),
    readdir: (d) => nodeGateFs.readdir(d),
  };
}

function parseOnly(texts: string[]): void {
  for (const text of texts) {
    try {
      JSON.parse(text);
    } catch {
      // Real templates carry comments; they need a JSONC parse, as the engine does.
      parseJsonc(text, [], { allowTrailingComma: true });
    }
  }
}

/** A JS parser that keeps offsets, as the engine must for file:line: the floor for a position-aware scan. */
function parseTreeOnly(texts: string[]): void {
  for (const text of texts) parseTree(text, [], { allowTrailingComma: true });
}

export function corpusDir(): string {
  return process.env.ARMGATE_CORPUS ? path.resolve(process.env.ARMGATE_CORPUS) : path.resolve(toolRoot(), '..', 'shared', 'corpora', 'quickstart');
}

async function run(ctx: BenchContext): Promise<Figure[]> {
  const root = corpusDir();
  if (!fs.existsSync(root)) throw new Error(`armgate-corpus: corpus not found at ${root}`);
  const list = discoverFiles(nodeGateFs, root, ['.'], { recurse: true });
  const files = new Map(list.map((f) => [f, nodeGateFs.readFile(f)] as const));
  const texts = [...files.values()];
  const deps: GateDeps = { fs: memoryFs(files), clock: { now: () => new Date() }, logger: { debug: () => undefined, info: () => undefined, warning: () => undefined } };
  const scan = () => evaluate({ paths: ['.'], root, unknownPolicy: 'warn' }, deps);

  // Warm-up run: JIT and lazily built tables should not count against the measured runs.
  parseOnly(texts);
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage().rss;
  let result: ScanResult = scan();
  const heapDelta = process.memoryUsage().heapUsed - heapBefore;

  const parseTimes: number[] = [];
  const treeTimes: number[] = [];
  const scanTimes: number[] = [];
  for (let i = 0; i < Math.max(MIN_RUNS, ctx.runs); i++) {
    let t = process.hrtime.bigint();
    parseOnly(texts);
    parseTimes.push(Number(process.hrtime.bigint() - t) / 1e6);
    t = process.hrtime.bigint();
    parseTreeOnly(texts);
    treeTimes.push(Number(process.hrtime.bigint() - t) / 1e6);
    t = process.hrtime.bigint();
    result = scan();
    scanTimes.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const scanMs = median(scanTimes);
  const parseMs = median(parseTimes);
  const templates = Math.max(1, result.counts.templates);
  const errored = result.files.filter((f) => f.kind === 'error').length;
  const crashes = result.files.filter((f) => /engine failure/.test(f.error ?? '')).length;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  return [
    figure('armgate corpus: templates scanned (baseline: JSON files)', result.counts.templates, 'templates', files.size, 0),
    figure('armgate corpus: templates with an error finding (baseline: templates)', errored, 'templates', result.counts.templates, 0),
    figure('armgate corpus: engine crashes (baseline: templates)', crashes, 'templates', result.counts.templates, 0),
    figure('armgate corpus: unknown findings (baseline: all findings)', result.counts.unknown, 'findings', result.findings.length, 0),
    figure('armgate corpus: full scan, median (baseline: JSON parse of the same files)', scanMs, 'ms', parseMs),
    figure('armgate corpus: per template (baseline: 5 ms goal)', scanMs / templates, 'ms/template', 5, 3),
    figure('armgate corpus: scan / parse-only (baseline: 4x goal)', scanMs / Math.max(parseMs, 1e-6), 'x', 4, 2),
    figure('armgate corpus: scan / jsonc-parser parseTree with offsets (baseline: 4x goal)', scanMs / Math.max(median(treeTimes), 1e-6), 'x', 4, 2),
    figure('armgate corpus: peak RSS (baseline: RSS before the scan)', peakRss / 1048576, 'MiB', rssBefore / 1048576),
    figure('armgate corpus: heapUsed growth over one scan (baseline: heapUsed before)', heapDelta / 1048576, 'MiB', heapBefore / 1048576),
  ];
}

/** Scans every template of the quickstart corpus with evaluate(). */
export const armgateCorpus: Benchmark = { name: 'armgate-corpus', run };
