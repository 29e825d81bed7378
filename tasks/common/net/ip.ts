/**
 * The one IP address, CIDR and range reader of every task.
 *
 * Strict on purpose: an address is accepted only in a form every parser reads the same way.
 * IPv4 is canonical dotted decimal — four parts, each 0–255 without leading zeros. `010.0.0.1`,
 * `10.1`, `0x0a.0.0.1` are refused: inet_aton and .NET's IPAddress read them as octal, short or
 * hex forms (010 is 8), Node's net.isIP refuses them, and a firewall rule that means 8.0.0.1 to
 * one reader and 10.0.0.1 to another is worse than an error. IPv6 follows RFC 4291 §2.2 (groups
 * of 1–4 hex digits, one `::`, an optional dotted IPv4 tail); a zone index (`fe80::1%eth0`) is
 * refused because it names an interface of one host, not an address a rule can hold. Nothing is
 * trimmed: callers trim where their format allows white space.
 *
 * Each refusal says why (`problem`), so a reader that must not guess (the template gate reports
 * forms a deployment would read differently as unknown) can tell an ambiguous form from garbage.
 */

export type IpFamily = 4 | 6;

export interface IpAddress {
  readonly family: IpFamily;
  /** The address as an unsigned integer of 32 (IPv4) or 128 (IPv6) bits. */
  readonly value: bigint;
}

export interface IpCidr {
  readonly family: IpFamily;
  /** The network address: the given address with its host bits cleared (`10.0.0.5/24` → 10.0.0.0). */
  readonly network: bigint;
  readonly prefix: number;
}

/** An inclusive range of addresses of one family. */
export interface IpRange {
  readonly family: IpFamily;
  readonly first: bigint;
  readonly last: bigint;
}

/**
 * Why a text is not an address or network:
 * - `invalid`: not an address in any reading;
 * - `non-canonical-ipv4`: an IPv4 form other readers accept with another meaning (leading zeros,
 *   fewer than four parts, hex);
 * - `zone-index`: an IPv6 address with `%zone`;
 * - `white-space`: leading or trailing white space;
 * - `no-prefix`: an address where a network (`address/prefix`) was expected;
 * - `netmask`: `address/255.255.0.0` instead of a prefix length;
 * - `bad-prefix`: the prefix is not a number, or is longer than the family allows;
 * - `mixed-families`: a range from an IPv4 to an IPv6 address;
 * - `reversed`: a range that starts after it ends.
 */
export type IpProblemKind =
  | 'invalid'
  | 'non-canonical-ipv4'
  | 'zone-index'
  | 'white-space'
  | 'no-prefix'
  | 'netmask'
  | 'bad-prefix'
  | 'mixed-families'
  | 'reversed';

export interface IpProblem {
  readonly problem: IpProblemKind;
  /** A short reason quoting the text, for an error or an "unknown" finding. */
  readonly message: string;
}

export const IP_BITS: Readonly<Record<IpFamily, number>> = { 4: 32, 6: 128 };

const IPV4 = /^(?:0|[1-9]\d{0,2})(?:\.(?:0|[1-9]\d{0,2})){3}$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
/** What inet_aton / .NET also read as IPv4: 1–4 parts of decimal, octal (leading 0) or 0x hex. */
const LEGACY_IPV4 = /^(?:0[xX][0-9a-fA-F]*|\d+)(?:\.(?:0[xX][0-9a-fA-F]*|\d+)){0,3}$/;

function problem(kind: IpProblemKind, message: string): IpProblem {
  return { problem: kind, message };
}

export function isIpProblem(value: unknown): value is IpProblem {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, 'problem');
}

/** A canonical dotted-decimal IPv4 address as a number (0 … 2^32-1); undefined for anything else. */
export function parseIpv4(text: string): number | undefined {
  if (!IPV4.test(text)) return undefined;
  let n = 0;
  for (const part of text.split('.')) {
    const octet = Number(part);
    if (octet > 255) return undefined;
    n = n * 256 + octet;
  }
  return n;
}

