/**
 * Address arithmetic behind parseCidr(), cidrSubnet() and cidrHost()
 * (learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-cidr).
 *
 * The documented results are those of an IPNetwork-style model: IPv4 ranges have a broadcast
 * address and a first/last usable host inside the network/broadcast pair, IPv6 ranges have no
 * broadcast and their "usable" range is the whole range (the docs' parseCidr('fdad:3236:5555::/48')
 * gives firstUsable 'fdad:3236:5555::'), while cidrHost() counts from the address after the network
 * address for both families (cidrHost('fdad:3236:5555:3000::/52', 0) is '…::1'). Addresses are
 * printed the way .NET's IPAddress.ToString() prints them (RFC 5952 compression, lower-case hex).
 *
 * Everything the docs leave open and implementations disagree on is reported as unknown, never
 * guessed: a network without '/prefix' (which some parsers complete with a classful prefix),
 * non-canonical IPv4 text such as '010.0.0.1' or '10.1' (which .NET reads as octal / short forms),
 * the last usable host of an IPv4 /31 and IPv6 addresses that .NET prints with an embedded IPv4 part.
 */

export interface CidrNet {
  v6: boolean;
  /** Address width: 32 or 128. */
  bits: number;
  /** The network address (host bits cleared). */
  network: bigint;
  prefix: number;
}

export type CidrParse = { net: CidrNet } | { error: string } | { unknown: string };

const IPV4_DEC = /^(?:0|[1-9]\d{0,2})(?:\.(?:0|[1-9]\d{0,2})){3}$/;

export function parseCidrText(text: string): CidrParse {
  if (text !== text.trim()) return { unknown: `'${text}' has surrounding white space, which the gate does not interpret` };
  const slash = text.indexOf('/');
  if (slash === -1) {
    if (parseAddress(text) !== undefined) return { unknown: `'${text}' has no '/prefix'; the prefix ARM would assume is not documented` };
    return { error: `'${text}' is not in CIDR notation (address/prefix)` };
  }
  const addrText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const addr = parseAddress(addrText);
  if (addr === undefined) return { error: `'${addrText}' is not a valid IP address` };
  if ('unknown' in addr) return addr;
  if (!/^\d{1,3}$/.test(prefixText)) {
    if (/^[\d.]+$/.test(prefixText) && prefixText.includes('.')) return { unknown: `'${text}' gives a netmask instead of a prefix length, which the gate does not interpret` };
    return { error: `'${prefixText}' is not a prefix length` };
  }
  const prefix = Number(prefixText);
  if (prefix > addr.bits) return { error: `prefix /${prefix} is out of range for an ${addr.v6 ? 'IPv6' : 'IPv4'} address (0 to ${addr.bits})` };
  return { net: { v6: addr.v6, bits: addr.bits, prefix, network: addr.value & mask(prefix, addr.bits) } };
}

type Addr = { v6: boolean; bits: number; value: bigint };

/** undefined: not an address at all. */
function parseAddress(s: string): Addr | { unknown: string } | undefined {
  if (s.includes(':')) {
    const v = parseIPv6(s);
    if (v === 'zone') return { unknown: `'${s}' has a zone index, which the gate does not interpret` };
    return v === undefined ? undefined : { v6: true, bits: 128, value: v };
  }
  if (IPV4_DEC.test(s)) {
    const parts = s.split('.').map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { v6: false, bits: 32, value: BigInt(((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3]) };
  }
  // Forms .NET also accepts as IPv4 (leading zeros read as octal, 0x hex, fewer than four parts).
  if (/^[0-9a-fA-FxX.]+$/.test(s) && /^\d/.test(s) && !/\.\.|\.$/.test(s) && s.split('.').length <= 4) {
    return { unknown: `'${s}' is not canonical dotted-decimal IPv4 text; how ARM reads it is not documented` };
  }
  return undefined;
}

function parseIPv6(s: string): bigint | 'zone' | undefined {
  if (s.includes('%')) return 'zone';
  let groups: number[];
  let tail = s;
  // An embedded dotted IPv4 part supplies the last two groups.
  const lastColon = s.lastIndexOf(':');
  const last = s.slice(lastColon + 1);
  let v4: number[] | undefined;
  if (last.includes('.')) {
    if (!IPV4_DEC.test(last)) return undefined;
    const p = last.split('.').map(Number);
    if (p.some((x) => x > 255)) return undefined;
    v4 = [(p[0] << 8) + p[1], (p[2] << 8) + p[3]];
    tail = s.slice(0, lastColon + 1);
    // 'x::' + v4 leaves 'x::' ; 'x:y:' + v4 leaves a trailing single colon to drop
    if (!tail.endsWith('::')) tail = tail.slice(0, -1);
  }
  const dbl = tail.indexOf('::');
  if (dbl !== -1 && tail.indexOf('::', dbl + 1) !== -1) return undefined;
  const parseGroups = (t: string): number[] | undefined => {
    if (t === '') return [];
    const out: number[] = [];
    for (const g of t.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const want = v4 ? 6 : 8;
  if (dbl === -1) {
    const g = parseGroups(tail);
    if (!g || g.length !== want) return undefined;
    groups = g;
  } else {
    const head = parseGroups(tail.slice(0, dbl));
    const rest = parseGroups(tail.slice(dbl + 2));
    if (!head || !rest || head.length + rest.length > want - 1) return undefined;
    groups = [...head, ...new Array<number>(want - head.length - rest.length).fill(0), ...rest];
  }
  if (v4) groups.push(...v4);
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(g);
  return v;
}

function mask(prefix: number, bits: number): bigint {
  const all = (1n << BigInt(bits)) - 1n;
  return (all << BigInt(bits - prefix)) & all;
}

export function broadcastOf(net: CidrNet): bigint {
  return net.network | (((1n << BigInt(net.bits)) - 1n) ^ mask(net.prefix, net.bits));
}

export function netmaskOf(net: CidrNet): bigint {
  return mask(net.prefix, net.bits);
}

/** .NET IPAddress.ToString(); undefined where .NET prints an embedded IPv4 part. */
export function formatAddress(v: bigint, v6: boolean): string | undefined {
  if (!v6) {
    const n = Number(v);
    return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
  const g: number[] = [];
  for (let i = 7; i >= 0; i--) g.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  // .NET (IPv6AddressHelper.ShouldHaveIpv4Embedded): IPv4-compatible, -mapped, -translated and ISATAP forms.
  const lowZero = g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[6] !== 0;
  if ((lowZero && ((g[4] === 0 && (g[5] === 0 || g[5] === 0xffff)) || (g[4] === 0xffff && g[5] === 0))) || (g[4] === 0 && g[5] === 0x5efe)) return undefined;
  // Longest run of at least two zero groups, the first one on a tie (RFC 5952 section 4.2).
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = (a: number[]): string => a.map((x) => x.toString(16)).join(':');
  if (bestStart === -1) return hex(g);
  return `${hex(g.slice(0, bestStart))}::${hex(g.slice(bestStart + bestLen))}`;
}
