import { expectBool, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'storage-shared-key-access-disabled',
    title: 'Storage account does not accept shared keys',
    severity: 'medium',
    featureSet: 'Storage',
    resourceTypes: ['Microsoft.Storage/storageAccounts'],
    rationale:
      'The two account keys grant full control of all data, never expire and cannot be scoped; every account SAS is signed with ' +
      'them. With allowSharedKeyAccess false, requests must carry an Entra ID token (or a user delegation SAS), so access is ' +
      'per identity, auditable and revocable. Unset means true.',
    remediation: {
      text: 'Set properties.allowSharedKeyAccess to false and grant Storage Blob/Queue/Table Data roles to the identities that need access.',
      snippet: snippet({ type: 'Microsoft.Storage/storageAccounts', properties: { allowSharedKeyAccess: false } }),
    },
    references: { psrule: ['Azure.Storage.LocalAuth'], mcsb: ['IM-1'] },
    since: '2026-12-07',
  },
  expectBool('$.properties.allowSharedKeyAccess', false, { ifAbsent: 'fail', absentReason: 'defaults to true', what: 'shared key access' }),
);
