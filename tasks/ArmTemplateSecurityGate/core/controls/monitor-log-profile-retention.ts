import { asBool, asInt, fail, pass, resourceControl, show, snippet, unknownResult, type Rule } from './helpers';

const rule = (minimumRetentionDays: number): Rule => (view) => {
  const enabled = view.get('$.properties.retentionPolicy.enabled');
  const days = view.get('$.properties.retentionPolicy.days');
  for (const l of [enabled, days]) if (l.state === 'unknown') return unknownResult(l, 'the activity log retention', view.resource);
  if (enabled.state !== 'value' || asBool(enabled.value) !== true) {
    return fail(`retentionPolicy.enabled is ${enabled.state === 'value' ? show(enabled.value) : 'not set'}: no retention is applied to the exported activity log.`, enabled.location);
  }
  const n = days.state === 'value' ? asInt(days.value) : undefined;
  if (n !== undefined && (n === 0 || n >= minimumRetentionDays)) return pass(`The activity log is kept ${n === 0 ? 'without a time limit' : `${n} days`}.`, days.location);
  return fail(`retentionPolicy.days is ${days.state === 'value' ? show(days.value) : 'not set'}, expected at least ${minimumRetentionDays} (or 0 for unlimited).`, days.location);
};

export default resourceControl(
  {
    id: 'monitor-log-profile-retention',
    title: 'Activity log profile keeps records for at least {minimumRetentionDays} days',
    severity: 'medium',
    featureSet: 'Monitor',
    resourceTypes: ['Microsoft.Insights/logprofiles'],
    rationale:
      'The activity log records every control-plane change (who created a role assignment, who deleted a lock). Azure keeps it ' +
      '90 days; a log profile that exports it must keep it at least {minimumRetentionDays} days (0 = forever), because ' +
      'investigations routinely reach further back than 90 days.',
    remediation: {
      text: 'Set properties.retentionPolicy.enabled to true and retentionPolicy.days to {minimumRetentionDays} or more (or 0).',
      snippet: snippet({ type: 'Microsoft.Insights/logprofiles', properties: { categories: ['Write', 'Delete', 'Action'], retentionPolicy: { enabled: true, days: 365 } } }),
    },
    references: { checkov: ['CKV_AZURE_37'], mcsb: ['LT-6'] },
    since: '2026-12-07',
    parameters: { minimumRetentionDays: { type: 'integer', default: 365, min: 1, max: 365, doc: 'Fewest days the exported activity log must be kept (0, unlimited, always passes).' } },
  },
  ({ minimumRetentionDays }) => rule(minimumRetentionDays),
);
