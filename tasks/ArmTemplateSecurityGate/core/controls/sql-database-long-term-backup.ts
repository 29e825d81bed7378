import { childViews, fail, lastNameSegment, pass, resourceControl, show, snippet, unknownResult, type CheckResult, type Rule } from './helpers';

const PERIODS = ['weeklyRetention', 'monthlyRetention', 'yearlyRetention'];

/** ISO 8601 durations that keep nothing. */
function keepsNothing(v: unknown): boolean {
  return typeof v !== 'string' || /^P(T)?0+[DWMYH]?$|^PT0S$|^$/i.test(v.trim());
}

const rule: Rule = (view, ctx) => {
  if (lastNameSegment(view.name).toLowerCase() === 'master') return undefined;
  const policies = [
    ...childViews(view, ctx, 'Microsoft.Sql/servers/databases/backupLongTermRetentionPolicies'),
  ];
  if (!policies.length) {
    return fail(`Database '${view.name}' declares no backupLongTermRetentionPolicies: backups are deleted after the short-term window (7–35 days).`, view.location);
  }
  return policies.map((p): CheckResult => {
    const label = `backupLongTermRetentionPolicies '${p.name}'`;
    const lookups = PERIODS.map((k) => p.get(`$.properties.${k}`));
    const kept = lookups.find((l) => l.state === 'value' && !keepsNothing(l.value));
    if (kept?.state === 'value') return pass(`${label} keeps backups (${kept.path[kept.path.length - 1]} ${show(kept.value)}).`, kept.location);
    const u = lookups.find((l) => l.state === 'unknown');
    if (u?.state === 'unknown') return unknownResult(u, 'the long-term backup retention', view.resource);
    return fail(`${label} keeps no weekly, monthly or yearly backup.`, p.location);
  });
};

export default resourceControl(
  {
    id: 'sql-database-long-term-backup',
    title: 'SQL database keeps long-term backups',
    severity: 'low',
    featureSet: 'SqlServer',
    resourceTypes: ['Microsoft.Sql/servers/databases'],
    rationale:
      'Point-in-time backups last 7 to 35 days; corruption or a ransomware encryption noticed later cannot be undone from them. ' +
      'A backupLongTermRetentionPolicies child keeping weekly, monthly or yearly full backups (for up to ten years) closes that ' +
      'gap. The master database is left out.',
    remediation: {
      text: 'Add a backupLongTermRetentionPolicies child "default" that keeps at least one of weekly, monthly or yearly backups.',
      snippet: snippet({
        type: 'Microsoft.Sql/servers/databases/backupLongTermRetentionPolicies',
        name: "[concat(parameters('serverName'), '/', parameters('databaseName'), '/default')]",
        properties: { weeklyRetention: 'P4W', monthlyRetention: 'P12M', yearlyRetention: 'P5Y', weekOfYear: 1 },
      }),
    },
    references: { mcsb: ['BR-1'] },
    since: '2026-12-07',
  },
  rule,
);
