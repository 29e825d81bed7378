/**
 * Breadth of the control catalogue on real templates: the share of the resources in the quickstart
 * corpus (test/corpora/quickstart) whose type has at least one control. Nested deployments
 * (Microsoft.Resources/deployments) are left out of both sides: the gate evaluates through them, and
 * the resources they deploy are counted themselves. Goal: 60%.
 *
 * Beside it, the agreement with Checkov on its own ARM check fixtures (scripts/checkov-agreement.ts),
 * goal 90%. Nothing is timed, so both run in this process.
 */
import type { ScanResult, UncoveredResource } from '../../tasks/ArmTemplateSecurityGate/core/scan-types';
import { evaluate } from '../../tasks/ArmTemplateSecurityGate/core/evaluate';
import { silentLogger } from '../../tasks/common/log/logger';
import { agreementReport } from '../checkov-agreement';
import { corpusDir } from '../paths';
import { loadCorpus, memoryFs } from './armgate-corpus';
import { figure, type Benchmark, type Figure } from './types';

export const COVERAGE_FIGURE = 'armgate: corpus resources with a control';
export const COVERAGE_GOAL = 60;
export const AGREEMENT_FIGURE = 'armgate: agreement with Checkov on its ARM fixtures';
export const AGREEMENT_GOAL = 90;

const EVALUATED_THROUGH = 'microsoft.resources/deployments';

export interface Coverage {
  /** Resources deployed by the scanned templates, nested deployments aside. */
  resources: number;
  /** Of those, the ones whose type has at least one control. */
  covered: number;
  /** covered / resources, in percent (0 when there is nothing). */
  percent: number;
  /** Uncovered types, most frequent first (types compared case-insensitively, shown as first written). */
  uncoveredTypes: Array<{ type: string; count: number }>;
}

export function coverageOf(result: Pick<ScanResult, 'counts' | 'uncovered'>): Coverage {
  const byType = new Map<string, { type: string; count: number }>();
  let deployments = 0;
  for (const u of result.uncovered as readonly UncoveredResource[]) {
    const key = u.type.toLowerCase();
    if (key === EVALUATED_THROUGH) {
      deployments++;
      continue;
    }
    const entry = byType.get(key);
    if (entry) entry.count++;
    else byType.set(key, { type: u.type, count: 1 });
  }
  const resources = result.counts.resources - deployments;
  const uncovered = result.uncovered.length - deployments;
  const covered = resources - uncovered;
  return {
    resources,
    covered,
    percent: resources > 0 ? (100 * covered) / resources : 0,
    uncoveredTypes: [...byType.values()].sort((a, b) => b.count - a.count || a.type.localeCompare(b.type)),
  };
}

/** Scans a corpus folder held in memory with the whole catalogue (baseline `latest`). */
export function measureCoverage(root: string): Coverage {
  const corpus = loadCorpus(root);
  const result = evaluate(
    { paths: ['.'], root, unknownPolicy: 'warn' },
    { fs: memoryFs(corpus, () => undefined), clock: { now: () => new Date() }, logger: silentLogger },
  );
  return coverageOf(result);
}

function run(): Promise<Figure[]> {
  const c = measureCoverage(corpusDir());
  const a = agreementReport();
  return Promise.resolve([figure(COVERAGE_FIGURE, c.percent, '%', COVERAGE_GOAL, 1), figure(AGREEMENT_FIGURE, a.percent, '%', AGREEMENT_GOAL, 1)]);
}

/** Share of the corpus resources whose type has a control, and agreement with Checkov's fixtures. */
export const armgateCoverage: Benchmark = { name: 'armgate-coverage', run };

if (require.main === module) {
  const c = measureCoverage(process.argv[2] ?? corpusDir());
  console.log(`${c.covered} of ${c.resources} resources (${c.percent.toFixed(1)}%) have a type with a control; uncovered types:`);
  for (const t of c.uncoveredTypes) console.log(`${String(t.count).padStart(6)}  ${t.type}`);
}
