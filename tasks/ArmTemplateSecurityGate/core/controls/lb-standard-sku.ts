import { expectOneOf, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'lb-standard-sku',
    title: 'Load balancers use the Standard SKU',
    severity: 'medium',
    featureSet: 'LoadBalancer',
    resourceTypes: ['Microsoft.Network/loadBalancers'],
    rationale:
      'A Basic load balancer passes inbound traffic to its backends unless an NSG stops it; a Standard load balancer is closed by default ' +
      'and needs an NSG rule to let anything in. Basic load balancers were retired on 30 September 2025. Without sku the load balancer is Basic.',
    remediation: {
      text: 'Set sku.name to "Standard" (or "Gateway" for a gateway load balancer), with Standard public IPs on its frontends.',
      snippet: snippet({ type: 'Microsoft.Network/loadBalancers', sku: { name: 'Standard', tier: 'Regional' } }),
    },
    references: { psrule: ['Azure.LB.StandardSKU'], mcsb: ['NS-1'] },
    since: '2026-12-07',
  },
  expectOneOf('$.sku.name', ['Standard', 'Gateway'], { ifAbsent: 'fail', absentReason: 'the load balancer is Basic, open by default', what: 'the load balancer SKU' }),
);
