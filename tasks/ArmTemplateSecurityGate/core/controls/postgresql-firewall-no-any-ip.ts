import { noUniversalFirewallRule, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'postgresql-firewall-no-any-ip',
    title: 'Azure Database for PostgreSQL firewall does not allow the whole internet',
    severity: 'high',
    featureSet: 'DBforPostgreSQL',
    resourceTypes: ['Microsoft.DBforPostgreSQL/servers/firewallRules', 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules'],
    rationale:
      'A firewall rule from 0.0.0.0 to 255.255.255.255 exposes the database login endpoint to every address, leaving the password ' +
      'as the only defence. Both single-server and flexible-server firewall rules are checked.',
    remediation: {
      text: 'Replace the rule with the specific client ranges, or use private access (VNet integration / private endpoint).',
      snippet: snippet({
        type: 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules',
        properties: { startIpAddress: '203.0.113.10', endIpAddress: '203.0.113.20' },
      }),
    },
    references: { azsk: ['Azure_DBforPostgreSQL_NetSec_Dont_Allow_Universal_IP_Range'], mcsb: ['NS-2'] },
    since: '2026-11-23',
  },
  noUniversalFirewallRule(),
);
