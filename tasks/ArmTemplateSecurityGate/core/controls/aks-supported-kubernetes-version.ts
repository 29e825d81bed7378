import { expectMinVersion, resourceControl, snippet } from './helpers';

/**
 * Oldest version accepted. AKS supports roughly the last three minor releases (plus LTS lines);
 * this floor is reviewed with each catalogue release, and raising it is a new control `since`.
 */
export const MIN_KUBERNETES_VERSION = '1.30';

export default resourceControl(
  {
    id: 'aks-supported-kubernetes-version',
    title: 'AKS cluster runs a supported Kubernetes version',
    severity: 'medium',
    featureSet: 'KubernetesService',
    resourceTypes: ['Microsoft.ContainerService/managedClusters'],
    rationale:
      'Unsupported Kubernetes versions get no security fixes. AzSK pinned an exact version (last 1.14.6), which was out of date ' +
      `within months; this control asks for ${MIN_KUBERNETES_VERSION} or later (the oldest line still under AKS long-term support when ` +
      'the catalogue shipped). Leaving kubernetesVersion unset lets AKS pick its current default, which passes.',
    remediation: {
      text: `Set properties.kubernetesVersion to ${MIN_KUBERNETES_VERSION} or later, or omit it and enable an auto-upgrade channel.`,
      snippet: snippet({
        type: 'Microsoft.ContainerService/managedClusters',
        properties: { kubernetesVersion: '1.32', autoUpgradeProfile: { upgradeChannel: 'patch' } },
      }),
    },
    references: { azsk: ['Azure_KubernetesService_Deploy_Use_Latest_Version'], psrule: ['Azure.AKS.Version'], mcsb: ['PV-6'] },
    since: '2026-11-23',
  },
  expectMinVersion('$.properties.kubernetesVersion', MIN_KUBERNETES_VERSION, {
    ifAbsent: 'pass',
    absentReason: 'AKS uses its current default version',
    what: 'the Kubernetes version',
  }),
);
