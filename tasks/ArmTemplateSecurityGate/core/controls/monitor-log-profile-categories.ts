import { fail, pass, resourceControl, show, snippet, unknownResult, type Rule } from './helpers';

const REQUIRED = ['Write', 'Delete', 'Action'];

const rule: Rule = (view) => {
  const l = view.get('$.properties.categories');
  if (l.state === 'unknown') return unknownResult(l, 'which activity log categories are exported', view.resource);
  const have = l.state === 'value' && Array.isArray(l.value) ? l.value.filter((x): x is string => typeof x === 'string').map((x) => x.toLowerCase()) : [];
  const missing = REQUIRED.filter((c) => !have.includes(c.toLowerCase()));
  return missing.length
    ? fail(`categories ${l.state === 'value' ? show(l.value) : 'not set'} leaves out ${missing.join(', ')}: those operations are not exported.`, l.location)
    : pass('The log profile exports Write, Delete and Action operations.', l.location);
};

export default resourceControl(
  {
    id: 'monitor-log-profile-categories',
    title: 'Activity log profile exports writes, deletes and actions',
    severity: 'medium',
    featureSet: 'Monitor',
    resourceTypes: ['Microsoft.Insights/logprofiles'],
    rationale:
      'A log profile exports only the categories it lists. Leaving out Write, Delete or Action drops exactly the operations ' +
      'an attacker performs: creating role assignments, deleting resources or locks, listing keys.',
    remediation: {
      text: 'Set properties.categories to ["Write", "Delete", "Action"].',
      snippet: snippet({ type: 'Microsoft.Insights/logprofiles', properties: { categories: REQUIRED } }),
    },
    references: { checkov: ['CKV_AZURE_38'], mcsb: ['LT-3'] },
    since: '2026-12-07',
  },
  rule,
);
