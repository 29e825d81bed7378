/**
 * Scans every template of the committed quickstart corpus (test/corpora/quickstart) with evaluate(), against parsing the same
 * in-memory texts with JSON.parse alone. Goals: <= 5 ms per template and <= 4x parse-only.
 *
 * Fairness: the corpus (file contents and the folder tree) is read into memory once, before any
 * timing; the scan runs over an in-memory GateFs, so neither side touches the disk while timed
 * (disk reads that slip through are counted and reported). Both sides take all the same texts.
 * The measuring runs in a child process so its peak RSS is the scan's own, not that of the
 * packaging and cold-start benchmarks run before it in this process.
 */
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseTree } from 'jsonc-parser';
import { evaluate, realEngine, scanFs } from '../../tasks/ArmTemplateSecurityGate/core/evaluate';
import { scanWith } from '../../tasks/ArmTemplateSecurityGate/core/scan';
import { createCheckContext } from '../../tasks/ArmTemplateSecurityGate/core/controls/context';
import type { EvaluatedTemplate } from '../../tasks/ArmTemplateSecurityGate/core/model';
import { parseJsonDocument } from '../../tasks/ArmTemplateSecurityGate/core/engine/json-source';
import type { GateDeps, GateFs, ScanResult } from '../../tasks/ArmTemplateSecurityGate/core/scan-types';
import { corpusDir } from '../paths';
import { figure, median, type Benchmark, type BenchContext, type Figure } from './types';
import { silentLogger } from '../../tasks/common/log/logger';

const MIN_RUNS = 5;
const JSON_FILE = /\.jsonc?$/i;


/** The corpus as the scan sees it: every folder listing and the text of every JSON file. */
export interface MemoryCorpus {
  root: string;
  files: Map<string, string>;
  dirs: Map<string, string[]>;
}

export function loadCorpus(root: string): MemoryCorpus {
  const files = new Map<string, string>();
  const dirs = new Map<string, string[]>();
  const walk = (dir: string): void => {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    dirs.set(dir, entries.map((e) => e.name));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (JSON_FILE.test(e.name)) files.set(full, fs.readFileSync(full, 'utf8'));
    }
  };
  walk(root);
  return { root, files, dirs };
}

/** GateFs over the in-memory corpus; anything outside it falls back to the disk and is counted. */
export function memoryFs(corpus: MemoryCorpus, onDisk: () => void): GateFs {
  // The in-memory disk should cost the scan as little as a disk cache: a path that is already
  // absolute and normal (what the scan passes almost always) is its own key without path.normalize.
  const normal = (f: string): boolean => path.isAbsolute(f) && !f.includes(`${path.sep}.`) && !f.includes(`${path.sep}${path.sep}`) && !f.endsWith(path.sep) && (path.sep === '/' || !f.includes('/'));
  const key = (f: string): string => (normal(f) ? f : path.isAbsolute(f) ? path.normalize(f) : path.resolve(f));
  return {
    readText: (f) => {
      const text = corpus.files.get(f) ?? corpus.files.get(key(f));
      if (text !== undefined) return text;
      onDisk();
      return fs.readFileSync(f, 'utf8');
    },
    exists: (f) => {
      const k = corpus.files.has(f) ? f : key(f);
      if (corpus.files.has(k) || corpus.dirs.has(k)) return true;
      // Non-JSON files are not held but every folder listing under the root is: only paths
      // outside the root need the disk.
      const parent = corpus.dirs.get(path.dirname(k));
      if (parent) return parent.includes(path.basename(k));
      if (k.startsWith(corpus.root + path.sep)) return false;
      onDisk();
      return fs.existsSync(f);
    },
    isDirectory: (f) => corpus.dirs.has(f) || corpus.dirs.has(key(f)),
    list: (d) => {
      const names = corpus.dirs.get(d) ?? corpus.dirs.get(key(d));
      if (names) return [...names];
      onDisk();
      return fs.readdirSync(d);
    },
    realPath: (f) => key(f),
  };
}

/**
 * What JSON.parse needs to accept an ARM file: comments removed, raw control characters inside
 * strings escaped, trailing commas dropped. Only used for texts JSON.parse rejects as they are.
 */
