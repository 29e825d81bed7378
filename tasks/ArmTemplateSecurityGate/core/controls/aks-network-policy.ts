import { AKS_TYPE, expectNoneOf, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'aks-network-policy',
    title: 'AKS clusters enforce Kubernetes network policies',
    severity: 'medium',
    featureSet: 'KubernetesService',
    resourceTypes: [AKS_TYPE],
    rationale:
      'Without a network policy engine every pod can reach every other pod in every namespace: one compromised workload can talk to the ' +
      'databases and control components of all the others. The engine (azure, calico or cilium) is chosen at creation in ' +
      'networkProfile.networkPolicy; NetworkPolicy objects have no effect without it.',
    remediation: {
      text: 'Set networkProfile.networkPolicy to "azure", "calico" or "cilium" when creating the cluster.',
      snippet: snippet({ type: 'Microsoft.ContainerService/managedClusters', properties: { networkProfile: { networkPlugin: 'azure', networkPolicy: 'calico' } } }),
    },
    references: { checkov: ['CKV_AZURE_7'], psrule: ['Azure.AKS.NetworkPolicy'], mcsb: ['NS-1'] },
    since: '2026-12-07',
  },
  expectNoneOf('$.properties.networkProfile.networkPolicy', ['none', ''], { ifAbsent: 'fail', absentReason: 'no network policy engine is installed', what: 'the network policy engine' }),
);
