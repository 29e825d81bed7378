import { expectOneOf, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'storage-container-no-public-access',
    title: 'Blob container does not allow anonymous read access',
    severity: 'high',
    featureSet: 'Storage',
    resourceTypes: ['Microsoft.Storage/storageAccounts/blobServices/containers'],
    rationale:
      'A container whose publicAccess is "Blob" or "Container" serves its blobs (and, for "Container", the list of them) to ' +
      'anyone with the URL, without a key or token. Unset means "None". The account-level switch allowBlobPublicAccess ' +
      '(storage-no-public-blob-access) can override it, but a container that asks for anonymous access is a mistake waiting ' +
      'for that switch to flip.',
    remediation: {
      text: 'Remove publicAccess or set it to "None"; share data with SAS tokens or Entra ID roles instead.',
      snippet: snippet({
        type: 'Microsoft.Storage/storageAccounts/blobServices/containers',
        name: "[concat(parameters('accountName'), '/default/data')]",
        properties: { publicAccess: 'None' },
      }),
    },
    references: { checkov: ['CKV_AZURE_34'], psrule: ['Azure.Storage.BlobAccessType'], mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  expectOneOf('$.properties.publicAccess', ['None'], { ifAbsent: 'pass', absentReason: 'defaults to None', what: 'anonymous access' }),
);
