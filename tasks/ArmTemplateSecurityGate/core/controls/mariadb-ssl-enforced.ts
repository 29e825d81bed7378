import { resourceControl, snippet, sslEnforcementRule } from './helpers';

export default resourceControl(
  {
    id: 'mariadb-ssl-enforced',
    title: 'Azure Database for MariaDB requires encrypted connections',
    severity: 'high',
    featureSet: 'DBforMariaDB',
    resourceTypes: ['Microsoft.DBforMariaDB/servers'],
    rationale:
      'Unencrypted connections expose credentials and query results on the network. sslEnforcement defaults to Enabled, so ' +
      'only an explicit Disabled fails (Checkov CKV_AZURE_47 also fails an unset value; the service default makes it safe).',
    remediation: {
      text: 'Remove sslEnforcement or set it to "Enabled".',
      snippet: snippet({ type: 'Microsoft.DBforMariaDB/servers', properties: { sslEnforcement: 'Enabled', minimalTlsVersion: 'TLS1_2' } }),
    },
    references: { checkov: ['CKV_AZURE_47'], mcsb: ['DP-3'] },
    since: '2026-12-07',
  },
  sslEnforcementRule(),
);
