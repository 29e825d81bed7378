import { AKS_TYPE, expectBool, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'aks-local-accounts-disabled',
    title: 'AKS clusters have local accounts disabled',
    severity: 'high',
    featureSet: 'KubernetesService',
    resourceTypes: [AKS_TYPE],
    rationale:
      'With local accounts, anyone allowed to call listClusterAdminCredential gets a static cluster-admin certificate that bypasses ' +
      'Entra ID, conditional access and audit by identity, and cannot be revoked short of rotating the cluster certificates. ' +
      'disableLocalAccounts leaves Entra ID as the only way in.',
    remediation: {
      text: 'Integrate the cluster with Entra ID (aadProfile.managed) and set disableLocalAccounts to true.',
      snippet: snippet({ type: 'Microsoft.ContainerService/managedClusters', properties: { aadProfile: { managed: true, enableAzureRBAC: true }, disableLocalAccounts: true } }),
    },
    references: { checkov: ['CKV_AZURE_141'], psrule: ['Azure.AKS.LocalAccounts'], mcsb: ['IM-1'] },
    since: '2026-12-07',
  },
  expectBool('$.properties.disableLocalAccounts', true, { ifAbsent: 'fail', absentReason: 'local accounts are on unless disabled', what: 'local accounts' }),
);
