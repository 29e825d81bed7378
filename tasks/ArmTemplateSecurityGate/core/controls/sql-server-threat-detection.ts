import {
  asBool,
  CheckResult,
  ctxRelated,
  fail,
  isNonEmptyString,
  pass,
  resourceControl,
  ResourceView,
  Rule,
  show,
  snippet,
  unknownResult,
} from './helpers';

function judgePolicy(owner: ResourceView, policy: ResourceView): CheckResult {
  const label = `securityAlertPolicies '${policy.name}'`;
  const state = policy.get('$.properties.state');
  if (state.state === 'unknown') return unknownResult(state, 'the threat detection state', owner.resource);
  if (state.state === 'absent' || typeof state.value !== 'string' || state.value.toLowerCase() !== 'enabled') {
    return fail(`${label} state is ${state.state === 'value' ? show(state.value) : 'not set'}, expected "Enabled".`, state.location);
  }
  const disabled = policy.get('$.properties.disabledAlerts');
  if (disabled.state === 'unknown') return unknownResult(disabled, 'which alerts are disabled', owner.resource);
  if (disabled.state === 'value') {
    const list = Array.isArray(disabled.value)
      ? disabled.value.filter((x) => isNonEmptyString(x))
      : typeof disabled.value === 'string'
        ? disabled.value.split(';').filter((x) => x.trim())
        : [];
    if (list.length) return fail(`${label} disables alert types ${show(list)}.`, disabled.location);
  }
  const admins = policy.get('$.properties.emailAccountAdmins');
  const addresses = policy.get('$.properties.emailAddresses');
  if (admins.state === 'value' && asBool(admins.value) === true) return pass(`${label} is enabled and notifies the subscription admins.`, admins.location);
  if (addresses.state === 'value' && Array.isArray(addresses.value) && addresses.value.some(isNonEmptyString)) {
    return pass(`${label} is enabled and notifies ${addresses.value.length} address(es).`, addresses.location);
  }
  if (addresses.state === 'value' && isNonEmptyString(addresses.value)) return pass(`${label} is enabled and notifies ${show(addresses.value)}.`, addresses.location);
  for (const l of [admins, addresses]) if (l.state === 'unknown') return unknownResult(l, 'who receives threat alerts', owner.resource);
  return fail(`${label} is enabled but sends alerts to nobody (emailAccountAdmins ${admins.state === 'value' ? show(admins.value) : 'not set'}, no emailAddresses).`, state.location);
}

const rule: Rule = (view, ctx) => {
  const policies = ctxRelated(view, ctx, 'Microsoft.Sql/servers/securityAlertPolicies');
  if (!policies.length) {
    return fail(`SQL server '${view.name}' declares no securityAlertPolicies: threat detection alerts are not configured.`, view.location);
  }
  return policies.map((p) => judgePolicy(view, p));
};

export default resourceControl(
  {
    id: 'sql-server-threat-detection',
    title: 'SQL server threat detection is on, for all alert types, and alerts reach someone',
    severity: 'high',
    featureSet: 'SqlServer',
    resourceTypes: ['Microsoft.Sql/servers'],
    rationale:
      'Advanced Threat Protection detects SQL injection, anomalous logins and data exfiltration. It helps only if every alert type ' +
      'is on and the alerts are mailed to admins or a monitored address. The settings live in the Microsoft.Sql/servers/securityAlertPolicies ' +
      'child; disabledAlerts may be a list (current APIs) or a semicolon-separated string (2015 API).',
    remediation: {
      text: 'Add a securityAlertPolicies child "Default" with state Enabled, no disabledAlerts and emailAccountAdmins true (or emailAddresses).',
      snippet: snippet({
        type: 'Microsoft.Sql/servers/securityAlertPolicies',
        name: "[concat(parameters('serverName'), '/Default')]",
        properties: { state: 'Enabled', disabledAlerts: [], emailAccountAdmins: true },
      }),
    },
    // No Checkov reference: CKV_AZURE_25/26/27 judge database-level securityAlertPolicies (Microsoft.Sql/servers/databases),
    // not the server-level policy this control reads.
    references: {
      azsk: ['Azure_SQLDatabase_Audit_Enable_Threat_Detection_Server'],
      mcsb: ['LT-1'],
    },
    since: '2026-11-23',
  },
  rule,
);
