import { resourceControl, serverParameterRule, snippet } from './helpers';

const PARAMETERS = ['log_checkpoints', 'log_connections', 'log_disconnections'];

export default resourceControl(
  {
    id: 'postgresql-connection-logging',
    title: 'Azure Database for PostgreSQL does not turn off connection and checkpoint logging',
    severity: 'low',
    featureSet: 'DBforPostgreSQL',
    resourceTypes: ['Microsoft.DBforPostgreSQL/servers/configurations', 'Microsoft.DBforPostgreSQL/flexibleServers/configurations'],
    rationale:
      'Connection logs (log_connections, log_disconnections) show who connected from where and when: the first thing an ' +
      'investigation of a database breach needs. log_checkpoints shows write activity. They are server parameters, declared ' +
      'as configurations children; a declared value other than ON fails. Parameters that are not declared keep the server ' +
      'defaults and are not judged.',
    remediation: {
      text: 'Set log_checkpoints, log_connections and log_disconnections to "on", or do not override them.',
      snippet: snippet({ type: 'Microsoft.DBforPostgreSQL/flexibleServers/configurations', name: "[concat(parameters('serverName'), '/log_connections')]", properties: { value: 'on', source: 'user-override' } }),
    },
    references: { checkov: ['CKV_AZURE_30', 'CKV_AZURE_31'], mcsb: ['LT-3'] },
    since: '2026-12-07',
  },
  serverParameterRule(
    PARAMETERS,
    (name, v) => {
      const ok = typeof v === 'string' && ['on', 'true', '1'].includes(v.trim().toLowerCase());
      return { ok, detail: ok ? `${name} is ${JSON.stringify(v)}` : `${name} is ${JSON.stringify(v)}, so these events are not logged` };
    },
    'the logging parameter',
  ),
);
