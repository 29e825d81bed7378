import { expectMinVersion, resourceControl, SITES_AND_SLOTS, siteConfig, snippet } from './helpers';

export default resourceControl(
  {
    id: 'app-service-min-tls-version',
    title: 'App Service requires TLS 1.2 or later',
    severity: 'high',
    featureSet: 'AppService',
    ...SITES_AND_SLOTS,
    rationale:
      'TLS 1.0 and 1.1 have known weaknesses and are deprecated (RFC 8996). AzSK read only properties.siteConfig.minTlsVersion; ' +
      'today the setting is just as often written in a Microsoft.Web/sites/config resource named "web", which is applied after the site ' +
      'and therefore wins, so both places are read. App Service has defaulted new apps to 1.2, so an unset value passes; an explicit ' +
      'older value fails.',
    remediation: {
      text: 'Set siteConfig.minTlsVersion (or properties.minTlsVersion of the sites/config "web" resource) to "1.2" or "1.3".',
      snippet: snippet({ type: 'Microsoft.Web/sites', properties: { siteConfig: { minTlsVersion: '1.2' } } }),
    },
    references: {
      azsk: ['Azure_AppService_DP_Use_Secure_TLS_Version'],
      checkov: ['CKV_AZURE_15'],
      psrule: ['Azure.AppService.MinTLS'],
      mcsb: ['DP-3'],
    },
    since: '2026-11-23',
  },
  expectMinVersion(siteConfig('minTlsVersion'), '1.2', { ifAbsent: 'pass', absentReason: 'App Service defaults to 1.2', what: 'the minimum TLS version' }),
);
