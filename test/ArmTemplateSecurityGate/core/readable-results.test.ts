/**
 * Issue 8 §4: results a reader (and an attestation) can act on: copies told apart, the controls
 * whose inputs were known reported beside an expression that fails, the not-covered summary one
 * type per line, hints naming options that exist, SARIF levels that follow severity.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { silentLogger } from '../../../tasks/common/log/logger';
import { evaluate } from '../../../tasks/ArmTemplateSecurityGate/core/evaluate';
import { findReporter } from '../../../tasks/ArmTemplateSecurityGate/core/reporters';
import type { EvaluateOptions } from '../../../tasks/ArmTemplateSecurityGate/core/scan-types';
import { nodeGateDeps } from '../../../tasks/ArmTemplateSecurityGate/task/node-deps';
import { sarifProblems } from '../sarif-validator';

const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

describe('scan: results a reader and an attestation can tell apart', () => {
  let root: string;
  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'armgate-readable-')));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const scan = (template: object, options: Partial<EvaluateOptions> = {}, extra: Record<string, string> = {}) => {
    fs.writeFileSync(path.join(root, 'main.json'), JSON.stringify({ $schema: SCHEMA, contentVersion: '1.0.0.0', ...template }, null, 2));
    for (const [name, text] of Object.entries(extra)) fs.writeFileSync(path.join(root, name), text);
    return evaluate({ paths: ['main.json'], root, ...options }, nodeGateDeps(silentLogger));
  };
  const nics = (count: number) => ({
    parameters: { vm_name: { type: 'string' } },
    resources: [
      {
        type: 'Microsoft.Network/networkInterfaces', apiVersion: '2023-04-01', name: "[concat(parameters('vm_name'), '_nic')]", location: 'westeurope',
        copy: { name: 'nicLoop', count }, properties: { enableIPForwarding: true },
      },
    ],
  });

  it('copies whose names are known only at deployment carry their copy index, and one can be attested alone', () => {
    const r = scan(nics(4));
    const names = r.findings.filter((f) => f.ruleId === 'nic-ip-forwarding-disabled').map((f) => f.resource.name);
    assert.deepEqual(names, [0, 1, 2, 3].map((i) => `[parameters('vm_name')]_nic (copy ${i} of 'nicLoop')`));
    const sarif = JSON.parse(findReporter('sarif')!.render(r)) as { runs: Array<{ results: Array<{ ruleId: string; partialFingerprints: Record<string, string> }> }> };
    const prints = sarif.runs[0].results.filter((x) => x.ruleId === 'nic-ip-forwarding-disabled').map((x) => x.partialFingerprints['armgateResource/v1']);
    assert.equal(new Set(prints).size, 4);

    const attested = scan(nics(4), { attestationsFile: 'a.yml' }, {
      'a.yml': `attestations:\n  - control: nic-ip-forwarding-disabled\n    resource: { name: "*(copy 2 of 'nicLoop')" }\n    justification: the router\n    expiresOn: 2999-01-01\n`,
    });
    const outcomes = attested.findings.filter((f) => f.ruleId === 'nic-ip-forwarding-disabled').map((f) => f.outcome);
    assert.deepEqual(outcomes, ['fail', 'fail', 'attested', 'fail']);
  });

  it('a copy whose name is known keeps it as written', () => {
    const r = scan({ resources: [{ ...nics(2).resources[0], name: "[concat('nic', copyIndex())]" }] });
    assert.deepEqual(r.findings.filter((f) => f.ruleId === 'nic-ip-forwarding-disabled').map((f) => f.resource.name), ['nic0', 'nic1']);
  });

  it('one expression that cannot be evaluated fails the gate, and the controls whose inputs were known still report', () => {
    const r = scan({
      resources: [
        {
          type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-05-01', name: 'stgood', location: 'westeurope', kind: 'StorageV2', sku: { name: 'Standard_LRS' },
          properties: { supportsHttpsTrafficOnly: false, minimumTlsVersion: "[json('{not json')]" },
        },
      ],
    });
    const error = r.findings.find((f) => f.outcome === 'error');
    assert.ok(error, JSON.stringify(r.findings));
    assert.match(error.message, /json\(\)/);
    assert.equal(r.findings.find((f) => f.ruleId === 'storage-https-only')?.outcome, 'fail');
    assert.equal(r.verdict.result, 'fail');
  });

  it('the not-covered summary is one line per type, sorted, types compared without regard to case', () => {
    const pip = (name: string, type: string) => ({ type, apiVersion: '2023-04-01', name, location: 'westeurope', properties: {} });
    const r = scan({
      resources: [
        pip('a', 'Microsoft.Network/privateDnsZones'),
        pip('b', 'Microsoft.Network/privateDNSZones'),
        pip('c', 'Microsoft.Network/privateDnsZones'),
        pip('d', 'Microsoft.Maps/accounts'),
        pip('e', 'Microsoft.Network/dnsZones'),
      ],
    });
    const text = findReporter('console')!.render(r);
    const block = text.slice(text.indexOf('Not covered by any control'));
    const lines = block.split('\n').slice(1, 4);
    assert.deepEqual(lines.map((l) => l.trim().split(/\s+/)), [
      ['Microsoft.Maps/accounts', '1'],
      ['Microsoft.Network/dnsZones', '1'],
      ['Microsoft.Network/privateDnsZones', '3'],
    ]);
    assert.equal(block.split('\n')[4], '');
    assert.match(findReporter('markdown')!.render(r), /^- Microsoft\.Network\/privateDnsZones \(3\)$/m);
  });

  it('the hint for a linked template not available locally names the options that exist', () => {
    const r = scan({
      resources: [{ type: 'Microsoft.Resources/deployments', apiVersion: '2022-09-01', name: 'linked', properties: { mode: 'Incremental', templateLink: { uri: 'https://example.org/t.json' } } }],
    });
    const message = r.files[0].diagnostics.map((d) => d.message).join('\n');
    assert.match(message, /armgate --linked-template/);
    assert.match(message, /task input linkedTemplates/);
    assert.doesNotMatch(message, /linkedTemplateMap/);
  });

  it('SARIF: a medium failure is a warning and a low one a note, even when they fail the gate; rules and results carry security-severity', () => {
    const r = scan({
      resources: [
        // storage-blob-soft-delete is medium, storage-https-only high.
        { type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-05-01', name: 'st1', location: 'westeurope', kind: 'StorageV2', sku: { name: 'Standard_LRS' }, properties: { supportsHttpsTrafficOnly: false } },
      ],
    });
    const log = JSON.parse(findReporter('sarif')!.render(r));
    assert.deepEqual(sarifProblems(log), []);
    const severities = new Map(r.findings.map((f) => [f.ruleId, f.severity]));
    const results = log.runs[0].results as Array<{ ruleId: string; level: string; kind: string; properties: Record<string, string> }>;
    const expected = { high: ['error', '7.5'], medium: ['warning', '5.5'], low: ['note', '3.0'] } as const;
    const seen = new Set<string>();
    for (const res of results.filter((x) => x.kind === 'fail')) {
      const sev = severities.get(res.ruleId)!;
      seen.add(sev);
      assert.deepEqual([res.level, res.properties['security-severity']], expected[sev], res.ruleId);
    }
    assert.ok(seen.has('high') && seen.has('medium'), [...seen].join());
    assert.ok(r.findings.some((f) => f.severity === 'medium' && f.blocking), 'a medium failure blocks the gate under threshold low');
  });
});
