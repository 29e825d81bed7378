import { AKS_TYPE, expectNoneOf, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'aks-auto-upgrade',
    title: 'AKS clusters upgrade automatically',
    severity: 'medium',
    featureSet: 'KubernetesService',
    resourceTypes: [AKS_TYPE],
    rationale:
      'Kubernetes and node image fixes for security flaws reach a cluster only when it is upgraded; clusters left to manual upgrades ' +
      'fall out of support and keep known vulnerabilities. An upgrade channel (patch, stable, rapid or node-image) keeps it current.',
    remediation: {
      text: 'Set autoUpgradeProfile.upgradeChannel to "patch" or "stable" (and nodeOSUpgradeChannel to "NodeImage"), with a maintenance window.',
      snippet: snippet({ type: 'Microsoft.ContainerService/managedClusters', properties: { autoUpgradeProfile: { upgradeChannel: 'stable', nodeOSUpgradeChannel: 'NodeImage' } } }),
    },
    references: { checkov: ['CKV_AZURE_171'], psrule: ['Azure.AKS.AutoUpgrade'], mcsb: ['PV-6'] },
    since: '2026-12-07',
  },
  expectNoneOf('$.properties.autoUpgradeProfile.upgradeChannel', ['none'], { ifAbsent: 'fail', absentReason: 'no upgrade channel is chosen', what: 'the upgrade channel' }),
);
