/**
 * Network security group rules, evaluated as Azure does: inbound traffic is matched against the rules
 * in priority order (lowest number first), the first rule that matches decides (allow or deny), and
 * traffic no rule matches meets the default DenyAllInBound. So a port is open to the Internet only when
 * the first rule matching Internet traffic to it allows it: a deny for the whole Internet at a higher
 * priority closes it, a deny for some addresses does not.
 *
 * Rules come from the NSG's `securityRules` and from Microsoft.Network/networkSecurityGroups/securityRules
 * resources of the same template; each finding is reported on the resource that declares the deciding
 * rule, so a rule is reported once, where it is written.
 *
 * A value known only at deployment makes a rule "maybe" matching (or of unknown action or priority); the
 * verdict is unknown only when such a rule could change it.
 */
import { UnknownValue, type CheckContext, type EvaluatedResource, type EvaluatedValue, type SourceLocation } from '../../model';
import { findUnknown, isObject, lastNameSegment, prop, type PathSegment } from './lookup';
import { capitalise, fail, pass, unknown, type Rule } from './results';
import { declaredParent } from './parents';
import { isIpProblem, readIpRange, type IpRange } from '../../../../common/net/ip';

export const NSG_TYPE = 'Microsoft.Network/networkSecurityGroups';
export const NSG_RULE_TYPE = 'Microsoft.Network/networkSecurityGroups/securityRules';

export type Tri = 'yes' | 'no' | 'maybe';
export type Protocol = 'Tcp' | 'Udp';

/** Inbound traffic from the Internet to one destination port, or to every port ('all'). */
export interface Traffic {
  protocol: Protocol;
  port: number | 'all';
}

export interface NsgRule {
  name: string;
  /** The resource that declares the rule: the NSG (inline rule) or a securityRules resource. */
  declaredBy: EvaluatedResource;
  /** Path of the rule's properties in declaredBy.body. */
  path: PathSegment[];
  props: { [key: string]: EvaluatedValue } | UnknownValue | undefined;
  /** What the rule says (see factsOf), kept on the rule once read. */
  facts?: RuleFacts;
  /** describeRule's text, kept on the rule once made: a rule that decides many ports is named for each. */
  described?: string;
}

export type Verdict =
  | { state: 'open'; rule: NsgRule }
  /** Denied by a rule, or (rule undefined) by the default DenyAllInBound. */
  | { state: 'closed'; rule?: NsgRule }
  /** `rules`: the rules whose unknown values could change the verdict, and the deciding rule if any. */
  | { state: 'unknown'; rules: NsgRule[]; reason: string; location?: SourceLocation };

function field(rule: NsgRule, key: string): EvaluatedValue | undefined {
  if (rule.props instanceof UnknownValue) return rule.props;
  return rule.props ? prop(rule.props, key) : undefined;
}

/** Values of the single and the plural form of a rule property (destinationPortRange + destinationPortRanges). */
function entries(rule: NsgRule, single: string, plural: string): EvaluatedValue[] {
  const out: EvaluatedValue[] = [];
  const one = field(rule, single);
  if (one !== undefined && one !== null) out.push(one);
  const many = field(rule, plural);
  if (Array.isArray(many)) out.push(...many);
  else if (many instanceof UnknownValue) out.push(many);
  return out;
}

function lower(v: EvaluatedValue | undefined): string | UnknownValue | undefined {
  if (v instanceof UnknownValue) return v;
  return typeof v === 'string' ? v.trim().toLowerCase() : undefined;
}

/**
 * What a rule says about Internet traffic, read once per rule properties object. A port-span verdict
 * asks every rule again for every span, and several controls judge the same rules: reading the
 * prefixes (IP ranges, BigInt sorting) again each time was most of the NSG controls' cost. The facts
 * are a function of the (never mutated) evaluated properties alone, so the answers are unchanged.
 */
