import { AKS_POOL_TYPE, AKS_TYPE, asBool, eachPool, prop, resourceControl, snippet } from './helpers';
import { UnknownValue } from '../model';

export default resourceControl(
  {
    id: 'aks-encryption-at-host',
    title: 'AKS node pools encrypt temporary disks and caches at the host',
    severity: 'low',
    featureSet: 'KubernetesService',
    resourceTypes: [AKS_TYPE, AKS_POOL_TYPE],
    rationale:
      'Node temporary disks (where ephemeral OS disks, container images and emptyDir volumes may live) and disk caches stay unencrypted ' +
      'on the host unless enableEncryptionAtHost is on. Every pool is read, inline or as an agentPools resource (Checkov reads the first inline pool).',
    remediation: {
      text: 'Set enableEncryptionAtHost to true on each node pool (register the EncryptionAtHost feature first).',
      snippet: snippet({ type: 'Microsoft.ContainerService/managedClusters', properties: { agentPoolProfiles: [{ name: 'system', mode: 'System', enableEncryptionAtHost: true }] } }),
    },
    references: { checkov: ['CKV_AZURE_227'], mcsb: ['DP-4'] },
    since: '2026-12-07',
  },
  eachPool((pool) => {
    const v = prop(pool, 'enableEncryptionAtHost');
    if (v instanceof UnknownValue) return v;
    return asBool(v ?? null) === true ? undefined : 'does not encrypt at the host';
  }, 'Every node pool encrypts at the host.'),
);
