import { fail, isObject, pass, prop, publicIpConfigs, resourceControl, Rule, scaleSetNics, snippet, unknown, unknownResult } from './helpers';

const rule: Rule = (view) => {
  const nics = scaleSetNics(view);
  if (nics.state === 'unknown') return unknownResult(nics, 'whether instances get public IPs', view.resource);
  if (nics.state === 'absent' || !Array.isArray(nics.value)) return pass('The scale set declares no network interface configurations.', nics.location);
  const exposed: string[] = [];
  for (const [i, nic] of nics.value.entries()) {
    if (!isObject(nic)) continue;
    const { names, unknown: u } = publicIpConfigs(nic);
    const nicName = prop(nic, 'name');
    if (names.length) exposed.push(`${typeof nicName === 'string' ? nicName : `[${i}]`} (${names.join(', ')})`);
    else if (u) return unknown(`Cannot decide whether instances get public IPs: an IP configuration is not known before deployment — ${u.reason}.`, u.location ?? nics.location);
  }
  return exposed.length
    ? fail(`Every instance gets a public IP through NIC configuration ${exposed.join('; ')}.`, nics.location)
    : pass('No NIC configuration assigns public IPs to instances.', nics.location);
};

export default resourceControl(
  {
    id: 'vmss-no-public-ip',
    title: 'Scale set instances do not get public IP addresses',
    severity: 'high',
    featureSet: 'VirtualMachineScaleSet',
    resourceTypes: ['Microsoft.Compute/virtualMachineScaleSets'],
    rationale:
      'publicIPAddressConfiguration gives every instance its own internet-facing address, exposing management ports and services ' +
      'directly. Put instances behind a load balancer, Application Gateway or Bastion instead. Where per-instance public IPs are ' +
      'needed (e.g. game servers), suppress with that reason.',
    remediation: {
      text: 'Remove publicIPAddressConfiguration from the IP configurations; publish through a load balancer.',
      snippet: snippet({
        type: 'Microsoft.Compute/virtualMachineScaleSets',
        properties: {
          virtualMachineProfile: {
            networkProfile: {
              networkInterfaceConfigurations: [
                { name: 'nic', properties: { primary: true, ipConfigurations: [{ name: 'ipconfig', properties: { subnet: { id: "[parameters('subnetId')]" } } }] } },
              ],
            },
          },
        },
      }),
    },
    references: { azsk: ['Azure_VirtualMachineScaleSet_NetSec_Justify_PublicIPs'], mcsb: ['NS-1'] },
    since: '2026-11-23',
  },
  rule,
);
