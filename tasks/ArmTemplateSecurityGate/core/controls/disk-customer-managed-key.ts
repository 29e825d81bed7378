import { expectNonEmptyString, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'disk-customer-managed-key',
    title: 'Managed disks are encrypted with a customer-managed key',
    severity: 'low',
    featureSet: 'ManagedDisk',
    resourceTypes: ['Microsoft.Compute/disks'],
    rationale:
      'Every managed disk is encrypted at rest, by default with a key Microsoft holds and rotates. A disk encryption set puts the key ' +
      'in your Key Vault: you decide who may use it, see every use in the vault\'s logs, and can revoke it, which makes the disk and its ' +
      'snapshots unreadable at once (crypto-shredding). The control asks for properties.encryption.diskEncryptionSetId, as Checkov ' +
      'does; a disk without it is not unencrypted, it is encrypted with a key you do not control.',
    remediation: {
      text: 'Create a Microsoft.Compute/diskEncryptionSets resource backed by a Key Vault key and reference it from the disk.',
      snippet: snippet({
        type: 'Microsoft.Compute/disks',
        properties: { encryption: { type: 'EncryptionAtRestWithCustomerKey', diskEncryptionSetId: "[resourceId('Microsoft.Compute/diskEncryptionSets', parameters('desName'))]" } },
      }),
    },
    references: { checkov: ['CKV_AZURE_93'], mcsb: ['DP-5'] },
    since: '2026-12-07',
  },
  expectNonEmptyString('$.properties.encryption.diskEncryptionSetId', {
    ifAbsent: 'fail',
    absentReason: 'the disk is encrypted with a platform-managed key',
    what: 'the disk encryption set',
  }),
);
