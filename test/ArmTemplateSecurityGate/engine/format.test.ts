import * as assert from 'assert';
import { TemplateError, UnknownValue } from '../../../tasks/ArmTemplateSecurityGate/core/model';
import { evaluateExpression, ExpressionOptions } from '../../../tasks/ArmTemplateSecurityGate/core/engine';

// Expected values: the ARM docs' format() example, the examples of the .NET "Standard numeric format
// strings" and "Custom numeric format strings" pages for integer values (marked "docs", rendered
// with the invariant culture), the rest worked out by hand from those specifications.
const opts: ExpressionOptions = { parameters: { half: 1.5, big: 1234567890, neg: -1234 }, parameterDeclarations: { missing: { type: 'int' } } };
const ev = (e: string) => evaluateExpression(e, opts);
const f = (spec: string, arg: string) => `[format('{0:${spec}}', ${arg})]`;

describe('ARM engine: format()', () => {
  it("the ARM docs' example", () => {
    assert.strictEqual(ev("[format('{0}, {1}. Formatted number: {2:N0}', 'Hello', 'User', 8175133)]"), 'Hello, User. Formatted number: 8,175,133');
  });

  describe('standard numeric formats on integers (invariant culture)', () => {
    const cases: Array<[string, string, string]> = [
      ['N', '1234', '1,234.00'], ['N3', "parameters('neg')", '-1,234.000'], ['n1', '0', '0.0'], ['N0', '999', '999'], ['N0', '1000', '1,000'],
      ['N0', "parameters('big')", '1,234,567,890'],
      ['D', '1234', '1234'], ['D6', '-1234', '-001234'] /* docs */, ['d2', '5', '05'], ['D0', '0', '0'],
      ['X', '255', 'FF'] /* docs */, ['x4', '255', '00ff'] /* docs */, ['X8', '181342', '0002C45E'],
      ['X', '-1', 'FFFFFFFFFFFFFFFF'], ['x', '-255', 'ffffffffffffff01'], ['X', '0', '0'],
      ['F1', '1234', '1234.0'] /* docs */, ['F', "parameters('neg')", '-1234.00'], ['f0', '17', '17'],
      ['E', '12345', '1.234500E+004'], ['e2', '12345', '1.23e+004'], ['E2', '12355', '1.24E+004'], ['E0', '-5', '-5E+000'], ['E', '0', '0.000000E+000'],
      ['G', '-123', '-123'] /* docs */, ['G2', '12345', '1.2E+04'], ['g3', '12345', '1.23e+04'], ['G5', '12345', '12345'],
      ['G2', '100', '1E+02'], ['G1', '99', '1E+02'], ['G10', '12345', '12345'], ['G0', '42', '42'],
      ['C', '1234', '¤1,234.00'], ['C0', "parameters('neg')", '(¤1,234)'], ['c1', '0', '¤0.0'],
      ['P', '1', '100.00 %'], ['P0', '-1', '-100 %'], ['p1', '12', '1,200.0 %'],
    ];
    for (const [spec, arg, expected] of cases) {
      it(`{0:${spec}} of ${arg} → ${expected}`, () => assert.strictEqual(ev(f(spec, arg)), expected));
    }
  });

  describe('custom numeric formats on integers', () => {
    const cases: Array<[string, string, string]> = [
      ['00000', '123', '00123'],
      ['#,#', "parameters('big')", '1,234,567,890'] /* docs */,
      ['#,##0,,', "parameters('big')", '1,235'] /* docs */,
      ['#,#,,', '2147483647', '2,147'] /* docs */,
      ['#,##0', '1234567', '1,234,567'], ['#,##0', '0', '0'], ['#,##0', '-999', '-999'],
      ['#', '0', ''], ['#', '100', '100'], ['#####', '123', '123'],
      ['0.00', '5', '5.00'], ['#.##', '5', '5'], ['00.00', '-5', '-05.00'],
      ['##;(##)', '1234', '1234'] /* docs */, ['##;(##)', '-1234', '(1234)'] /* docs */, ['##;(##);**Zero**', '0', '**Zero**'] /* docs */,
      ['#,##0;(#,##0)', "parameters('neg')", '(1,234)'],
      ["# ''degrees''", '68', '68 degrees'] /* docs; '' is a quote in an ARM string */, ['# "deg"', '68', '68 deg'],
      ['\\#\\#\\# ##0 dollars and \\0\\0 cents \\#\\#\\#', '123', '### 123 dollars and 00 cents ###'] /* docs */,
      ['0%', '25', '2500%'], ['0\u2030', '1', '1000\u2030'],
      ['N2x', '5', 'N2x'],
    ];
    for (const [spec, arg, expected] of cases) {
      it(`{0:${spec}} of ${arg} → '${expected}'`, () => assert.strictEqual(ev(f(spec, arg)), expected));
    }
  });

  describe('alignment, escapes and values that ignore number formats', () => {
    const cases: Array<[string, string]> = [
      ["[format('[{0,5}]', 'ab')]", '[   ab]'],
      ["[format('[{0,-5}]', 'ab')]", '[ab   ]'],
      ["[format('[{0,2}]', 'abc')]", '[abc]'],
      ["[format('[{0,8:N0}]', 1234)]", '[   1,234]'],
      ["[format('[{0,-6:D3}]', 7)]", '[007   ]'],
      ["[format('[{0 , 4}]', 'a')]", '[   a]'],
      ["[format('{{{0}}}', 'x')]", '{x}'],
      ["[format('{{0}}')]", '{0}'],
      ["[format('{0:N2}', 'abc')]", 'abc'],
      ["[format('{0:D3}', true())]", 'True'],
      ["[format('[{0}|{0:N2}]', null())]", '[|]'],
      ["[format('{0}', parameters('half'))]", '1.5'],
      ["[format('{1}{0}', 'a', 'b')]", 'ba'],
    ];
    for (const [expr, expected] of cases) it(`${expr} → '${expected}'`, () => assert.strictEqual(ev(expr), expected));
  });

  describe('invalid format strings are error findings naming format()', () => {
    const errorCases: Array<[string, RegExp]> = [
      ["[format('{0', 'a')]", /format\(\): the format string '\{0' is invalid: .*not closed/],
      ["[format('a}b', 'a')]", /format\(\).*'\}' at position 2 must be doubled/],
      ["[format('{a}', 'a')]", /format\(\).*must start with an argument index/],
      ["[format('{ 0}', 'a')]", /must start with an argument index/],
      ["[format('{0,}', 'a')]", /alignment .* is not a number/],
      ["[format('{0:N2', 1)]", /not closed/],
      ["[format('{1}', 'a')]", /format\(\): the format item \{1\} has no argument/],
      [f('R', '5'), /format\(\): the format specifier 'R' \(round-trip\) is not valid for an integer/],
      [f('Q', '5'), /format\(\): the format specifier 'Q' is not a valid/],
    ];
    for (const [expr, re] of errorCases) {
      it(`${expr} throws ${re}`, () => {
        assert.throws(() => ev(expr), (e: unknown) => e instanceof TemplateError && re.test(e.message));
      });
    }
  });

  describe('what the gate cannot match to .NET exactly is unknown', () => {
    const unknownCases: Array<[string, RegExp]> = [
      [f('N2', "parameters('half')"), /fractional number 1\.5/],
      [f('F0', "parameters('half')"), /fractional/],
      [f('B', '5'), /binary/],
      [f('D100', '5'), /precision/],
      [f('0.0E+0', '5'), /scientific/],
      ["[format('{0:N}}}', 5)]", /'\}\}'/],
      [f('N0', "parameters('missing')"), /missing/],
    ];
    for (const [expr, re] of unknownCases) {
      it(`${expr} is unknown (${re})`, () => {
        const v = ev(expr);
        assert.ok(v instanceof UnknownValue, `expected unknown, got ${JSON.stringify(v)}`);
        assert.match(v.reason, re);
      });
    }
  });
});