interface RuleFacts {
  direction: Tri;
  /** Lower-cased protocol, unknown, or undefined when absent or not a string. */
  protocol: string | UnknownValue | undefined;
  /** Known destination port ranges, in the order written. */
  ports: Array<{ first: number; last: number }>;
  /** An entry of the destination ports is known only at deployment. */
  portsUnknown: boolean;
  source: SourceClass;
  access: Access;
  priority: number | undefined;
}

const FACTS = new WeakMap<object, RuleFacts>();

function factsOf(rule: NsgRule): RuleFacts {
  // Asked for every rule in every verdict: kept on the rule itself, a field read instead of a WeakMap look-up.
  if (rule.facts !== undefined) return rule.facts;
  // Rules without properties have the same facts whatever the rule: the rule object is then the key.
  const key: object = rule.props ?? rule;
  let f = FACTS.get(key);
  if (f === undefined) {
    f = readFacts(rule);
    FACTS.set(key, f);
  }
  rule.facts = f;
  return f;
}

function readFacts(rule: NsgRule): RuleFacts {
  const d = lower(field(rule, 'direction'));
  const ports: Array<{ first: number; last: number }> = [];
  let portsUnknown = false;
  for (const e of entries(rule, 'destinationPortRange', 'destinationPortRanges')) {
    if (findUnknown(e)) {
      portsUnknown = true;
      continue;
    }
    const r = readPortRange(e);
    if (r) ports.push(r);
  }
  const a = lower(field(rule, 'access'));
  const p = field(rule, 'priority');
  return {
    direction: d instanceof UnknownValue ? 'maybe' : d === 'inbound' ? 'yes' : 'no',
    protocol: lower(field(rule, 'protocol')),
    ports,
    portsUnknown,
    source: readSourceClass(rule),
    access: a instanceof UnknownValue ? 'unknown' : a === 'allow' ? 'allow' : a === 'deny' ? 'deny' : 'unknown',
    priority: typeof p === 'number' && Number.isFinite(p) ? p : typeof p === 'string' && /^\s*\d+\s*$/.test(p) ? Number(p) : undefined,
  };
}

export function directionMatches(rule: NsgRule): Tri {
  return factsOf(rule).direction;
}

export function protocolMatches(rule: NsgRule, protocol: Protocol): Tri {
  const p = factsOf(rule).protocol;
  if (p instanceof UnknownValue) return 'maybe';
  return p === '*' || p === 'any' || p === protocol.toLowerCase() ? 'yes' : 'no';
}

const ALL_PORTS = { first: 0, last: 65535 };

/** A port entry: '*', '22', '1000-2000' (a number is read as a port). */
export function readPortRange(entry: EvaluatedValue): { first: number; last: number } | undefined {
  if (typeof entry === 'number') return Number.isInteger(entry) && entry >= 0 && entry <= 65535 ? { first: entry, last: entry } : undefined;
  if (typeof entry !== 'string') return undefined;
  const t = entry.trim();
  if (t === '*') return ALL_PORTS;
  const m = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(t);
  if (!m) return undefined;
  const first = Number(m[1]);
  const last = m[2] === undefined ? first : Number(m[2]);
  return first <= last && last <= 65535 ? { first, last } : undefined;
}

export function portMatches(rule: NsgRule, port: number | 'all'): Tri {
  const f = factsOf(rule);
  for (const r of f.ports) {
    // Every port: only a range from 0 (or 1, port 0 is not used) to 65535 opens all of them.
    if (port === 'all' ? r.first <= 1 && r.last === 65535 : r.first <= port && port <= r.last) return 'yes';
  }
  return f.portsUnknown ? 'maybe' : 'no';
}

/**
 * Which sources a rule names, as far as Internet traffic goes:
 * - 'internet': every Internet address ('*', 'Any', the Internet tag, prefixes that together cover 0.0.0.0/0 or ::/0);
 * - 'azurecloud': the AzureCloud tag — every Azure public address, which anyone can rent;
 * - 'some': other addresses or tags, or none;
 * - 'unknown': a source known only at deployment, and no known entry naming the whole Internet.
 */
export type SourceClass = 'internet' | 'azurecloud' | 'some' | 'unknown';

