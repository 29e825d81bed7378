import { expectPublicAccessClosed, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'databricks-public-network-access-disabled',
    title: 'Databricks workspace is not reachable from public networks',
    severity: 'medium',
    featureSet: 'DataBricks',
    resourceTypes: ['Microsoft.Databricks/workspaces'],
    rationale:
      'With publicNetworkAccess Enabled (the default) the workspace UI and REST API answer on the Internet, so a stolen ' +
      'personal access token works from anywhere. Disabled (with requiredNsgRules NoAzureDatabricksRules) routes users and ' +
      'clusters through private link only.',
    remediation: {
      text: 'Set properties.publicNetworkAccess to "Disabled" and properties.requiredNsgRules to "NoAzureDatabricksRules", with private endpoints.',
      snippet: snippet({ type: 'Microsoft.Databricks/workspaces', sku: { name: 'premium' }, properties: { publicNetworkAccess: 'Disabled', requiredNsgRules: 'NoAzureDatabricksRules' } }),
    },
    references: { checkov: ['CKV_AZURE_158'], psrule: ['Azure.Databricks.PublicAccess'], mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  expectPublicAccessClosed(),
);
