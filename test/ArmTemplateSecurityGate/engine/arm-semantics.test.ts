/**
 * Issue 9 §5: where the evaluator differed from ARM. Numbers are 64-bit integers computed exactly
 * (overflow is an error, as in ARM; beyond 2^53 the gate says it cannot compute exactly instead of
 * rounding); malformed numbers and dates are errors, not NaN; user-defined functions follow ARM's
 * limitations and their errors are reported where they are written.
 */
import * as assert from 'node:assert/strict';
import { TemplateError, UnknownValue } from '../../../tasks/ArmTemplateSecurityGate/core/model';
import { evaluateExpression } from '../../../tasks/ArmTemplateSecurityGate/core/engine';
import { evaluateFiles, storage, tpl } from './scan-files';

const ev = (e: string, functions: object[] = []) => evaluateExpression(e, { functions: functions as never });
const fails = (e: string, pattern: RegExp, functions: object[] = []) => {
  assert.throws(() => ev(e, functions), (x: unknown) => x instanceof TemplateError && pattern.test(x.message), e);
};

describe('ARM engine: evaluation as ARM does it', () => {
  it('a malformed number or date is an error, not NaN', () => {
    fails('[1.2.3]', /'1\.2\.3' is not a number/);
    fails('[add(1.2.3, 1)]', /not a number/);
    fails("[dateTimeToEpoch('garbage')]", /'garbage' is not a date-time/);
    fails("[dateTimeAdd('garbage', 'P1D')]", /not a date-time/);
    fails("[dateTimeFromEpoch(999999999999999)]", /outside the dates ARM represents/);
    fails("[dateTimeAdd('9999-12-31T00:00:00Z', 'P1D')]", /outside the dates ARM represents/);
    fails("[float('1.2.3')]", /cannot convert "1\.2\.3" to a number/);
    assert.equal(ev('[1.5]'), 1.5);
    assert.equal(ev("[dateTimeToEpoch('2023-01-01T00:00:00Z')]"), 1672531200);
  });

  it('integers are 64-bit: exact, an error past the 64-bit range, unknown where a double is not exact', () => {
    assert.equal(ev('[mul(3037000499, 2)]'), 6074000998);
    fails('[mul(3037000500, 3037000500)]', /outside the 64-bit integer range \(arithmetic overflow\)/);
    fails("[int('99999999999999999999')]", /outside the 64-bit integer range/);
    fails('[9223372036854775808]', /outside the 64-bit range/);
    for (const e of ['[mul(3037000499, 3037000499)]', '[add(4503599627370496, 4503599627370496)]', '[9223372036854775807]', "[int('9007199254740993')]"]) {
      const v = ev(e);
      assert.ok(v instanceof UnknownValue && /beyond 2\^53/.test(v.reason), `${e} gave ${JSON.stringify(v)}`);
    }
    assert.equal(ev('[add(9007199254740990, 1)]'), 9007199254740991);
    assert.equal(ev('[sub(-9007199254740990, 1)]'), -9007199254740991);
    fails('[add(1.5, 1)]', /argument 1 must be an integer, got float/);
  });

  it('div and mod truncate toward zero as C# does, exactly for large operands', () => {
    assert.deepEqual([ev('[div(7, 2)]'), ev('[div(-7, 2)]'), ev('[div(7, -2)]'), ev('[div(-7, -2)]')], [3, -3, -3, 3]);
    assert.deepEqual([ev('[mod(7, 2)]'), ev('[mod(-7, 2)]'), ev('[mod(7, -2)]'), ev('[mod(-7, -2)]')], [1, -1, 1, -1]);
    assert.equal(ev('[div(9007199254740991, 2)]'), 4503599627370495);
    assert.equal(ev('[div(-9007199254740991, 3)]'), -3002399751580330);
    assert.ok(!Object.is(ev('[mod(-4, 2)]'), -0), 'no negative zero');
    fails('[div(1, 0)]', /division by zero/);
    fails('[mod(1, 0)]', /division by zero/);
  });

  it('range() follows the documented bounds', () => {
    fails('[range(2147483647, 1)]', /must not exceed 2147483647/);
    fails('[range(0, 10001)]', /from 0 to 10000/);
    assert.deepEqual(ev('[range(-2, 3)]'), [-2, -1, 0]);
  });

  const fn = (name: string, params: string[], value: string, extra: object = {}) => ({ [name]: { parameters: params.map((p) => ({ name: p, type: 'string', ...extra })), output: { type: 'string', value } } });

  it('a user-defined function calling another is refused, as ARM refuses it', () => {
    const fns = [{ namespace: 'ns', members: { ...fn('outer', ['x'], "[ns.inner(parameters('x'))]"), ...fn('inner', ['y'], "[toUpper(parameters('y'))]") } }];
    fails("[ns.outer('a')]", /user-defined function 'ns\.outer' calls user-defined function 'ns\.inner'; ARM does not allow/, fns);
    assert.equal(ev("[ns.inner('a')]", fns), 'A');
  });

  it('a user-defined function may not read variables, reference() or list*()', () => {
    const fns = [{ namespace: 'ns', members: { ...fn('v', ['x'], "[variables('a')]"), ...fn('r', ['x'], "[reference(parameters('x')).id]"), ...fn('l', ['x'], "[listKeys(parameters('x'), '2020-01-01')]") } }];
    fails("[ns.v('a')]", /variables\(\) cannot be used inside a user-defined function/, fns);
    fails("[ns.r('a')]", /reference\(\) cannot be used inside a user-defined function/, fns);
    fails("[ns.l('a')]", /listKeys\(\) cannot be used inside a user-defined function/, fns);
  });

  it('a self-recursive user-defined function is a template error at its own line, and the rest is evaluated', () => {
    const t = tpl({
      functions: [{ namespace: 'ns', members: { ...fn('loop', ['x'], "[ns.loop(parameters('x'))]"), ...fn('withDefault', ['x'], "[parameters('x')]", { defaultValue: 'd' }) } }],
      resources: [storage("[ns.loop('a')]", { supportsHttpsTrafficOnly: true }), storage('plain', { supportsHttpsTrafficOnly: false })],
    });
    const lines = JSON.stringify(t, null, 2).split('\n');
    const r = evaluateFiles({ 'main.json': t });
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    const loop = errors.find((d) => /calls itself/.test(d.message));
    assert.ok(loop, JSON.stringify(errors));
    assert.equal(loop.location.file, 'main.json');
    assert.equal(loop.location.line, lines.findIndex((l) => l.includes('"value": "[ns.loop(')) + 1);
    const withDefault = errors.find((d) => /has a default value, which ARM does not allow/.test(d.message));
    assert.equal(withDefault?.location.line, lines.findIndex((l) => l.includes('"defaultValue": "d"')) + 1);
    assert.deepEqual(r.resources.map((x) => x.name), ["[ns.loop('a')]", 'plain']);
  });
});
