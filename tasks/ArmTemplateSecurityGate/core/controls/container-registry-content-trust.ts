import { expectOneOf, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'container-registry-content-trust',
    title: 'Container registry enforces content trust',
    severity: 'low',
    featureSet: 'ContainerRegistry',
    resourceTypes: ['Microsoft.ContainerRegistry/registries'],
    rationale:
      'Content trust lets consumers verify who published an image and that it was not altered. The trust policy is Premium-only ' +
      'and off by default. Azure has announced the retirement of Docker Content Trust in ACR in favour of Notary Project (Notation) ' +
      'signatures, so this AzSK control is kept at low severity; teams signing with Notation should suppress it with that reason.',
    remediation: {
      text: 'Set properties.policies.trustPolicy.status to "enabled" (Premium SKU), or sign images with Notation.',
      snippet: snippet({
        type: 'Microsoft.ContainerRegistry/registries',
        sku: { name: 'Premium' },
        properties: { policies: { trustPolicy: { type: 'Notary', status: 'enabled' } } },
      }),
    },
    references: { azsk: ['Azure_ContainerRegistry_DP_Enable_Content_Trust'], psrule: ['Azure.ACR.ContentTrust'] },
    since: '2026-11-23',
  },
  expectOneOf('$.properties.policies.trustPolicy.status', ['enabled'], { ifAbsent: 'fail', absentReason: 'off by default', what: 'content trust' }),
);
