import { resourceControl, serverParameterRule, snippet } from './helpers';

export default resourceControl(
  {
    id: 'postgresql-connection-throttling',
    title: 'Azure Database for PostgreSQL does not turn off connection throttling',
    severity: 'low',
    featureSet: 'DBforPostgreSQL',
    resourceTypes: ['Microsoft.DBforPostgreSQL/servers/configurations', 'Microsoft.DBforPostgreSQL/flexibleServers/configurations'],
    rationale:
      'Connection throttling slows down clients after repeated failed logins, which blunts password guessing. It is the ' +
      'connection_throttling parameter on single servers and connection_throttle.enable on flexible servers; a declared ' +
      'value other than ON fails, an undeclared one keeps the server default.',
    remediation: {
      text: 'Set connection_throttling (single server) or connection_throttle.enable (flexible server) to "on", or do not override it.',
      snippet: snippet({ type: 'Microsoft.DBforPostgreSQL/flexibleServers/configurations', name: "[concat(parameters('serverName'), '/connection_throttle.enable')]", properties: { value: 'on', source: 'user-override' } }),
    },
    references: { checkov: ['CKV_AZURE_32'] },
    since: '2026-12-07',
  },
  serverParameterRule(
    ['connection_throttling', 'connection_throttle.enable'],
    (name, v) => {
      const ok = typeof v === 'string' && ['on', 'true', '1'].includes(v.trim().toLowerCase());
      return { ok, detail: ok ? `${name} is ${JSON.stringify(v)}` : `${name} is ${JSON.stringify(v)}: repeated failed logins are not slowed down` };
    },
    'connection throttling',
  ),
);
