/**
 * The organisation's rules through evaluate() with the real engine: custom controls, Azure Policy
 * definitions and settings are reported, attested, skipped, excluded and baselined like built-in
 * controls, with the same pass / fail / unknown semantics.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileError } from '../../../tasks/common/errors';
import { silentLogger } from '../../../tasks/common/log/logger';
import { loadCatalogue } from '../../../tasks/ArmTemplateSecurityGate/core/catalogue';
import { controls } from '../../../tasks/ArmTemplateSecurityGate/core/controls';
import { evaluate } from '../../../tasks/ArmTemplateSecurityGate/core/evaluate';
import { findReporter } from '../../../tasks/ArmTemplateSecurityGate/core/reporters';
import type { EvaluateOptions, ScanResult } from '../../../tasks/ArmTemplateSecurityGate/core/scan-types';
import { nodeGateDeps, nodeGateFs } from '../../../tasks/ArmTemplateSecurityGate/task/node-deps';
import { sarifProblems } from '../sarif-validator';

const TEMPLATE = {
  $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
  contentVersion: '1.0.0.0',
  parameters: { loc: { type: 'string' } },
  resources: [
    { type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-01-01', name: 'steast', location: 'eastus', kind: 'StorageV2', sku: { name: 'Standard_LRS' }, properties: { supportsHttpsTrafficOnly: false, minimumTlsVersion: 'TLS1_2' } },
    { type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-01-01', name: 'stparam', location: "[parameters('loc')]", kind: 'StorageV2', sku: { name: 'Standard_LRS' }, properties: { supportsHttpsTrafficOnly: true, minimumTlsVersion: 'TLS1_2' } },
    { type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-01-01', name: 'steu', location: 'West Europe', kind: 'StorageV2', sku: { name: 'Standard_LRS' }, properties: { supportsHttpsTrafficOnly: true, minimumTlsVersion: 'TLS1_2' } },
  ],
};

const ALLOWED_LOCATIONS = `id: allowed-locations
title: Resources are deployed only to approved regions
severity: high
rationale: Customer data stays in the EU.
remediation: Deploy to one of {allowedLocations}.
resourceTypes: ['*']
mode: indexed
parameters:
  allowedLocations:
    type: string[]
    default: [westeurope, northeurope]
    doc: Regions resources may be deployed to.
if:
  field: location
  notIn: "[parameters('allowedLocations')]"
`;

const SECURE_TRANSFER = {
  name: 'secure-transfer-to-storage',
  properties: {
    displayName: 'Secure transfer to storage accounts should be enabled',
    mode: 'Indexed',
    parameters: { effect: { type: 'String', defaultValue: 'Audit', allowedValues: ['Audit', 'Deny', 'Disabled'], metadata: { displayName: 'Effect' } } },
    policyRule: {
      if: { allOf: [
        { field: 'type', equals: 'Microsoft.Storage/storageAccounts' },
        { field: 'Microsoft.Storage/storageAccounts/supportsHttpsTrafficOnly', equals: 'false' },
      ] },
      then: { effect: "[parameters('effect')]" },
    },
  },
};

let dir: string;
function write(rel: string, content: string | object): void {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
}
function scan(options: Partial<EvaluateOptions> = {}): ScanResult {
  return evaluate({ paths: ['infra'], root: dir, skipControls: [], ...options }, nodeGateDeps(silentLogger));
}
/** Every built-in control, to see what the organisation's own controls make of the verdict. */
const BUILT_IN = controls.map((c) => c.meta.id);
const of = (r: ScanResult, id: string) => r.findings.filter((f) => f.ruleId === id).map((f) => [f.resource.name, f.outcome]);

