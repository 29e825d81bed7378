import * as assert from 'node:assert/strict';
import type { Outcome, Severity } from '../../../tasks/common/report/model';
import { decideVerdict, isBlocking, type Policy, type UnknownPolicy } from '../../../tasks/common/report/verdict';

const policy = (severityThreshold: Severity = 'low', unknownPolicy: UnknownPolicy = 'warn', treatAsPassed: Outcome[] = []): Policy => ({
  severityThreshold,
  unknownPolicy,
  treatAsPassed: new Set(treatAsPassed),
});
const expired = { source: 'a.yml', justification: 'old', expiresOn: '2020-01-01', expired: true };

describe('common/report/verdict: when a finding fails the gate', () => {
  const rows: Array<[string, Parameters<typeof isBlocking>[0], Policy, boolean]> = [
    ['a failure at the threshold', { outcome: 'fail', severity: 'medium' }, policy('medium'), true],
    ['a failure below the threshold', { outcome: 'fail', severity: 'low' }, policy('medium'), false],
    ['a high failure, threshold high', { outcome: 'fail', severity: 'high' }, policy('high'), true],
    ['a failure treated as passed', { outcome: 'fail', severity: 'high' }, policy('low', 'warn', ['fail']), false],
    ['an error, always', { outcome: 'error', severity: 'low' }, policy('high'), true],
    ['an error treated as passed (AzSK TreatAsPassed=Error)', { outcome: 'error', severity: 'high' }, policy('low', 'warn', ['error']), false],
    ['an unknown under warn', { outcome: 'unknown', severity: 'high' }, policy('low', 'warn'), false],
    ['an unknown under pass', { outcome: 'unknown', severity: 'high' }, policy('low', 'pass'), false],
    ['an unknown under fail', { outcome: 'unknown', severity: 'high' }, policy('low', 'fail'), true],
    ['an unknown under fail, below the threshold', { outcome: 'unknown', severity: 'low' }, policy('medium', 'fail'), false],
    ['an unknown under fail, treated as passed', { outcome: 'unknown', severity: 'high' }, policy('low', 'fail', ['unknown']), false],
    ['a pass', { outcome: 'pass', severity: 'high' }, policy(), false],
    ['an attested failure', { outcome: 'attested', severity: 'high' }, policy(), false],
    ['a failure whose attestation expired, even below the threshold', { outcome: 'fail', severity: 'low', attestation: expired }, policy('high'), true],
    ['an expired attestation beats treat-as-passed', { outcome: 'fail', severity: 'low', attestation: expired }, policy('low', 'warn', ['fail']), true],
  ];
  for (const [name, finding, p, blocking] of rows) {
    it(`${name}: ${blocking ? 'blocks' : 'does not block'}`, () => assert.equal(isBlocking(finding, p), blocking));
  }
});

describe('common/report/verdict: what the gate says', () => {
  type F = { outcome: Outcome; severity: Severity; blocking: boolean; attestation?: typeof expired };
  const f = (outcome: Outcome, blocking: boolean, extra: Partial<F> = {}): F => ({ outcome, severity: 'high', blocking, ...extra });
  const rows: Array<[string, F[], Partial<Parameters<typeof decideVerdict>[0]>, ReturnType<typeof decideVerdict>]> = [
    ['nothing at all', [], {}, { result: 'pass', reasons: [] }],
    ['passes only', [f('pass', false), f('attested', false)], {}, { result: 'pass', reasons: [] }],
    ['a blocking failure', [f('fail', true), f('pass', false)], {}, { result: 'fail', reasons: ["1 control failure(s) at or above severity 'low'"] }],
    ['a soft failure', [f('fail', false)], {}, { result: 'warn', reasons: ['1 control failure(s) below the severity threshold or treated as passed'] }],
    ['unknowns under warn', [f('unknown', false), f('unknown', false)], {}, { result: 'warn', reasons: ['2 unknown result(s) (values known only at deployment)'] }],
    ['unknowns under pass', [f('unknown', false)], { policy: policy('low', 'pass') }, { result: 'pass', reasons: [] }],
    ['unknowns under fail', [f('unknown', true)], { policy: policy('low', 'fail') }, { result: 'fail', reasons: ["1 unknown result(s) under policy 'fail'"] }],
    ['an error', [f('error', true)], {}, { result: 'fail', reasons: ['1 file(s) or control(s) could not be evaluated'] }],
    ['an error, in the check\'s own words', [f('error', true)], { errorsWhat: 'operation(s) could not be called' }, { result: 'fail', reasons: ['1 operation(s) could not be called'] }],
    [
      'an expired attestation counts once, as expired',
      [f('fail', true, { attestation: expired })],
      { expiredAttestations: 1 },
      { result: 'fail', reasons: ['1 expired attestation(s)'] },
    ],
    ['an unused attestation', [f('pass', false)], { unusedAttestations: 2 }, { result: 'warn', reasons: ['2 attestation(s) matched no finding'] }],
    ['the check\'s own reason comes after the findings\' ones', [f('fail', true)], { reasons: ['no control was evaluated'] }, { result: 'fail', reasons: ["1 control failure(s) at or above severity 'low'", 'no control was evaluated'] }],
    ['the check\'s own warning', [], { warnings: ["pattern 'x' matched no file"] }, { result: 'warn', reasons: ["pattern 'x' matched no file"] }],
    [
      'failures win over warnings, which are not listed',
      [f('fail', true), f('fail', false), f('unknown', false)],
      { warnings: ['w'] },
      { result: 'fail', reasons: ["1 control failure(s) at or above severity 'low'"] },
    ],
  ];
  for (const [name, findings, extra, expected] of rows) {
    it(name, () => {
      assert.deepEqual(decideVerdict({ findings, policy: policy(), expiredAttestations: 0, unusedAttestations: 0, ...extra }), expected);
    });
  }
});
