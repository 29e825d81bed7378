import { expectOneOf, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'key-vault-key-hsm-backed',
    title: 'Key Vault key is kept in a hardware security module',
    severity: 'low',
    featureSet: 'KeyVault',
    resourceTypes: ['Microsoft.KeyVault/vaults/keys'],
    rationale:
      'Software-protected keys (kty RSA or EC) are processed by Key Vault in software; HSM-protected keys (RSA-HSM, EC-HSM) ' +
      'never leave a FIPS 140 validated hardware module, which is what customer-managed encryption keys and signing keys ' +
      'usually have to meet. Requires a Premium vault. An unset kty fails: a key cannot be created without one.',
    remediation: {
      text: 'Set properties.kty to "RSA-HSM" or "EC-HSM" (Premium SKU vault).',
      snippet: snippet({ type: 'Microsoft.KeyVault/vaults/keys', properties: { kty: 'RSA-HSM', keySize: 3072 } }),
    },
    references: { checkov: ['CKV_AZURE_112'], mcsb: ['DP-6'] },
    since: '2026-12-07',
  },
  expectOneOf('$.properties.kty', ['RSA-HSM', 'EC-HSM'], { ifAbsent: 'fail', absentReason: 'the key type must be given', what: 'the key type' }),
);
