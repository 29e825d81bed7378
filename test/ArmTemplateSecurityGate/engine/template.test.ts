import * as assert from 'assert';
import * as path from 'path';
import { plain } from './plain';
import { EvaluatedResource, TemplateError, UnknownValue } from '../../../tasks/ArmTemplateSecurityGate/core/model';
import { createCheckContext } from '../../../tasks/ArmTemplateSecurityGate/core/controls/context';
import { classifyJsonText, findParameterFile, isTemplateDocument, loadAndEvaluate } from '../../../tasks/ArmTemplateSecurityGate/core/engine';

const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
const PSCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#';
const ROOT = path.resolve('/repo');

function memFs(files: Record<string, string | object>) {
  const m = new Map<string, string>();
  for (const [k, v] of Object.entries(files)) m.set(path.resolve(ROOT, k), typeof v === 'string' ? v : JSON.stringify(v, null, 2));
  return {
    readFile(p: string): string {
      const t = m.get(path.resolve(p));
      if (t === undefined) throw new Error(`ENOENT ${p}`);
      return t;
    },
    exists: (p: string) => m.has(path.resolve(p)),
  };
}
function run(files: Record<string, string | object>, main = 'main.json', extra: object = {}) {
  return loadAndEvaluate(path.resolve(ROOT, main), { fs: memFs(files), displayPath: (p) => path.relative(ROOT, p), ...extra });
}
const tpl = (o: object) => ({ $schema: SCHEMA, contentVersion: '1.0.0.0', ...o });
const byName = (rs: EvaluatedResource[], name: string) => {
  const r = rs.find((x) => x.name === name);
  assert.ok(r, `resource ${name} not found among ${rs.map((x) => x.name).join(', ')}`);
  return r;
};