export function toStrictJson(text: string): string {
  let out = '';
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let seg = i;
  const n = text.length;
  let lastChar = '';
  const flush = (to: number): void => {
    out += text.slice(seg, to);
  };
  while (i < n) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      let body = '';
      let s2 = j;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (d === 92) { j++; continue; }
        if (d === 34) break;
        if (d < 32) {
          body += `${text.slice(s2, j)}\\u${d.toString(16).padStart(4, '0')}`;
          s2 = j + 1;
        }
      }
      if (body) {
        flush(i + 1);
        out += body + text.slice(s2, j);
        seg = j;
      }
      i = j + 1;
      lastChar = '"';
      continue;
    }
    if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      flush(i);
      const end = text[i + 1] === '/' ? text.indexOf('\n', i + 2) : text.indexOf('*/', i + 2);
      i = end === -1 ? n : text[i + 1] === '/' ? end : end + 2;
      seg = i;
      continue;
    }
    if ((c === '}' || c === ']') && lastChar === ',') {
      // Drop the trailing comma: it is the last ',' already copied or still pending in this segment.
      flush(i);
      const k = out.lastIndexOf(',');
      out = out.slice(0, k) + out.slice(k + 1);
      seg = i;
    }
    if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') lastChar = c;
    i++;
  }
  flush(n);
  return out;
}

interface ParseStats {
  normalised: number;
  unparseable: number;
}

