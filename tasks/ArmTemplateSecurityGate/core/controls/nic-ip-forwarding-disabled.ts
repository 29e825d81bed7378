import { expectBool, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'nic-ip-forwarding-disabled',
    title: 'Network interface does not forward IP traffic',
    severity: 'medium',
    featureSet: 'VirtualNetworkInterface',
    resourceTypes: ['Microsoft.Network/networkInterfaces'],
    rationale:
      'IP forwarding lets a VM receive and route traffic addressed to other hosts; only network virtual appliances need it, and ' +
      'those should be reviewed with the network team. Off by default; an appliance NIC should be suppressed with that reason.',
    remediation: {
      text: 'Remove enableIPForwarding or set it to false unless the VM is a reviewed network appliance.',
      snippet: snippet({ type: 'Microsoft.Network/networkInterfaces', properties: { enableIPForwarding: false } }),
    },
    references: { azsk: ['Azure_VNet_NetSec_Justify_IPForwarding_for_NICs'], mcsb: ['NS-1'] },
    since: '2026-11-23',
  },
  expectBool('$.properties.enableIPForwarding', false, { ifAbsent: 'pass', absentReason: 'defaults to false', what: 'IP forwarding' }),
);
