import { expectBool, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'synapse-data-exfiltration-protection',
    title: 'Synapse workspace prevents data exfiltration',
    severity: 'medium',
    featureSet: 'Synapse',
    resourceTypes: ['Microsoft.Synapse/workspaces'],
    rationale:
      'With data exfiltration protection, the managed virtual network lets managed private endpoints reach only Entra tenants ' +
      'on the allowedAadTenantIdsForLinking list, so a notebook or pipeline cannot copy data to a storage account the attacker ' +
      'controls. It can only be chosen at creation and is off by default.',
    remediation: {
      text: 'Set properties.managedVirtualNetworkSettings.preventDataExfiltration to true (with managedVirtualNetwork "default").',
      snippet: snippet({
        type: 'Microsoft.Synapse/workspaces',
        properties: { managedVirtualNetwork: 'default', managedVirtualNetworkSettings: { preventDataExfiltration: true, allowedAadTenantIdsForLinking: [] } },
      }),
    },
    references: { mcsb: ['DP-2'] },
    since: '2026-12-07',
  },
  expectBool('$.properties.managedVirtualNetworkSettings.preventDataExfiltration', true, { ifAbsent: 'fail', absentReason: 'off by default', what: 'data exfiltration protection' }),
);
