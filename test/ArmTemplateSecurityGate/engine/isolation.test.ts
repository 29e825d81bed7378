/**
 * Issue 8 §4: one expression that cannot be evaluated no longer turns the whole template into a
 * single error. The error stays (it fails the gate, at its own line) and everything else is
 * evaluated, so controls whose inputs are known still report. Copies whose names are known only at
 * deployment carry their copy indexes, so their results differ.
 */
import * as assert from 'node:assert/strict';
import { UnknownValue } from '../../../tasks/ArmTemplateSecurityGate/core/model';
import { evaluateFiles, scanFiles, storage, tpl } from './scan-files';

const lineOf = (t: object, needle: string): number => JSON.stringify(t, null, 2).split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('ARM engine: an error stays at its expression', () => {
  const t = tpl({
    parameters: { prefix: { type: 'string', defaultValue: 'st' } },
    variables: { broken: "[nosuch('x')]", fine: "[concat(parameters('prefix'), 'b')]" },
    resources: [
      storage("[concat(parameters('prefix'), 'a')]", { supportsHttpsTrafficOnly: false, minimumTlsVersion: "[int('not a number')]", allowBlobPublicAccess: false }),
      storage("[variables('fine')]", { supportsHttpsTrafficOnly: true, minimumTlsVersion: "[variables('broken')]", allowBlobPublicAccess: false }),
      storage('stc', { supportsHttpsTrafficOnly: "[variables('broken')]", minimumTlsVersion: 'TLS1_2', allowBlobPublicAccess: false }),
    ],
  });

  it('the engine evaluates the rest; the failed value is unknown and says why; one error per place', () => {
    const r = evaluateFiles({ 'main.json': t });
    assert.deepEqual(r.resources.map((x) => x.name), ['sta', 'stb', 'stc']);
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errors.map((d) => d.location.line), [lineOf(t, "[int('not a number')]"), lineOf(t, '"broken"')]);
    const tls = (r.resources[0].body.properties as Record<string, unknown>).minimumTlsVersion;
    assert.ok(tls instanceof UnknownValue);
    assert.match(tls.reason, /could not be evaluated: int\(\): cannot convert "not a number" to an integer/);
    assert.equal((r.resources[0].body.properties as Record<string, unknown>).supportsHttpsTrafficOnly, false);
    assert.ok((r.resources[2].body.properties as Record<string, unknown>).supportsHttpsTrafficOnly instanceof UnknownValue);
  });

  it('the scan reports each error (the gate fails) and every control whose inputs are known', () => {
    const { result } = scanFiles({ 'main.json': t });
    const errors = result.findings.filter((f) => f.outcome === 'error');
    assert.deepEqual(errors.map((f) => [f.ruleId, f.line]), [['template-error', lineOf(t, '"broken"')], ['template-error', lineOf(t, "[int('not a number')]")]].sort((a, b) => (a[1] as number) - (b[1] as number)));
    const https = Object.fromEntries(result.findings.filter((f) => f.ruleId === 'storage-https-only').map((f) => [f.resource.name, f.outcome]));
    assert.deepEqual(https, { sta: 'fail', stb: 'pass', stc: 'unknown' });
    assert.equal(result.findings.find((f) => f.ruleId === 'storage-min-tls-version' && f.resource.name === 'stc')?.outcome, 'pass');
    assert.equal(result.verdict.result, 'fail');
  });

  it('an invalid copy count is an error, and the copied resource is still checked once', () => {
    const bad = tpl({ resources: [{ ...storage("[concat('s', copyIndex())]", { supportsHttpsTrafficOnly: false }), copy: { name: 'c', count: "[concat('a', 'b')]" } }] });
    const r = evaluateFiles({ 'main.json': bad });
    assert.match(r.diagnostics.find((d) => d.severity === 'error')!.message, /copy 'c': count must be an integer from 0 to 800, got "ab"/);
    assert.equal(r.resources.length, 1);
    assert.deepEqual(r.resources[0].copyPath, [{ loop: 'c', index: null }]);
  });
});

describe('ARM engine: copies whose names are known only at deployment', () => {
  const nic = { type: 'Microsoft.Network/networkInterfaces', apiVersion: '2023-04-01', name: "[concat(parameters('vm_name'), '_nic')]", location: 'westeurope', properties: { enableIPForwarding: true }, copy: { name: 'nicLoop', count: 4 } };

  it('carry their copy index, those of enclosing deployments included, and give distinct results', () => {
    const inner = tpl({ parameters: { vm_name: { type: 'string' } }, resources: [{ ...nic, copy: { name: 'inner', count: 2 } }] });
    const r = evaluateFiles({
      'main.json': tpl({
        parameters: { vm_name: { type: 'string' } },
        resources: [
          nic,
          storage('plain', {}),
          { type: 'Microsoft.Resources/deployments', apiVersion: '2022-09-01', name: "[concat('dep', copyIndex())]", copy: { name: 'deps', count: 2 }, properties: { mode: 'Incremental', expressionEvaluationOptions: { scope: 'inner' }, template: inner } },
        ],
      }),
    });
    const nics = r.resources.filter((x) => x.type === 'Microsoft.Network/networkInterfaces');
    assert.deepEqual(nics.map((x) => x.name), Array(8).fill("[parameters('vm_name')]_nic"));
    assert.deepEqual(nics.map((x) => x.copyPath), [
      [{ loop: 'nicLoop', index: 0 }], [{ loop: 'nicLoop', index: 1 }], [{ loop: 'nicLoop', index: 2 }], [{ loop: 'nicLoop', index: 3 }],
      [{ loop: 'deps', index: 0 }, { loop: 'inner', index: 0 }], [{ loop: 'deps', index: 0 }, { loop: 'inner', index: 1 }],
      [{ loop: 'deps', index: 1 }, { loop: 'inner', index: 0 }], [{ loop: 'deps', index: 1 }, { loop: 'inner', index: 1 }],
    ]);
    assert.deepEqual(nics.slice(4).map((x) => x.deploymentPath), [['dep0'], ['dep0'], ['dep1'], ['dep1']]);
    assert.equal(r.resources.find((x) => x.name === 'plain')?.copyPath, undefined);
  });
});
