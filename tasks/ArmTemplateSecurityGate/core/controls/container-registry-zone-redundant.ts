import { expectOneOf, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'container-registry-zone-redundant',
    title: 'Container registry and its replicas are zone redundant',
    severity: 'low',
    featureSet: 'ContainerRegistry',
    resourceTypes: ['Microsoft.ContainerRegistry/registries', 'Microsoft.ContainerRegistry/registries/replications'],
    rationale:
      'A registry is on the path of every deployment and every node that pulls an image: when its zone fails, clusters cannot ' +
      'scale or recover and releases stop. zoneRedundancy spreads the registry (or one geo-replica) over availability zones. ' +
      'It defaults to Disabled and can only be chosen when the registry or replica is created (Premium SKU), so it belongs in ' +
      'the template. Checkov\'s CKV_AZURE_233 passes a registry written without properties; ours fails it, as it is not zone redundant.',
    remediation: {
      text: 'Set properties.zoneRedundancy to "Enabled" on the Premium registry and on each replications child (only possible when they are created).',
      snippet: snippet({ type: 'Microsoft.ContainerRegistry/registries', sku: { name: 'Premium' }, properties: { zoneRedundancy: 'Enabled' } }),
    },
    references: { checkov: ['CKV_AZURE_233'] },
    since: '2026-12-07',
  },
  expectOneOf('$.properties.zoneRedundancy', ['Enabled'], { ifAbsent: 'fail', absentReason: 'defaults to Disabled', what: 'zone redundancy' }),
);
