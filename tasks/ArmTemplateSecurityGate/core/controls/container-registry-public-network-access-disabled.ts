import { expectPublicAccessClosed, firewallDenies, resourceControl, snippet, type ResourceView } from './helpers';

const denies = firewallDenies('$.properties.networkRuleSet.defaultAction');

/** The registry firewall exists only on Premium: Basic and Standard registries ignore networkRuleSet. */
function premiumFirewallDenies(view: ResourceView) {
  const firewall = denies(view);
  if (!firewall || firewall.state === 'unknown') return firewall;
  const sku = view.get('$.sku.name');
  if (sku.state === 'unknown') return sku;
  return sku.state === 'value' && typeof sku.value === 'string' && sku.value.toLowerCase() === 'premium' ? firewall : undefined;
}

export default resourceControl(
  {
    id: 'container-registry-public-network-access-disabled',
    title: 'Container registry is not open to every network',
    severity: 'medium',
    featureSet: 'ContainerRegistry',
    resourceTypes: ['Microsoft.ContainerRegistry/registries'],
    rationale:
      'A registry open to the Internet lets anyone with a token (or an admin password, or anonymous pull) pull images, and ' +
      'images carry code, configuration and sometimes secrets; with push rights, anyone can plant one. publicNetworkAccess ' +
      'Disabled leaves private endpoints only; a Premium registry firewall (networkRuleSet.defaultAction Deny) admits only ' +
      'listed networks. Basic and Standard registries ignore networkRuleSet, so a firewall written on them does not close ' +
      'anything (as Checkov judges its Basic fixture). The default is open.',
    remediation: {
      text: 'Set properties.publicNetworkAccess to "Disabled" (or networkRuleSet.defaultAction to "Deny" with the allowed ranges) on a Premium registry.',
      snippet: snippet({ type: 'Microsoft.ContainerRegistry/registries', sku: { name: 'Premium' }, properties: { publicNetworkAccess: 'Disabled' } }),
    },
    references: { checkov: ['CKV_AZURE_139'], psrule: ['Azure.ACR.Firewall'], mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  expectPublicAccessClosed({ closedBy: premiumFirewallDenies, closedByText: 'networkRuleSet.defaultAction is Deny on a Premium registry' }),
);