export function sourceClass(rule: NsgRule): SourceClass {
  return factsOf(rule).source;
}

function readSourceClass(rule: NsgRule): SourceClass {
  const ranges: IpRange[] = [];
  let unknown = false;
  let azureCloud = false;
  for (const e of entries(rule, 'sourceAddressPrefix', 'sourceAddressPrefixes')) {
    if (findUnknown(e)) {
      unknown = true;
      continue;
    }
    if (typeof e !== 'string') continue;
    const t = e.trim().toLowerCase();
    if (t === '*' || t === 'any' || t === 'internet') return 'internet';
    if (t === 'azurecloud' || t.startsWith('azurecloud.')) {
      azureCloud = true;
      continue;
    }
    const r = readIpRange(t);
    if (!isIpProblem(r)) ranges.push(r);
  }
  if (coversWholeSpace(ranges, 4) || coversWholeSpace(ranges, 6)) return 'internet';
  if (unknown) return 'unknown';
  return azureCloud ? 'azurecloud' : 'some';
}

function coversWholeSpace(ranges: readonly IpRange[], family: 4 | 6): boolean {
  const end = family === 4 ? 0xffffffffn : (1n << 128n) - 1n;
  const mine = ranges.filter((r) => r.family === family).sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  let next = 0n;
  for (const r of mine) {
    if (r.first > next) return false;
    if (r.last + 1n > next) next = r.last + 1n;
    if (next > end) return true;
  }
  return false;
}

export type Access = 'allow' | 'deny' | 'unknown';

export function accessOf(rule: NsgRule): Access {
  return factsOf(rule).access;
}

export function priorityOf(rule: NsgRule): number | undefined {
  return factsOf(rule).priority;
}

function and(a: Tri, b: Tri, c: Tri, d: Tri): Tri {
  if (a === 'no' || b === 'no' || c === 'no' || d === 'no') return 'no';
  return a === 'maybe' || b === 'maybe' || c === 'maybe' || d === 'maybe' ? 'maybe' : 'yes';
}

/**
 * Whether a rule applies to Internet traffic to `t`, read as an allow (`asAllow`: AzureCloud counts, it
 * reaches the port from addresses anyone can hold) or as a deny (only a rule covering the whole Internet
 * stops Internet traffic).
 */
export function ruleMatches(rule: NsgRule, t: Traffic, asAllow: boolean): Tri {
  const s = sourceClass(rule);
  const source: Tri = s === 'internet' || (asAllow && s === 'azurecloud') ? 'yes' : s === 'unknown' ? 'maybe' : 'no';
  return and(directionMatches(rule), protocolMatches(rule, t.protocol), portMatches(rule, t.port), source);
}

function reasonOf(rule: NsgRule): { reason: string; location?: SourceLocation } {
  const u = rule.props instanceof UnknownValue ? rule.props : findUnknown(rule.props ?? null);
  return u ? { reason: u.reason, location: u.location } : { reason: 'its access or priority is not a known value' };
}

const ORDERS = new WeakMap<readonly NsgRule[], { known: NsgRule[]; floating: NsgRule[] }>();

/**
 * The rules of known priority, lowest number first (ties in the order given), and the others. A rule
 * set is never changed once built (ruleSet makes a new one per call), and a port-span verdict asks
 * about the same set once per span: it is ordered once.
 */
function priorityOrder(rules: readonly NsgRule[]): { known: NsgRule[]; floating: NsgRule[] } {
  let order = ORDERS.get(rules);
  if (order === undefined) {
    const known = rules.map((r, i) => ({ r, i, p: priorityOf(r) })).filter((x) => x.p !== undefined);
    known.sort((a, b) => a.p! - b.p! || a.i - b.i);
    order = { known: known.map((x) => x.r), floating: rules.filter((r) => priorityOf(r) === undefined) };
    ORDERS.set(rules, order);
  }
  return order;
}

