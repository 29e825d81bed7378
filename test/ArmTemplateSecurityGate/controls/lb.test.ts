/**
 * lb-nat-management-ports over load-balancing rules: a rule from a public frontend to a management port publishes it on
 * every VM of the pool; the same rule on an internal frontend, or to another port, does not.
 */
import * as assert from 'node:assert/strict';
import lbNatManagementPorts from '../../../tasks/ArmTemplateSecurityGate/core/controls/lb-nat-management-ports';
import { createCheckContext } from '../../../tasks/ArmTemplateSecurityGate/core/controls';
import type { EvaluatedResource, EvaluatedTemplate, EvaluatedValue } from '../../../tasks/ArmTemplateSecurityGate/core/model';

const at = { file: 't.json', line: 1, column: 1 };

function lb(frontend: Record<string, EvaluatedValue>, backendPort: number): EvaluatedResource {
  const body = {
    properties: {
      frontendIPConfigurations: [{ name: 'fe', properties: frontend }],
      loadBalancingRules: [
        { name: 'rule', properties: { frontendIPConfiguration: { id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb/frontendIPConfigurations/fe' }, protocol: 'Tcp', frontendPort: backendPort, backendPort } },
      ],
    },
  };
  return { type: 'Microsoft.Network/loadBalancers', name: 'lb', body, location: at, locate: () => at, deploymentPath: [], existing: false };
}

function outcome(resource: EvaluatedResource): string {
  const template = { resources: [resource], parameters: [], outputs: [] } as unknown as EvaluatedTemplate;
  const ctx = createCheckContext(template);
  if (lbNatManagementPorts.kind !== 'resource') throw new Error('not a resource control');
  return lbNatManagementPorts.check(resource, ctx).map((r) => r.outcome).join(',');
}

const publicFrontend = { publicIPAddress: { id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/pip' } };
const internalFrontend = { privateIPAllocationMethod: 'Dynamic', subnet: { id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s' } };

describe('controls: lb-nat-management-ports judges load-balancing rules', () => {
  it('a public frontend balanced to SSH fails', () => assert.equal(outcome(lb(publicFrontend, 22)), 'fail'));
  it('a public frontend balanced to HTTPS passes', () => assert.equal(outcome(lb(publicFrontend, 443)), 'pass'));
  it('an internal frontend balanced to RDP passes', () => assert.equal(outcome(lb(internalFrontend, 3389)), 'pass'));
});
