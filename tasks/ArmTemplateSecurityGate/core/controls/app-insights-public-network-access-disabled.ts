import { allOf, expectOneOf, resourceControl, snippet } from './helpers';

const CLOSED = ['Disabled', 'SecuredByPerimeter'];

export default resourceControl(
  {
    id: 'app-insights-public-network-access-disabled',
    title: 'Application Insights takes telemetry and queries only over private links',
    severity: 'low',
    featureSet: 'ApplicationInsights',
    resourceTypes: ['Microsoft.Insights/components'],
    rationale:
      'The instrumentation key or connection string of a component is embedded in client code and easy to find; while public ingestion ' +
      'is on, anyone holding it can send fake telemetry that pollutes alerts and hides real failures, and public query access answers ' +
      'from any network. publicNetworkAccessForIngestion and publicNetworkAccessForQuery Disabled limit both to an Azure Monitor ' +
      'Private Link Scope. Both default to Enabled; browser telemetry needs public ingestion, so a component for a public web front end ' +
      'may carry a justified suppression.',
    remediation: {
      text: 'Set publicNetworkAccessForIngestion and publicNetworkAccessForQuery to "Disabled" and connect the component to an Azure Monitor Private Link Scope.',
      snippet: snippet({ type: 'Microsoft.Insights/components', kind: 'web', properties: { Application_Type: 'web', publicNetworkAccessForIngestion: 'Disabled', publicNetworkAccessForQuery: 'Disabled' } }),
    },
    references: { mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  allOf(
    expectOneOf('$.properties.publicNetworkAccessForIngestion', CLOSED, { ifAbsent: 'fail', absentReason: 'defaults to Enabled', what: 'public ingestion' }),
    expectOneOf('$.properties.publicNetworkAccessForQuery', CLOSED, { ifAbsent: 'fail', absentReason: 'defaults to Enabled', what: 'public queries' }),
  ),
);
