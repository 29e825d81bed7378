import { expectBool, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'storage-no-public-blob-access',
    title: 'Storage account does not allow anonymous blob access',
    severity: 'high',
    featureSet: 'Storage',
    resourceTypes: ['Microsoft.Storage/storageAccounts'],
    rationale:
      'With allowBlobPublicAccess on, any container can be switched to anonymous read, and its blobs are then readable by anyone ' +
      'with the URL. AzSK checked container access levels with data-plane calls; the account-level switch is what a template ' +
      'can state. New accounts default to false since late 2023, but an existing account keeps its value when the property is ' +
      'omitted, so it must be written.',
    remediation: {
      text: 'Set properties.allowBlobPublicAccess to false.',
      snippet: snippet({ type: 'Microsoft.Storage/storageAccounts', properties: { allowBlobPublicAccess: false } }),
    },
    references: { azsk: ['Azure_Storage_AuthN_Dont_Allow_Anonymous'], psrule: ['Azure.Storage.BlobPublicAccess'] },
    since: '2026-11-23',
  },
  expectBool('$.properties.allowBlobPublicAccess', false, {
    ifAbsent: 'fail',
    absentReason: 'an existing account keeps its current setting',
    what: 'anonymous blob access',
  }),
);
