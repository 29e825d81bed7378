/**
 * CIDR functions (learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-cidr)
 * over the one IP/CIDR reader of the repository (tasks/common/net/ip.ts).
 *
 * The documented results are those of an IPNetwork-style model: IPv4 ranges have a broadcast
 * address and a first/last usable host inside the network/broadcast pair, IPv6 ranges have no
 * broadcast and their "usable" range is the whole range (the docs' parseCidr('fdad:3236:5555::/48')
 * gives firstUsable 'fdad:3236:5555::'), while cidrHost() counts from the address after the network
 * address for both families (cidrHost('fdad:3236:5555:3000::/52', 0) is '…::1'). Addresses are
 * printed as .NET's IPAddress.ToString() prints them (RFC 5952 compression, lower-case hex).
 *
 * Everything the docs leave open and implementations disagree on is reported as unknown, never
 * guessed: a network without '/prefix' (which some parsers complete with a classful prefix),
 * non-canonical IPv4 text such as '010.0.0.1' or '10.1' (which .NET reads as octal / short forms),
 * a netmask for a prefix, a zone index, white space, the last usable host of an IPv4 /31 and IPv6
 * addresses that .NET prints with an embedded IPv4 part. Anything else the reader refuses is an error.
 */
import { IP_BITS, IpCidr, IpProblemKind, cidrRange, dotNetPrintsEmbeddedIpv4, formatIp, isIpProblem, netmaskOf, readCidr } from '../../../../common/net/ip';
import { UnknownValue } from '../../model';
import { Env, siteError, unknownAt } from '../runtime';
import { RuntimeValue, fromPlain } from '../values';
import { CallNode, Registry, int, str } from './registry';

/** Forms the reader refuses because readers disagree about them, rather than because they are wrong. */
const UNDOCUMENTED: ReadonlySet<IpProblemKind> = new Set<IpProblemKind>(['white-space', 'no-prefix', 'non-canonical-ipv4', 'netmask', 'zone-index']);

export function registerCidr(r: Registry): void {
  r.def('sys.parseCidr,parseCidr', 1, 1, (a, env, n): RuntimeValue => {
    const net = cidrNet(a[0], env, n);
    if (net instanceof UnknownValue) return net;
    const last = cidrRange(net).last;
    const addr = (v: bigint): string | UnknownValue => cidrAddress(v, net, env, n);
    if (net.family === 6) {
      // IPv6 has no broadcast; the usable range is the whole range (the docs' IPv6 example).
      return fromPlain({ network: addr(net.network), netmask: addr(netmaskOf(net)), firstUsable: addr(net.network), lastUsable: addr(last), cidr: net.prefix }, 'parseCidr()');
    }
    // A /32 is its single address. A /31 keeps no network/broadcast pair to skip, and the docs do not
    // say whether its last usable host is the upper address (RFC 3021) or the network address.
    const inner = net.prefix <= 30;
    return fromPlain({
      network: addr(net.network),
      netmask: addr(netmaskOf(net)),
      broadcast: addr(last),
      firstUsable: addr(inner ? net.network + 1n : net.network),
      lastUsable: net.prefix === 31
        ? unknownAt(env, `${n.display}(): the last usable address of a /31 is not documented for ARM`)
        : addr(inner ? last - 1n : net.network),
      cidr: net.prefix,
    }, 'parseCidr()');
  });
  r.def('sys.cidrSubnet,cidrSubnet', 3, 3, (a, env, n) => {
    const net = cidrNet(a[0], env, n);
    const newCidr = int(a[1], env, n, 1);
    const index = int(a[2], env, n, 2);
    if (net instanceof UnknownValue) return net;
    const bits = IP_BITS[net.family];
    if (newCidr < net.prefix || newCidr > bits) {
      throw siteError(env, `${n.display}(): argument 2 (newCIDR) must be from ${net.prefix} (the network's prefix) to ${bits}, got ${newCidr}`);
    }
    const count = 1n << BigInt(newCidr - net.prefix);
    if (index < 0 || BigInt(index) >= count) {
      throw siteError(env, `${n.display}(): argument 3 (subnetIndex) ${index} is out of range: /${net.prefix} holds ${count} subnet(s) of /${newCidr} (index 0 to ${count - 1n})`);
    }
    const start = cidrAddress(net.network + (BigInt(index) << BigInt(bits - newCidr)), net, env, n);
    return start instanceof UnknownValue ? start : `${start}/${newCidr}`;
  });
  r.def('sys.cidrHost,cidrHost', 2, 2, (a, env, n) => {
    const net = cidrNet(a[0], env, n);
    const index = int(a[1], env, n, 1);
    if (net instanceof UnknownValue) return net;
    // Hosts are counted from the address after the network address and end before the last one.
    const count = (1n << BigInt(IP_BITS[net.family] - net.prefix)) - 2n;
    if (count <= 0n) throw siteError(env, `${n.display}(): argument 1 (network) /${net.prefix} has no usable host address`);
    if (index < 0 || BigInt(index) >= count) {
      throw siteError(env, `${n.display}(): argument 2 (hostIndex) ${index} is out of range: /${net.prefix} has ${count} usable host address(es) (index 0 to ${count - 1n})`);
    }
    return cidrAddress(net.network + 1n + BigInt(index), net, env, n);
  });
}

function cidrNet(v: RuntimeValue, env: Env, n: CallNode): IpCidr | UnknownValue {
  const r = readCidr(str(v, env, n, 0));
  if (!isIpProblem(r)) return r;
  if (UNDOCUMENTED.has(r.problem)) return unknownAt(env, `${n.display}(): ${r.message}; how ARM reads that form is not documented`);
  throw siteError(env, `${n.display}(): argument 1 (network) is invalid: ${r.message}`);
}

function cidrAddress(value: bigint, net: IpCidr, env: Env, n: CallNode): string | UnknownValue {
  if (net.family === 6 && dotNetPrintsEmbeddedIpv4(value)) {
    return unknownAt(env, `${n.display}(): the result is an IPv6 address that .NET prints with an embedded IPv4 part; the gate does not reproduce that form`);
  }
  return formatIp({ family: net.family, value });
}
