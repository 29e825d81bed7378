import { expectPublicAccessClosed, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'app-configuration-public-network-access-disabled',
    title: 'App Configuration store is not reachable from public networks',
    severity: 'medium',
    featureSet: 'AppConfiguration',
    resourceTypes: ['Microsoft.AppConfiguration/configurationStores'],
    rationale:
      'With a public endpoint, anyone on the Internet who obtains an access key or a token can read or change the settings that ' +
      'steer the applications. Disabled leaves private endpoints as the only way in. When publicNetworkAccess is unset the store ' +
      'is public unless a private endpoint is attached, which a template cannot promise, so unset fails.',
    remediation: {
      text: 'Set properties.publicNetworkAccess to "Disabled" and connect through a private endpoint.',
      snippet: snippet({ type: 'Microsoft.AppConfiguration/configurationStores', properties: { publicNetworkAccess: 'Disabled' } }),
    },
    references: { mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  expectPublicAccessClosed({ absentReason: 'the store is public while no private endpoint is attached' }),
);
