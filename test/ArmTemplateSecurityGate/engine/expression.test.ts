import * as assert from 'assert';
import { TemplateError, UnknownValue } from '../../../tasks/ArmTemplateSecurityGate/core/model';
import { plain } from './plain';
import { evaluateExpression, parseExpression, uniqueString, armGuid, ExpressionOptions } from '../../../tasks/ArmTemplateSecurityGate/core/engine';

const opts: ExpressionOptions = {
  parameters: { name: 'Web', n: 3, list: ['a', 'b', 'c'], obj: { a: 1, b: { c: 'x' } }, flag: true },
  parameterDeclarations: { missing: { type: 'string' }, pwd: { type: 'securestring' } },
  variables: { v1: "[concat(parameters('name'), '-app')]", v2: "[variables('v1')]", lit: '[[not an expression]' },
};
const ev = (e: string, o: ExpressionOptions = opts) => evaluateExpression(e, o);

describe('ARM engine: expressions', () => {
  const cases: Array<[string, unknown]> = [
    // literals, escapes, quoting
    ['plain', 'plain'],
    ['[[escaped]', '[escaped]'],
    ['[test] value', '[test] value'],
    ["['it''s']", "it's"],
    ["[concat('a', 'b', 'c')]", 'abc'],
    ['[add(1, -3)]', -2],
    // case-insensitive names and parameter/variable keys
    ["[CONCAT(Parameters('NAME'), VARIABLES('V1'))]", 'WebWeb-app'],
    ["[variables('v2')]", 'Web-app'],
    ["[variables('lit')]", '[not an expression]'],
    // property and index access
    ["[parameters('obj').b.c]", 'x'],
    ["[parameters('obj')['b']['c']]", 'x'],
    ["[parameters('list')[1]]", 'b'],
    ["[createObject('k', createArray(1, 2)).K[1]]", 2],
    // logical / comparison
    ["[if(equals(parameters('n'), 3), 'yes', 'no')]", 'yes'],
    ["[if(false(), parameters('missing'), 'safe')]", 'safe'],
    ['[and(true(), not(false()))]', true],
    ['[or(false(), false())]', false],
    ['[greater(2, 1)]', true], ['[greaterOrEquals(1, 1)]', true], ['[less(1, 2)]', true], ['[lessOrEquals(3, 2)]', false],
    ["[equals(createArray(1, 'a'), createArray(1, 'a'))]", true],
    ["[equals('a', 'A')]", false],
    ["[bool('TRUE')]", true], ["[int('42')]", 42], ["[float('1.5')]", 1.5],
    ['[string(true())]', 'True'], ["[string(createObject('a', 1))]", '{"a":1}'],
    ["[json('{\"a\":[1,2]}').a[1]]", 2], ["[json('null')]", null],
    // strings
    ["[toLower('AbC')]", 'abc'], ["[toUpper('AbC')]", 'ABC'], ["[trim('  x ')]", 'x'],
    ["[contains('Hello', 'ell')]", true], ["[contains('Hello', 'ELL')]", false],
    ["[contains(createObject('Key', 1), 'key')]", true], ["[contains(createArray(1, 2), 3)]", false],
    ["[empty('')]", true], ['[empty(createArray())]', true], ['[empty(createObject())]', true], ['[empty(null())]', true],
    ["[length('abcd')]", 4], ["[length(parameters('list'))]", 3], ["[length(parameters('obj'))]", 2],
    ["[split('a,b;c', createArray(',', ';'))]", ['a', 'b', 'c']],
    ["[join(createArray('a', 'b'), '-')]", 'a-b'],
    ["[replace('a-b-c', '-', '')]", 'abc'],
    ["[substring('abcdef', 2, 3)]", 'cde'], ["[substring('abcdef', 4)]", 'ef'],
    ["[indexOf('abcABC', 'B')]", 1], ["[lastIndexOf('abcABC', 'b')]", 4],
    ["[startsWith('Hello', 'he')]", true], ["[endsWith('Hello', 'LO')]", true],
    ["[padLeft('7', 3, '0')]", '007'], ["[padLeft(7, 3, '0')]", '007'],
    ["[format('{0}-{1:D3}-{{x}}', 'a', 7)]", 'a-007-{x}'], ["[format('{0,4}|{1:X}', 'a', 255)]", '   a|FF'],
    ["[first('abc')]", 'a'], ["[last(parameters('list'))]", 'c'],
    ["[take(parameters('list'), 2)]", ['a', 'b']], ["[skip('abcdef', 4)]", 'ef'],
    ["[uri('https://x.org/a/b.json', 'c.json')]", 'https://x.org/a/c.json'],
    ["[uriComponent('a b&c!')]", 'a%20b%26c%21'], ["[uriComponentToString('a%20b')]", 'a b'],
    ["[base64('hi')]", 'aGk='], ["[base64ToString('aGk=')]", 'hi'], ["[base64ToJson(base64('{\"a\":1}')).a]", 1],
    ["[dataUri('hi')]", 'data:text/plain;charset=utf8;base64,aGk='], ["[dataUriToString('data:;base64,aGk=')]", 'hi'],
    // arrays / objects
    ["[concat(createArray(1), createArray(2, 3))]", [1, 2, 3]],
    ["[union(createArray(1, 2), createArray(2, 3))]", [1, 2, 3]],
    ["[union(createObject('a', 1, 'n', createObject('x', 1)), createObject('b', 2, 'n', createObject('y', 2)))]", { a: 1, n: { x: 1, y: 2 }, b: 2 }],
    ["[intersection(createArray(1, 2, 3), createArray(2, 3, 4))]", [2, 3]],
    ["[coalesce(null(), null(), 'x')]", 'x'],
    ["[array('a')]", ['a']],
    ['[range(2, 3)]', [2, 3, 4]],
    ['[min(3, 1, 2)]', 1], ['[max(createArray(3, 9, 2))]', 9],
    ['[sub(5, 2)]', 3], ['[mul(4, 2)]', 8], ['[div(7, 2)]', 3], ['[mod(7, 2)]', 1],
    ["[items(createObject('b', 2, 'a', 1))]", [{ key: 'a', value: 1 }, { key: 'b', value: 2 }]],
    ["[objectKeys(createObject('a', 1, 'b', 2))]", ['a', 'b']],
    ["[tryGet(parameters('obj'), 'b', 'c')]", 'x'], ["[tryGet(parameters('obj'), 'zz')]", null],
    ["[shallowMerge(createArray(createObject('a', 1), createObject('b', 2)))]", { a: 1, b: 2 }],
    ['[null()]', null], ['[true()]', true],
    // lambdas
    ["[filter(createArray(1, 2, 3, 4), lambda('x', greater(lambdaVariables('x'), 2)))]", [3, 4]],
    ["[map(parameters('list'), lambda('x', toUpper(lambdaVariables('x'))))]", ['A', 'B', 'C']],
    ["[reduce(createArray(1, 2, 3), 0, lambda('acc', 'x', add(lambdaVariables('acc'), lambdaVariables('x'))))]", 6],
    ["[sort(createArray(3, 1, 2), lambda('a', 'b', less(lambdaVariables('a'), lambdaVariables('b'))))]", [1, 2, 3]],
    ["[toObject(parameters('list'), lambda('x', lambdaVariables('x')), lambda('x', length(lambdaVariables('x'))))]", { a: 1, b: 1, c: 1 }],
    ["[groupBy(createArray('ab', 'ac', 'b'), lambda('x', first(lambdaVariables('x'))))]", { a: ['ab', 'ac'], b: ['b'] }],
    ["[mapValues(createObject('a', 1), lambda('v', mul(lambdaVariables('v'), 10)))]", { a: 10 }],
    // scope and ids
    ["[resourceGroup().name]", 'resource-group'],
    ["[subscription().subscriptionId]", '00000000-0000-0000-0000-000000000000'],
    ["[environment().suffixes.storage]", 'core.windows.net'],
    ["[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'sub')]",
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/resource-group/providers/Microsoft.Network/virtualNetworks/vnet/subnets/sub'],
    ["[resourceId('other-rg', 'Microsoft.Storage/storageAccounts', 'st')]",
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/other-rg/providers/Microsoft.Storage/storageAccounts/st'],
    ["[resourceId('sub1', 'rg1', 'Microsoft.Storage/storageAccounts/', 'st')]", '/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/st'],
    ["[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'abc')]", '/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/abc'],
    ["[tenantResourceId('Microsoft.Management/managementGroups', 'mg')]", '/providers/Microsoft.Management/managementGroups/mg'],
    ["[extensionResourceId('/subscriptions/s/resourceGroups/r', 'Microsoft.Authorization/locks', 'l')]", '/subscriptions/s/resourceGroups/r/providers/Microsoft.Authorization/locks/l'],
    ["[dateTimeAdd('2020-01-31T00:00:00Z', 'P1DT2H')]", '2020-02-01T02:00:00Z'],
    // hash functions (uniqueString vectors published with a bash port verified against Bicep)
    ["[uniqueString('test')]", 'rbgf3xv4ufgzg'],
    ["[uniqueString('hello', 'world')]", 'a7wkljktk6wne'],
    ["[uniqueString('/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/my-rg')]", 'bmg7c6xu4tw46'],
  ];
  for (const [expr, expected] of cases) {
    it(`${expr} → ${JSON.stringify(expected)}`, () => {
      assert.deepStrictEqual(plain(ev(expr)), expected);
    });
  }

  it('copyIndex is an error outside loops and user functions evaluate with their own parameters', () => {
    assert.throws(() => ev('[copyIndex()]'), TemplateError);
    const fns = [{ namespace: 'my', members: { greet: { parameters: [{ name: 'who', type: 'string' }], output: { type: 'string', value: "[concat('hi ', parameters('who'))]" } } } }];
    assert.strictEqual(ev("[my.greet('you')]", { functions: fns }), 'hi you');
    assert.strictEqual(ev("[MY.Greet(toUpper('x'))]", { functions: fns }), 'hi X');
  });

  it('guid() is a version-5 UUID in the ARM namespace, deterministic and argument-sensitive', () => {
    const g = ev("[guid('a', 'b')]") as string;
    assert.match(g, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.strictEqual(g, armGuid(['a', 'b']));
    assert.strictEqual(g, ev("[guid('a-b')]"), 'arguments are joined with -');
    assert.notStrictEqual(g, ev("[guid('a', 'c')]"));
    assert.strictEqual(uniqueString(['abc']), 'cgtzqvhu4i23s');
  });

  describe('unknown values', () => {
    const unk = (e: string, o: ExpressionOptions = opts): UnknownValue => {
      const v = ev(e, o);
      assert.ok(v instanceof UnknownValue, `${e} should be unknown, got ${JSON.stringify(v)}`);
      return v;
    };
    it('a parameter with no value is unknown, naming the parameter', () => {
      assert.match(unk("[parameters('missing')]").reason, /parameter 'missing' has no value/);
    });
    it('unknown propagates through functions with the first reason', () => {
      const u = unk("[concat(toLower(parameters('missing')), reference('x').y)]");
      assert.match(u.reason, /missing/);
      assert.strictEqual(u.expression, "[concat(toLower(parameters('missing')), reference('x').y)]");
      assert.match(unk("[uniqueString(resourceGroup().location)]").reason, /location/);
      assert.match(unk("[reference('st').primaryEndpoints.blob]").reason, /known only at deployment/);
      assert.match(unk("[listKeys('st', '2020-01-01').keys[0].value]").reason, /listKeys/);
      assert.match(unk("[listAccountSas('st', '2020-01-01', createObject())]").reason, /listAccountSas/);
      unk('[utcNow()]');
      unk('[newGuid()]');
      unk("[pickZones('Microsoft.Compute', 'virtualMachines', 'westus2')]");
    });
    it('if() with a known condition picks a branch; unknown condition is unknown', () => {
      assert.strictEqual(ev("[if(true(), 'a', parameters('missing'))]"), 'a');
      unk("[if(equals(parameters('missing'), 'x'), 'a', 'b')]");
    });
    it('and/or short-circuit when decidable', () => {
      assert.strictEqual(ev("[and(false(), equals(parameters('missing'), 1))]"), false);
      assert.strictEqual(ev("[or(equals(parameters('missing'), 1), true())]"), true);
      unk("[and(true(), equals(parameters('missing'), 1))]");
    });
    it('coalesce returns the first known non-null value, unknown if an unknown comes first', () => {
      assert.strictEqual(ev("[coalesce(null(), 'x', parameters('missing'))]"), 'x');
      unk("[coalesce(null(), parameters('missing'), 'x')]");
    });
    it('contains / equals with unknown parts are unknown', () => {
      unk("[contains(createArray(parameters('missing')), 'a')]");
      unk("[equals(createObject('a', parameters('missing')), createObject('a', 1))]");
      assert.strictEqual(ev("[contains(createArray('a', parameters('missing')), 'a')]"), true);
    });
  });

  describe('errors', () => {
    const errorCases: Array<[string, RegExp]> = [
      ["[nosuch('a')]", /'nosuch' is not valid/],
      ["[concat('a']", /Invalid expression/],
      ["[concat('a')) ]", /Invalid expression/],
      ["['unterminated]", /unterminated string/],
      ["[substring('abc')]", /expects 2 to 3 argument/],
      ['[not(1, 2)]', /expects 1 argument/],
      ["[parameters('nope')]", /parameter 'nope' is not found/],
      ["[variables('nope')]", /variable 'nope' is not found/],
      ["[parameters('obj').zz]", /property 'zz' doesn't exist/],
      ["[parameters('list')[5]]", /out of range/],
      ["[add('a', 1)]", /must be an integer/],
      ['[foo.bar()]', /not valid/],
    ];
    for (const [expr, re] of errorCases) {
      it(`${expr} throws ${re}`, () => {
        assert.throws(() => ev(expr), (e: unknown) => e instanceof TemplateError && re.test(e.message) && e.location.line === 1);
      });
    }
    it('expressions longer than 24,576 characters are rejected', () => {
      const long = `[concat('${'a'.repeat(24600)}')]`;
      assert.throws(() => ev(long), /at most 24576/);
    });
    it('circular variables are detected', () => {
      assert.throws(() => ev("[variables('a')]", { variables: { a: "[variables('b')]", b: "[variables('a')]" } }), /circular/);
    });
  });

  it('parseExpression gives a call tree with namespaces, property and index access', () => {
    const ast = parseExpression("[ns.fn(parameters('a').b[0], 'x''y', 12)]");
    assert.strictEqual(ast.k, 'call');
    if (ast.k !== 'call') return;
    assert.strictEqual(ast.name, 'ns.fn');
    const arg = ast.args[1];
    assert.equal(arg.k, 'str');
    assert.equal(arg.k === 'str' ? arg.v : undefined, "x'y");
    const num = ast.args[2];
    assert.equal(num.k === 'num' ? num.v : undefined, 12);
    assert.strictEqual(ast.args[0].k, 'index');
  });
});
