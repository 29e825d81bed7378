import { decide, resourceControl, snippet } from './helpers';
import { UnknownValue } from '../model';

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
  // Attachment is decided by the presence of an NSG id; which NSG it is may be known only at deployment.
  (view) =>
    decide(
      view,
      view.getShallow('$.properties.networkSecurityGroup.id'),
      (v) => {
        const ok = v instanceof UnknownValue || (typeof v === 'string' && v.trim() !== '');
        return { ok, detail: ok ? 'is set' : 'is empty, expected the id of a network security group' };
      },
      { ifAbsent: 'fail', absentReason: 'no NSG is attached to the NIC', what: 'the network security group' },
    ),
);
