/**
 * Scans every template of ../shared/corpora/quickstart with evaluate(), against parsing the same
 * in-memory files alone. Files are read once up front so disk time is in neither figure.
 * Goals: <= 5 ms per template and <= 4x parse-only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { evaluate } from '../../tasks/ArmTemplateSecurityGate/core/evaluate';
import { discoverFiles } from '../../tasks/ArmTemplateSecurityGate/core/files';
import { nodeGateFs } from '../../tasks/ArmTemplateSecurityGate/core/node-deps';
import type { GateDeps, GateFs, ScanResult } from '../../tasks/ArmTemplateSecurityGate/core/scan-types';
import { toolRoot } from '../paths';

export interface ArmgateFigure {
  name: string;
  value: number;
  unit: string;
  goal?: string;
  note?: string;
}

const RUNS = 5;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

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

export function corpusDir(): string {
  return process.env.ARMGATE_CORPUS ? path.resolve(process.env.ARMGATE_CORPUS) : path.resolve(toolRoot(), '..', 'shared', 'corpora', 'quickstart');
}

export const name = 'armgate-corpus';

export async function run(): Promise<ArmgateFigure[]> {
  const root = corpusDir();
  if (!fs.existsSync(root)) return [{ name: 'armgate corpus missing', value: 0, unit: '', note: root }];
  const list = discoverFiles(nodeGateFs, root, ['.'], { recurse: true });
  const files = new Map(list.map((f) => [f, nodeGateFs.readFile(f)] as const));
  const texts = [...files.values()];
  const deps: GateDeps = { fs: memoryFs(files), clock: { now: () => new Date() }, logger: { debug: () => undefined, info: () => undefined, warning: () => undefined } };
  const scan = () => evaluate({ paths: ['.'], root, unknownPolicy: 'warn' }, deps);

  // Warm-up: JIT and lazily built tables should not count against the first measured run.
  parseOnly(texts);
  const heapBefore = process.memoryUsage().heapUsed;
  let result: ScanResult = scan();
  const heapDelta = process.memoryUsage().heapUsed - heapBefore;

  const parseTimes: number[] = [];
  const scanTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let t = process.hrtime.bigint();
    parseOnly(texts);
    parseTimes.push(Number(process.hrtime.bigint() - t) / 1e6);
    t = process.hrtime.bigint();
    result = scan();
    scanTimes.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const scanMs = median(scanTimes);
  const parseMs = median(parseTimes);
  const templates = result.counts.templates;
  const crashes = result.files.filter((f) => f.kind === 'error' && /engine failure/.test(f.error ?? '')).length;
  return [
    { name: 'armgate: JSON files in corpus', value: files.size, unit: 'files' },
    { name: 'armgate: templates scanned', value: templates, unit: 'templates' },
    { name: 'armgate: templates with error findings', value: result.files.filter((f) => f.kind === 'error').length, unit: 'templates', note: `${crashes} engine crash(es)` },
    { name: 'armgate: findings', value: result.findings.length, unit: 'findings', note: `pass ${result.counts.pass}, fail ${result.counts.fail}, unknown ${result.counts.unknown}, error ${result.counts.error}` },
    { name: 'armgate: full scan wall time (median)', value: round(scanMs), unit: 'ms', note: `${RUNS} runs` },
    { name: 'armgate: per template', value: round(scanMs / Math.max(1, templates)), unit: 'ms/template', goal: '<= 5' },
    { name: 'armgate: parse-only wall time (median)', value: round(parseMs), unit: 'ms' },
    { name: 'armgate: scan / parse-only', value: round(scanMs / Math.max(parseMs, 1e-6)), unit: 'x', goal: '<= 4' },
    { name: 'armgate: peak RSS', value: round(process.resourceUsage().maxRSS / 1024), unit: 'MiB' },
    { name: 'armgate: heapUsed delta over first scan', value: round(heapDelta / 1024 / 1024), unit: 'MiB' },
  ];
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
