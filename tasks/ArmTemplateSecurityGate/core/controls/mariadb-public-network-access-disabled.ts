import { ossPublicAccessRule, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'mariadb-public-network-access-disabled',
    title: 'Azure Database for MariaDB server is not reachable from public networks',
    severity: 'medium',
    featureSet: 'DBforMariaDB',
    resourceTypes: ['Microsoft.DBforMariaDB/servers'],
    rationale:
      'A server with a public endpoint answers on the Internet and only its firewall rules stand between it and password ' +
      'spraying or exploits of the database engine. Single servers turn the endpoint off with publicNetworkAccess Disabled; ' +
      'MariaDB has single servers only. The default is public.' +
      ' Not mapped to Checkov CKV_AZURE_48, which (despite its title) expects the value Enabled.',
    remediation: {
      text: 'Set publicNetworkAccess to "Disabled" and connect through a private endpoint.',
      snippet: snippet({ type: 'Microsoft.DBforMariaDB/servers', properties: { publicNetworkAccess: 'Disabled' } }),
    },
    references: { mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  ossPublicAccessRule(),
);
