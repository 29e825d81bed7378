import { expectPublicAccessClosed, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'cosmos-db-public-network-access-disabled',
    title: 'Cosmos DB account is not reachable from public networks',
    severity: 'medium',
    featureSet: 'CosmosDb',
    resourceTypes: ['Microsoft.DocumentDB/databaseAccounts'],
    rationale:
      'With publicNetworkAccess Enabled (the default) the account endpoint answers on the Internet, guarded by keys and the IP ' +
      'firewall only; a leaked account key is then enough to read every container. Disabled leaves private endpoints only.',
    remediation: {
      text: 'Set properties.publicNetworkAccess to "Disabled" and reach the account through private endpoints.',
      snippet: snippet({ type: 'Microsoft.DocumentDB/databaseAccounts', properties: { publicNetworkAccess: 'Disabled' } }),
    },
    references: { checkov: ['CKV_AZURE_101'], psrule: ['Azure.Cosmos.PublicAccess'], mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  expectPublicAccessClosed(),
);
