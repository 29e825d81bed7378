import { resourceControl, snippet, sslEnforcementRule } from './helpers';

export default resourceControl(
  {
    id: 'mysql-ssl-enforced',
    title: 'Azure Database for MySQL requires encrypted connections',
    severity: 'high',
    featureSet: 'DBforMySQL',
    resourceTypes: ['Microsoft.DBforMySQL/servers', 'Microsoft.DBforMySQL/flexibleServers/configurations'],
    rationale:
      'Unencrypted connections expose credentials and query results on the network. AzSK checked sslEnforcement on single servers, ' +
      'which Azure has retired; flexible servers enforce TLS through the server parameter require_secure_transport (default ON), ' +
      'declared as a flexibleServers/configurations child. Both forms are checked; an unset value passes because both default to enforced.',
    remediation: {
      text: 'Keep require_secure_transport ON (flexible server) or sslEnforcement "Enabled" (single server).',
      snippet: snippet({
        type: 'Microsoft.DBforMySQL/flexibleServers/configurations',
        name: "[concat(parameters('serverName'), '/require_secure_transport')]",
        properties: { value: 'ON', source: 'user-override' },
      }),
    },
    references: {
      azsk: ['Azure_DBforMySQL_Authz_Enable_SSL_Connection'],
      checkov: ['CKV_AZURE_28'],
      psrule: ['Azure.MySQL.UseSSL'],
      mcsb: ['DP-3'],
    },
    since: '2026-11-23',
  },
  sslEnforcementRule(),
);
