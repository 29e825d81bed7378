import { expectLocalAuthDisabled, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'event-grid-local-auth-disabled',
    title: 'Event Grid topic or domain refuses access keys',
    severity: 'medium',
    featureSet: 'EventGrid',
    resourceTypes: ['Microsoft.EventGrid/topics', 'Microsoft.EventGrid/domains'],
    rationale:
      'With access keys (or SAS tokens signed with them) anyone who holds a key can publish events that downstream handlers ' +
      'trust and act on. disableLocalAuth true requires Entra ID tokens and the EventGrid Data Sender role. Keys are accepted by default.',
    remediation: {
      text: 'Set properties.disableLocalAuth to true and grant EventGrid Data Sender to the publishers.',
      snippet: snippet({ type: 'Microsoft.EventGrid/topics', properties: { disableLocalAuth: true } }),
    },
    references: { checkov: ['CKV_AZURE_192'], psrule: ['Azure.EventGrid.DisableLocalAuth'], mcsb: ['IM-1'] },
    since: '2026-12-07',
  },
  expectLocalAuthDisabled(),
);