describe('organisation rules: custom controls, policy definitions, settings', () => {
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armgate-org-'));
    write('infra/main.json', TEMPLATE);
    write('security/controls/allowed-locations.yaml', ALLOWED_LOCATIONS);
    write('security/policies/secure-transfer.json', SECURE_TRANSFER);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a custom control fails, passes and is unknown like a built-in one, and its finding points at the value', () => {
    const r = scan({ controlsFolder: 'security/controls' });
    assert.deepEqual(of(r, 'allowed-locations'), [['steast', 'fail'], ['stparam', 'unknown'], ['steu', 'pass']]);
    const fail = r.findings.find((f) => f.ruleId === 'allowed-locations' && f.outcome === 'fail')!;
    assert.equal(fail.title, 'Resources are deployed only to approved regions');
    assert.equal(fail.severity, 'high');
    assert.equal(fail.blocking, true);
    assert.equal(fail.line, 14, 'the location line of the resource');
    assert.match(fail.message, /location is "eastus" \(notIn \["westeurope","northeurope"\]\)/);
    assert.match(r.findings.find((f) => f.ruleId === 'allowed-locations' && f.outcome === 'unknown')!.message, /parameter 'loc' has no value/);
    assert.equal(r.verdict.result, 'fail');
    // Reported like the built-in ones: a SARIF rule with its help, a valid log.
    const sarif = JSON.parse(findReporter('sarif')!.render(r)) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string; fullDescription?: { text: string } }> } } }> };
    assert.deepEqual(sarifProblems(sarif), []);
    const rule = sarif.runs[0].tool.driver.rules.find((x) => x.id === 'allowed-locations');
    assert.ok(rule, 'SARIF lists the custom control');
    assert.match(JSON.stringify(rule), /Deploy to one of westeurope, northeurope/);
  });

  it('settings change a custom control parameter; attestations, skips and baselines apply to it', () => {
    write('armgate.yaml', 'controls:\n  allowed-locations:\n    parameters:\n      allowedLocations: [eastus, westeurope]\n');
    assert.deepEqual(of(scan({ controlsFolder: 'security/controls' }), 'allowed-locations'), [['steast', 'pass'], ['stparam', 'unknown'], ['steu', 'pass']]);
    fs.rmSync(path.join(dir, 'armgate.yaml'));

    write('attest.yml', 'attestations:\n  - control: allowed-locations\n    resource: { name: steast }\n    justification: US pilot until 2027\n    expiresOn: 2999-01-01\n');
    const attested = scan({ controlsFolder: 'security/controls', attestationsFile: 'attest.yml' });
    assert.deepEqual(of(attested, 'allowed-locations')[0], ['steast', 'attested']);

    assert.deepEqual(of(scan({ controlsFolder: 'security/controls', skipControls: ['allowed-locations'] }), 'allowed-locations'), []);

    write('security/controls/allowed-locations.yaml', ALLOWED_LOCATIONS.replace('mode: indexed', 'mode: indexed\nsince: 2027-01-15'));
    assert.deepEqual(of(scan({ controlsFolder: 'security/controls', baseline: '2026-11' }), 'allowed-locations'), [], 'not in a baseline dated before it');
    assert.equal(of(scan({ controlsFolder: 'security/controls', baseline: '2027-02-01' }), 'allowed-locations').length, 3);
  });

  it('a policy definition: deny (from its parameter file) fails under its name and displayName', () => {
    write('security/policies/secure-transfer.parameters.json', { effect: { value: 'Deny' } });
    const r = scan({ policyPaths: ['security/policies'] });
    assert.deepEqual(of(r, 'secure-transfer-to-storage'), [['steast', 'fail'], ['stparam', 'pass'], ['steu', 'pass']]);
    const f = r.findings.find((x) => x.ruleId === 'secure-transfer-to-storage' && x.outcome === 'fail')!;
    assert.equal(f.title, 'Secure transfer to storage accounts should be enabled');
    assert.equal(f.severity, 'high');
    assert.equal(f.blocking, true);
    assert.match(f.message, /^Policy 'Secure transfer to storage accounts should be enabled' \(deny\): the resource matches the rule/);
  });

  it('audit warns and never blocks; disabled is not run; an effect the settings set wins', () => {
    const audit = scan({ policyPaths: ['security/policies/secure-transfer.json'], skipControls: BUILT_IN });
    const f = audit.findings.find((x) => x.ruleId === 'secure-transfer-to-storage' && x.outcome === 'fail')!;
    assert.equal(f.blocking, false);
    assert.equal(f.severity, 'medium');
    assert.equal(audit.verdict.result, 'warn');
    assert.ok(audit.verdict.reasons.some((x) => /1 failure\(s\) of audit policies/.test(x)), audit.verdict.reasons.join('; '));

    write('armgate.yaml', 'controls:\n  secure-transfer-to-storage:\n    parameters:\n      effect: Disabled\n');
    assert.deepEqual(of(scan({ policyPaths: ['security/policies'] }), 'secure-transfer-to-storage'), []);
    const entry = loadCatalogue(controls, { root: dir, policyPaths: ['security/policies'] }, nodeGateFs).entries.find((e) => e.control.meta.id === 'secure-transfer-to-storage')!;
    assert.equal(entry.status, 'disabled');

    write('armgate.yaml', 'controls:\n  secure-transfer-to-storage:\n    parameters:\n      effect: Deny\n');
    assert.equal(scan({ policyPaths: ['security/policies'] }).findings.find((x) => x.ruleId === 'secure-transfer-to-storage' && x.outcome === 'fail')?.blocking, true);
    write('armgate.yaml', 'controls:\n  secure-transfer-to-storage:\n    parameters:\n      effect: Block\n');
    assert.throws(() => scan({ policyPaths: ['security/policies'] }), /armgate\.yaml:4:15: parameter 'effect' of control 'secure-transfer-to-storage': "Block" is not one of "Audit", "Deny", "Disabled"/);
  });

  it('effects that act after deployment are listed as not evaluated, a warning; an unknown alias makes the control unknown, naming it', () => {
    write('security/policies/dine.json', {
      name: 'deploy-diagnostics',
      properties: { displayName: 'Deploy diagnostics', mode: 'Indexed', policyRule: { if: { field: 'type', equals: 'Microsoft.Storage/storageAccounts' }, then: { effect: 'deployIfNotExists', details: { type: 'Microsoft.Insights/diagnosticSettings' } } } },
    });
    write('security/policies/alias.json', {
      name: 'no-such-alias',
      properties: { displayName: 'Uses an alias the table lacks', mode: 'All', policyRule: { if: { field: 'Microsoft.Storage/storageAccounts/noSuchProperty', equals: 'x' }, then: { effect: 'deny' } } },
    });
    const r = scan({ policyPaths: ['security/policies'], skipControls: BUILT_IN });
    assert.deepEqual(r.notEvaluated, [{ id: 'deploy-diagnostics', reason: 'deployIfNotExists deploys related resources after deployment' }]);
    assert.deepEqual(of(r, 'deploy-diagnostics'), []);
    assert.ok(r.verdict.reasons.some((x) => /deploy-diagnostics' is not evaluated before deployment/.test(x)));
    const u = r.findings.filter((x) => x.ruleId === 'no-such-alias');
    assert.deepEqual(u.map((x) => x.outcome), ['unknown', 'unknown', 'unknown']);
    assert.match(u[0].message, /alias 'Microsoft\.Storage\/storageAccounts\/noSuchProperty' is not in the gate's alias table/);
  });

  it('exclusions in the settings leave findings out and report them as such', () => {
    write('armgate.yaml', [
      'controls:',
      '  storage-https-only:',
      '    exclude:',
      '      - resource: { name: "steast" }',
      '        reason: Migrating to HTTPS in CHG-7',
      '      - file: "other/**"',
      '        reason: Nothing there',
    ].join('\n'));
    const r = scan();
    assert.deepEqual(of(r, 'storage-https-only'), [['stparam', 'pass'], ['steu', 'pass']]);
    assert.equal(r.counts.excluded, 1);
    assert.equal(r.settingsFile, 'armgate.yaml');
    assert.deepEqual(r.excluded.map((e) => [e.ruleId, e.resource.name, e.outcome, e.excludedBy, e.reason]), [['storage-https-only', 'steast', 'fail', 'armgate.yaml:4', 'Migrating to HTTPS in CHG-7']]);
    assert.deepEqual(r.exclusions.map((e) => [e.line, e.matched]), [[4, 1], [6, 0]]);
    const json = JSON.parse(findReporter('json')!.render(r)) as { excluded: unknown[]; settings: string; counts: { excluded: number } };
    assert.equal(json.excluded.length, 1);
    assert.equal(json.settings, 'armgate.yaml');
    assert.match(findReporter('console')!.render(r), /1 skipped/);
  });

  it('errors in custom control and policy files name the file and line', () => {
    write('security/controls/allowed-locations.yaml', ALLOWED_LOCATIONS.replace('severity: high', 'severty: high'));
    assert.throws(() => scan({ controlsFolder: 'security/controls' }), (e: unknown) => e instanceof FileError && /^security\/controls\/allowed-locations\.yaml:3:1: unknown key 'severty' in a custom control \(did you mean 'severity'\?\)/.test(e.message));
    write('security/controls/allowed-locations.yaml', ALLOWED_LOCATIONS.replace('id: allowed-locations', 'id: storage-https-only'));
    assert.throws(() => scan({ controlsFolder: 'security/controls' }), /allowed-locations\.yaml: control id 'storage-https-only' is already used by the built-in catalogue/);
    write('security/controls/allowed-locations.yaml', ALLOWED_LOCATIONS.replace('default: [westeurope, northeurope]', 'default: westeurope'));
    assert.throws(() => scan({ controlsFolder: 'security/controls' }), /allowed-locations\.yaml:11:14: 'default' of parameter 'allowedLocations': expected a list of texts/);

    write('security/policies/secure-transfer.parameters.json', '{\n  "efect": { "value": "Deny" }\n}');
    assert.throws(() => scan({ policyPaths: ['security/policies'] }), /secure-transfer\.parameters\.json:2:3: the definition declares no parameter 'efect' \(it declares effect\)/);
    fs.rmSync(path.join(dir, 'security/policies/secure-transfer.parameters.json'));
    write('security/policies/secure-transfer.json', JSON.stringify({ ...SECURE_TRANSFER, properties: { ...SECURE_TRANSFER.properties, policyRules: {} } }, null, 2));
    assert.throws(() => scan({ policyPaths: ['security/policies'] }), /secure-transfer\.json:\d+:\d+: unknown key 'policyRules' in 'properties' \(did you mean 'policyRule'\?\)/);
    const noDefault = { ...SECURE_TRANSFER, properties: { ...SECURE_TRANSFER.properties, parameters: { effect: { type: 'String' } } } };
    write('security/policies/secure-transfer.json', JSON.stringify(noDefault, null, 2));
    assert.throws(() => scan({ policyPaths: ['security/policies'] }), /parameter 'effect' has no defaultValue and no value \(give one in secure-transfer\.parameters\.json beside the definition, or in the settings file\)/);
    write('armgate.yaml', 'controls:\n  secure-transfer-to-storage:\n    parameters:\n      effect: Deny\n');
    assert.equal(of(scan({ policyPaths: ['security/policies'] }), 'secure-transfer-to-storage')[0][1], 'fail', 'the settings may give the value');
    assert.throws(() => scan({ settingsFile: 'missing.yaml' }), /missing\.yaml: settings file not found/);
    assert.throws(() => scan({ settingsFile: 'security' }), /security: is a folder; give the path of the settings file \(YAML\)/);
  });
});
