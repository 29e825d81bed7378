import { allOf, expectOneOf, resourceControl, snippet } from './helpers';

const CLOSED = ['Disabled', 'SecuredByPerimeter'];

export default resourceControl(
  {
    id: 'log-analytics-public-network-access-disabled',
    title: 'Log Analytics workspace takes logs and queries only over private links',
    severity: 'low',
    featureSet: 'LogAnalytics',
    resourceTypes: ['Microsoft.OperationalInsights/workspaces'],
    rationale:
      'A workspace open to public networks accepts data from any agent on the Internet that holds its ID and key (forged or flooded ' +
      'security events) and answers queries from anywhere a stolen token is used. With publicNetworkAccessForIngestion and ' +
      'publicNetworkAccessForQuery Disabled, logs arrive and are read only through an Azure Monitor Private Link Scope. Both default ' +
      'to Enabled. SecuredByPerimeter (a network security perimeter) also passes.',
    remediation: {
      text: 'Set publicNetworkAccessForIngestion and publicNetworkAccessForQuery to "Disabled" and connect the workspace to an Azure Monitor Private Link Scope.',
      snippet: snippet({ type: 'Microsoft.OperationalInsights/workspaces', properties: { publicNetworkAccessForIngestion: 'Disabled', publicNetworkAccessForQuery: 'Disabled' } }),
    },
    references: { mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  allOf(
    expectOneOf('$.properties.publicNetworkAccessForIngestion', CLOSED, { ifAbsent: 'fail', absentReason: 'defaults to Enabled', what: 'public ingestion' }),
    expectOneOf('$.properties.publicNetworkAccessForQuery', CLOSED, { ifAbsent: 'fail', absentReason: 'defaults to Enabled', what: 'public queries' }),
  ),
);
