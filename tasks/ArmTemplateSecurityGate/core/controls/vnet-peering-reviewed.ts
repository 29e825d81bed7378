import { CheckResult, ctxRelated, fail, pass, resourceControl, Rule, show, snippet, unknownResult } from './helpers';

const rule: Rule = (view, ctx) => {
  const inline = view.getShallow('$.properties.virtualNetworkPeerings');
  if (inline.state === 'unknown') return unknownResult(inline, 'the virtual network peerings', view.resource);
  const results: CheckResult[] = [];
  const list = inline.state === 'value' && Array.isArray(inline.value) ? inline.value : [];
  list.forEach((_, i) => {
    const remote = view.get(['properties', 'virtualNetworkPeerings', i, 'properties', 'remoteVirtualNetwork', 'id']);
    if (remote.state === 'unknown') results.push(unknownResult(remote, 'the peered network', view.resource));
    else results.push(fail(`Peering [${i}] connects to ${remote.state === 'value' ? show(remote.value) : 'an unnamed network'}; review it with the network security team.`, remote.location));
  });
  for (const child of ctxRelated(view, ctx, 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings')) {
    const remote = child.get('$.properties.remoteVirtualNetwork.id');
    if (remote.state === 'unknown') results.push(unknownResult(remote, 'the peered network', view.resource));
    else results.push(fail(`Peering '${child.name}' connects to ${remote.state === 'value' ? show(remote.value) : 'an unnamed network'}; review it with the network security team.`, remote.location));
  }
  return results.length ? results : pass('The virtual network declares no peerings.', inline.location);
};

export default resourceControl(
  {
    id: 'vnet-peering-reviewed',
    title: 'Virtual network peerings are reviewed',
    severity: 'medium',
    featureSet: 'VirtualNetwork',
    resourceTypes: ['Microsoft.Network/virtualNetworks'],
    rationale:
      'Peered networks route to each other directly; a peering across a trust boundary exposes everything on both sides. Every ' +
      'peering (inline or as a virtualNetworkPeerings child) is reported so that it is reviewed and then suppressed with the ' +
      'approval reason. AzSK rated this high; it is medium here because hub-and-spoke designs peer by design.',
    remediation: {
      text: 'Remove unapproved peerings; record approved ones as suppressions with the approval reference.',
      snippet: snippet({ type: 'Microsoft.Network/virtualNetworks', properties: { virtualNetworkPeerings: [] } }),
    },
    references: { azsk: ['Azure_VNet_NetSec_Justify_Peering'], mcsb: ['NS-1'] },
    since: '2026-11-23',
  },
  rule,
);
