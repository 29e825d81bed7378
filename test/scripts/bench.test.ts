import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatFigure, runBenchmarks } from '../../scripts/bench';
import { BENCHMARKS } from '../../scripts/bench/index';
import { figure, median } from '../../scripts/bench/types';
import { coldStart } from '../../scripts/bench/cold-start';
import { vsixSize } from '../../scripts/bench/vsix-size';
import { FIXTURE_ROOT, removeDir } from './helpers';

describe('scripts/bench', () => {
  it('computes medians and ratios', () => {
    assert.strictEqual(median([5, 1, 3]), 3);
    assert.strictEqual(median([4, 1, 3, 2]), 2.5);
    assert.deepStrictEqual(figure('x', 50, 'ms', 20), { name: 'x', value: 50, unit: 'ms', baseline: 20, ratio: 2.5 });
    assert.strictEqual(formatFigure(figure('x', 50, 'ms', 20)), 'x: 50 ms (baseline 20 ms, ratio 2.5)');
  });

  it('lists each benchmark once in the index, the packaging ones included', () => {
    const names = BENCHMARKS.map((b) => b.name);
    assert.deepStrictEqual([...new Set(names)], names);
    assert.ok(names.includes('vsix-size') && names.includes('cold-start'), names.join(','));
  });

  it('writes every figure of the fixture extension to the JSON file, one printed line each', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-bench-test-'));
    try {
      const lines: string[] = [];
      const out = path.join(dir, 'bench.json');
      const results = await runBenchmarks({ root: FIXTURE_ROOT, runs: 1, out, log: (l) => lines.push(l), benchmarks: [vsixSize, coldStart] });
      assert.deepStrictEqual(Object.keys(results), [
        'vsix-size',
        'bundles-vs-node-modules',
        'cold-start FixtureEcho@1 vs node -e 0',
        'cold-start FixtureEcho@1 on Node 24 vs node -e 0',
        'cold-start FixtureEcho@2 vs node -e 0',
        'cold-start FixtureEcho@2 on Node 24 vs node -e 0',
      ]);
      assert.deepStrictEqual(JSON.parse(fs.readFileSync(out, 'utf8')), results);
      assert.strictEqual(results['vsix-size'].baseline, 25600);
      assert.ok(results['bundles-vs-node-modules'].value < results['bundles-vs-node-modules'].baseline, 'bundles are smaller than the node_modules they replace');
      for (const name of Object.keys(results)) assert.ok(lines.some((l) => l.startsWith(`${name}: `) && / \(baseline .* ratio /.test(l)), lines.join('\n'));
    } finally {
      removeDir(dir);
    }
  });
});
