import { asInt, decide, resourceControl, snippet, type Rule } from './helpers';

const workspace = (minimumRetentionDays: number): Rule => (view) =>
  decide(
    view,
    view.get('$.properties.retentionInDays'),
    (v) => {
      const n = asInt(v);
      if (n === undefined) return { ok: false, detail: `is ${JSON.stringify(v)}, expected a number of days` };
      return n >= minimumRetentionDays ? { ok: true, detail: `is ${n} days` } : { ok: false, detail: `is ${n} days, expected at least ${minimumRetentionDays}` };
    },
    { ifAbsent: 'fail', absentReason: 'defaults to 30 days', what: 'the retention' },
  );

/** A table keeps the workspace retention unless it sets its own; -1 means "use the workspace's". */
const table = (minimumRetentionDays: number): Rule => (view) =>
  decide(
    view,
    view.get('$.properties.totalRetentionInDays').state === 'absent' ? view.get('$.properties.retentionInDays') : view.get('$.properties.totalRetentionInDays'),
    (v) => {
      const n = asInt(v);
      if (n === undefined) return { ok: false, detail: `is ${JSON.stringify(v)}, expected a number of days` };
      if (n === -1) return { ok: true, detail: 'is -1: the workspace retention applies' };
      return n >= minimumRetentionDays ? { ok: true, detail: `is ${n} days` } : { ok: false, detail: `is ${n} days, expected at least ${minimumRetentionDays}` };
    },
    { ifAbsent: 'pass', absentReason: 'the workspace retention applies', what: 'the table retention' },
  );

export default resourceControl(
  {
    id: 'log-analytics-retention',
    title: 'Log Analytics keeps logs for at least {minimumRetentionDays} days',
    severity: 'medium',
    featureSet: 'LogAnalytics',
    resourceTypes: ['Microsoft.OperationalInsights/workspaces', 'Microsoft.OperationalInsights/workspaces/tables'],
    rationale:
      'Intrusions are typically found weeks after they begin; logs that expire after the default 30 days cannot show how they ' +
      'started. A workspace must keep data {minimumRetentionDays} days or more (retentionInDays). A table may override it ' +
      '(retentionInDays / totalRetentionInDays, -1 = the workspace\'s); an override below the threshold fails.',
    remediation: {
      text: 'Set properties.retentionInDays to {minimumRetentionDays} or more on the workspace (and on tables that override it).',
      snippet: snippet({ type: 'Microsoft.OperationalInsights/workspaces', properties: { sku: { name: 'PerGB2018' }, retentionInDays: 90 } }),
    },
    references: { mcsb: ['LT-6'] },
    since: '2026-12-07',
    parameters: { minimumRetentionDays: { type: 'integer', default: 90, min: 30, max: 730, doc: 'Fewest days a workspace, or a table that overrides it, must keep logs.' } },
  },
  ({ minimumRetentionDays }) => {
    const t = table(minimumRetentionDays);
    const w = workspace(minimumRetentionDays);
    return (view, ctx) => (/\/tables$/i.test(view.type) ? t(view, ctx) : w(view, ctx));
  },
);
