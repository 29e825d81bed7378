import { expectOneOf, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'databricks-premium-tier',
    title: 'Databricks workspace uses the Premium tier (workspace, cluster and job access control)',
    severity: 'medium',
    featureSet: 'DataBricks',
    resourceTypes: ['Microsoft.Databricks/workspaces'],
    rationale:
      'Workspace, cluster and job access control lists exist only in the Premium tier; on Standard every user can see and run ' +
      'everything. AzSK had three controls that all checked sku.name for "premium"; they are one control here because the ' +
      'template can only state the tier — the ACLs themselves are configured inside the workspace.',
    remediation: {
      text: 'Set sku.name to "premium" and configure the access control lists in the workspace.',
      snippet: snippet({ type: 'Microsoft.Databricks/workspaces', sku: { name: 'premium' } }),
    },
    references: {
      azsk: [
        'Azure_Databricks_AuthZ_Enable_Workspace_Access_Control',
        'Azure_Databricks_AuthZ_Enable_Cluster_Access_Control',
        'Azure_Databricks_AuthZ_Enable_Job_Access_Control',
      ],
      mcsb: ['PA-7'],
    },
    since: '2026-11-23',
    parameters: {
      allowedTiers: { type: 'string[]', default: ['premium'], doc: 'Pricing tiers (sku.name) a workspace may use; only Premium has access control lists.' },
    },
  },
  ({ allowedTiers }) => expectOneOf('$.sku.name', allowedTiers, { ifAbsent: 'fail', absentReason: 'no tier is stated', what: 'the pricing tier' }),
);
