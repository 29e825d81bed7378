import { expectBool, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'aks-monitoring-enabled',
    title: 'AKS cluster sends logs to Azure Monitor (Container insights)',
    severity: 'medium',
    featureSet: 'KubernetesService',
    resourceTypes: ['Microsoft.ContainerService/managedClusters'],
    rationale:
      'Container insights collects node, pod and container logs into a Log Analytics workspace, the trail needed to detect and ' +
      'investigate misuse. The add-on key is matched case-insensitively ("omsagent"/"omsAgent").',
    remediation: {
      text: 'Enable addonProfiles.omsagent with a logAnalyticsWorkspaceResourceID.',
      snippet: snippet({
        type: 'Microsoft.ContainerService/managedClusters',
        properties: { addonProfiles: { omsagent: { enabled: true, config: { logAnalyticsWorkspaceResourceID: "[parameters('workspaceId')]" } } } },
      }),
    },
    references: {
      azsk: ['Azure_KubernetesService_Audit_Enable_Monitoring'],
      checkov: ['CKV_AZURE_4'],
      psrule: ['Azure.AKS.ContainerInsights'],
      mcsb: ['LT-3'],
    },
    since: '2026-11-23',
  },
  expectBool('$.properties.addonProfiles.omsagent.enabled', true, { ifAbsent: 'fail', absentReason: 'the monitoring add-on is not enabled', what: 'Container insights' }),
);
