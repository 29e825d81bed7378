import { expectPublicAccessClosed, fail, firewallDenies, pass, resourceControl, show, snippet, unknownResult, type Rule } from './helpers';

const closed = expectPublicAccessClosed();

const rule: Rule = (view, ctx) => {
  const l = view.get('$.properties.networkAcls.defaultAction');
  if (l.state === 'unknown') return unknownResult(l, 'the firewall default action', view.resource);
  if (l.state === 'value' && firewallDenies()(view)) return pass(`networkAcls.defaultAction is ${show(l.value)}: only listed networks and private endpoints reach the account.`, l.location);
  // With the public endpoint off, the firewall has nothing left to filter.
  const off = closed(view, ctx);
  if (off && !Array.isArray(off) && off.outcome !== 'fail') return off;
  return l.state === 'value'
    ? fail(`networkAcls.defaultAction is ${show(l.value)}: every network can reach the account.`, l.location)
    : fail('networkAcls.defaultAction is not set (defaults to Allow): every network can reach the account.', l.location);
};

export default resourceControl(
  {
    id: 'storage-default-network-deny',
    title: 'Storage account firewall denies by default',
    severity: 'high',
    featureSet: 'Storage',
    resourceTypes: ['Microsoft.Storage/storageAccounts'],
    rationale:
      'Without a firewall, any host on the Internet that holds a key or SAS token reaches the data; a leaked token is then enough. ' +
      'networkAcls.defaultAction "Deny" admits only the listed IP ranges, subnets and trusted services. It defaults to Allow. ' +
      'An account whose publicNetworkAccess is Disabled passes too: with no public endpoint the firewall has nothing to filter ' +
      '(Checkov CKV_AZURE_35 fails it; we do not, on purpose).',
    remediation: {
      text: 'Set properties.networkAcls.defaultAction to "Deny" and list the networks that need access in ipRules / virtualNetworkRules.',
      snippet: snippet({
        type: 'Microsoft.Storage/storageAccounts',
        properties: { networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices', ipRules: [], virtualNetworkRules: [] } },
      }),
    },
    references: { checkov: ['CKV_AZURE_35'], psrule: ['Azure.Storage.Firewall'], mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  rule,
);
