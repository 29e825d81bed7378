import { allOf, expectBool, resourceControl, snippet } from './helpers';

const off = (name: string) =>
  expectBool(`$.properties.${name}`, false, { ifAbsent: 'pass', absentReason: 'defaults to false', what: name });

export default resourceControl(
  {
    id: 'key-vault-advanced-access-policies',
    title: 'Key Vault grants Azure platform access only where needed',
    severity: 'medium',
    featureSet: 'KeyVault',
    resourceTypes: ['Microsoft.KeyVault/vaults'],
    rationale:
      'enabledForDeployment (VMs may read certificates), enabledForDiskEncryption and enabledForTemplateDeployment (any template ' +
      'deployment by a user with deploy rights may read secrets) widen who can reach vault content. Each defaults to false; ' +
      'one that is needed should be suppressed with a reason.',
    remediation: {
      text: 'Remove the flags or set them to false unless the scenario needs them.',
      snippet: snippet({
        type: 'Microsoft.KeyVault/vaults',
        properties: { enabledForDeployment: false, enabledForDiskEncryption: false, enabledForTemplateDeployment: false },
      }),
    },
    references: { azsk: ['Azure_KeyVault_AuthZ_Configure_Advanced_Access_Policies'], mcsb: ['PA-7'] },
    since: '2026-11-23',
  },
  allOf(off('enabledForDeployment'), off('enabledForDiskEncryption'), off('enabledForTemplateDeployment')),
);
