import { expectPublicAccessClosed, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'machine-learning-workspace-public-network-access-disabled',
    title: 'Machine Learning workspace is not reachable from public networks',
    severity: 'medium',
    featureSet: 'MachineLearning',
    resourceTypes: ['Microsoft.MachineLearningServices/workspaces'],
    rationale:
      'A workspace open to the Internet exposes its studio, APIs, datastores\' credentials and model endpoints\' management to ' +
      'anyone with a token. publicNetworkAccess Disabled leaves private endpoints only. An unset value is public ' +
      '(Checkov CKV2_AZURE_49 accepts it; we do not, because the service default is Enabled when no private endpoint is set).',
    remediation: {
      text: 'Set properties.publicNetworkAccess to "Disabled" and connect through a private endpoint.',
      snippet: snippet({ type: 'Microsoft.MachineLearningServices/workspaces', properties: { publicNetworkAccess: 'Disabled' } }),
    },
    references: { checkov: ['CKV2_AZURE_49'], psrule: ['Azure.ML.PublicAccess'], mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  expectPublicAccessClosed(),
);
