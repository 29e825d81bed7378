/**
 * Issue 9 §2: to ARM `__proto__`, `constructor`, `toString`, `hasOwnProperty` are keys like any
 * other. Nothing the engine builds from template data inherits a property, and no key can swap
 * what an object inherits.
 */
import * as assert from 'node:assert/strict';
import { TemplateError, UnknownValue } from '../../../tasks/ArmTemplateSecurityGate/core/model';
import * as path from 'node:path';
import { evaluateExpression, loadAndEvaluate } from '../../../tasks/ArmTemplateSecurityGate/core/engine';
import { plain } from './plain';
import { evaluateFiles, params, scanFiles, storage, tpl } from './scan-files';

const ev = (e: string, variables: Record<string, unknown> = {}) => evaluateExpression(e, { variables: variables as never });
const PROTO_JSON = `json('{"__proto__":{"tls":"TLS1_2","https":true}}')`;

describe('ARM engine: __proto__ and other inherited names are plain keys', () => {
  it('the issue example: a __proto__ key merged by shallowMerge does not hide TLS 1.0 from the control', () => {
    const { result } = scanFiles({
      'main.json': tpl({
        variables: { cfg: `[shallowMerge(createArray(${PROTO_JSON}))]` },
        resources: [storage('stproto', {
          minimumTlsVersion: "[coalesce(tryGet(variables('cfg'), 'tls'), 'TLS1_0')]",
          supportsHttpsTrafficOnly: "[coalesce(tryGet(variables('cfg'), 'https'), false())]",
          allowBlobPublicAccess: false,
        })],
      }),
    });
    const tls = result.findings.find((f) => f.ruleId === 'storage-min-tls-version');
    assert.equal(tls?.outcome, 'fail');
    assert.match(tls.message, /TLS1_0/);
    assert.equal(result.findings.find((f) => f.ruleId === 'storage-https-only')?.outcome, 'fail');
    assert.equal(result.verdict.result, 'fail');
  });

  const cases: Array<[string, unknown]> = [
    [`[tryGet(${PROTO_JSON}, 'tls')]`, null],
    [`[${PROTO_JSON}.__proto__.tls]`, 'TLS1_2'],
    [`[length(${PROTO_JSON})]`, 1],
    [`[objectKeys(${PROTO_JSON})]`, ['__proto__']],
    [`[contains(${PROTO_JSON}, '__proto__')]`, true],
    [`[contains(${PROTO_JSON}, 'tls')]`, false],
    [`[tryGet(union(${PROTO_JSON}, createObject('b', 2)), 'tls')]`, null],
    [`[union(${PROTO_JSON}, createObject('b', 2)).__proto__.https]`, true],
    [`[items(${PROTO_JSON})[0].key]`, '__proto__'],
    [`[length(intersection(${PROTO_JSON}, ${PROTO_JSON}))]`, 1],
    [`[tryGet(mapValues(${PROTO_JSON}, lambda('v', lambdaVariables('v'))), 'tls')]`, null],
    [`[objectKeys(toObject(createArray('__proto__', 'constructor'), lambda('k', lambdaVariables('k'))))]`, ['__proto__', 'constructor']],
    [`[objectKeys(groupBy(createArray('toString', '__proto__'), lambda('k', lambdaVariables('k'))))]`, ['toString', '__proto__']],
    ["[tryGet(createObject(), 'constructor')]", null],
    ["[tryGet(createObject(), 'toString')]", null],
    ["[tryGet(createObject(), 'hasOwnProperty')]", null],
    ["[tryGet(json('{}'), '__proto__')]", null],
    ["[contains(createObject('a', 1), 'toString')]", false],
    ["[contains(json('{}'), 'constructor')]", false],
    ["[contains(json('{}'), 'hasOwnProperty')]", false],
    ["[createObject('hasOwnProperty', 'x').hasOwnProperty]", 'x'],
    ["[createObject('constructor', 1).CONSTRUCTOR]", 1],
    ["[createObject('toString', 'y')['toString']]", 'y'],
    ["[empty(json('{\"__proto__\":null}'))]", false],
    ["[string(json('{\"__proto__\":1}'))]", '{"__proto__":1}'],
    ["[variables('cfg').__proto__.tls]", 'TLS1_2'],
    ["[tryGet(variables('cfg'), 'tls')]", null],
  ];
  for (const [expr, expected] of cases) {
    it(`${expr} → ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(plain(ev(expr, { cfg: { ['__proto__']: { tls: 'TLS1_2' } } })), expected);
    });
  }

  for (const expr of ["[json('{}').toString]", "[createObject().constructor]", "[json('{}').hasOwnProperty]", `[shallowMerge(createArray(${PROTO_JSON})).tls]`, "[variables('cfg').tls]"]) {
    it(`${expr} is an error: the property does not exist`, () => {
      assert.throws(() => ev(expr, { cfg: { ['__proto__']: { tls: 'TLS1_2' } } }), (e: unknown) => e instanceof TemplateError && /doesn't exist/.test(e.message));
    });
  }

  it("a linked template named 'toString' or 'constructor' is looked up in linkedTemplateMap by own key", () => {
    for (const name of ['toString', 'constructor', '__proto__']) {
      const root = path.resolve('/mem');
      const text = JSON.stringify(tpl({ resources: [{ type: 'Microsoft.Resources/deployments', apiVersion: '2022-09-01', name: 'd', properties: { mode: 'Incremental', templateLink: { relativePath: name } } }] }));
      const t = loadAndEvaluate(path.join(root, 'main.json'), { fs: { readFile: () => text, exists: () => false }, linkedTemplateMap: { 'other.json': path.join(root, 'other.json') } });
      assert.match(t.diagnostics[0].message, new RegExp(`linked template '${name}' not found`));
    }
  });

  it('objects from templates, parameter files and functions inherit nothing; Object.prototype stays clean', () => {
    const t = evaluateFiles({
      'main.json': tpl({
        parameters: { p: { type: 'object' } },
        variables: { v: { constructor: 'c', ['__proto__']: { polluted: 'yes' } } },
        resources: [storage('st', {
          fromParam: "[parameters('p')]",
          fromVar: "[variables('v')]",
          fromJson: "[json('{\"__proto__\":{\"polluted\":\"yes\"},\"constructor\":{\"prototype\":{\"polluted\":\"yes\"}}}')]",
          merged: "[shallowMerge(createArray(json('{\"__proto__\":{\"polluted\":\"yes\"}}')))]",
          union: "[union(createObject('a', 1), json('{\"__proto__\":{\"polluted\":\"yes\"}}'))]",
        })],
      }),
      'main.parameters.json': JSON.stringify(params({})).replace('"parameters":{}', '"parameters":{"p":{"value":{"__proto__":{"polluted":"yes"},"toString":"t"}}}'),
    });
    const props = t.resources[0].body.properties as Record<string, Record<string, unknown>>;
    for (const [k, v] of Object.entries(props)) {
      if (v === null || typeof v !== 'object' || v instanceof UnknownValue) continue;
      assert.equal(Object.getPrototypeOf(Object.getPrototypeOf(v)), null, `${k} inherits from Object.prototype`);
      assert.equal((v as { polluted?: unknown }).polluted, undefined, `${k} inherits 'polluted'`);
      assert.ok(!('hasOwnProperty' in v) && !('valueOf' in v), `${k} inherits Object.prototype's methods`);
    }
    assert.deepEqual(Object.keys(props.fromParam), ['__proto__', 'toString']);
    assert.deepEqual(Object.keys(props.fromVar), ['constructor', '__proto__']);
    assert.equal((({}) as { polluted?: unknown }).polluted, undefined, 'Object.prototype was polluted');
  });
});
