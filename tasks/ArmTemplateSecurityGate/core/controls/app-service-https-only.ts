import { expectBool, resourceControl, SITES_AND_SLOTS, snippet } from './helpers';

export default resourceControl(
  {
    id: 'app-service-https-only',
    title: 'App Service accepts HTTPS only',
    severity: 'high',
    featureSet: 'AppService',
    ...SITES_AND_SLOTS,
    rationale:
      'With httpsOnly off, the app answers plain HTTP, so credentials, cookies and data can be read or changed on the wire. ' +
      'httpsOnly makes the front end redirect every HTTP request to HTTPS. The property defaults to false, so it must be set.',
    remediation: {
      text: 'Set properties.httpsOnly to true on the site.',
      snippet: snippet({ type: 'Microsoft.Web/sites', properties: { httpsOnly: true } }),
    },
    references: {
      azsk: ['Azure_AppService_DP_Dont_Allow_HTTP_Access'],
      checkov: ['CKV_AZURE_14'],
      psrule: ['Azure.AppService.UseHTTPS'],
      mcsb: ['DP-3'],
    },
    since: '2026-11-23',
  },
  expectBool('$.properties.httpsOnly', true, { ifAbsent: 'fail', absentReason: 'defaults to false', what: 'HTTPS-only' }),
);
