import { expectBool, resourceControl, SITES_AND_SLOTS, siteConfig, snippet } from './helpers';

export default resourceControl(
  {
    id: 'app-service-cors-no-credentials',
    title: 'App Service CORS does not allow credentials',
    severity: 'medium',
    featureSet: 'AppService',
    ...SITES_AND_SLOTS,
    rationale:
      'With cors.supportCredentials on, browsers send the signed-in user\'s cookies and tokens on cross-origin calls from the ' +
      'allowed origins, so any weakness in one of those sites becomes a way to act as the user here. Off by default; unset passes.',
    remediation: {
      text: 'Remove cors.supportCredentials or set it to false, unless a reviewed origin list needs it.',
      snippet: snippet({
        type: 'Microsoft.Web/sites',
        properties: { siteConfig: { cors: { allowedOrigins: ['https://app.contoso.com'], supportCredentials: false } } },
      }),
    },
    references: { azsk: ['Azure_AppService_DP_Review_CORS_Request_Credential'] },
    since: '2026-11-23',
  },
  expectBool(siteConfig('cors.supportCredentials'), false, { ifAbsent: 'pass', absentReason: 'defaults to false', what: 'CORS credentials' }),
);
