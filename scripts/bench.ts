import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BENCHMARKS } from './bench/index';
import { Benchmark, BenchContext, Figure } from './bench/types';
import { discoverTasks } from './discover';
import { packageExtension } from './package';
import { rel, toolRoot } from './paths';

/**
 * Runs every benchmark in bench/index.ts against the shipped tasks (or the fixture extension while
 * none exist), prints one line per figure and writes dist/bench.json. `--only <name>[,<name>]` runs
 * just those benchmarks and updates their figures in dist/bench.json.
 */

export function formatFigure(f: Figure): string {
  return `${f.name}: ${f.value} ${f.unit} (baseline ${f.baseline} ${f.unit}, ratio ${f.ratio})`;
}

export async function runBenchmarks(
  opts: { root?: string; runs?: number; out?: string; log?: (l: string) => void; benchmarks?: Benchmark[]; mergeIntoOut?: boolean } = {},
): Promise<Record<string, Omit<Figure, 'name'>>> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const repo = toolRoot();
  const shipped = discoverTasks(opts.root ?? repo).versions.length > 0;
  const root = opts.root ?? (shipped ? repo : path.join(repo, 'test', 'fixtures', 'extension'));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-bench-'));
  try {
    // Measures what would ship; whether its task versions are recorded is the release's concern, not the benchmark's.
    const packaged = await packageExtension({ root, stageDir: path.join(work, 'extension'), outputDir: work, checkVersions: false, cli: false, log: () => undefined });
    const versions = packaged.build.versions.filter((v) => v.taskJson);
    const first = versions[0]?.taskName;
    const subject = versions.filter((v) => v.taskName === first).sort((a, b) => b.folderMajor - a.folderMajor)[0];
    const ctx: BenchContext = { root, usingFixture: !shipped && !opts.root, packaged, subject, runs: opts.runs ?? 9 };
    log(`subject: ${ctx.usingFixture ? 'fixture extension (no shipped task yet)' : `tasks in ${rel(repo, root) || '.'}`}; cold start on ${subject ? `${subject.taskName}/${subject.versionFolder}` : 'nothing'}; ${ctx.runs} runs, medians`);
    const results: Record<string, Omit<Figure, 'name'>> = {};
    for (const b of opts.benchmarks ?? BENCHMARKS) {
      for (const f of await b.run(ctx)) {
        log(formatFigure(f));
        results[f.name] = { value: f.value, unit: f.unit, baseline: f.baseline, ratio: f.ratio };
      }
    }
    const out = opts.out ?? path.join(repo, 'dist', 'bench.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    // A filtered run updates its own figures and keeps the others from the last full run.
    const previous = opts.mergeIntoOut && fs.existsSync(out) ? readResults(out) : {};
    fs.writeFileSync(out, `${JSON.stringify({ ...previous, ...results }, null, 2)}\n`);
    return results;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function readResults(file: string): Record<string, Omit<Figure, 'name'>> {
  try {
    const v: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, Omit<Figure, 'name'>>) : {};
  } catch {
    return {};
  }
}

/** `--only a,b` (or repeated) keeps the named benchmarks; an unknown name is an error naming the known ones. */
export function selectBenchmarks(argv: readonly string[], all: readonly Benchmark[] = BENCHMARKS): Benchmark[] | undefined {
  const names: string[] = [];
  argv.forEach((a, i) => {
    if (a === '--only') {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new Error(`--only needs a benchmark name (${all.map((b) => b.name).join(', ')})`);
      names.push(...v.split(',').map((n) => n.trim()).filter(Boolean));
    } else if (a.startsWith('--only=')) {
      names.push(...a.slice('--only='.length).split(',').map((n) => n.trim()).filter(Boolean));
    }
  });
  if (names.length === 0) return undefined;
  const unknown = names.filter((n) => !all.some((b) => b.name === n));
  if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')} (known: ${all.map((b) => b.name).join(', ')})`);
  return all.filter((b) => names.includes(b.name));
}

if (require.main === module) {
  const i = process.argv.indexOf('--runs');
  Promise.resolve()
    .then(() => {
      const only = selectBenchmarks(process.argv.slice(2));
      return runBenchmarks({ runs: i > 0 ? Number(process.argv[i + 1]) : undefined, benchmarks: only, mergeIntoOut: only !== undefined });
    })
    .catch((e: Error) => {
      console.error(`bench failed: ${e.message}`);
      process.exit(1);
    });
}
