import { expectOneOf, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'container-registry-export-policy-disabled',
    title: 'Container registry does not allow exporting its artifacts',
    severity: 'medium',
    featureSet: 'ContainerRegistry',
    resourceTypes: ['Microsoft.ContainerRegistry/registries'],
    rationale:
      'With the export policy enabled (the default), images and artifacts can be copied out of the registry into another ' +
      'registry or storage account with az acr import and acr transfer pipelines, bypassing the network rules that protect ' +
      'the data plane — a data exfiltration path for proprietary images and the secrets baked into them. ' +
      'policies.exportPolicy.status "disabled" closes it (Premium; requires publicNetworkAccess Disabled).',
    remediation: {
      text: 'Set properties.policies.exportPolicy.status to "disabled" together with properties.publicNetworkAccess "Disabled".',
      snippet: snippet({
        type: 'Microsoft.ContainerRegistry/registries',
        sku: { name: 'Premium' },
        properties: { publicNetworkAccess: 'Disabled', policies: { exportPolicy: { status: 'disabled' } } },
      }),
    },
    references: { psrule: ['Azure.ACR.ExportPolicy'], mcsb: ['DP-2'] },
    since: '2026-12-07',
  },
  expectOneOf('$.properties.policies.exportPolicy.status', ['disabled'], { ifAbsent: 'fail', absentReason: 'export is enabled by default', what: 'the export policy' }),
);
