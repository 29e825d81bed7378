import { expectBool, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'aks-rbac-enabled',
    title: 'AKS cluster has Kubernetes RBAC enabled',
    severity: 'high',
    featureSet: 'KubernetesService',
    resourceTypes: ['Microsoft.ContainerService/managedClusters'],
    rationale:
      'Without RBAC every authenticated user has full control of the cluster. RBAC cannot be turned on after the cluster is ' +
      'created, so the template must state enableRBAC: true rather than rely on the tooling default.',
    remediation: {
      text: 'Set properties.enableRBAC to true.',
      snippet: snippet({ type: 'Microsoft.ContainerService/managedClusters', properties: { enableRBAC: true } }),
    },
    references: {
      azsk: ['Azure_KubernetesService_Deploy_Enable_Cluster_RBAC'],
      checkov: ['CKV_AZURE_5'],
      psrule: ['Azure.AKS.UseRBAC'],
      mcsb: ['PA-7'],
    },
    since: '2026-11-23',
  },
  expectBool('$.properties.enableRBAC', true, { ifAbsent: 'fail', absentReason: 'state it explicitly; it cannot be changed later', what: 'Kubernetes RBAC' }),
);
