import { expectLocalAuthDisabled, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'log-analytics-local-auth-disabled',
    title: 'Log Analytics workspace refuses shared keys',
    severity: 'low',
    featureSet: 'LogAnalytics',
    resourceTypes: ['Microsoft.OperationalInsights/workspaces'],
    rationale:
      'With the workspace shared key anyone can send data into the workspace (the legacy agent and Data Collector API use it): ' +
      'forged security events, or noise that hides real ones. features.disableLocalAuth true requires Entra ID ' +
      'authentication for ingestion and queries. Keys are accepted by default.',
    remediation: {
      text: 'Set properties.features.disableLocalAuth to true and send data with the Azure Monitor Agent or the Logs Ingestion API.',
      snippet: snippet({ type: 'Microsoft.OperationalInsights/workspaces', properties: { features: { disableLocalAuth: true } } }),
    },
    references: { mcsb: ['IM-1'] },
    since: '2026-12-07',
  },
  expectLocalAuthDisabled('$.properties.features.disableLocalAuth'),
);
