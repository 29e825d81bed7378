import { asInt, childViews, fail, pass, resourceControl, show, snippet, unknownResult, type CheckResult, type Rule } from './helpers';

const rule = (minimumRetentionDays: number): Rule => (view, ctx) => {
  const policies = [
    ...childViews(view, ctx, 'Microsoft.Sql/servers/auditingSettings'),
    ...childViews(view, ctx, 'Microsoft.Sql/servers/extendedAuditingSettings'),
    ...childViews(view, ctx, 'Microsoft.Sql/servers/databases/auditingSettings'),
  ];
  const results: CheckResult[] = [];
  for (const p of policies) {
    const label = `auditingSettings '${p.name}'`;
    const state = p.get('$.properties.state');
    if (state.state === 'unknown') {
      results.push(unknownResult(state, 'the auditing state', view.resource));
      continue;
    }
    if (state.state !== 'value' || typeof state.value !== 'string' || state.value.toLowerCase() !== 'enabled') continue;
    const days = p.get('$.properties.retentionDays');
    if (days.state === 'unknown') {
      results.push(unknownResult(days, 'the audit retention', view.resource));
      continue;
    }
    if (days.state === 'absent') {
      results.push(pass(`${label} does not set retentionDays, which means 0: audit records are kept without a time limit.`, days.location));
      continue;
    }
    const n = asInt(days.value);
    if (n !== undefined && (n === 0 || n >= minimumRetentionDays)) {
      results.push(pass(`${label} keeps audit records ${n === 0 ? 'without a time limit' : `${n} days`}.`, days.location));
      continue;
    }
    results.push(fail(`${label} keeps audit records ${show(days.value)} days, expected at least ${minimumRetentionDays} (or 0 for unlimited).`, days.location));
  }
  if (results.length) return results;
  return fail(`SQL server '${view.name}' declares no enabled auditing policy, so no audit records are kept at all.`, view.location);
};

export default resourceControl(
  {
    id: 'sql-server-auditing-retention',
    title: 'SQL server keeps audit records for at least {minimumRetentionDays} days',
    severity: 'medium',
    featureSet: 'SqlServer',
    resourceTypes: ['Microsoft.Sql/servers'],
    rationale:
      'Breaches are found weeks or months after they start; audit records that expire sooner cannot show how the attacker got ' +
      'in. Enabled audit policies written to storage must keep records {minimumRetentionDays} days or more (0 keeps them forever). ' +
      'retentionDays applies to the storage target; unset means 0, which keeps records forever (Checkov CKV_AZURE_24 fails an ' +
      'unset value; we do not). A policy that writes only to Log Analytics keeps them as long as the workspace does (see log-analytics-retention).',
    remediation: {
      text: 'Set properties.retentionDays to {minimumRetentionDays} or more (or 0) on the server auditingSettings.',
      snippet: snippet({
        type: 'Microsoft.Sql/servers/auditingSettings',
        name: "[concat(parameters('serverName'), '/default')]",
        properties: { state: 'Enabled', storageEndpoint: "[parameters('auditStorageEndpoint')]", retentionDays: 90 },
      }),
    },
    references: { checkov: ['CKV_AZURE_24'], mcsb: ['LT-6'] },
    since: '2026-12-07',
    parameters: { minimumRetentionDays: { type: 'integer', default: 90, min: 1, max: 3285, doc: 'Fewest days audit records written to storage must be kept (0, unlimited, always passes).' } },
  },
  ({ minimumRetentionDays }) => rule(minimumRetentionDays),
);
