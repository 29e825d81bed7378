import {
  childViews,
  fail,
  isNonEmptyString,
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

/** A securityAlertPolicies resource judged on its own: on, and no alert type turned off. */
function judge(policy: ResourceView, self: ResourceView): CheckResult {
  const label = `securityAlertPolicies '${policy.name}'`;
  const state = policy.get('$.properties.state');
  if (state.state === 'unknown') return unknownResult(state, 'the threat detection state', self.resource);
  if (state.state !== 'value' || typeof state.value !== 'string' || state.value.toLowerCase() !== 'enabled') {
    return fail(`${label} has state ${state.state === 'value' ? show(state.value) : 'not set'}: threat detection is off.`, state.location);
  }
  const disabled = policy.get('$.properties.disabledAlerts');
  if (disabled.state === 'unknown') return unknownResult(disabled, 'which alert types are disabled', self.resource);
  const list =
    disabled.state !== 'value' ? [] : Array.isArray(disabled.value) ? disabled.value.filter(isNonEmptyString) : typeof disabled.value === 'string' ? disabled.value.split(';').filter((x) => x.trim()) : [];
  if (list.length) return fail(`${label} turns off alert types ${show(list)}.`, disabled.location);
  return pass(`${label} detects every threat type.`, state.location);
}

function policiesOf(owner: ResourceView, ctx: CheckContext): ResourceView[] {
  return childViews(owner, ctx, `${owner.type}/securityAlertPolicies`);
}

const rule: Rule = (view, ctx) => {
  const own = policiesOf(view, ctx);
  if (own.length) return own.map((p) => judge(p, view));
  // Without its own policy a database follows its server's.
  const server = parentInTemplate(view, ctx, 'Microsoft.Sql/servers');
  const inherited = server ? policiesOf(server, ctx) : [];
  if (!inherited.length) {
    return fail(`Database '${view.name}' and its server declare no securityAlertPolicies: threat detection is not configured.`, view.location);
  }
  return inherited.map((p) => {
    const r = judge(p, view);
    return r.outcome === 'pass' ? pass(`Database '${view.name}' inherits its server's policy: ${r.message}`, r.location) : r;
  });
};

export default resourceControl(
  {
    id: 'sql-database-threat-detection',
    title: 'SQL database threat detection covers every alert type',
    severity: 'high',
    featureSet: 'SqlServer',
    resourceTypes: ['Microsoft.Sql/servers/databases'],
    rationale:
      'Advanced Threat Protection flags SQL injection, brute force and anomalous access per database. A database-level ' +
      'securityAlertPolicies child decides for that database; without one the server-level policy applies. Either must be ' +
      'Enabled with no disabledAlerts: turning off "Sql_Injection" or "Access_Anomaly" silences exactly the alerts that matter. ' +
      'Who receives the alerts is judged by sql-server-threat-detection.',
    remediation: {
      text: 'Add a securityAlertPolicies child "Default" (on the database or its server) with state Enabled and an empty disabledAlerts.',
      snippet: snippet({
        type: 'Microsoft.Sql/servers/databases/securityAlertPolicies',
        name: "[concat(parameters('serverName'), '/', parameters('databaseName'), '/Default')]",
        properties: { state: 'Enabled', disabledAlerts: [], emailAccountAdmins: true },
      }),
    },
    references: { checkov: ['CKV_AZURE_25'], mcsb: ['LT-1'] },
    since: '2026-12-07',
  },
  rule,
);
