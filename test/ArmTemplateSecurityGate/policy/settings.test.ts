/**
 * Control settings (armgate.yaml): read strictly, applied to the catalogue.
 */
import * as assert from 'node:assert/strict';
import { FileError } from '../../../tasks/common/errors';
import { controls, findControl } from '../../../tasks/ArmTemplateSecurityGate/core/controls';
import { applySettings, findExclusion, parseSettings } from '../../../tasks/ArmTemplateSecurityGate/core/settings';

function errorOf(yaml: string): FileError {
  try {
    applySettings(controls, parseSettings(yaml, 'armgate.yaml'));
  } catch (e) {
    if (e instanceof FileError) return e;
    throw e;
  }
  assert.fail(`no error for:\n${yaml}`);
}

describe('control settings', () => {
  it('raises a threshold, changes a severity, turns a control off and keeps exclusions', () => {
    const applied = applySettings(controls, parseSettings([
      'controls:',
      '  storage-min-tls-version:',
      '    severity: high',
      '    parameters:',
      '      minimumTlsVersion: 1.3',
      '  aks-supported-kubernetes-version:',
      '    parameters: { minimumVersion: 1.30 }',
      '  Azure_Storage_BCDR_Enable_Soft_Delete:   # an AzSK id names the same control',
      '    enabled: false',
      '  storage-https-only:',
      '    exclude:',
      '      - file: legacy/**',
      '        reason: Retired with CHG-42',
      '      - resource: { type: Microsoft.Storage/storageAccounts, name: "logs*" }',
      '        reason: Log shipping uses HTTP inside the VNet',
    ].join('\n'), 'armgate.yaml'));
    const tls = applied.controls.find((c) => c.meta.id === 'storage-min-tls-version')!;
    assert.deepEqual(tls.parameterValues, { minimumTlsVersion: '1.3' });
    assert.equal(tls.meta.severity, 'high');
    assert.equal(tls.meta.title, 'Storage account requires TLS 1.3 or later');
    assert.equal(findControl('storage-min-tls-version')!.meta.severity, 'medium', 'the built-in catalogue is not changed');
    // Unquoted 1.30 is the YAML number 1.3; the text is what was meant.
    assert.deepEqual(applied.controls.find((c) => c.meta.id === 'aks-supported-kubernetes-version')!.parameterValues, { minimumVersion: '1.30' });
    assert.deepEqual(applied.disabled, ['storage-blob-soft-delete']);
    assert.ok(!applied.controls.some((c) => c.meta.id === 'storage-blob-soft-delete'));
    assert.equal(applied.controls.length, controls.length - 1);
    assert.equal(applied.exclusions.length, 2);
    assert.deepEqual({ ...applied.exclusions[0] }, { control: 'storage-https-only', file: 'legacy/**', reason: 'Retired with CHG-42', source: 'armgate.yaml', line: 12 });
    const finding = (file: string, name: string) => ({ ruleId: 'storage-https-only', file, resource: { type: 'Microsoft.Storage/storageAccounts', name } });
    assert.equal(findExclusion(applied.exclusions, finding('legacy/a/main.json', 'x'))?.line, 12);
    assert.equal(findExclusion(applied.exclusions, finding('infra/main.json', 'LogsEU'))?.line, 14);
    assert.equal(findExclusion(applied.exclusions, finding('infra/main.json', 'data')), undefined);
    assert.equal(findExclusion(applied.exclusions, { ...finding('legacy/main.json', 'x'), ruleId: 'storage-min-tls-version' }), undefined);
  });

  it('an empty file, or one without controls, changes nothing', () => {
    assert.equal(applySettings(controls, parseSettings('', 'armgate.yaml')).controls.length, controls.length);
    assert.equal(applySettings(controls, parseSettings('controls:\n', 'armgate.yaml')).controls.length, controls.length);
  });

  it('unknown keys, controls and parameters, and wrong types, are errors at file:line', () => {
    const cases: Array<[string, RegExp]> = [
      ['control:\n  x: {}', /^armgate\.yaml:1:1: unknown key 'control' in the settings file \(did you mean 'controls'\?\)/],
      ['controls:\n  storage-min-tls-versoin: {}', /^armgate\.yaml:2:3: unknown control 'storage-min-tls-versoin' \(did you mean 'storage-min-tls-version'\?\)/],
      ['controls:\n  storage-min-tls-version:\n    severity: critical', /^armgate\.yaml:3:15: 'severity' of control 'storage-min-tls-version' must be one of low, medium, high, not 'critical'/],
      ['controls:\n  storage-min-tls-version:\n    enabled: "no"', /^armgate\.yaml:3:14: 'enabled' of control 'storage-min-tls-version' must be true or false/],
      ['controls:\n  storage-min-tls-version:\n    paramaters: {}', /^armgate\.yaml:3:5: unknown key 'paramaters' .*did you mean 'parameters'/],
      ['controls:\n  storage-min-tls-version:\n    parameters:\n      minimumTls: 1.3', /^armgate\.yaml:4:7: control 'storage-min-tls-version' has no parameter 'minimumTls' \(did you mean 'minimumTlsVersion'\?\); it declares minimumTlsVersion/],
      ['controls:\n  storage-https-only:\n    parameters:\n      x: 1', /^armgate\.yaml:4:7: control 'storage-https-only' declares no parameters/],
      ['controls:\n  storage-min-tls-version:\n    parameters:\n      minimumTlsVersion: newest', /^armgate\.yaml:4:26: parameter 'minimumTlsVersion' of control 'storage-min-tls-version': expected a version such as '1\.2', got string "newest"/],
      ['controls:\n  key-vault-soft-delete:\n    parameters:\n      minimumRetentionDays: 3', /^armgate\.yaml:4:29: .*expected at least 7, got 3/],
      ['controls:\n  databricks-premium-tier:\n    parameters:\n      allowedTiers: premium', /^armgate\.yaml:4:21: .*expected a list of texts/],
      ['controls:\n  storage-https-only:\n    exclude:\n      - reason: x', /^armgate\.yaml:4:9: an exclusion of control 'storage-https-only' needs 'file' or 'resource'/],
      ['controls:\n  storage-https-only:\n    exclude:\n      - file: legacy/**', /^armgate\.yaml:4:9: .* needs a 'reason'/],
      ['controls:\n  storage-https-only:\n    exclude:\n      - resource: { kind: x }\n        reason: y', /^armgate\.yaml:4:21: unknown key 'kind' in 'resource'/],
      ['controls:\n  storage-https-only: {}\n  Azure_Storage_DP_Encrypt_In_Transit: {}', /^armgate\.yaml:3:3: control 'storage-https-only' is set twice \(also at line 2\)/],
      ['controls:\n  a: 1\n  a: 2', /^armgate\.yaml:3:3: invalid YAML: Map keys must be unique/],
      ['controls: [', /^armgate\.yaml:1:\d+: invalid YAML/],
    ];
    for (const [yaml, expected] of cases) assert.match(errorOf(yaml).message, expected, yaml);
  });
});
