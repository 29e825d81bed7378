import { expectMinVersion, resourceControl, SITES_AND_SLOTS, siteConfig, snippet } from './helpers';

export default resourceControl(
  {
    id: 'app-service-dotnet-framework-version',
    title: 'App Service does not pin a legacy .NET Framework runtime',
    severity: 'low',
    featureSet: 'AppService',
    ...SITES_AND_SLOTS,
    rationale:
      'AzSK required netFrameworkVersion to equal "v4.7", a value App Service no longer accepts: today "v4.0" selects the ' +
      'current .NET Framework 4.x runtime and "v6.0"/"v8.0"... select modern .NET on Windows. What is still risky is pinning ' +
      'the .NET 2.0/3.5 runtime (values "v2.0"/"v3.5"), which no longer receives feature updates. Versions older than {minimumVersion} fail; unset is judged as the platform default, v4.0.',
    remediation: {
      text: 'Set netFrameworkVersion to "v4.0" (latest .NET Framework 4.x) or a current .NET version such as "v8.0".',
      snippet: snippet({ type: 'Microsoft.Web/sites', properties: { siteConfig: { netFrameworkVersion: 'v8.0' } } }),
    },
    references: { azsk: ['Azure_AppService_Deploy_Use_Latest_Version'] },
    since: '2026-11-23',
    parameters: { minimumVersion: { type: 'version', default: '4.0', doc: 'Oldest runtime version (netFrameworkVersion) accepted.' } },
  },
  ({ minimumVersion }) =>
    expectMinVersion(siteConfig('netFrameworkVersion'), minimumVersion, {
      ifAbsent: 'pass',
      absentValue: 'v4.0',
      absentReason: 'the platform default is v4.0',
      what: 'the .NET Framework version',
    }),
);
