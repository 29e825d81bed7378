import { expectPublicAccessClosed, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'synapse-public-network-access-disabled',
    title: 'Synapse workspace is not reachable from public networks',
    severity: 'medium',
    featureSet: 'Synapse',
    resourceTypes: ['Microsoft.Synapse/workspaces'],
    rationale:
      'With publicNetworkAccess Enabled (the default) the workspace\'s SQL, development and web endpoints answer on the ' +
      'Internet, guarded only by its IP firewall rules. Disabled leaves private endpoints (and Synapse private link hubs) only.',
    remediation: {
      text: 'Set properties.publicNetworkAccess to "Disabled" and connect through private endpoints.',
      snippet: snippet({ type: 'Microsoft.Synapse/workspaces', properties: { publicNetworkAccess: 'Disabled' } }),
    },
    references: { mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  expectPublicAccessClosed(),
);
