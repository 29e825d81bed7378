import { AKS_POOL_TYPE, AKS_TYPE, asBool, eachPool, prop, resourceControl, snippet } from './helpers';
import { UnknownValue } from '../model';

export default resourceControl(
  {
    id: 'aks-node-public-ip-disabled',
    title: 'AKS nodes have no public IP addresses',
    severity: 'high',
    featureSet: 'KubernetesService',
    resourceTypes: [AKS_TYPE, AKS_POOL_TYPE],
    rationale:
      'enableNodePublicIP gives every node its own Internet address, so the kubelet, SSH and any hostNetwork or NodePort service are ' +
      'reachable from the Internet, guarded only by the NSG. Nodes should be reached through the load balancer or ingress.',
    remediation: {
      text: 'Leave enableNodePublicIP unset or false on each node pool.',
      snippet: snippet({ type: 'Microsoft.ContainerService/managedClusters', properties: { agentPoolProfiles: [{ name: 'system', mode: 'System', enableNodePublicIP: false }] } }),
    },
    references: { mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  eachPool((pool) => {
    const v = prop(pool, 'enableNodePublicIP');
    if (v instanceof UnknownValue) return v;
    return asBool(v ?? null) === true ? 'gives every node a public IP' : undefined;
  }, 'No node pool gives its nodes public IPs.'),
);
