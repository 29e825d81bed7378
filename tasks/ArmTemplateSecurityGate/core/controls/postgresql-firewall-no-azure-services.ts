import { noAzureServicesFirewallRule, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'postgresql-firewall-no-azure-services',
    title: 'Azure Database for PostgreSQL firewall does not admit all Azure services',
    severity: 'medium',
    featureSet: 'DBforPostgreSQL',
    resourceTypes: ['Microsoft.DBforPostgreSQL/servers/firewallRules', 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules'],
    rationale:
      'The rule 0.0.0.0 – 0.0.0.0 ("Allow access to Azure services") admits connections from any Azure resource, including ' +
      'resources in other customers\' subscriptions. Prefer private access or the outbound addresses of your own services.',
    remediation: {
      text: 'Remove the 0.0.0.0 – 0.0.0.0 rule; use VNet integration, private endpoints or specific outbound IPs.',
      snippet: snippet({
        type: 'Microsoft.DBforPostgreSQL/flexibleServers',
        properties: { network: { publicNetworkAccess: 'Disabled' } },
      }),
    },
    references: {
      azsk: ['Azure_DBforPostgreSQL_AuthZ_Firewall_Deny_AzureServices_Access'],
      psrule: ['Azure.PostgreSQL.AllowAzureAccess'],
      mcsb: ['NS-2'],
    },
    since: '2026-11-23',
  },
  noAzureServicesFirewallRule(),
);
