import { expectOneOf, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'container-registry-quarantine',
    title: 'Container registry quarantines pushed images until they are scanned',
    severity: 'low',
    featureSet: 'ContainerRegistry',
    resourceTypes: ['Microsoft.ContainerRegistry/registries'],
    rationale:
      'With the quarantine policy, a newly pushed image cannot be pulled until a scanner marks it verified, so a vulnerable or ' +
      'tampered image does not reach a cluster between push and scan. Off by default (Premium SKU).',
    remediation: {
      text: 'Set properties.policies.quarantinePolicy.status to "enabled" and have your scanner mark images verified.',
      snippet: snippet({ type: 'Microsoft.ContainerRegistry/registries', sku: { name: 'Premium' }, properties: { policies: { quarantinePolicy: { status: 'enabled' } } } }),
    },
    references: { checkov: ['CKV_AZURE_166'], psrule: ['Azure.ACR.Quarantine'], mcsb: ['DS-6', 'PV-5'] },
    since: '2026-12-07',
  },
  expectOneOf('$.properties.policies.quarantinePolicy.status', ['enabled'], { ifAbsent: 'fail', absentReason: 'defaults to disabled', what: 'the quarantine policy' }),
);
