import { namespacePublicAccessClosed, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'service-bus-public-network-access-disabled',
    title: 'Service Bus namespace is not reachable from public networks',
    severity: 'medium',
    featureSet: 'ServiceBus',
    resourceTypes: ['Microsoft.ServiceBus/namespaces'],
    rationale:
      'With a public endpoint, anyone on the Internet who holds a SAS key or a token can send to or receive from every queue ' +
      'and topic in the namespace. publicNetworkAccess defaults to Enabled; Disabled, on the namespace or on its networkRuleSets ' +
      'child, leaves private endpoints as the only way in.',
    remediation: {
      text: 'Set properties.publicNetworkAccess to "Disabled" on the namespace (or its networkRuleSets/default child) and connect through a private endpoint.',
      snippet: snippet({ type: 'Microsoft.ServiceBus/namespaces', properties: { publicNetworkAccess: 'Disabled' } }),
    },
    references: { mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  namespacePublicAccessClosed('Microsoft.ServiceBus/namespaces/networkRuleSets'),
);
