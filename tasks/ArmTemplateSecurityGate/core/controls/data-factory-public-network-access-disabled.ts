import { expectPublicAccessClosed, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'data-factory-public-network-access-disabled',
    title: 'Data Factory is not reachable from public networks',
    severity: 'medium',
    featureSet: 'DataFactory',
    resourceTypes: ['Microsoft.DataFactory/factories'],
    rationale:
      'Data Factory holds connections to every data store it moves data between. With publicNetworkAccess Enabled (the ' +
      'default) its authoring and integration-runtime endpoints are reachable from the Internet; Disabled leaves private ' +
      'endpoints only.',
    remediation: {
      text: 'Set properties.publicNetworkAccess to "Disabled" and use private endpoints (and a managed virtual network).',
      snippet: snippet({ type: 'Microsoft.DataFactory/factories', properties: { publicNetworkAccess: 'Disabled' } }),
    },
    references: { checkov: ['CKV_AZURE_104'], mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  expectPublicAccessClosed(),
);