function parseOnly(texts: readonly string[], stats?: ParseStats): void {
  for (const text of texts) {
    try {
      JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch {
      if (stats) stats.normalised++;
      try {
        JSON.parse(toStrictJson(text));
      } catch {
        if (stats) stats.unparseable++;
      }
    }
  }
}

/** A JS parser that keeps offsets, as the engine must for file:line: context, not the goal's baseline. */
function parseTreeOnly(texts: readonly string[]): void {
  for (const text of texts) parseTree(text, [], { allowTrailingComma: true });
}

/** The gate's own reader (values, offsets, flags) alone: the part of the goal no evaluation design can remove. */
function readerOnly(texts: readonly string[]): void {
  for (const text of texts) {
    try {
      parseJsonDocument('bench.json', '/bench.json', text);
    } catch {
      // The three texts JSON.parse rejects are read by the gate too; any other error is the scan's to report.
    }
  }
}

/**
 * A scan in which every template evaluation is answered from memory (the results of a real scan
 * before): what the scan costs besides reading and evaluating the templates, i.e. discovery,
 * classification, parameter files, the controls, attestations, masking and sorting. It gives the
 * same findings; its masking only knows the secrets met outside evaluation, so it is a lower bound.
 * Reader alone + this, over JSON.parse, is the least any evaluator could bring the scan to.
 */
function replayingScan(root: string, deps: GateDeps): () => ScanResult {
  const memo = new Map<string, EvaluatedTemplate>();
  return () => {
    const scoped: GateDeps = { ...deps, fs: scanFs(deps.fs) };
    const real = realEngine(scoped);
    const engine = {
      ...real,
      loadAndEvaluate: (file: string, o: Parameters<typeof real.loadAndEvaluate>[1]) => {
        const key = `${file}|${String(o.parametersFile)}|${String(o.resources)}`;
        let t = memo.get(key);
        if (t === undefined) {
          t = real.loadAndEvaluate(file, o);
          memo.set(key, t);
        }
        return t;
      },
    };
    return scanWith({ paths: ['.'], root, unknownPolicy: 'warn' }, scoped, engine, createCheckContext);
  };
}

const time = (fn: () => void): number => {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
};

const MiB = 1048576;

/** The measurement itself; run in a child process (see the header). */
export function measure(root: string, runs: number): Figure[] {
  if (!fs.existsSync(root)) throw new Error(`armgate-corpus: corpus not found at ${root}`);
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const corpus = loadCorpus(root);
  const texts = [...corpus.files.values()];
  let diskAccesses = 0;
  const deps: GateDeps = {
    fs: memoryFs(corpus, () => diskAccesses++),
    clock: { now: () => new Date() },
    logger: silentLogger,
  };
  const scan = (): ScanResult => evaluate({ paths: ['.'], root, unknownPolicy: 'warn' }, deps);

  gc();
  const rssLoaded = process.memoryUsage().rss;
  const heapBefore = process.memoryUsage().heapUsed;
  // The first scan is cold (JIT, lazily built tables); it gives the memory figures, not the times.
  let result: ScanResult = scan();
  const peakRss = process.resourceUsage().maxRSS * 1024;
  gc();
  const heapRetained = process.memoryUsage().heapUsed - heapBefore;
  const stats: ParseStats = { normalised: 0, unparseable: 0 };
  parseOnly(texts, stats);
  parseTreeOnly(texts);
  readerOnly(texts);

  const parseTimes: number[] = [];
  const treeTimes: number[] = [];
  const readerTimes: number[] = [];
  const scanTimes: number[] = [];
  for (let i = 0; i < Math.max(MIN_RUNS, runs); i++) {
    parseTimes.push(time(() => parseOnly(texts)));
    treeTimes.push(time(() => parseTreeOnly(texts)));
    readerTimes.push(time(() => readerOnly(texts)));
    scanTimes.push(time(() => (result = scan())));
  }
  const scanMs = median(scanTimes);
  const parseMs = median(parseTimes);
  // After the timed scans, so the memory its memo holds weighs on none of the figures above.
  const replay = replayingScan(root, deps);
  const replayed = replay();
  if (replayed.findings.length !== result.findings.length) throw new Error(`armgate-corpus: the replaying scan gave ${replayed.findings.length} findings, the scan ${result.findings.length}`);
  const floorTimes: number[] = [];
  const floorParseTimes: number[] = [];
  for (let i = 0; i < Math.max(MIN_RUNS, runs); i++) {
    floorParseTimes.push(time(() => parseOnly(texts)));
    floorTimes.push(time(() => readerOnly(texts)) + time(() => replay()));
  }
  const templates = Math.max(1, result.counts.templates);
  const errored = result.files.filter((f) => f.kind === 'error').length;
  const crashes = result.files.filter((f) => /engine failure/.test(f.error ?? '')).length;
  const baseline = `JSON.parse of the same ${texts.length} in-memory texts; ${stats.normalised} rejected as written were parsed after removing comments, escaping raw line breaks and dropping trailing commas (counted in the baseline)${stats.unparseable ? `, ${stats.unparseable} still unparseable` : ''}`;
  return [
    figure('armgate corpus: templates scanned (baseline: JSON files)', result.counts.templates, 'templates', corpus.files.size, 0),
    figure('armgate corpus: templates with an error finding (baseline: templates)', errored, 'templates', result.counts.templates, 0),
    figure('armgate corpus: engine crashes (baseline: templates)', crashes, 'templates', result.counts.templates, 0),
    figure('armgate corpus: unknown findings (baseline: all findings)', result.counts.unknown, 'findings', result.findings.length, 0),
    figure('armgate corpus: disk accesses during the scans (baseline: none expected)', diskAccesses, 'accesses', 0, 0),
    figure(`armgate corpus: full scan, median (baseline: ${baseline})`, scanMs, 'ms', parseMs),
    figure('armgate corpus: per template (baseline: 5 ms goal)', scanMs / templates, 'ms/template', 5, 3),
    figure('armgate corpus: scan / JSON.parse-only (baseline: 4x goal)', scanMs / Math.max(parseMs, 1e-6), 'x', 4, 2),
    figure('armgate corpus: scan / jsonc-parser parseTree with offsets (baseline: 4x goal)', scanMs / Math.max(median(treeTimes), 1e-6), 'x', 4, 2),
    figure('armgate corpus: the gate reader with offsets alone / JSON.parse-only (baseline: 4x goal)', median(readerTimes) / Math.max(parseMs, 1e-6), 'x', 4, 2),
    figure('armgate corpus: the gate reader alone + a scan with every evaluation replayed from memory / JSON.parse-only (baseline: 4x goal)', median(floorTimes) / Math.max(median(floorParseTimes), 1e-6), 'x', 4, 2),
    figure('armgate corpus: peak RSS of the scanning process (baseline: RSS with the corpus loaded, before scanning)', peakRss / MiB, 'MiB', rssLoaded / MiB),
    figure('armgate corpus: heap retained by one scan result, after GC (baseline: heapUsed before)', heapRetained / MiB, 'MiB', heapBefore / MiB),
  ];
}

function runInChild(root: string, runs: number): Promise<Figure[]> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--armgate-corpus-child', root, String(runs)], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let figures: Figure[] | undefined;
    let failure: string | undefined;
    child.on('message', (m: { figures?: Figure[]; error?: string }) => {
      figures = m.figures;
      failure = m.error;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (figures) resolve(figures);
      else reject(new Error(`armgate-corpus: measuring process ${failure ? `failed: ${failure}` : `exited with code ${code}`}`));
    });
  });
}

async function run(ctx: BenchContext): Promise<Figure[]> {
  return runInChild(corpusDir(), ctx.runs);
}

/** Scans every template of the quickstart corpus with evaluate(). */
export const armgateCorpus: Benchmark = { name: 'armgate-corpus', run };

if (require.main === module && process.argv[2] === '--armgate-corpus-child') {
  try {
    const figures = measure(process.argv[3], Number(process.argv[4]));
    process.send?.({ figures }, () => process.exit(0));
  } catch (e) {
    process.send?.({ error: (e as Error).message }, () => process.exit(1));
  }
}
