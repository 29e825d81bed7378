import { expectNoneOf, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'container-group-no-public-ip',
    title: 'Container group has no public IP address',
    severity: 'high',
    featureSet: 'ContainerInstances',
    resourceTypes: ['Microsoft.ContainerInstance/containerGroups'],
    rationale:
      'A public IP exposes the listed container ports directly to the internet with no firewall in front. Deploy into a virtual ' +
      'network (ipAddress.type "Private") or behind a gateway. Without ipAddress the group has no inbound address, which passes.',
    remediation: {
      text: 'Set ipAddress.type to "Private" with subnetIds, or remove ipAddress.',
      snippet: snippet({
        type: 'Microsoft.ContainerInstance/containerGroups',
        properties: { ipAddress: { type: 'Private', ports: [{ port: 443, protocol: 'TCP' }] }, subnetIds: [{ id: "[parameters('subnetId')]" }] },
      }),
    },
    references: { azsk: ['Azure_ContainerInstances_NetSec_Justify_PublicIP_and_Ports'], mcsb: ['NS-2'] },
    since: '2026-11-23',
  },
  expectNoneOf('$.properties.ipAddress.type', ['Public'], { ifAbsent: 'pass', absentReason: 'the group has no inbound address', what: 'the IP address type' }),
);
