import type { ApiControl } from '../model';
import { judgeRejection } from './helpers';

/** With expectSubscriptionKey: a request without Ocp-Apim-Subscription-Key is refused on every operation. */
export const subscriptionKeyRequired: ApiControl = {
  meta: {
    id: 'subscription-key-required',
    title: 'A subscription key is required on every operation',
    severity: 'high',
    scope: 'operation',
    rationale:
      'API Management subscription keys tie every call to a product and a subscriber, which is what rate limits, quotas, revocation and usage reports rest on. An API or operation published with subscription required turned off accepts calls from anyone who knows its URL, even when the pipeline expects a key.',
    remediation: {
      text: 'Turn on subscription required for the API (or the product it belongs to) and make sure no operation is published through a product without it.',
      snippet: '"properties": { "subscriptionRequired": true, "subscriptionKeyParameterNames": { "header": "Ocp-Apim-Subscription-Key", "query": "subscription-key" } }',
    },
    references: { owaspApi: ['API2:2023', 'API4:2023'], cwe: ['CWE-306'] },
    since: '2026-12-07',
  },
  applies: (context) => context.expectSubscriptionKey,
  // The probe keeps the client certificate, so a refused handshake is about the certificate, not the key.
  check: (evidence) => judgeRejection(evidence, { identity: 'certOnly', without: 'without the subscription key', tlsRefusalRejects: !evidence.context.credentials.clientCertificate }),
};
