import { expectBool, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'key-vault-purge-protection',
    title: 'Key Vault purge protection is on',
    severity: 'medium',
    featureSet: 'KeyVault',
    resourceTypes: ['Microsoft.KeyVault/vaults'],
    rationale:
      'Soft delete alone lets anyone with purge permission destroy deleted keys at once; purge protection enforces the retention ' +
      'period, so a compromised admin cannot permanently delete keys that encrypt other data. Off by default. Added to the AzSK ' +
      'soft-delete control because soft delete is now always on and purge protection is what is left to decide.',
    remediation: {
      text: 'Set properties.enablePurgeProtection to true (it cannot be turned off again).',
      snippet: snippet({ type: 'Microsoft.KeyVault/vaults', properties: { enablePurgeProtection: true } }),
    },
    references: { checkov: ['CKV_AZURE_110'], psrule: ['Azure.KeyVault.PurgeProtect'], mcsb: ['DP-8'] },
    since: '2026-11-23',
  },
  expectBool('$.properties.enablePurgeProtection', true, { ifAbsent: 'fail', absentReason: 'off by default', what: 'purge protection' }),
);
