import { expectBool, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'key-vault-rbac-authorization',
    title: 'Key Vault uses Azure RBAC for data access',
    severity: 'medium',
    featureSet: 'KeyVault',
    resourceTypes: ['Microsoft.KeyVault/vaults'],
    rationale:
      'Access policies grant rights to the whole vault, cannot be scoped to one secret, are not covered by Privileged ' +
      'Identity Management and can be changed by anyone with Contributor on the vault — a path to escalate to every secret. ' +
      'enableRbacAuthorization true moves data access to Azure RBAC role assignments, which can be scoped, reviewed and ' +
      'made just-in-time. It defaults to false in the API versions templates use.',
    remediation: {
      text: 'Set properties.enableRbacAuthorization to true and assign Key Vault data roles (e.g. Key Vault Secrets User) instead of access policies.',
      snippet: snippet({ type: 'Microsoft.KeyVault/vaults', properties: { enableRbacAuthorization: true } }),
    },
    references: { psrule: ['Azure.KeyVault.RBAC'], mcsb: ['PA-7'] },
    since: '2026-12-07',
  },
  expectBool('$.properties.enableRbacAuthorization', true, { ifAbsent: 'fail', absentReason: 'defaults to false: access policies decide', what: 'RBAC authorization' }),
);
