import { expectEvery, resourceControl, SITES_AND_SLOTS, siteConfig, snippet } from './helpers';

export default resourceControl(
  {
    id: 'app-service-cors-no-wildcard',
    title: 'App Service CORS does not allow every origin',
    severity: 'medium',
    featureSet: 'AppService',
    ...SITES_AND_SLOTS,
    rationale:
      'An allowed origin of "*" lets script on any web site call the app from a user\'s browser. AzSK shipped this control ' +
      'disabled because it could only "verify"; with evaluated templates the origin list is known, so it is enabled here.',
    remediation: {
      text: 'List the specific origins that need cross-origin access instead of "*".',
      snippet: snippet({ type: 'Microsoft.Web/sites', properties: { siteConfig: { cors: { allowedOrigins: ['https://app.contoso.com'] } } } }),
    },
    references: { azsk: ['Azure_AppService_DP_Restrict_CORS_Access'], checkov: ['CKV_AZURE_57'] },
    since: '2026-11-23',
  },
  expectEvery(
    siteConfig('cors.allowedOrigins'),
    (origin, i) => ({ ok: !(typeof origin === 'string' && origin.trim() === '*'), detail: `[${i}] is "*" (every origin)` }),
    { ifAbsent: 'pass', absentReason: 'no CORS origins are allowed', what: 'the CORS origins' },
  ),
);
