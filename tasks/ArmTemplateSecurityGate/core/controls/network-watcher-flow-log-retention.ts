import { allOf, asInt, expectBool, expectValue, resourceControl, show, snippet, type Rule } from './helpers';

const rule = (minimumRetentionDays: number): Rule => allOf(
  expectBool('$.properties.enabled', true, { ifAbsent: 'fail', absentReason: 'state it', what: 'the flow log' }),
  expectBool('$.properties.retentionPolicy.enabled', true, { ifAbsent: 'fail', absentReason: 'without a retention policy flow logs are kept only as the storage account does', what: 'the retention policy' }),
  expectValue(
    '$.properties.retentionPolicy.days',
    (v) => {
      const n = asInt(v);
      if (n === undefined) return { ok: false, detail: `is ${show(v)}, expected a number of days` };
      const ok = n === 0 || n >= minimumRetentionDays;
      return { ok, detail: n === 0 ? 'is 0 (kept indefinitely)' : ok ? `is ${n} days` : `is ${n} days, expected at least ${minimumRetentionDays} (or 0, indefinitely)` };
    },
    { ifAbsent: 'fail', absentReason: 'no retention period is set', what: 'the retention period' },
  ),
);

export default resourceControl(
  {
    id: 'network-watcher-flow-log-retention',
    title: 'Flow logs are enabled and kept for at least {minimumRetentionDays} days',
    severity: 'medium',
    featureSet: 'NetworkWatcher',
    resourceTypes: ['Microsoft.Network/networkWatchers/flowLogs'],
    rationale:
      'Flow logs are the record of who talked to what in the network; intrusions are typically found weeks after they start, so logs ' +
      'deleted sooner than {minimumRetentionDays} days leave the investigation blind. A retention of 0 days keeps them indefinitely and passes ' +
      '(Checkov fails it).',
    remediation: {
      text: 'Set properties.enabled to true and retentionPolicy.enabled to true with days of {minimumRetentionDays} or more (0 keeps them indefinitely).',
      snippet: snippet({ type: 'Microsoft.Network/networkWatchers/flowLogs', properties: { enabled: true, retentionPolicy: { enabled: true, days: 90 } } }),
    },
    references: { checkov: ['CKV_AZURE_12'], mcsb: ['LT-6'] },
    since: '2026-12-07',
    parameters: { minimumRetentionDays: { type: 'integer', default: 90, min: 1, max: 365, doc: 'Fewest days flow logs must be kept (0, indefinitely, always passes).' } },
  },
  ({ minimumRetentionDays }) => rule(minimumRetentionDays),
);
