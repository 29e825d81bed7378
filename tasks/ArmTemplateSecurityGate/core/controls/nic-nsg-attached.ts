import { expectNonEmptyString, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'nic-nsg-attached',
    title: 'Network interface has a network security group',
    severity: 'medium',
    featureSet: 'VirtualNetworkInterface',
    resourceTypes: ['Microsoft.Network/networkInterfaces'],
    rationale:
      'An NSG on the NIC limits inbound and outbound ports for that VM. A subnet-level NSG can do the same but is not visible on ' +
      'the NIC; NICs protected that way should be suppressed with that reason.',
    remediation: {
      text: 'Set properties.networkSecurityGroup.id on the NIC.',
      snippet: snippet({
        type: 'Microsoft.Network/networkInterfaces',
        properties: { networkSecurityGroup: { id: "[resourceId('Microsoft.Network/networkSecurityGroups', 'vm-nsg')]" } },
      }),
    },
    references: { azsk: ['Azure_VNet_NetSec_Configure_NSG'], mcsb: ['NS-1'] },
    since: '2026-11-23',
  },
  expectNonEmptyString('$.properties.networkSecurityGroup.id', { ifAbsent: 'fail', absentReason: 'no NSG is attached to the NIC', what: 'the network security group' }),
);
