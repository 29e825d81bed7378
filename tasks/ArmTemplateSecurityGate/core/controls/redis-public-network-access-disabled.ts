import { expectPublicAccessClosed, hasText, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'redis-public-network-access-disabled',
    title: 'Redis cache is not reachable from public networks',
    severity: 'medium',
    featureSet: 'RedisCache',
    resourceTypes: ['Microsoft.Cache/Redis'],
    rationale:
      'A cache with a public endpoint is one leaked access key away from having its data read or poisoned from anywhere. ' +
      'publicNetworkAccess defaults to Enabled; Disabled leaves private endpoints only. A Premium cache injected into a subnet ' +
      '(subnetId) has no public endpoint either.',
    remediation: {
      text: 'Set properties.publicNetworkAccess to "Disabled" and connect through a private endpoint.',
      snippet: snippet({ type: 'Microsoft.Cache/Redis', properties: { publicNetworkAccess: 'Disabled' } }),
    },
    references: { checkov: ['CKV_AZURE_89'], psrule: ['Azure.Redis.PublicNetworkAccess'], mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  expectPublicAccessClosed({ closedBy: hasText('$.properties.subnetId'), closedByText: 'the cache is injected into a virtual network (subnetId)' }),
);
