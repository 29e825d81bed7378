import { expectManagedIdentity, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'event-grid-managed-identity',
    title: 'Event Grid topic or domain delivers events with a managed identity',
    severity: 'low',
    featureSet: 'EventGrid',
    resourceTypes: ['Microsoft.EventGrid/topics', 'Microsoft.EventGrid/domains'],
    rationale:
      'Without a managed identity, deliveries to Service Bus, Event Hubs or Storage need keys or connection strings in the ' +
      'subscription, or the destination must be left open. A system- or user-assigned identity lets the destination admit the ' +
      'topic by role assignment.',
    remediation: {
      text: 'Set identity.type to "SystemAssigned" (or UserAssigned) and use deliveryWithResourceIdentity in event subscriptions.',
      snippet: snippet({ type: 'Microsoft.EventGrid/topics', identity: { type: 'SystemAssigned' } }),
    },
    references: { checkov: ['CKV_AZURE_191'], psrule: ['Azure.EventGrid.ManagedIdentity'], mcsb: ['IM-3'] },
    since: '2026-12-07',
  },
  expectManagedIdentity(),
);
