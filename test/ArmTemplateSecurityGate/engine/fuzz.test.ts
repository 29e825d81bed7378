/**
 * A short seeded run of the expression fuzzer (npm run fuzz runs 20,000 cases under a time and
 * memory guard): any crash (an exception other than TemplateError) or invalid value shows here.
 */
import * as assert from 'node:assert/strict';
import { corpusExpressions, fuzzCase, runCase } from '../../../scripts/fuzz/expression-cases';

describe('ARM engine: seeded fuzz cases', () => {
  it('300 random and mutated expressions: no crash, no invalid value', function () {
    this.timeout(120000);
    assert.ok(corpusExpressions().length > 1000, 'the quickstart corpus feeds the mutations');
    const outcomes = new Map<string, number>();
    const failures: string[] = [];
    for (let i = 0; i < 300; i++) {
      const c = fuzzCase(9, i);
      const r = runCase(c);
      outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
      if (r.outcome === 'crash' || r.outcome === 'invalid') failures.push(`#${i} ${r.outcome} ${r.detail}: ${c.expression.slice(0, 300)}`);
    }
    assert.deepEqual(failures, []);
    // Not vacuous: the cases reach values as well as errors.
    assert.ok((outcomes.get('value') ?? 0) > 30 && (outcomes.get('error') ?? 0) > 30, JSON.stringify([...outcomes]));
  });
});
