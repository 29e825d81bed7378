import { expectMinVersion, resourceControl, SITES_AND_SLOTS, siteConfig, snippet } from './helpers';

export default resourceControl(
  {
    id: 'app-service-min-tls-version',
    title: 'App Service requires TLS {minimumTlsVersion} or later',
    severity: 'high',
    featureSet: 'AppService',
    ...SITES_AND_SLOTS,
    rationale:
      'TLS 1.0 and 1.1 have known weaknesses and are deprecated (RFC 8996). AzSK read only properties.siteConfig.minTlsVersion; ' +
      'today the setting is just as often written in a Microsoft.Web/sites/config resource named "web", which is applied after the site ' +
      'and therefore wins, so both places are read. App Service has defaulted new apps to 1.2, which is what an unset value is judged as; an ' +
      'explicit value older than {minimumTlsVersion} fails.',
    remediation: {
      text: 'Set siteConfig.minTlsVersion (or properties.minTlsVersion of the sites/config "web" resource) to "{minimumTlsVersion}" or later.',
      snippet: snippet({ type: 'Microsoft.Web/sites', properties: { siteConfig: { minTlsVersion: '{minimumTlsVersion}' } } }),
    },
    references: {
      azsk: ['Azure_AppService_DP_Use_Secure_TLS_Version'],
      checkov: ['CKV_AZURE_15'],
      psrule: ['Azure.AppService.MinTLS'],
      mcsb: ['DP-3'],
    },
    since: '2026-11-23',
    parameters: { minimumTlsVersion: { type: 'version', default: '1.2', doc: 'Oldest TLS version clients may use.' } },
  },
  ({ minimumTlsVersion }) =>
    expectMinVersion(siteConfig('minTlsVersion'), minimumTlsVersion, {
      ifAbsent: 'pass',
      absentValue: '1.2',
      absentReason: 'App Service defaults to 1.2',
      what: 'the minimum TLS version',
    }),
);
