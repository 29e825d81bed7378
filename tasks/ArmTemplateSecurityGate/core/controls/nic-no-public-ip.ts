import { fail, findUnknown, isObject, pass, prop, resourceControl, snippet, unknown, type Rule } from './helpers';

const rule: Rule = (view) => {
  const configs = view.getShallow('$.properties.ipConfigurations');
  if (configs.state === 'unknown') return unknown(`Cannot decide whether the interface has a public IP: its IP configurations are not known before deployment — ${configs.value.reason}.`, configs.location);
  if (configs.state !== 'value' || !Array.isArray(configs.value)) return pass('The interface declares no IP configuration with a public IP.', view.location);
  let pending: { reason: string; at: number } | undefined;
  for (let i = 0; i < configs.value.length; i++) {
    const c = configs.value[i];
    const props = isObject(c) ? prop(c, 'properties') : c;
    const pip = isObject(props) ? prop(props, 'publicIPAddress') : props;
    if (pip === undefined || pip === null) continue;
    const name = isObject(c) && typeof prop(c, 'name') === 'string' ? `'${String(prop(c, 'name'))}'` : `[${i}]`;
    // A publicIPAddress object is a public IP even when its id is computed at deployment; only the whole value being unknown is.
    if (!isObject(pip)) {
      const u = findUnknown(pip);
      if (u) pending ??= { reason: u.reason, at: i };
      continue;
    }
    return fail(`IP configuration ${name} has a public IP address: the VM behind this interface is reachable from the Internet on every port its NSG lets through.`, view.resource.locate([...configs.path, i, 'properties', 'publicIPAddress']));
  }
  if (pending) return unknown(`Cannot decide whether IP configuration [${pending.at}] has a public IP: it is not known before deployment — ${pending.reason}.`, view.resource.locate([...configs.path, pending.at]));
  return pass('No IP configuration of the interface has a public IP address.', configs.location);
};

export default resourceControl(
  {
    id: 'nic-no-public-ip',
    title: 'Network interfaces have no public IP address',
    severity: 'medium',
    featureSet: 'VirtualNetworkInterface',
    resourceTypes: ['Microsoft.Network/networkInterfaces'],
    rationale:
      'A public IP on a VM\'s interface puts the VM itself on the Internet: its only protection is an NSG, and one permissive rule ' +
      '(or an NSG left off the interface and subnet) exposes SSH, RDP or the application directly. Reach VMs through Azure Bastion, a ' +
      'VPN or a load balancer / Application Gateway frontend, and give them outbound access through a NAT gateway. A deliberate edge VM ' +
      '(a network virtual appliance, a jump host) can carry a justified suppression.',
    remediation: {
      text: 'Remove publicIPAddress from the IP configurations; publish services through a load balancer or Application Gateway and administer through Azure Bastion.',
      snippet: snippet({
        type: 'Microsoft.Network/networkInterfaces',
        properties: { ipConfigurations: [{ name: 'ipconfig1', properties: { privateIPAllocationMethod: 'Dynamic', subnet: { id: "[variables('subnetId')]" } } }] },
      }),
    },
    references: { mcsb: ['NS-1'] },
    since: '2026-12-07',
  },
  rule,
);
