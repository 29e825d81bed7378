import { expectBool, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'container-registry-anonymous-pull-disabled',
    title: 'Container registry does not allow anonymous pull',
    severity: 'high',
    featureSet: 'ContainerRegistry',
    resourceTypes: ['Microsoft.ContainerRegistry/registries'],
    rationale:
      'With anonymousPullEnabled, anyone who can reach the registry can pull every image without credentials: application ' +
      'code, configuration and any secret baked into a layer. Off by default (Standard and Premium SKUs only).',
    remediation: {
      text: 'Remove anonymousPullEnabled or set it to false; give pullers AcrPull or a scoped token.',
      snippet: snippet({ type: 'Microsoft.ContainerRegistry/registries', properties: { anonymousPullEnabled: false } }),
    },
    references: { checkov: ['CKV_AZURE_138'], psrule: ['Azure.ACR.AnonymousAccess'], mcsb: ['IM-1'] },
    since: '2026-12-07',
  },
  expectBool('$.properties.anonymousPullEnabled', false, { ifAbsent: 'pass', absentReason: 'defaults to false', what: 'anonymous pull' }),
);
