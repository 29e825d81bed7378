import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { classify, evaluate } from '../../../tasks/ArmTemplateSecurityGate/core/evaluate';
import { nodeGateDeps } from '../../../tasks/ArmTemplateSecurityGate/task/node-deps';
import { corpusDir } from '../../../scripts/paths';
import { fixtures } from '../paths';
import { silentLogger } from '../../../tasks/common/log/logger';

const quiet = silentLogger;

describe('evaluate() with the real engine and catalogue', () => {
  it('evaluates expressions with the paired parameter file: one failing result per copy', () => {
    const r = evaluate({ paths: ['violating'], root: fixtures() }, nodeGateDeps(quiet));
    const https = r.findings.filter((f) => f.ruleId === 'storage-https-only');
    assert.deepEqual(https.map((f) => [f.resource.name, f.outcome]), [['contosodata0', 'fail'], ['contosodata1', 'fail']]);
    assert.equal(r.files.find((f) => f.file === 'violating/storage.json')?.parametersFile, 'violating/storage.parameters.json');
    assert.deepEqual(r.uncovered.map((u) => u.type), ['Microsoft.Network/privateDnsZones']);
  });

  it('a parameter with no value makes the result unknown, with the reason and the line, never a pass', () => {
    const r = evaluate({ paths: ['unknown'], root: fixtures(), unknownPolicy: 'fail', skipControls: ['storage-blob-soft-delete'] }, nodeGateDeps(quiet));
    const https = r.findings.find((f) => f.ruleId === 'storage-https-only')!;
    assert.equal(https.outcome, 'unknown');
    assert.match(https.message, /parameter 'httpsOnly' has no value/);
    assert.equal(https.line, 16);
    assert.equal(https.blocking, true);
    assert.equal(r.verdict.result, 'fail');
    assert.equal(evaluate({ paths: ['unknown'], root: fixtures(), skipControls: ['storage-blob-soft-delete'] }, nodeGateDeps(quiet)).verdict.result, 'warn');
  });

  it('names a resource known only at deployment by its name expression; attestation globs match that name', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armgate-names-'));
    try {
      const storage = (name: string) => ({
        type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-05-01', name, location: 'westeurope', kind: 'StorageV2', sku: { name: 'Standard_LRS' },
        properties: { supportsHttpsTrafficOnly: false, minimumTlsVersion: 'TLS1_2', allowBlobPublicAccess: false },
      });
      fs.writeFileSync(path.join(dir, 'main.json'), JSON.stringify({
        $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', contentVersion: '1.0.0.0',
        parameters: { clusterName: { type: 'string' }, prefix: { type: 'string' } },
        resources: [storage("[parameters('clusterName')]"), { ...storage("[concat(parameters('prefix'), copyIndex())]"), copy: { name: 'c', count: 2 } }],
      }, null, 2));
      fs.writeFileSync(path.join(dir, 'main.parameters.json'), JSON.stringify({
        $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#', contentVersion: '1.0.0.0',
        parameters: { clusterName: { value: 'GEN-UNIQUE' } },
      }));
      fs.writeFileSync(path.join(dir, 'attest.yml'), [
        'attestations:',
        '  - control: storage-https-only',
        `    resource: { name: "[parameters('clusterName')]" }`,
        '    justification: Terminated at the gateway',
        '    expiresOn: 2999-01-01',
        '  - control: storage-https-only',
        `    resource: { name: "[parameters('prefix')]1" }`,
        '    justification: Only the second copy',
        '    expiresOn: 2999-01-01',
      ].join('\n'));
      const r = evaluate({ paths: ['main.json'], root: dir, attestationsFile: 'attest.yml' }, nodeGateDeps(quiet));
      const https = r.findings.filter((f) => f.ruleId === 'storage-https-only');
      assert.deepEqual(https.map((f) => [f.resource.name, f.outcome]), [
        ["[parameters('clusterName')]", 'attested'],
        ["[parameters('prefix')]0", 'fail'],
        ["[parameters('prefix')]1", 'attested'],
      ]);
      assert.deepEqual(r.unusedAttestations, []);

      const skipped = evaluate({ paths: ['main.json'], root: dir, skipRules: [{ control: 'storage-https-only', resourceName: "[parameters('clusterName')]" }] }, nodeGateDeps(quiet));
      assert.equal(skipped.counts.skipped, 1);
      assert.deepEqual(skipped.findings.filter((f) => f.ruleId === 'storage-https-only').map((f) => f.resource.name), ["[parameters('prefix')]0", "[parameters('prefix')]1"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('classifies by a leading $schema and falls back to the engine for the rest', () => {
    assert.equal(classify('{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": [] }'), 'template');
    assert.equal(classify('{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#"}'), 'parameters');
    assert.equal(classify('{ "name": "pkg", "version": "1.0.0" }'), 'other');
    assert.equal(classify('{ // comment\n "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": [] }'), 'template');
  });

  it('scans the whole quickstart corpus without a crash, and every unknown says why', function () {
    const corpus = corpusDir();
    const r = evaluate({ paths: ['.'], root: corpus }, nodeGateDeps(quiet));
    assert.ok(r.counts.templates > 150, `${r.counts.templates} templates`);
    const crashes = r.files.filter((f) => /engine failure/.test(f.error ?? ''));
    assert.deepEqual(crashes.map((f) => `${f.file}: ${f.error}`), []);
    for (const f of r.findings.filter((x) => x.outcome === 'unknown')) assert.ok(f.message.length > 10, `${f.file}:${f.line} ${f.message}`);
    for (const f of r.findings) assert.ok(f.line >= 1 && f.file.length > 0, JSON.stringify(f));
  });
});
