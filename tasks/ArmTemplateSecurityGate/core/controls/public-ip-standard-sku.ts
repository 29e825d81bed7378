import { expectOneOf, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'public-ip-standard-sku',
    title: 'Public IP addresses use the Standard SKU',
    severity: 'medium',
    featureSet: 'PublicIP',
    resourceTypes: ['Microsoft.Network/publicIPAddresses'],
    rationale:
      'A Basic public IP is open to inbound traffic unless something in front of it filters; a Standard public IP is closed until an NSG ' +
      'allows traffic, and is the only SKU with zone redundancy and DDoS Network Protection telemetry. Basic public IPs were retired on ' +
      '30 September 2025. Without sku the address is Basic.',
    remediation: {
      text: 'Set sku.name to "Standard" (allocation method Static) and attach an NSG to the NIC or subnet that uses it.',
      snippet: snippet({ type: 'Microsoft.Network/publicIPAddresses', sku: { name: 'Standard', tier: 'Regional' }, properties: { publicIPAllocationMethod: 'Static' } }),
    },
    references: { psrule: ['Azure.PublicIP.StandardSKU'], mcsb: ['NS-1'] },
    since: '2026-12-07',
  },
  expectOneOf('$.sku.name', ['Standard'], { ifAbsent: 'fail', absentReason: 'the address is Basic, open by default', what: 'the public IP SKU' }),
);
