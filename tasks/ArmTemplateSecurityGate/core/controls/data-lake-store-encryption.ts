import { expectOneOf, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'data-lake-store-encryption',
    title: 'Data Lake Store Gen1 account encrypts data at rest',
    severity: 'high',
    featureSet: 'DataLakeStore',
    resourceTypes: ['Microsoft.DataLakeStore/accounts'],
    rationale:
      'Encryption at rest protects data if storage media leave Microsoft\'s control and cannot be enabled after the account is ' +
      'created. It is on unless encryptionState is "Disabled", so an unset value passes. Data Lake Storage Gen1 is retired; ' +
      'templates still declaring it should migrate to Storage accounts with hierarchical namespace.',
    remediation: {
      text: 'Remove encryptionState "Disabled" (or set "Enabled"); plan migration to ADLS Gen2.',
      snippet: snippet({ type: 'Microsoft.DataLakeStore/accounts', properties: { encryptionState: 'Enabled' } }),
    },
    references: { azsk: ['Azure_DataLakeStore_DP_Encrypt_At_Rest'], checkov: ['CKV_AZURE_105'], mcsb: ['DP-4'] },
    since: '2026-11-23',
  },
  expectOneOf('$.properties.encryptionState', ['Enabled'], { ifAbsent: 'pass', absentReason: 'encryption is on by default', what: 'encryption at rest' }),
);
