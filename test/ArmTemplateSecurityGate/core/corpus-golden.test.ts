import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { goldenFile, goldenText } from '../../../scripts/armgate-golden';

/**
 * The engine evaluates lazily and shares work between templates; none of that may change WHICH
 * findings, expression errors, warnings and secure values come out. The whole committed corpus is
 * scanned and compared line by line with the committed record. When a change of results is
 * intended (a new control, a reworded message), regenerate it deliberately with
 * `npm run armgate:golden` and review the diff.
 */
describe('armgate over the committed quickstart corpus: results unchanged (golden file)', () => {
  it('gives exactly the findings, file statuses, diagnostics, uncovered resources, log lines and secure values recorded', function () {
    this.timeout(180000);
    const expected = fs.readFileSync(goldenFile(), 'utf8').split('\n');
    const actual = goldenText().split('\n');
    assert.ok(expected.length > 5000, `the golden file holds ${expected.length} lines; it should record the whole corpus`);
    const expectedSet = new Set(expected);
    const actualSet = new Set(actual);
    const missing = expected.filter((l) => !actualSet.has(l));
    const extra = actual.filter((l) => !expectedSet.has(l));
    const show = (ls: string[]) => ls.slice(0, 15).map((l) => `  ${l.slice(0, 400)}`).join('\n');
    assert.ok(
      missing.length === 0 && extra.length === 0 && expected.join('\n') === actual.join('\n'),
      `the scan's results differ from ${goldenFile()} (regenerate with \`npm run armgate:golden\` only if the change is intended)\n` +
        `recorded but not produced (${missing.length}):\n${show(missing)}\nproduced but not recorded (${extra.length}):\n${show(extra)}`,
    );
  });
});
