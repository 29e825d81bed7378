import { expectEvery, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'api-management-api-https-only',
    title: 'API Management APIs are exposed over HTTPS/WSS only',
    severity: 'high',
    featureSet: 'APIManagement',
    resourceTypes: ['Microsoft.ApiManagement/service/apis'],
    rationale:
      'An API that lists "http" (or "ws") in protocols accepts clear-text calls, exposing subscription keys, tokens and payloads. ' +
      'AzSK required exactly ["https"]; "wss" is also accepted here because WebSocket APIs use it. An empty or missing list fails ' +
      'because the protocols should be stated.',
    remediation: {
      text: 'Set properties.protocols to ["https"] (or ["wss"] for WebSocket APIs).',
      snippet: snippet({ type: 'Microsoft.ApiManagement/service/apis', properties: { protocols: ['https'] } }),
    },
    references: { azsk: ['Azure_APIManagement_DP_Use_HTTPS_URL_Scheme'], psrule: ['Azure.APIM.HTTPEndpoint'], mcsb: ['DP-3'] },
    since: '2026-11-23',
  },
  expectEvery(
    '$.properties.protocols',
    (p, i) => {
      const ok = typeof p === 'string' && ['https', 'wss'].includes(p.toLowerCase());
      return { ok, detail: `[${i}] is ${JSON.stringify(p)}, which is not encrypted` };
    },
    { ifAbsent: 'fail', ifEmpty: 'fail', absentReason: 'state the protocols explicitly', what: 'the API protocols' },
  ),
);
