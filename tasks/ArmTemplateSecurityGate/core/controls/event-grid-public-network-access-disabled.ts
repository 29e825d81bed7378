import { expectPublicAccessClosed, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'event-grid-public-network-access-disabled',
    title: 'Event Grid topic or domain is not reachable from public networks',
    severity: 'medium',
    featureSet: 'EventGrid',
    resourceTypes: ['Microsoft.EventGrid/topics', 'Microsoft.EventGrid/domains'],
    rationale:
      'A topic with a public endpoint accepts events from the Internet for anyone with a key or token; handlers then act on ' +
      'forged events. publicNetworkAccess defaults to Enabled; Disabled leaves private endpoints only.',
    remediation: {
      text: 'Set properties.publicNetworkAccess to "Disabled" and publish through a private endpoint.',
      snippet: snippet({ type: 'Microsoft.EventGrid/topics', properties: { publicNetworkAccess: 'Disabled' } }),
    },
    references: { checkov: ['CKV_AZURE_193'], psrule: ['Azure.EventGrid.TopicPublicAccess'], mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  expectPublicAccessClosed(),
);