/** The verdict for Internet traffic to `t` over a whole rule set. */
export function inboundFromInternet(rules: readonly NsgRule[], t: Traffic): Verdict {
  const { known, floating } = priorityOrder(rules);
  // Asked for every rule set, traffic and span: the usual verdict (a rule decides, none is uncertain)
  // allocates nothing but the answer.
  let uncertain: Array<{ rule: NsgRule; access: Access }> | undefined;
  let decidedAccess: 'allow' | 'deny' = 'deny';
  let decidedRule: NsgRule | undefined;
  for (const r of known) {
    const access = accessOf(r);
    const m = ruleMatches(r, t, access !== 'deny');
    if (m === 'no') continue;
    if (m === 'yes' && access !== 'unknown') {
      decidedAccess = access;
      decidedRule = r;
      break;
    }
    (uncertain ??= []).push({ rule: r, access });
  }
  for (const r of floating) {
    const access = accessOf(r);
    if (ruleMatches(r, t, access !== 'deny') !== 'no') (uncertain ??= []).push({ rule: r, access });
  }
  const conflicts = uncertain === undefined ? undefined : uncertain.filter((u) => u.access !== decidedAccess).map((u) => u.rule);
  if (conflicts !== undefined && conflicts.length) {
    const { reason, location } = reasonOf(conflicts[0]!);
    return { state: 'unknown', rules: decidedRule ? [...conflicts, decidedRule] : conflicts, reason, location };
  }
  return decidedAccess === 'allow' && decidedRule ? { state: 'open', rule: decidedRule } : { state: 'closed', rule: decidedRule };
}

/** The inline rules of an NSG resource; an UnknownValue when the list itself is not known. */
export function inlineRules(nsg: EvaluatedResource): NsgRule[] | UnknownValue {
  const props = prop(nsg.body, 'properties');
  if (props instanceof UnknownValue) return props;
  const list = isObject(props) ? prop(props, 'securityRules') : undefined;
  if (list instanceof UnknownValue) return list;
  if (!Array.isArray(list)) return [];
  const key = isObject(props) ? Object.keys(props).find((k) => k.toLowerCase() === 'securityrules')! : 'securityRules';
  return list.map((entry, i): NsgRule => {
    if (entry instanceof UnknownValue) return { name: `[${i}]`, declaredBy: nsg, path: ['properties', key, i], props: entry };
    const name = isObject(entry) ? prop(entry, 'name') : undefined;
    const ruleProps = isObject(entry) ? prop(entry, 'properties') : undefined;
    return {
      name: typeof name === 'string' ? name : `[${i}]`,
      declaredBy: nsg,
      path: ['properties', key, i],
      props: ruleProps instanceof UnknownValue || isObject(ruleProps) ? ruleProps : undefined,
    };
  });
}

function childRule(resource: EvaluatedResource): NsgRule {
  const props = prop(resource.body, 'properties');
  return { name: lastNameSegment(resource.name), declaredBy: resource, path: [], props: props instanceof UnknownValue || isObject(props) ? props : undefined };
}

/** The NSG a securityRules resource belongs to, when the template declares it (and not as `existing`). */
export function parentNsg(rule: EvaluatedResource, ctx: CheckContext): EvaluatedResource | undefined {
  return declaredParent(rule, ctx, NSG_TYPE);
}

const RULE_SETS = new WeakMap<CheckContext, Map<EvaluatedResource, readonly NsgRule[] | UnknownValue>>();

/**
 * Every rule that applies with `resource` (an NSG or one of its securityRules resources). Each NSG
 * control asks for the same resource's set: it is built (and so priority-ordered) once per template's
 * check context. The set depends on the template's resources alone and is never changed.
 */
export function ruleSet(resource: EvaluatedResource, ctx: CheckContext): readonly NsgRule[] | UnknownValue {
  let sets = RULE_SETS.get(ctx);
  if (sets === undefined) {
    sets = new Map();
    RULE_SETS.set(ctx, sets);
  }
  let set = sets.get(resource);
  if (set === undefined) {
    set = buildRuleSet(resource, ctx);
    sets.set(resource, set);
  }
  return set;
}

