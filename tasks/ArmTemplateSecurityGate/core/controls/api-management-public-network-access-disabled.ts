import { expectPublicAccessClosed, resourceControl, snippet, valueWhen, type ResourceView } from './helpers';

/** An internal virtual network deployment has no public gateway endpoint, whatever publicNetworkAccess says. */
function internalVnet(view: ResourceView) {
  return valueWhen(view.get('$.properties.virtualNetworkType'), (v) => typeof v === 'string' && v.toLowerCase() === 'internal');
}

export default resourceControl(
  {
    id: 'api-management-public-network-access-disabled',
    title: 'API Management is not reachable from public networks',
    severity: 'medium',
    featureSet: 'APIManagement',
    resourceTypes: ['Microsoft.ApiManagement/service'],
    rationale:
      'A gateway with a public endpoint exposes every API it fronts, and the management and developer portal endpoints with them, ' +
      'to the whole Internet: one weak API policy or leaked subscription key is enough. publicNetworkAccess defaults to Enabled; ' +
      'Disabled leaves private endpoints (or an internal virtual network) as the only way in. A service deployed into a virtual ' +
      'network in Internal mode has no public gateway endpoint and passes. Services meant to be public should sit behind a WAF ' +
      '(Front Door or Application Gateway) that then reaches API Management privately.',
    remediation: {
      text: 'Set properties.publicNetworkAccess to "Disabled" and reach the service through a private endpoint, or deploy it with virtualNetworkType "Internal".',
      snippet: snippet({ type: 'Microsoft.ApiManagement/service', properties: { publicNetworkAccess: 'Disabled' } }),
    },
    references: { checkov: ['CKV_AZURE_174'], mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  expectPublicAccessClosed({ closedBy: internalVnet, closedByText: 'the service is deployed into a virtual network in Internal mode' }),
);
