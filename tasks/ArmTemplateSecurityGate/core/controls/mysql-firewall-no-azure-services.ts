import { noAzureServicesFirewallRule, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'mysql-firewall-no-azure-services',
    title: 'Azure Database for MySQL firewall does not admit all Azure services',
    severity: 'medium',
    featureSet: 'DBforMySQL',
    resourceTypes: ['Microsoft.DBforMySQL/servers/firewallRules', 'Microsoft.DBforMySQL/flexibleServers/firewallRules'],
    rationale:
      'The rule 0.0.0.0 – 0.0.0.0 ("Allow access to Azure services") admits connections from any Azure resource, including ' +
      'resources in other customers\' subscriptions. Prefer private access or the outbound addresses of your own services.',
    remediation: {
      text: 'Remove the 0.0.0.0 – 0.0.0.0 rule; use VNet integration, private endpoints or specific outbound IPs.',
      snippet: snippet({
        type: 'Microsoft.DBforMySQL/flexibleServers',
        properties: { network: { publicNetworkAccess: 'Disabled' } },
      }),
    },
    references: { psrule: ['Azure.MySQL.AllowAzureAccess'], mcsb: ['NS-2'] },
    since: '2026-11-23',
  },
  noAzureServicesFirewallRule(),
);