function parseIpv6(text: string): bigint | undefined {
  let head = text;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (lastColon >= 0 && text.includes('.', lastColon)) {
    // A dotted IPv4 part supplies the last two groups (::ffff:192.0.2.1).
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [Math.floor(v4 / 65536), v4 % 65536];
    head = text.slice(0, lastColon + 1);
    // 'a:b:' + v4 leaves a single trailing colon to drop; 'a::' + v4 keeps its '::'.
    if (!head.endsWith('::')) head = head.slice(0, -1);
    if (head === '') return undefined;
  }
  const want = 8 - tail.length;
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!HEX_GROUP.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const gap = head.indexOf('::');
  let all: number[];
  if (gap === -1) {
    const g = groups(head);
    if (!g || g.length !== want) return undefined;
    all = g;
  } else {
    if (head.indexOf('::', gap + 1) !== -1) return undefined;
    const left = groups(head.slice(0, gap));
    const right = groups(head.slice(gap + 2));
    // '::' stands for at least one group of zeros.
    if (!left || !right || left.length + right.length > want - 1) return undefined;
    all = [...left, ...new Array<number>(want - left.length - right.length).fill(0), ...right];
  }
  let v = 0n;
  for (const g of [...all, ...tail]) v = (v << 16n) | BigInt(g);
  return v;
}

/** An IPv4 or IPv6 address, or why the text is not one (see the module comment for the rules). */
export function readIp(text: string): IpAddress | IpProblem {
  if (text !== text.trim()) return problem('white-space', `'${text}' has white space around the address`);
  if (text.includes(':')) {
    if (text.includes('%')) return problem('zone-index', `'${text}' has a zone index (%…), which names an interface, not an address`);
    const v6 = parseIpv6(text);
    return v6 === undefined ? problem('invalid', `'${text}' is not an IP address`) : { family: 6, value: v6 };
  }
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { family: 4, value: BigInt(v4) };
  // Canonical in shape but a part above 255: wrong in every reading.
  if (!IPV4.test(text) && LEGACY_IPV4.test(text)) {
    return problem('non-canonical-ipv4', `'${text}' is not canonical IPv4 (four decimal parts 0–255 without leading zeros); other readers take such forms as octal, hex or short addresses`);
  }
  return problem('invalid', `'${text}' is not an IP address`);
}

/** An address in the strict form, undefined otherwise. */
export function parseIp(text: string): IpAddress | undefined {
  const r = readIp(text);
  return isIpProblem(r) ? undefined : r;
}

function hostMask(prefix: number, family: IpFamily): bigint {
  return (1n << BigInt(IP_BITS[family] - prefix)) - 1n;
}

/** The netmask of a prefix length as an address value (/24 → 255.255.255.0). */
export function netmaskOf(cidr: Pick<IpCidr, 'family' | 'prefix'>): bigint {
  const all = (1n << BigInt(IP_BITS[cidr.family])) - 1n;
  return all ^ hostMask(cidr.prefix, cidr.family);
}

/**
 * `address/prefix` with a decimal prefix length; host bits in the address are cleared. A bare
 * address is `no-prefix` (readers disagree about the prefix to assume), a dotted netmask `netmask`.
 */
export function readCidr(text: string): IpCidr | IpProblem {
  if (text !== text.trim()) return problem('white-space', `'${text}' has white space around the network`);
  const slash = text.indexOf('/');
  if (slash === -1) {
    const a = readIp(text);
    if (isIpProblem(a)) return a.problem === 'invalid' ? problem('invalid', `'${text}' is not in CIDR notation (address/prefix)`) : a;
    return problem('no-prefix', `'${text}' has no '/prefix'`);
  }
  const a = readIp(text.slice(0, slash));
  if (isIpProblem(a)) return a;
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) {
    if (/^\d+(?:\.\d+){3}$/.test(prefixText)) return problem('netmask', `'${text}' gives a netmask instead of a prefix length`);
    return problem('bad-prefix', `'${prefixText}' is not a prefix length`);
  }
  const prefix = Number(prefixText);
  const bits = IP_BITS[a.family];
  if (prefix > bits) return problem('bad-prefix', `prefix /${prefix} is out of range for an IPv${a.family} address (0 to ${bits})`);
  return { family: a.family, prefix, network: a.value & ~hostMask(prefix, a.family) };
}

export function parseCidr(text: string): IpCidr | undefined {
  const r = readCidr(text);
  return isIpProblem(r) ? undefined : r;
}

export function cidrRange(cidr: IpCidr): IpRange {
  return { family: cidr.family, first: cidr.network, last: cidr.network | hostMask(cidr.prefix, cidr.family) };
}

