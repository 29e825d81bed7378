import { asInt, decide, resourceControl, snippet, type Rule } from './helpers';

/** Days a workspace (or a table that overrides it) keeps logs. */
const MIN_RETENTION_DAYS = 90;

const workspace: Rule = (view) =>
  decide(
    view,
    view.get('$.properties.retentionInDays'),
    (v) => {
      const n = asInt(v);
      if (n === undefined) return { ok: false, detail: `is ${JSON.stringify(v)}, expected a number of days` };
      return n >= MIN_RETENTION_DAYS ? { ok: true, detail: `is ${n} days` } : { ok: false, detail: `is ${n} days, expected at least ${MIN_RETENTION_DAYS}` };
    },
    { ifAbsent: 'fail', absentReason: 'defaults to 30 days', what: 'the retention' },
  );

/** A table keeps the workspace retention unless it sets its own; -1 means "use the workspace's". */
const table: Rule = (view) =>
  decide(
    view,
    view.get('$.properties.totalRetentionInDays').state === 'absent' ? view.get('$.properties.retentionInDays') : view.get('$.properties.totalRetentionInDays'),
    (v) => {
      const n = asInt(v);
      if (n === undefined) return { ok: false, detail: `is ${JSON.stringify(v)}, expected a number of days` };
      if (n === -1) return { ok: true, detail: 'is -1: the workspace retention applies' };
      return n >= MIN_RETENTION_DAYS ? { ok: true, detail: `is ${n} days` } : { ok: false, detail: `is ${n} days, expected at least ${MIN_RETENTION_DAYS}` };
    },
    { ifAbsent: 'pass', absentReason: 'the workspace retention applies', what: 'the table retention' },
  );

export default resourceControl(
  {
    id: 'log-analytics-retention',
    title: `Log Analytics keeps logs for at least ${MIN_RETENTION_DAYS} days`,
    severity: 'medium',
    featureSet: 'LogAnalytics',
    resourceTypes: ['Microsoft.OperationalInsights/workspaces', 'Microsoft.OperationalInsights/workspaces/tables'],
    rationale:
      'Intrusions are typically found weeks after they begin; logs that expire after the default 30 days cannot show how they ' +
      `started. A workspace must keep data ${MIN_RETENTION_DAYS} days or more (retentionInDays). A table may override it ` +
      '(retentionInDays / totalRetentionInDays, -1 = the workspace\'s); an override below the threshold fails.',
    remediation: {
      text: `Set properties.retentionInDays to ${MIN_RETENTION_DAYS} or more on the workspace (and on tables that override it).`,
      snippet: snippet({ type: 'Microsoft.OperationalInsights/workspaces', properties: { sku: { name: 'PerGB2018' }, retentionInDays: MIN_RETENTION_DAYS } }),
    },
    references: { mcsb: ['LT-6'] },
    since: '2026-12-07',
  },
  (view, ctx) => (/\/tables$/i.test(view.type) ? table(view, ctx) : workspace(view, ctx)),
);
