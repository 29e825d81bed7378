import { ossPublicAccessRule, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'postgresql-public-network-access-disabled',
    title: 'Azure Database for PostgreSQL server is not reachable from public networks',
    severity: 'medium',
    featureSet: 'DBforPostgreSQL',
    resourceTypes: ['Microsoft.DBforPostgreSQL/servers', 'Microsoft.DBforPostgreSQL/flexibleServers'],
    rationale:
      'A server with a public endpoint answers on the Internet and only its firewall rules stand between it and password ' +
      'spraying or exploits of the database engine. Single servers turn the endpoint off with publicNetworkAccess Disabled; ' +
      'flexible servers with network.publicNetworkAccess Disabled or by injection into a virtual network ' +
      '(network.delegatedSubnetResourceId). Both default to public.',
    remediation: {
      text: 'Set publicNetworkAccess to "Disabled" (properties.network.publicNetworkAccess on a flexible server) and connect through a private endpoint or the delegated subnet.',
      snippet: snippet({ type: 'Microsoft.DBforPostgreSQL/flexibleServers', properties: { network: { publicNetworkAccess: 'Disabled' } } }),
    },
    references: { checkov: ['CKV_AZURE_68'], mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  ossPublicAccessRule(),
);
