import { expectLocalAuthDisabled, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'app-insights-local-auth-disabled',
    title: 'Application Insights accepts only Entra ID authenticated telemetry',
    severity: 'low',
    featureSet: 'ApplicationInsights',
    resourceTypes: ['Microsoft.Insights/components'],
    rationale:
      'The instrumentation key (or connection string) is embedded in every client and web page, so anyone can send telemetry ' +
      'with it: fake exceptions, forged user activity or noise that hides an attack. With DisableLocalAuth true the ' +
      'component accepts telemetry only with an Entra ID token. Local authentication is on by default.',
    remediation: {
      text: 'Set properties.DisableLocalAuth to true and configure the SDK or agent with a managed identity.',
      snippet: snippet({ type: 'Microsoft.Insights/components', kind: 'web', properties: { Application_Type: 'web', DisableLocalAuth: true } }),
    },
    references: { psrule: ['Azure.AppInsights.LocalAuth'], mcsb: ['IM-1'] },
    since: '2026-12-07',
  },
  expectLocalAuthDisabled('$.properties.DisableLocalAuth'),
);
