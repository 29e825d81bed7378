import { fail, isObject, lastNameSegment, pass, prop, resourceControl, snippet, unknown, unknownResult, type Rule } from './helpers';
import { UnknownValue, type EvaluatedValue } from '../model';

/** Subnets Azure reserves for a service that manages its own traffic rules (or refuses an NSG). */
const EXEMPT = new Set(['gatewaysubnet', 'azurefirewallsubnet', 'azurefirewallmanagementsubnet', 'routeserversubnet']);

/** 'ok', 'missing' or the UnknownValue that decides, for one subnet's properties. */
function hasNsg(props: EvaluatedValue | undefined): 'ok' | 'missing' | UnknownValue {
  if (props instanceof UnknownValue) return props;
  const nsg = isObject(props) ? prop(props, 'networkSecurityGroup') : undefined;
  if (nsg instanceof UnknownValue) return nsg;
  // Which NSG may be known only at deployment; that one is attached is what counts.
  const id = isObject(nsg) ? prop(nsg, 'id') : undefined;
  return id instanceof UnknownValue || (typeof id === 'string' && id.trim() !== '') ? 'ok' : 'missing';
}

const rule: Rule = (view) => {
  if (/\/subnets$/i.test(view.type)) {
    if (EXEMPT.has(lastNameSegment(view.name).toLowerCase())) return undefined;
    const h = hasNsg(prop(view.resource.body, 'properties'));
    if (h instanceof UnknownValue) return unknown(`Cannot decide whether subnet '${view.name}' has an NSG: ${h.reason}.`, h.location ?? view.location);
    return h === 'ok' ? pass(`Subnet '${view.name}' has a network security group.`, view.location) : fail(`Subnet '${view.name}' has no network security group.`, view.location);
  }
  const list = view.getShallow('$.properties.subnets');
  if (list.state === 'unknown') return unknownResult(list, 'the subnets', view.resource);
  if (list.state !== 'value' || !Array.isArray(list.value) || list.value.length === 0) return pass('The virtual network declares no subnet inline.', view.location);
  const missing: string[] = [];
  let undecided: UnknownValue | undefined;
  list.value.forEach((s, i) => {
    if (s instanceof UnknownValue) {
      undecided ??= s;
      return;
    }
    const name = isObject(s) ? prop(s, 'name') : undefined;
    if (typeof name === 'string' && EXEMPT.has(name.toLowerCase())) return;
    const h = hasNsg(isObject(s) ? prop(s, 'properties') : undefined);
    if (h instanceof UnknownValue) undecided ??= h;
    else if (h === 'missing') missing.push(typeof name === 'string' ? `'${name}'` : `[${i}]`);
  });
  if (missing.length) return fail(`Subnet ${missing.join(', ')} has no network security group.`, view.resource.locate([...list.path]));
  if (undecided) return unknown(`Cannot decide whether every subnet has an NSG: ${undecided.reason}.`, undecided.location ?? view.location);
  return pass('Every subnet has a network security group (gateway, firewall and route server subnets aside).', view.location);
};

export default resourceControl(
  {
    id: 'vnet-subnet-nsg',
    title: 'Subnets have a network security group',
    severity: 'medium',
    featureSet: 'VirtualNetwork',
    resourceTypes: ['Microsoft.Network/virtualNetworks', 'Microsoft.Network/virtualNetworks/subnets'],
    rationale:
      'Without an NSG on the subnet, every VM, private endpoint and internal load balancer in it is reachable from the whole virtual ' +
      'network and its peers, and from the Internet wherever a public IP lands; an NSG on the subnet is the default-deny boundary that ' +
      'does not depend on each NIC. GatewaySubnet, AzureFirewallSubnet, AzureFirewallManagementSubnet and RouteServerSubnet are exempt: ' +
      'those services manage their own rules. Subnets declared inline and as separate resources are each judged where declared.',
    remediation: {
      text: 'Set properties.networkSecurityGroup.id on each subnet.',
      snippet: snippet({ name: 'app', properties: { addressPrefix: '10.0.1.0/24', networkSecurityGroup: { id: "[resourceId('Microsoft.Network/networkSecurityGroups', 'app-nsg')]" } } }),
    },
    references: { psrule: ['Azure.VNET.UseNSGs'], mcsb: ['NS-1'] },
    since: '2026-12-07',
  },
  rule,
);
