import { namespacePublicAccessClosed, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'event-hub-public-network-access-disabled',
    title: 'Event Hubs namespace is not reachable from public networks',
    severity: 'medium',
    featureSet: 'EventHub',
    resourceTypes: ['Microsoft.EventHub/namespaces'],
    rationale:
      'With a public endpoint, anyone on the Internet who holds a SAS key or a token can publish into or read from every event ' +
      'hub in the namespace. publicNetworkAccess defaults to Enabled; Disabled, on the namespace or on its networkRuleSets ' +
      'child, leaves private endpoints as the only way in.',
    remediation: {
      text: 'Set properties.publicNetworkAccess to "Disabled" on the namespace (or its networkRuleSets/default child) and connect through a private endpoint.',
      snippet: snippet({ type: 'Microsoft.EventHub/namespaces', properties: { publicNetworkAccess: 'Disabled' } }),
    },
    references: { mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  namespacePublicAccessClosed('Microsoft.EventHub/namespaces/networkRuleSets'),
);
