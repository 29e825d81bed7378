/**
 * Table-driven: every control has fixtures/<id>/{pass,fail,unknown}.json and each must produce that outcome.
 * The aggregate of a fixture is the worst result (fail > unknown > pass) over every resource the control
 * applies to (or the template, for template controls); a fixture that yields no result at all is an error.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { CheckResult, Control } from '../../../tasks/ArmTemplateSecurityGate/core/model';
import { controls, createCheckContext } from '../../../tasks/ArmTemplateSecurityGate/core/controls';
import { loadFixture } from './fixture-loader';

export const FIXTURES = path.resolve(__dirname, '../../../../test/ArmTemplateSecurityGate/controls/fixtures');
export const OUTCOMES = ['pass', 'fail', 'unknown'] as const;

export function runControl(control: Control, file: string): CheckResult[] {
  const { template } = loadFixture(file);
  if (control.kind === 'template') return control.check(template);
  const ctx = createCheckContext(template);
  return template.resources.flatMap((r) => control.check(r, ctx));
}

export function aggregate(results: readonly CheckResult[]): 'pass' | 'fail' | 'unknown' | 'none' {
  if (!results.length) return 'none';
  if (results.some((r) => r.outcome === 'fail')) return 'fail';
  if (results.some((r) => r.outcome === 'unknown')) return 'unknown';
  return 'pass';
}

/**
 * A control that cannot be unknown by construction (template controls judge literal declarations) states
 * that in its unknown.json: { "expect": "pass", "because": "..." }. Nothing else may override the file name.
 */
export function expectedOutcome(file: string, outcome: (typeof OUTCOMES)[number]): string {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as { expect?: string; because?: string };
  if (raw.expect === undefined) return outcome;
  assert.strictEqual(outcome, 'unknown', `${file}: only unknown.json may override the expected outcome`);
  assert.ok(raw.because && raw.because.length > 40, `${file}: an "expect" override needs a "because" that explains it`);
  return raw.expect;
}

describe('ArmTemplateSecurityGate controls: fixtures', () => {
  for (const control of controls) {
    describe(control.meta.id, () => {
      for (const outcome of OUTCOMES) {
        it(`${outcome}.json → ${outcome}`, () => {
          const file = path.join(FIXTURES, control.meta.id, `${outcome}.json`);
          assert.ok(fs.existsSync(file), `missing fixture ${file}`);
          const expected = expectedOutcome(file, outcome);
          const results = runControl(control, file);
          assert.strictEqual(aggregate(results), expected, results.map((r) => `${r.outcome}: ${r.message}`).join('\n') || '(no results)');
          for (const r of results) {
            assert.ok(r.message.trim().length > 10, `message too short: '${r.message}'`);
            assert.strictEqual(r.location.file, file);
            assert.ok(r.location.line >= 1 && r.location.column >= 1);
          }
          if (expected === 'unknown') {
            // The unknown fixtures write their reason as "fixture-reason ..."; it must reach the user.
            const u = results.find((r) => r.outcome === 'unknown')!;
            assert.match(u.message, /fixture-reason/, `unknown result does not say why: ${u.message}`);
          }
        });
      }
    });
  }
});
