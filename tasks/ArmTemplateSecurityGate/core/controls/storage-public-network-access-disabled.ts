import { fail, pass, resourceControl, show, snippet, unknownResult, type Rule } from './helpers';

/**
 * Checkov's reading (CKV_AZURE_59): an explicit "Enabled" is a decision to expose the account; an unset value leaves
 * the decision to the firewall, which storage-default-network-deny judges — failing both for one gap would count it twice.
 */
const rule: Rule = (view) => {
  const l = view.get('$.properties.publicNetworkAccess');
  if (l.state === 'unknown') return unknownResult(l, 'public network access', view.resource);
  if (l.state === 'absent') return pass('publicNetworkAccess is not set: the firewall (networkAcls) decides who can connect; see storage-default-network-deny.', l.location);
  const v = typeof l.value === 'string' ? l.value.trim().toLowerCase() : '';
  return v === 'enabled'
    ? fail(`publicNetworkAccess is ${show(l.value)}: the account is opened to public networks explicitly.`, l.location)
    : pass(`publicNetworkAccess is ${show(l.value)}.`, l.location);
};

export default resourceControl(
  {
    id: 'storage-public-network-access-disabled',
    title: 'Storage account does not explicitly enable public network access',
    severity: 'medium',
    featureSet: 'Storage',
    resourceTypes: ['Microsoft.Storage/storageAccounts'],
    rationale:
      'publicNetworkAccess "Enabled" opens the blob, file, queue and table endpoints to every network the firewall admits; ' +
      '"Disabled" leaves private endpoints only. An unset value is left to the firewall rules, which storage-default-network-deny ' +
      'judges, so one open account is not reported twice. Data exfiltration from storage accounts starts at the public endpoint.',
    remediation: {
      text: 'Set properties.publicNetworkAccess to "Disabled" and reach the account through private endpoints.',
      snippet: snippet({ type: 'Microsoft.Storage/storageAccounts', properties: { publicNetworkAccess: 'Disabled' } }),
    },
    references: { checkov: ['CKV_AZURE_59'], mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  rule,
);
