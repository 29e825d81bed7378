import { expectOneOf, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'batch-account-customer-managed-key',
    title: 'Batch account encrypts its data with a customer-managed key',
    severity: 'low',
    featureSet: 'Batch',
    resourceTypes: ['Microsoft.Batch/batchAccounts'],
    rationale:
      'A Batch account stores task inputs, outputs, application packages and certificates metadata. With Microsoft-managed keys ' +
      'the owner cannot rotate or revoke the key; encryption.keySource "Microsoft.KeyVault" with a key you control allows both. ' +
      'It defaults to Microsoft.Batch. Checkov\'s CKV_AZURE_76 reads keyVaultReference instead, which names the vault for ' +
      'user-subscription pool allocation and has nothing to do with encryption, so it is not mapped.',
    remediation: {
      text: 'Set properties.encryption.keySource to "Microsoft.KeyVault" with encryption.keyVaultProperties.keyIdentifier, and give the account identity access to the key.',
      snippet: snippet({
        type: 'Microsoft.Batch/batchAccounts',
        identity: { type: 'SystemAssigned' },
        properties: { encryption: { keySource: 'Microsoft.KeyVault', keyVaultProperties: { keyIdentifier: 'https://contoso-kv.vault.azure.net/keys/batch/0123' } } },
      }),
    },
    references: { mcsb: ['DP-5'] },
    since: '2026-12-07',
  },
  expectOneOf('$.properties.encryption.keySource', ['Microsoft.KeyVault'], { ifAbsent: 'fail', absentReason: 'defaults to Microsoft.Batch (Microsoft-managed keys)', what: 'the encryption key source' }),
);
