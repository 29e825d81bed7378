import { expectMinVersion, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'aks-supported-kubernetes-version',
    title: 'AKS cluster runs a supported Kubernetes version',
    severity: 'medium',
    featureSet: 'KubernetesService',
    resourceTypes: ['Microsoft.ContainerService/managedClusters'],
    rationale:
      'Unsupported Kubernetes versions get no security fixes. AzSK pinned an exact version (last 1.14.6), which was out of date ' +
      'within months; this control asks for {minimumVersion} or later (by default the oldest line still under AKS long-term support ' +
      'when the catalogue shipped; raise it in the settings as AKS retires versions). Leaving kubernetesVersion unset lets AKS pick ' +
      'its current default, which passes.',
    remediation: {
      text: 'Set properties.kubernetesVersion to {minimumVersion} or later, or omit it and enable an auto-upgrade channel.',
      snippet: snippet({
        type: 'Microsoft.ContainerService/managedClusters',
        properties: { kubernetesVersion: '1.32', autoUpgradeProfile: { upgradeChannel: 'patch' } },
      }),
    },
    references: { azsk: ['Azure_KubernetesService_Deploy_Use_Latest_Version'], psrule: ['Azure.AKS.Version'], mcsb: ['PV-6'] },
    since: '2026-11-23',
    parameters: {
      minimumVersion: { type: 'version', default: '1.30', doc: 'Oldest Kubernetes version accepted (major.minor, or major.minor.patch).' },
    },
  },
  ({ minimumVersion }) =>
    expectMinVersion('$.properties.kubernetesVersion', minimumVersion, {
      ifAbsent: 'pass',
      absentReason: 'AKS uses its current default version',
      what: 'the Kubernetes version',
    }),
);
