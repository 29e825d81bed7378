/** CIDR functions (template-functions-cidr); the address arithmetic is in ../cidr.ts. */
import { UnknownValue } from '../../model';
import { CidrNet, broadcastOf, formatAddress, netmaskOf, parseCidrText } from '../cidr';
import { Env, siteError, unknownAt } from '../runtime';
import { Obj, RuntimeValue, fromPlain } from '../values';
import { CallNode, Registry, int, str } from './registry';

export function registerCidr(r: Registry): void {
  r.def('sys.parseCidr,parseCidr', 1, 1, (a, env, n): RuntimeValue => {
    const net = cidrNet(a[0], env, n);
    if (net instanceof UnknownValue) return net;
    const bc = broadcastOf(net);
    const addr = (v: bigint): string | UnknownValue => cidrAddress(v, net, env, n);
    if (net.v6) {
      // IPv6 has no broadcast; the usable range is the whole range (the docs' IPv6 example).
      return fromPlain({ network: addr(net.network), netmask: addr(netmaskOf(net)), firstUsable: addr(net.network), lastUsable: addr(bc), cidr: net.prefix }, 'parseCidr()') as Obj;
    }
    // A /32 is its single address. A /31 keeps no network/broadcast pair to skip, and the docs do not
    // say whether its last usable host is the upper address (RFC 3021) or the network address.
    const inner = net.prefix <= 30;
    return fromPlain({
      network: addr(net.network),
      netmask: addr(netmaskOf(net)),
      broadcast: addr(bc),
      firstUsable: addr(inner ? net.network + 1n : net.network),
      lastUsable: net.prefix === 31
        ? unknownAt(env, `${n.display}(): the last usable address of a /31 is not documented for ARM`)
        : addr(inner ? bc - 1n : net.network),
      cidr: net.prefix,
    }, 'parseCidr()') as Obj;
  });
  r.def('sys.cidrSubnet,cidrSubnet', 3, 3, (a, env, n) => {
    const net = cidrNet(a[0], env, n);
    const newCidr = int(a[1], env, n, 1);
    const index = int(a[2], env, n, 2);
    if (net instanceof UnknownValue) return net;
    if (newCidr < net.prefix || newCidr > net.bits) {
      throw siteError(env, `${n.display}(): argument 2 (newCIDR) must be from ${net.prefix} (the network's prefix) to ${net.bits}, got ${newCidr}`);
    }
    const count = 1n << BigInt(newCidr - net.prefix);
    if (index < 0 || BigInt(index) >= count) {
      throw siteError(env, `${n.display}(): argument 3 (subnetIndex) ${index} is out of range: /${net.prefix} holds ${count} subnet(s) of /${newCidr} (index 0 to ${count - 1n})`);
    }
    const start = cidrAddress(net.network + (BigInt(index) << BigInt(net.bits - newCidr)), net, env, n);
    return start instanceof UnknownValue ? start : `${start}/${newCidr}`;
  });
  r.def('sys.cidrHost,cidrHost', 2, 2, (a, env, n) => {
    const net = cidrNet(a[0], env, n);
    const index = int(a[1], env, n, 1);
    if (net instanceof UnknownValue) return net;
    // Hosts are counted from the address after the network address and end before the last one.
    const count = (1n << BigInt(net.bits - net.prefix)) - 2n;
    if (count <= 0n) throw siteError(env, `${n.display}(): argument 1 (network) /${net.prefix} has no usable host address`);
    if (index < 0 || BigInt(index) >= count) {
      throw siteError(env, `${n.display}(): argument 2 (hostIndex) ${index} is out of range: /${net.prefix} has ${count} usable host address(es) (index 0 to ${count - 1n})`);
    }
    return cidrAddress(net.network + 1n + BigInt(index), net, env, n);
  });
}

function cidrNet(v: RuntimeValue, env: Env, n: CallNode): CidrNet | UnknownValue {
  const text = str(v, env, n, 0);
  const r = parseCidrText(text);
  if ('net' in r) return r.net;
  if ('unknown' in r) return unknownAt(env, `${n.display}(): ${r.unknown}`);
  throw siteError(env, `${n.display}(): argument 1 (network) is invalid: ${r.error}`);
}

function cidrAddress(v: bigint, net: CidrNet, env: Env, n: CallNode): string | UnknownValue {
  return formatAddress(v, net.v6) ?? unknownAt(env, `${n.display}(): the result is an IPv6 address that .NET prints with an embedded IPv4 part; the gate does not reproduce that form`);
}
