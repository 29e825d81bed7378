import { expectNonEmptyString, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'cosmos-db-customer-managed-key',
    title: 'Cosmos DB account encrypts data with a customer-managed key',
    severity: 'low',
    featureSet: 'CosmosDb',
    resourceTypes: ['Microsoft.DocumentDB/databaseAccounts'],
    rationale:
      'Cosmos DB always encrypts at rest, but with Microsoft-managed keys the data owner can neither rotate nor revoke the key: ' +
      'disabling a key in your own Key Vault is the way to make the data unreadable at once (crypto-shredding) and to prove ' +
      'who used the key. keyVaultKeyUri names that key; it can only be set when the account is created. Meant for data whose ' +
      'policy requires customer-managed keys; exclude the control in a baseline where it does not.',
    remediation: {
      text: 'Set properties.keyVaultKeyUri to a key in a Key Vault with soft delete and purge protection, and give the account identity (defaultIdentity) access to it.',
      snippet: snippet({ type: 'Microsoft.DocumentDB/databaseAccounts', properties: { keyVaultKeyUri: 'https://contoso-kv.vault.azure.net/keys/cosmos' } }),
    },
    references: { checkov: ['CKV_AZURE_100'], mcsb: ['DP-5'] },
    since: '2026-12-07',
  },
  expectNonEmptyString('$.properties.keyVaultKeyUri', { ifAbsent: 'fail', absentReason: 'Microsoft-managed keys are used', what: 'the customer-managed key' }),
);
