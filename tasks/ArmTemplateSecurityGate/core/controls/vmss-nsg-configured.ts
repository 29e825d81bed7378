import { fail, isNonEmptyString, isUnknown, isObject, pass, prop, publicIpConfigs, resourceControl, Rule, scaleSetNics, snippet, unknown, unknownResult } from './helpers';

const rule: Rule = (view) => {
  const nics = scaleSetNics(view);
  if (nics.state === 'unknown') return unknownResult(nics, 'the NIC network security groups', view.resource);
  if (nics.state === 'absent' || !Array.isArray(nics.value)) return pass('The scale set declares no network interface configurations.', nics.location);
  const missing: string[] = [];
  for (const [i, nic] of nics.value.entries()) {
    if (!isObject(nic)) continue;
    const { names, unknown: u } = publicIpConfigs(nic);
    if (u) return unknown(`Cannot decide whether the NIC is internet-facing — ${u.reason}.`, u.location ?? nics.location);
    if (!names.length) continue;
    const props = prop(nic, 'properties');
    const nsg = isObject(props) ? prop(props, 'networkSecurityGroup') : undefined;
    const id = isObject(nsg) ? prop(nsg, 'id') : nsg;
    if (isUnknown(id)) {
      return unknown(`Cannot decide the NSG of NIC configuration [${i}]: its id is not known before deployment — ${id.reason}.`, id.location ?? nics.location);
    }
    if (!isNonEmptyString(id ?? null)) {
      const n = prop(nic, 'name');
      missing.push(typeof n === 'string' ? n : `[${i}]`);
    }
  }
  return missing.length
    ? fail(`NIC configuration ${missing.join(', ')} has public IPs but no networkSecurityGroup.`, nics.location)
    : pass('Every internet-facing NIC configuration has a network security group.', nics.location);
};

export default resourceControl(
  {
    id: 'vmss-nsg-configured',
    title: 'Internet-facing scale set NICs have a network security group',
    severity: 'medium',
    featureSet: 'VirtualMachineScaleSet',
    resourceTypes: ['Microsoft.Compute/virtualMachineScaleSets'],
    rationale:
      'An NSG limits which ports are reachable. Following AzSK\'s control spec, a NIC configuration that assigns public IPs must ' +
      'name a networkSecurityGroup; NICs without public IPs pass, since a subnet NSG (not visible on the scale set) usually guards them.',
    remediation: {
      text: 'Set properties.networkSecurityGroup.id on each NIC configuration that has public IPs.',
      snippet: snippet({
        name: 'nic',
        properties: { primary: true, networkSecurityGroup: { id: "[resourceId('Microsoft.Network/networkSecurityGroups', 'vmss-nsg')]" } },
      }),
    },
    references: { azsk: ['Azure_VirtualMachineScaleSet_Config_Enable_NSG'], mcsb: ['NS-1'] },
    since: '2026-11-23',
  },
  rule,
);
