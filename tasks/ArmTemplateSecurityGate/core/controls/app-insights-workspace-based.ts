import { expectNonEmptyString, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'app-insights-workspace-based',
    title: 'Application Insights stores telemetry in a Log Analytics workspace',
    severity: 'low',
    featureSet: 'ApplicationInsights',
    resourceTypes: ['Microsoft.Insights/components'],
    rationale:
      'Classic (non workspace-based) Application Insights was retired in February 2024; its data cannot be governed with the ' +
      'workspace\'s access control, retention, customer-managed keys or private link, and is kept apart from the security ' +
      'logs it should be correlated with. workspaceResourceId links the component to a workspace.',
    remediation: {
      text: 'Set properties.WorkspaceResourceId to the resource id of a Log Analytics workspace.',
      snippet: snippet({ type: 'Microsoft.Insights/components', properties: { Application_Type: 'web', WorkspaceResourceId: "[resourceId('Microsoft.OperationalInsights/workspaces', parameters('workspaceName'))]" } }),
    },
    references: { psrule: ['Azure.AppInsights.Workspace'], mcsb: ['LT-5'] },
    since: '2026-12-07',
  },
  expectNonEmptyString('$.properties.WorkspaceResourceId', { ifAbsent: 'fail', absentReason: 'the component is classic', what: 'the workspace link' }),
);