export interface RangeForms {
  /** Accept `first-last` (white space around the dash allowed). Default true. */
  dash?: boolean;
  /** Accept `address/prefix`. Default true. */
  cidr?: boolean;
  /** Accept a single address as a range of one. Default true. */
  single?: boolean;
}

/** A range written as `first-last`, `address/prefix` or a single address (each form can be turned off). */
export function readIpRange(text: string, forms: RangeForms = {}): IpRange | IpProblem {
  const { dash = true, cidr = true, single = true } = forms;
  if (text !== text.trim()) return problem('white-space', `'${text}' has white space around the range`);
  const at = text.indexOf('-');
  if (at !== -1) {
    if (!dash) return problem('invalid', `'${text}' is not a CIDR range`);
    const first = readIp(text.slice(0, at).trimEnd());
    const last = readIp(text.slice(at + 1).trimStart());
    if (isIpProblem(first)) return first;
    if (isIpProblem(last)) return last;
    if (first.family !== last.family) return problem('mixed-families', `'${text}' goes from an IPv${first.family} to an IPv${last.family} address`);
    if (first.value > last.value) return problem('reversed', `'${text}' starts after it ends`);
    return { family: first.family, first: first.value, last: last.value };
  }
  if (text.includes('/')) {
    if (!cidr) return problem('invalid', `'${text}' is not a 'first-last' range`);
    const c = readCidr(text);
    return isIpProblem(c) ? c : cidrRange(c);
  }
  const a = readIp(text);
  if (isIpProblem(a)) return a;
  if (!single) return problem('no-prefix', `'${text}' is a single address, not a range`);
  return { family: a.family, first: a.value, last: a.value };
}

export function parseIpRange(text: string, forms?: RangeForms): IpRange | undefined {
  const r = readIpRange(text, forms);
  return isIpProblem(r) ? undefined : r;
}

export function rangeContains(range: IpRange, address: IpAddress): boolean {
  return range.family === address.family && range.first <= address.value && address.value <= range.last;
}

/** Whether `outer` holds every address of `inner`. */
export function rangeCovers(outer: IpRange, inner: IpRange): boolean {
  return outer.family === inner.family && outer.first <= inner.first && inner.last <= outer.last;
}

export function cidrContains(cidr: IpCidr, address: IpAddress): boolean {
  return rangeContains(cidrRange(cidr), address);
}

/** Number of addresses in the range (a bigint: an IPv6 range can exceed 2^53). */
export function rangeSize(range: IpRange): bigint {
  return range.last - range.first + 1n;
}

/** The range is the family's whole address space (0.0.0.0/0, ::/0). */
export function isWholeSpace(range: IpRange): boolean {
  return range.first === 0n && range.last === (1n << BigInt(IP_BITS[range.family])) - 1n;
}

export function formatIpv4(value: number | bigint): string {
  const n = Number(value);
  return `${Math.floor(n / 2 ** 24) % 256}.${Math.floor(n / 2 ** 16) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
}

/** The 8 groups of an IPv6 value. */
function groupsOf(value: bigint): number[] {
  const g: number[] = [];
  for (let i = 7; i >= 0; i--) g.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  return g;
}

/**
 * IPv6 forms that .NET's IPAddress.ToString() prints with a dotted IPv4 tail (IPv4-compatible,
 * -mapped, -translated, ISATAP; IPv6AddressHelper.ShouldHaveIpv4Embedded), where formatIp's plain
 * hex text differs from what .NET prints.
 */
export function dotNetPrintsEmbeddedIpv4(value: bigint): boolean {
  const g = groupsOf(value);
  const lowZero = g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[6] !== 0;
  return (lowZero && ((g[4] === 0 && (g[5] === 0 || g[5] === 0xffff)) || (g[4] === 0xffff && g[5] === 0))) || (g[4] === 0 && g[5] === 0x5efe);
}

/**
 * The canonical text of an address: dotted decimal, or RFC 5952 IPv6 (lower-case hex, leading
 * zeros dropped, the longest run of two or more zero groups — the first on a tie — as `::`,
 * never a dotted tail).
 */
export function formatIp(address: IpAddress): string {
  if (address.family === 4) return formatIpv4(address.value);
  const g = groupsOf(address.value);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (a: number[]): string => a.map((x) => x.toString(16)).join(':');
  if (bestStart === -1) return hex(g);
  return `${hex(g.slice(0, bestStart))}::${hex(g.slice(bestStart + bestLen))}`;
}
