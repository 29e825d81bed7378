import { expectPublicAccessClosed, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'kusto-public-network-access-disabled',
    title: 'Data Explorer cluster is not reachable from public networks',
    severity: 'medium',
    featureSet: 'DataExplorer',
    resourceTypes: ['Microsoft.Kusto/clusters'],
    rationale:
      'A Data Explorer cluster holds logs and telemetry that are often sensitive, and its query and ingestion endpoints accept ' +
      'any Entra token holder from the Internet while publicNetworkAccess is Enabled (the default). Disabled leaves private ' +
      'endpoints as the only way in.',
    remediation: {
      text: 'Set properties.publicNetworkAccess to "Disabled" and connect through a private endpoint.',
      snippet: snippet({ type: 'Microsoft.Kusto/clusters', properties: { publicNetworkAccess: 'Disabled' } }),
    },
    references: { psrule: ['Azure.ADX.PublicAccess'], mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  expectPublicAccessClosed(),
);