function buildRuleSet(resource: EvaluatedResource, ctx: CheckContext): NsgRule[] | UnknownValue {
  const nsg = resource.type.toLowerCase() === NSG_TYPE.toLowerCase() ? resource : parentNsg(resource, ctx);
  if (!nsg) return [childRule(resource)];
  const inline = inlineRules(nsg);
  const children = ctx.related(nsg, NSG_RULE_TYPE).filter((r) => !r.existing).map(childRule);
  if (inline instanceof UnknownValue) {
    // The NSG's own list is unknown: the NSG cannot be judged; a child rule is still judged with its siblings.
    return nsg === resource ? inline : children;
  }
  return [...inline, ...children];
}

/** Short description of a rule for messages: "rule 'AllowSSH' (priority 100, source '*')". */
export function describeRule(rule: NsgRule): string {
  return (rule.described ??= readDescription(rule));
}

function readDescription(rule: NsgRule): string {
  const p = priorityOf(rule);
  const sources = entries(rule, 'sourceAddressPrefix', 'sourceAddressPrefixes')
    .filter((e): e is string => typeof e === 'string')
    .map((s) => `'${s}'`);
  return `rule '${rule.name}'${p !== undefined ? ` (priority ${p}` : ' ('}${p !== undefined ? ', ' : ''}source ${sources.join(', ') || 'unknown'})`;
}

export function describeTraffic(t: Traffic): string {
  return t.port === 'all' ? `every ${t.protocol.toUpperCase()} port` : `${t.protocol.toUpperCase()} ${t.port}`;
}

/**
 * A control over NSGs and their securityRules resources: `service` (e.g. "SSH (TCP 22)") must not be
 * reachable from the Internet. Each resource answers for the rules it declares.
 */
export function internetExposureRule(traffic: readonly Traffic[], service: string): Rule {
  const described = traffic.map(describeTraffic);
  return (view, ctx) => {
    const self = view.resource;
    const rules = ruleSet(self, ctx);
    if (rules instanceof UnknownValue) {
      return unknown(`Cannot decide whether ${service} is open to the Internet: the security rules are not known before deployment — ${rules.reason}.`, rules.location ?? view.location);
    }
    const failures: string[] = [];
    const unknowns: string[] = [];
    const notes: string[] = [];
    let failAt: SourceLocation | undefined;
    let unknownAt: SourceLocation | undefined;
    for (let i = 0; i < traffic.length; i++) {
      const v = inboundFromInternet(rules, traffic[i]!);
      const what = described[i]!;
      if (v.state === 'open') {
        const where = `${describeRule(v.rule)} allows ${what} from the Internet`;
        if (v.rule.declaredBy === self) {
          failures.push(where);
          failAt ??= self.locate(v.rule.path);
        } else notes.push(`${where}; it is declared by ${v.rule.declaredBy.type} '${v.rule.declaredBy.name}' and reported there`);
      } else if (v.state === 'unknown') {
        const text = `whether ${what} is open to the Internet depends on ${v.rules.map(describeRule).join(', ')}, not known before deployment — ${v.reason}`;
        if (v.rules.some((r) => r.declaredBy === self)) {
          unknowns.push(text);
          unknownAt ??= v.location ?? self.locate(v.rules.find((r) => r.declaredBy === self)!.path);
        } else notes.push(text);
      } else {
        notes.push(`${what} from the Internet is denied${v.rule ? ` by ${describeRule(v.rule)}` : ' (no rule allows it; the default DenyAllInBound applies)'}`);
      }
    }
    if (failures.length) return fail(`${service} is open to the Internet: ${failures.join('; ')}.`, failAt ?? view.location);
    if (unknowns.length) return unknown(`Cannot decide ${service} exposure: ${unknowns.join('; ')}.`, unknownAt ?? view.location);
    return pass(`No rule declared here opens ${service} to the Internet: ${notes.join('; ')}.`, view.location);
  };
}

/** A run of ports with one verdict for Internet traffic. */
export interface PortSpan {
  first: number;
  last: number;
  verdict: Verdict;
}

const PORT_END = ALL_PORTS.last + 1;

/**
 * The verdict for Internet traffic of `protocol` to every port, as spans: the rules' port ranges cut the port space
 * into pieces inside which no rule changes its answer, so one port per piece decides the whole piece exactly
 * (a deny for 1000-1999 carves a hole into an allow for 0-65535).
 */
export function inboundSpans(rules: readonly NsgRule[], protocol: Protocol): PortSpan[] {
  const cuts = new Set<number>([ALL_PORTS.first, PORT_END]);
  for (const rule of rules) {
    if (protocolMatches(rule, protocol) === 'no' || directionMatches(rule) === 'no') continue;
    for (const e of entries(rule, 'destinationPortRange', 'destinationPortRanges')) {
      const r = findUnknown(e) ? undefined : readPortRange(e);
      if (!r) continue;
      cuts.add(r.first);
      cuts.add(r.last + 1);
    }
  }
  const bounds = [...cuts].sort((a, b) => a - b);
  const spans: PortSpan[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const first = bounds[i]!;
    const verdict = inboundFromInternet(rules, { protocol, port: first });
    const prev = spans[spans.length - 1];
    // Neighbouring pieces decided by the same rule (or both by the default deny) read as one span.
    if (prev && prev.verdict.state === verdict.state && decidingRule(prev.verdict) === decidingRule(verdict) && verdict.state !== 'unknown') prev.last = bounds[i + 1]! - 1;
    else spans.push({ first, last: bounds[i + 1]! - 1, verdict });
  }
  return spans;
}

function decidingRule(v: Verdict): NsgRule | undefined {
  return v.state === 'unknown' ? undefined : v.rule;
}

function describeSpan(protocol: Protocol, s: PortSpan): string {
  const ports = s.first === s.last ? `${s.first}` : `${s.first}-${s.last}`;
  return `${protocol.toUpperCase()} ${ports}`;
}

/**
 * A control over NSGs and their securityRules resources: no `protocol` port at all may be reachable from the
 * Internet (for protocols with no legitimate public service on the VM itself). Each resource answers for the
 * rules it declares, as in internetExposureRule.
 */
export function anyPortExposureRule(protocol: Protocol, service: string): Rule {
  return (view, ctx) => {
    const self = view.resource;
    const rules = ruleSet(self, ctx);
    if (rules instanceof UnknownValue) {
      return unknown(`Cannot decide whether ${service} are open to the Internet: the security rules are not known before deployment — ${rules.reason}.`, rules.location ?? view.location);
    }
    const failures: string[] = [];
    const unknowns: string[] = [];
    const elsewhere: string[] = [];
    let failAt: SourceLocation | undefined;
    let unknownAt: SourceLocation | undefined;
    for (const s of inboundSpans(rules, protocol)) {
      const v = s.verdict;
      if (v.state === 'open') {
        const text = `${describeRule(v.rule)} allows ${describeSpan(protocol, s)} from the Internet`;
        if (v.rule.declaredBy === self) {
          failures.push(text);
          failAt ??= self.locate(v.rule.path);
        } else elsewhere.push(`${text} (declared by ${v.rule.declaredBy.type} '${v.rule.declaredBy.name}' and reported there)`);
      } else if (v.state === 'unknown') {
        const text = `whether ${describeSpan(protocol, s)} is open depends on ${v.rules.map(describeRule).join(', ')}, not known before deployment — ${v.reason}`;
        if (v.rules.some((r) => r.declaredBy === self)) {
          unknowns.push(text);
          unknownAt ??= v.location ?? self.locate(v.rules.find((r) => r.declaredBy === self)!.path);
        } else elsewhere.push(text);
      }
    }
    if (failures.length) return fail(`${capitalise(service)} are open to the Internet: ${failures.join('; ')}.`, failAt ?? view.location);
    if (unknowns.length) return unknown(`Cannot decide ${service} exposure: ${unknowns.join('; ')}.`, unknownAt ?? view.location);
    return pass(`No rule declared here opens ${service} to the Internet${elsewhere.length ? `: ${elsewhere.join('; ')}` : ''}.`, view.location);
  };
}
