import { expectPublicAccessClosed, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'sql-server-public-network-access-disabled',
    title: 'SQL server is not reachable from public networks',
    severity: 'medium',
    featureSet: 'SqlServer',
    resourceTypes: ['Microsoft.Sql/servers'],
    rationale:
      'With publicNetworkAccess Enabled (the default) the server\'s endpoint answers on the Internet and only firewall rules ' +
      'stand between it and password spraying; one broad rule exposes every database. Disabled leaves private endpoints only, ' +
      'and firewall rules are then ignored.',
    remediation: {
      text: 'Set properties.publicNetworkAccess to "Disabled" and connect through a private endpoint.',
      snippet: snippet({ type: 'Microsoft.Sql/servers', properties: { publicNetworkAccess: 'Disabled' } }),
    },
    references: { checkov: ['CKV_AZURE_113'], mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  expectPublicAccessClosed(),
);
