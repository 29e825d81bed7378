import { allOf, expectBool, expectIntAtLeast, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'key-vault-soft-delete',
    title: 'Key Vault soft delete is not turned off',
    severity: 'medium',
    featureSet: 'KeyVault',
    resourceTypes: ['Microsoft.KeyVault/vaults'],
    rationale:
      'Soft delete keeps a deleted vault and its keys, secrets and certificates recoverable for the retention period. AzSK required ' +
      'enableSoftDelete: true; Key Vault has since made soft delete the default and no longer lets it be turned off, so an unset ' +
      'value passes and only an explicit false (which older API versions honoured and new ones reject) fails. Deleted items are kept ' +
      'softDeleteRetentionInDays days (7 to 90, 90 when unset); this control asks for at least {minimumRetentionDays}.',
    remediation: {
      text: 'Remove enableSoftDelete: false (or set it to true) and keep softDeleteRetentionInDays at {minimumRetentionDays} or more (at most 90).',
      snippet: snippet({ type: 'Microsoft.KeyVault/vaults', properties: { enableSoftDelete: true, softDeleteRetentionInDays: 90 } }),
    },
    references: { azsk: ['Azure_KeyVault_SI_Enable_SoftDelete'], checkov: ['CKV_AZURE_111'], psrule: ['Azure.KeyVault.SoftDelete'], mcsb: ['DP-8'] },
    since: '2026-11-23',
    parameters: {
      minimumRetentionDays: { type: 'integer', default: 7, min: 7, max: 90, doc: 'Fewest days (softDeleteRetentionInDays) deleted vault items must be kept.' },
    },
  },
  ({ minimumRetentionDays }) =>
    allOf(
      expectBool('$.properties.enableSoftDelete', true, { ifAbsent: 'pass', absentReason: 'soft delete is on by default', what: 'soft delete' }),
      // 7 is the least Key Vault accepts: at the default minimum, no written value can fail.
      expectIntAtLeast('$.properties.softDeleteRetentionInDays', minimumRetentionDays, {
        ifAbsent: 'pass',
        absentValue: 90,
        floor: 7,
        absentReason: 'Key Vault keeps deleted items 90 days',
        what: 'the soft delete retention',
      }),
    ),
);
