import { expectBool, resourceControl, siteConfig, snippet } from './helpers';

export default resourceControl(
  {
    id: 'app-service-always-on',
    title: 'App Service keeps the app loaded (Always On)',
    severity: 'medium',
    featureSet: 'AppService',
    resourceTypes: ['Microsoft.Web/sites'],
    rationale:
      'Without Always On an idle app is unloaded; the next request waits for a cold start and background jobs stop. ' +
      'That is an availability risk for production apps. The setting defaults to false, so it must be set.',
    remediation: {
      text: 'Set siteConfig.alwaysOn to true (needs a Basic or higher plan).',
      snippet: snippet({ type: 'Microsoft.Web/sites', properties: { siteConfig: { alwaysOn: true } } }),
    },
    references: { azsk: ['Azure_AppService_BCDR_Use_AlwaysOn'], psrule: ['Azure.AppService.AlwaysOn'] },
    since: '2026-11-23',
  },
  expectBool(siteConfig('alwaysOn'), true, { ifAbsent: 'fail', absentReason: 'defaults to false', what: 'Always On' }),
);
