import { PackageResult } from '../package';
import { TaskVersion } from '../discover';

/** One measured number against the baseline that gives it meaning. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  ratio: number;
}

/** What every benchmark sees: the packaged subject extension (shipped tasks, or the fixture when none exist yet). */
export interface BenchContext {
  root: string;
  usingFixture: boolean;
  packaged: PackageResult;
  /** The task version cold-start is measured on: the highest version of the first task. */
  subject?: TaskVersion;
  /** Runs per measured figure; medians are reported. */
  runs: number;
}

export interface Benchmark {
  name: string;
  run(ctx: BenchContext): Promise<Figure[]>;
}

export function figure(name: string, value: number, unit: string, baseline: number, digits = 1): Figure {
  const round = (n: number, d: number): number => Math.round(n * 10 ** d) / 10 ** d;
  return { name, value: round(value, digits), unit, baseline: round(baseline, digits), ratio: baseline === 0 ? 0 : round(value / baseline, 3) };
}

export function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