describe('ARM engine: templates', () => {
  it('uses parameter file values, defaults, Key Vault references and GEN placeholders', () => {
    const t = run({
      'main.json': tpl({
        parameters: {
          name: { type: 'string' }, sku: { type: 'string', defaultValue: 'Standard_LRS' },
          pwd: { type: 'securestring' }, unique: { type: 'string' }, none: { type: 'string' },
          loc: { type: 'string', defaultValue: '[resourceGroup().location]' },
        },
        resources: [{
          type: 'Microsoft.Storage/storageAccounts', apiVersion: '2022-09-01', name: "[parameters('name')]",
          sku: { name: "[parameters('sku')]" }, location: "[parameters('loc')]",
          properties: { a: "[parameters('pwd')]", b: "[parameters('unique')]", c: "[parameters('none')]" },
        }],
      }),
      'main.parameters.json': {
        $schema: PSCHEMA,
        parameters: {
          name: { value: 'stdemo' }, unique: { value: 'GEN-UNIQUE' },
          pwd: { reference: { keyVault: { id: '/subscriptions/x/resourceGroups/y/providers/Microsoft.KeyVault/vaults/kv1' }, secretName: 'adminPwd' } },
        },
      },
    });
    assert.strictEqual(t.parametersFile, 'main.parameters.json');
    const r = byName(t.resources, 'stdemo');
    assert.strictEqual(r.apiVersion, '2022-09-01');
    assert.deepStrictEqual(plain(r.body.sku), { name: 'Standard_LRS' });
    const p = r.body.properties as Record<string, UnknownValue>;
    assert.match(p.a.reason, /Key Vault secret 'adminPwd' in vault 'kv1', known only at deployment/);
    assert.match(p.b.reason, /parameter 'unique' is the placeholder "GEN-UNIQUE"/);
    assert.match(p.c.reason, /parameter 'none' has no value/);
    assert.strictEqual(p.c.location?.file, 'main.json');
    assert.ok(r.body.location instanceof UnknownValue);
    const info = Object.fromEntries(t.parameters.map((x) => [x.name, x]));
    assert.strictEqual(info.sku.hasLiteralDefault, true);
    assert.strictEqual(info.loc.hasLiteralDefault, false);
    assert.strictEqual(info.pwd.type, 'securestring');
  });

  it('expands resource copy loops, property copy and variable copy; locate() points at the copy input', () => {
    const text = JSON.stringify(tpl({
      variables: {
        copy: [{ name: 'names', count: 2, input: "[concat('n', copyIndex('names'))]" }],
      },
      resources: [{
        type: 'Microsoft.Network/networkSecurityGroups', apiVersion: '2023-04-01',
        name: "[concat('nsg', copyIndex(1))]",
        copy: { name: 'nsgLoop', count: 3 },
        properties: {
          copy: [{ name: 'securityRules', count: 2, input: { name: "[variables('names')[copyIndex('securityRules')]]", properties: { priority: "[add(100, copyIndex('securityRules'))]", access: 'Allow' } } }],
        },
      }],
    }), null, 2);
    const t = run({ 'main.json': text });
    assert.deepStrictEqual(t.resources.map((r) => r.name), ['nsg1', 'nsg2', 'nsg3']);
    const r = t.resources[1];
    const rules = (r.body.properties as { securityRules: Array<{ name: string; properties: { priority: number } }> }).securityRules;
    assert.deepStrictEqual(rules.map((x) => [x.name, x.properties.priority]), [['n0', 100], ['n1', 101]]);
    const lines = text.split('\n');
    const accessLine = lines.findIndex((l) => l.includes('"access"')) + 1;
    assert.strictEqual(r.locate(['properties', 'securityRules', 1, 'properties', 'access']).line, accessLine);
    const typeLine = lines.findIndex((l) => l.includes('"type": "Microsoft.Network')) + 1;
    assert.strictEqual(r.locate(['type']).line, typeLine);
    assert.strictEqual(r.locate(['nope', 'deeper']).line, r.location.line);
  });

  it('a copy count known only at deployment gives one instance with an unknown copyIndex and a note', () => {
    const t = run({ 'main.json': tpl({
      parameters: { n: { type: 'int' } },
      resources: [{ type: 'Microsoft.Web/sites', apiVersion: '2022-03-01', name: "[concat('site', copyIndex())]", copy: { name: 'l', count: "[parameters('n')]" } }],
    }) });
    assert.strictEqual(t.resources.length, 1);
    assert.strictEqual(t.resources[0].name, 'site[copyIndex()]');
    assert.ok(t.diagnostics.some((d) => d.severity === 'info' && /known only at deployment/.test(d.message)));
  });

  describe('names known only at deployment read as their expression', () => {
    const params = { clusterName: { type: 'string' }, siteName: { type: 'string' }, prefix: { type: 'string' }, known: { type: 'string', defaultValue: 'app' } };
    const pfile = { $schema: PSCHEMA, contentVersion: '1.0.0.0', parameters: { clusterName: { value: 'GEN-UNIQUE' } } };

    it('a name with no known part is the name expression as written', () => {
      const t = run({
        'main.json': tpl({ parameters: params, resources: [{ type: 'Microsoft.ContainerService/managedClusters', apiVersion: '1', name: "[parameters('clusterName')]" }] }),
        'main.parameters.json': pfile,
      });
      assert.deepStrictEqual(t.resources.map((r) => r.name), ["[parameters('clusterName')]"]);
    });

    it('known segments are evaluated, unknown ones keep their expression text', () => {
      const t = run({ 'main.json': tpl({
        parameters: params,
        resources: [
          { type: 'Microsoft.Web/sites', apiVersion: '1', name: "[parameters('siteName')]", resources: [{ type: 'config', apiVersion: '1', name: 'web' }] },
          { type: 'Microsoft.Web/sites/config', apiVersion: '1', name: "[concat(parameters('siteName'), '/logs')]" },
          { type: 'Microsoft.Web/sites/slots', apiVersion: '1', name: "[format('{0}/{1}-{2}', parameters('siteName'), parameters('known'), 'stage')]" },
          { type: 'Microsoft.Web/sites', apiVersion: '1', name: "[concat(parameters('known'), '-site')]" },
        ],
      }) });
      assert.deepStrictEqual(t.resources.map((r) => r.name), [
        "[parameters('siteName')]",
        "[parameters('siteName')]/web",
        "[parameters('siteName')]/logs",
        "[parameters('siteName')]/app-stage",
        'app-site',
      ]);
    });

    it('a copy loop over an unknown prefix gives one distinct name per copy', () => {
      const t = run({ 'main.json': tpl({
        parameters: params,
        resources: [{ type: 'Microsoft.Storage/storageAccounts', apiVersion: '1', name: "[concat(parameters('prefix'), copyIndex(1))]", copy: { name: 'l', count: 2 } }],
      }) });
      assert.deepStrictEqual(t.resources.map((r) => r.name), ["[parameters('prefix')]1", "[parameters('prefix')]2"]);
    });

    it('other unknown calls keep their whole text; an error in an unevaluated argument does not fail the file', () => {
      const t = run({ 'main.json': tpl({
        parameters: params,
        resources: [
          { type: 'Microsoft.Web/sites', apiVersion: '1', name: "[toLower(concat(parameters('prefix'), 'X'))]" },
          { type: 'Microsoft.Web/sites', apiVersion: '1', name: "[concat(reference('x').name, '-', variables('v'))]" },
        ],
        variables: { v: 'suffix' },
      }) });
      assert.deepStrictEqual(t.resources.map((r) => r.name), ["[toLower(concat(parameters('prefix'), 'X'))]", "[reference('x').name]-suffix"]);
    });

    it('a child of an unknown parent is related to it, and two such parents are not mixed up', () => {
      const t = run({ 'main.json': tpl({
        parameters: params,
        resources: [
          { type: 'Microsoft.Web/sites', apiVersion: '1', name: "[parameters('siteName')]", resources: [{ type: 'config', apiVersion: '1', name: 'web', properties: { ftpsState: 'Disabled' } }] },
          { type: 'Microsoft.Web/sites', apiVersion: '1', name: "[parameters('clusterName')]", resources: [{ type: 'config', apiVersion: '1', name: 'web', properties: { ftpsState: 'AllAllowed' } }] },
        ],
      }) });
      const ctx = createCheckContext(t);
      for (const [site, state] of [["[parameters('siteName')]", 'Disabled'], ["[parameters('clusterName')]", 'AllAllowed']]) {
        const related = ctx.related(byName(t.resources, site), 'Microsoft.Web/sites/config');
        assert.deepStrictEqual(related.map((r) => (r.body.properties as { ftpsState: string }).ftpsState), [state]);
      }
    });
  });

  it('drops resources whose condition is false and flags unknown conditions', () => {
    const t = run({ 'main.json': tpl({
      parameters: { on: { type: 'bool', defaultValue: false }, maybe: { type: 'bool' } },
      resources: [
        { condition: "[parameters('on')]", type: 'Microsoft.Web/sites', apiVersion: '1', name: 'off' },
        { condition: "[not(parameters('on'))]", type: 'Microsoft.Web/sites', apiVersion: '1', name: 'on' },
        { condition: "[parameters('maybe')]", type: 'Microsoft.Web/sites', apiVersion: '1', name: 'maybe' },
      ],
    }) });
    assert.deepStrictEqual(t.resources.map((r) => r.name), ['on', 'maybe']);
    assert.strictEqual(t.resources[0].conditionUnknown, undefined);
    assert.match(t.resources[1].conditionUnknown!.reason, /maybe/);
  });

  it('flattens child resources (relative and fully qualified types)', () => {
    const t = run({ 'main.json': tpl({
      resources: [{
        type: 'Microsoft.Sql/servers', apiVersion: '1', name: 'srv',
        resources: [
          { type: 'databases', apiVersion: '1', name: 'db', resources: [{ type: 'transparentDataEncryption', apiVersion: '1', name: 'current' }] },
          { type: 'Microsoft.Sql/servers/firewallRules', apiVersion: '1', name: 'srv/allow' },
        ],
      }],
    }) });
    assert.deepStrictEqual(t.resources.map((r) => `${r.type} ${r.name}`), [
      'Microsoft.Sql/servers srv',
      'Microsoft.Sql/servers/databases srv/db',
      'Microsoft.Sql/servers/databases/transparentDataEncryption srv/db/current',
      'Microsoft.Sql/servers/firewallRules srv/allow',
    ]);
  });

  it('evaluates nested deployments in inner and outer scope', () => {
    const t = run({ 'main.json': tpl({
      parameters: { p: { type: 'string', defaultValue: 'outerP' } },
      variables: { v: 'outerV' },
      resources: [
        {
          type: 'Microsoft.Resources/deployments', apiVersion: '2022-09-01', name: 'innerDep',
          properties: {
            mode: 'Incremental', expressionEvaluationOptions: { scope: 'inner' },
            parameters: { p: { value: "[concat(parameters('p'), '-passed')]" } },
            template: tpl({ parameters: { p: { type: 'string' } }, variables: { v: 'innerV' },
              resources: [{ type: 'Microsoft.Web/sites', apiVersion: '1', name: "[concat(parameters('p'), '-', variables('v'))]" }] }),
          },
        },
        {
          type: 'Microsoft.Resources/deployments', apiVersion: '2022-09-01', name: 'outerDep',
          properties: {
            mode: 'Incremental',
            template: tpl({ resources: [{ type: 'Microsoft.Web/sites', apiVersion: '1', name: "[concat(parameters('p'), '-', variables('v'))]" }] }),
          },
        },
      ],
    }) });
    const inner = byName(t.resources, 'outerP-passed-innerV');
    assert.deepStrictEqual(inner.deploymentPath, ['innerDep']);
    const outer = byName(t.resources, 'outerP-outerV');
    assert.deepStrictEqual(outer.deploymentPath, ['outerDep']);
    const dep = byName(t.resources, 'innerDep');
    assert.strictEqual(dep.type, 'Microsoft.Resources/deployments');
    assert.strictEqual((dep.body.properties as Record<string, unknown>).template, undefined, 'the inline template is not part of the deployment body');
  });

  it('follows linked templates by relativePath and mapped URI; reports missing ones', () => {
    const t = run({
      'main.json': tpl({
        resources: [
          { type: 'Microsoft.Resources/deployments', apiVersion: '1', name: 'rel', properties: { mode: 'Incremental', templateLink: { relativePath: 'nested/child.json' }, parameters: { n: { value: 'fromRel' } } } },
          { type: 'Microsoft.Resources/deployments', apiVersion: '1', name: 'mapped', properties: { mode: 'Incremental', templateLink: { uri: 'https://example.org/t/child.json?sv=secret' }, parameters: { n: { value: 'fromUri' } } } },
          { type: 'Microsoft.Resources/deployments', apiVersion: '1', name: 'gone', properties: { mode: 'Incremental', templateLink: { relativePath: 'nested/missing.json' } } },
          { type: 'Microsoft.Resources/deployments', apiVersion: '1', name: 'remote', properties: { mode: 'Incremental', templateLink: { uri: 'https://elsewhere.example/x.json?sig=abc' } } },
        ],
      }),
      'nested/child.json': tpl({ parameters: { n: { type: 'string' } }, resources: [{ type: 'Microsoft.Web/sites', apiVersion: '1', name: "[parameters('n')]" }] }),
    }, 'main.json', { linkedTemplateMap: { 'https://example.org/t/child.json': path.resolve(ROOT, 'nested/child.json') } });
    const rel = byName(t.resources, 'fromRel');
    assert.strictEqual(rel.location.file, path.join('nested', 'child.json'));
    assert.deepStrictEqual(rel.deploymentPath, ['rel']);
    byName(t.resources, 'fromUri');
    byName(t.resources, 'gone');
    const warnings = t.diagnostics.filter((d) => d.severity === 'warning');
    assert.strictEqual(warnings.length, 2);
    assert.ok(warnings.some((w) => /missing\.json/.test(w.message)));
    assert.ok(warnings.every((w) => !/sig=abc/.test(w.message)), 'SAS query strings are not echoed');
  });

  it('supports languageVersion 2.0 symbolic resources, existing resources and definitions', () => {
    const t = run({ 'main.json': tpl({
      languageVersion: '2.0',
      definitions: { skuType: { type: 'string', allowedValues: ['a', 'b'] } },
      parameters: { sku: { $ref: '#/definitions/skuType', defaultValue: 'a' } },
      resources: {
        st: { type: 'Microsoft.Storage/storageAccounts', apiVersion: '1', name: 'st1', sku: { name: "[parameters('sku')]" } },
        kv: { existing: true, type: 'Microsoft.KeyVault/vaults', apiVersion: '1', name: 'kv1' },
      },
    }) });
    const st = byName(t.resources, 'st1');
    assert.strictEqual(st.symbolicName, 'st');
    assert.deepStrictEqual(plain(st.body.sku), { name: 'a' });
    assert.strictEqual(byName(t.resources, 'kv1').existing, true);
    assert.strictEqual(t.parameters[0].type, 'string');
  });

  it('computes outputs and whether they expose secrets', () => {
    const t = run({ 'main.json': tpl({
      parameters: { pwd: { type: 'securestring', defaultValue: '' }, plain: { type: 'string', defaultValue: 'x' } },
      variables: { cs: "[concat('AccountName=a;AccountKey=', listKeys('st', '2020-01-01').keys[0].value)]" },
      resources: [],
      outputs: {
        ok: { type: 'string', value: "[parameters('plain')]" },
        pwdOut: { type: 'string', value: "[parameters('pwd')]" },
        keys: { type: 'object', value: "[listKeys('st', '2020-01-01')]" },
        viaVar: { type: 'string', value: "[variables('cs')]" },
        secureOut: { type: 'securestring', value: "[parameters('pwd')]" },
        runtimeKey: { type: 'string', value: "[reference('cosmos').primaryMasterKey]" },
        many: { type: 'array', copy: { count: 2, input: "[copyIndex()]" } },
      },
    }) });
    const o = Object.fromEntries(t.outputs.map((x) => [x.name, x]));
    assert.strictEqual(o.ok.exposesSecret, false);
    assert.strictEqual(o.ok.value, 'x');
    assert.match(o.pwdOut.secretReason!, /secure parameter 'pwd'/);
    assert.match(o.keys.secretReason!, /listKeys/);
    assert.match(o.viaVar.secretReason!, /variable 'cs'/);
    assert.strictEqual(o.secureOut.exposesSecret, false);
    assert.strictEqual(o.runtimeKey.exposesSecret, true);
    assert.deepStrictEqual(o.many.value, [0, 1]);
  });

  it('reports errors with file:line:column', () => {
    const bad = '{\n  "$schema": "x",\n  "resources": [\n    { "name": "a", }\n    { }\n  ]\n}';
    assert.throws(() => run({ 'main.json': bad }), (e: unknown) => e instanceof TemplateError && e.location.file === 'main.json' && e.location.line === 5 && /Invalid JSON/.test(e.message));
    // An expression that cannot be evaluated is an error of the template at its own line; the
    // rest of the template is still evaluated.
    const badExpr = `{\n  "$schema": "${SCHEMA}",\n  "resources": [\n    {\n      "type": "Microsoft.Web/sites",\n      "name": "[concat('a', nosuch())]"\n    }\n  ]\n}`;
    const t = run({ 'main.json': badExpr });
    const errors = t.diagnostics.filter((d) => d.severity === 'error');
    assert.deepStrictEqual(errors.map((d) => [d.location.line, d.location.column]), [[6, 7]]);
    assert.match(errors[0].message, /nosuch/);
    assert.strictEqual(t.resources.length, 1);
  });

  it('accepts comments and multi-line strings', () => {
    const text = `// leading comment\n{\n  "$schema": "${SCHEMA}", /* block */\n  "resources": [\n    {\n      "type": "Microsoft.Compute/virtualMachines/extensions",\n      "name": "vm/ext",\n      "properties": { "script": "line1\nline2" }\n    }\n  ]\n}`;
    const t = run({ 'main.json': text });
    assert.strictEqual((t.resources[0].body.properties as { script: string }).script, 'line1\nline2');
  });

  it('classifies JSON and finds parameter files by convention', () => {
    assert.strictEqual(classifyJsonText(JSON.stringify(tpl({}))), 'template');
    assert.strictEqual(classifyJsonText(JSON.stringify({ $schema: PSCHEMA })), 'parameters');
    assert.strictEqual(classifyJsonText('{"name":"package"}'), 'other');
    assert.strictEqual(classifyJsonText('{ broken deploymentTemplate.json'), 'other');
    assert.strictEqual(isTemplateDocument(JSON.stringify(tpl({}))), true);
    const fs = memFs({ 'a/azuredeploy.json': '{}', 'a/azuredeploy.parameters.json': '{}', 'b/x.json': '{}', 'b/x.parameters.jsonc': '{}', 'c/y.json': '{}' });
    assert.strictEqual(findParameterFile(path.resolve(ROOT, 'a/azuredeploy.json'), fs), path.resolve(ROOT, 'a/azuredeploy.parameters.json'));
    assert.strictEqual(findParameterFile(path.resolve(ROOT, 'b/x.json'), fs), path.resolve(ROOT, 'b/x.parameters.jsonc'));
    assert.strictEqual(findParameterFile(path.resolve(ROOT, 'c/y.json'), fs), undefined);
  });
});
