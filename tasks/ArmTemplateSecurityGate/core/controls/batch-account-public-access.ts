import { fail, pass, resourceControl, snippet, unknownResult, type Rule } from './helpers';

const rule: Rule = (view) => {
  const publicAccess = view.get('$.properties.publicNetworkAccess');
  if (publicAccess.state === 'unknown') return unknownResult(publicAccess, 'public network access', view.resource);
  if (publicAccess.state === 'value' && String(publicAccess.value).toLowerCase() === 'disabled') return pass('Public network access to the account is disabled.', publicAccess.location);
  const action = view.get('$.properties.networkProfile.accountAccess.defaultAction');
  if (action.state === 'unknown') return unknownResult(action, 'the account access default action', view.resource);
  if (action.state === 'value' && String(action.value).toLowerCase() === 'deny') return pass('The account endpoint denies all but its IP rules.', action.location);
  return fail(`The Batch account endpoint is open to every address: publicNetworkAccess ${publicAccess.state === 'value' ? String(publicAccess.value) : 'not set (Enabled)'} and accountAccess.defaultAction ${action.state === 'value' ? String(action.value) : 'not set (Allow)'}.`, action.location);
};

export default resourceControl(
  {
    id: 'batch-account-public-access',
    title: 'Batch account endpoint is private or limited to allowed addresses',
    severity: 'medium',
    featureSet: 'Batch',
    resourceTypes: ['Microsoft.Batch/batchAccounts'],
    rationale:
      'The Batch account endpoint submits jobs that run code on the pool nodes; open to every address, a leaked account key or token ' +
      'is usable from anywhere. Pass: publicNetworkAccess Disabled (private endpoints), or networkProfile.accountAccess.defaultAction Deny ' +
      'with IP rules. Checkov passes an account without a network profile, which leaves the endpoint open; this control fails it.',
    remediation: {
      text: 'Set publicNetworkAccess to "Disabled" and use a private endpoint, or set networkProfile.accountAccess to defaultAction "Deny" with ipRules.',
      snippet: snippet({ type: 'Microsoft.Batch/batchAccounts', properties: { publicNetworkAccess: 'Enabled', networkProfile: { accountAccess: { defaultAction: 'Deny', ipRules: [{ action: 'Allow', value: '203.0.113.0/24' }] } } } }),
    },
    references: { checkov: ['CKV_AZURE_248'], mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  rule,
);
