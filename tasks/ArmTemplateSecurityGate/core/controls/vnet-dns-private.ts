import { fail, pass, readRange, resourceControl, snippet, unknown, unknownResult, type Rule } from './helpers';
import { UnknownValue } from '../model';
import { isIpProblem, readIpRange, rangeCovers, type IpRange } from '../../../common/net/ip';

/** Where a VNet's DNS servers may be: private space (the VNet, its peers, on-premises over a gateway) and Azure's own resolver. */
const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '168.63.129.16/32', 'fc00::/7'].map((t) => readIpRange(t) as IpRange);

const rule: Rule = (view) => {
  const servers = view.getShallow('$.properties.dhcpOptions.dnsServers');
  if (servers.state === 'unknown') return unknownResult(servers, 'the DNS servers', view.resource);
  if (servers.state !== 'value' || !Array.isArray(servers.value) || servers.value.length === 0) {
    return pass('The virtual network uses Azure-provided DNS.', view.location);
  }
  const outside: string[] = [];
  let undecided: UnknownValue | undefined;
  for (const s of servers.value) {
    if (s instanceof UnknownValue) {
      undecided ??= s;
      continue;
    }
    const r = typeof s === 'string' ? readRange(s) : undefined;
    if (r === undefined || isIpProblem(r)) {
      outside.push(`${JSON.stringify(s)} (not an IP address)`);
      continue;
    }
    if (!PRIVATE.some((p) => p.family === r.family && rangeCovers(p, r))) outside.push(String(s));
  }
  if (outside.length) return fail(`DNS servers outside private address space: ${outside.join(', ')}; every name the VNet resolves goes to them.`, servers.location);
  if (undecided) return unknown(`Cannot decide where the DNS servers are: ${undecided.reason}.`, undecided.location ?? servers.location);
  return pass(`All ${servers.value.length} DNS server(s) are private addresses.`, servers.location);
};

export default resourceControl(
  {
    id: 'vnet-dns-private',
    title: 'Virtual networks resolve names through private DNS servers',
    severity: 'medium',
    featureSet: 'VirtualNetwork',
    resourceTypes: ['Microsoft.Network/virtualNetworks'],
    rationale:
      'Custom DNS servers on public addresses receive every name the VNet\'s VMs look up (a map of the workload and a channel for data) ' +
      'and answer for private endpoints and internal names, which lets whoever controls them redirect traffic. DNS servers in private ' +
      'address space (the VNet, a peered hub, on-premises over a gateway) and Azure\'s resolver 168.63.129.16 pass. Checkov passes a VNet ' +
      'when one DNS server lies in the VNet\'s own prefixes; this control also accepts a hub DNS server in another private range and fails ' +
      'any public one.',
    remediation: {
      text: 'Leave dhcpOptions.dnsServers empty (Azure DNS with Private DNS zones), or point it at DNS servers or a Private Resolver in private address space.',
      snippet: snippet({ type: 'Microsoft.Network/virtualNetworks', properties: { dhcpOptions: { dnsServers: ['10.0.0.4', '10.0.0.5'] } } }),
    },
    references: { checkov: ['CKV_AZURE_183'], psrule: ['Azure.VNET.LocalDNS'], mcsb: ['NS-10'] },
    since: '2026-12-07',
  },
  rule,
);
