import { expectValue, resourceControl, snippet, type Rule } from './helpers';

const https = (path: string, what: string): Rule =>
  expectValue(
    path,
    (v) => {
      const ok = typeof v === 'string' && !/^http:\/\//i.test(v.trim());
      return { ok, detail: ok ? `is ${JSON.stringify(v)}` : `is ${JSON.stringify(v)}, plain HTTP` };
    },
    { ifAbsent: 'pass', absentReason: 'no backend URL is set here', what },
  );

const backend = https('$.properties.url', 'the backend URL');
const api = https('$.properties.serviceUrl', 'the API service URL');

export default resourceControl(
  {
    id: 'api-management-backend-https',
    title: 'API Management calls its backends over HTTPS',
    severity: 'high',
    featureSet: 'APIManagement',
    resourceTypes: ['Microsoft.ApiManagement/service/backends', 'Microsoft.ApiManagement/service/apis'],
    rationale:
      'Requests API Management forwards carry the callers\' data and often credentials (subscription keys, tokens, certificates); over ' +
      'http:// they cross the network in clear text and can be altered. Backends (url) and APIs (serviceUrl) must use https://.',
    remediation: {
      text: 'Use an https:// URL for each backend and API service URL.',
      snippet: snippet({ type: 'Microsoft.ApiManagement/service/backends', properties: { protocol: 'http', url: 'https://orders.internal.contoso.com/api' } }),
    },
    references: { psrule: ['Azure.APIM.HTTPBackend'], mcsb: ['DP-3'] },
    since: '2026-12-07',
  },
  (view, ctx) => (/\/backends$/i.test(view.type) ? backend(view, ctx) : api(view, ctx)),
);
