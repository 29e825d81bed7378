import { expectBool, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'cosmos-db-key-based-metadata-write-disabled',
    title: 'Cosmos DB account keys cannot change databases and containers',
    severity: 'medium',
    featureSet: 'CosmosDb',
    resourceTypes: ['Microsoft.DocumentDB/databaseAccounts'],
    rationale:
      'By default an account key can also create, change and delete databases, containers and throughput settings, so a key ' +
      'leaked from an application becomes a management-plane credential. disableKeyBasedMetadataWriteAccess true leaves those ' +
      'changes to Azure RBAC (ARM), which is audited in the activity log.',
    remediation: {
      text: 'Set properties.disableKeyBasedMetadataWriteAccess to true and manage databases and containers through ARM.',
      snippet: snippet({ type: 'Microsoft.DocumentDB/databaseAccounts', properties: { disableKeyBasedMetadataWriteAccess: true } }),
    },
    references: { checkov: ['CKV_AZURE_132'], psrule: ['Azure.Cosmos.DisableMetadataWrite'], mcsb: ['IM-1'] },
    since: '2026-12-07',
  },
  expectBool('$.properties.disableKeyBasedMetadataWriteAccess', true, { ifAbsent: 'fail', absentReason: 'defaults to false', what: 'key-based metadata writes' }),
);
