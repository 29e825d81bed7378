import {
  childViews,
  fail,
  parentInTemplate,
  pass,
  resourceControl,
  ResourceView,
  show,
  snippet,
  unknownResult,
  type CheckContext,
  type CheckResult,
  type Rule,
} from './helpers';

const SERVER = 'Microsoft.Sql/servers';
/** Both resource names Azure SQL uses for an audit policy. */
const POLICY_TYPES = ['auditingSettings', 'extendedAuditingSettings'];

type Verdict = { on: true; result: CheckResult } | { on: false; result?: CheckResult };

/** The audit policies declared on `owner` (a server or a database): on if any says Enabled. */
function auditing(owner: ResourceView, ctx: CheckContext, self: ResourceView): Verdict {
  const policies = POLICY_TYPES.flatMap((t) => childViews(owner, ctx, `${owner.type}/${t}`));
  let first: CheckResult | undefined;
  for (const p of policies) {
    const s = p.get('$.properties.state');
    if (s.state === 'unknown') {
      first ??= unknownResult(s, 'the auditing state', self.resource);
      continue;
    }
    const label = `${p.type.split('/').pop()} '${p.name}'`;
    if (s.state === 'value' && typeof s.value === 'string' && s.value.toLowerCase() === 'enabled') return { on: true, result: pass(`${label} enables auditing.`, s.location) };
    first ??= fail(`${label} has state ${s.state === 'value' ? show(s.value) : 'not set'}, so auditing is off.`, s.location);
  }
  return { on: false, result: first };
}

const rule: Rule = (view, ctx) => {
  const own = auditing(view, ctx, view);
  if (own.on) return own.result;
  if (view.type.toLowerCase() !== SERVER.toLowerCase()) {
    // A database is audited by its own policy or by its server's, which applies to every database on it.
    const server = parentInTemplate(view, ctx, SERVER);
    if (server) {
      const inherited = auditing(server, ctx, view);
      if (inherited.on) return pass(`Database '${view.name}' is audited by its server: ${inherited.result.message}`, inherited.result.location);
      if (!own.result && inherited.result?.outcome === 'unknown') return inherited.result;
    }
  }
  return own.result?.outcome === 'unknown' || own.result?.outcome === 'fail'
    ? own.result
    : fail(`No auditingSettings with state Enabled is declared for ${view.type.split('/').pop()} '${view.name}'${view.type.toLowerCase() === SERVER.toLowerCase() ? '' : ' or its server'}: auditing is off by default.`, view.location);
};

export default resourceControl(
  {
    id: 'sql-server-auditing-enabled',
    title: 'SQL server (or database) auditing is on',
    severity: 'high',
    featureSet: 'SqlServer',
    resourceTypes: ['Microsoft.Sql/servers', 'Microsoft.Sql/servers/databases'],
    rationale:
      'Auditing records logins, queries and permission changes: without it a breach of the database leaves no trail. It is off ' +
      'until an auditingSettings (or extendedAuditingSettings) child says state Enabled. A server policy covers every database ' +
      'on the server, so a database passes with its own policy or its server\'s (Checkov CKV_AZURE_23 looks only at the ' +
      'resource\'s own children).',
    remediation: {
      text: 'Add a server auditingSettings child "default" with state Enabled and a destination (Log Analytics, Event Hub or storage).',
      snippet: snippet({
        type: 'Microsoft.Sql/servers/auditingSettings',
        name: "[concat(parameters('serverName'), '/default')]",
        properties: { state: 'Enabled', isAzureMonitorTargetEnabled: true, retentionDays: 90 },
      }),
    },
    references: { checkov: ['CKV_AZURE_23'], psrule: ['Azure.SQL.Auditing'], mcsb: ['LT-3'] },
    since: '2026-12-07',
  },
  rule,
);
