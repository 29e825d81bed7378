/**
 * IP ranges in firewall rules, read by the one IP module of every task (tasks/common/net/ip.ts):
 * canonical addresses only, IPv4 and IPv6. A form that parsers read differently (`010.0.0.1`: 8.0.0.1
 * to inet_aton, 10.0.0.1 to others) is never guessed at: a rule that depends on it is unknown.
 */
import { isIpProblem, isWholeSpace, readIp, readIpRange, type IpProblem, type IpRange } from '../../../../common/net/ip';
import { capitalise, fail, pass, show, unknown, unknownResult, type Judgement, type Rule } from './results';

export { isIpProblem, rangeSize, type IpProblem, type IpRange } from '../../../../common/net/ip';

const ALL_IPV4: IpRange = { family: 4, first: 0n, last: 0xffffffffn };

/** A firewall entry: '*', an address, 'first-last' or 'address/prefix', with white space around it allowed. */
export function readRange(text: string): IpRange | IpProblem {
  const t = text.trim();
  return t === '*' ? ALL_IPV4 : readIpRange(t);
}

/** The range of an entry, or undefined when it is none (see readRange for why). */
export function parseIpRange(text: string): IpRange | undefined {
  const r = readRange(text);
  return isIpProblem(r) ? undefined : r;
}

/** Whether a text is refused only because parsers would read it differently, not because it is garbage. */
export function isAmbiguous(problem: IpProblem): boolean {
  return problem.problem === 'non-canonical-ipv4';
}

/** Covers a family's whole address space (0.0.0.0–255.255.255.255, 0.0.0.0/0, ::/0). */
export function isUniversal(r: IpRange): boolean {
  return isWholeSpace(r);
}

/** The Azure convention 0.0.0.0–0.0.0.0: "allow access from Azure services" (any tenant's, not only yours). */
export function isAzureServicesRule(r: IpRange): boolean {
  return r.family === 4 && r.first === 0n && r.last === 0n;
}

/** Judges a firewall rule resource with start/end address properties. */
export function firewallRuleRule(startPath: string, endPath: string, judge: (r: IpRange, start: string, end: string) => Judgement, what: string): Rule {
  return (view) => {
    const s = view.get(startPath);
    const e = view.get(endPath);
    for (const l of [s, e]) if (l.state === 'unknown') return unknownResult(l, what, view.resource);
    if (s.state !== 'value' || e.state !== 'value' || typeof s.value !== 'string' || typeof e.value !== 'string') {
      return fail(`Firewall rule '${view.name}' has no readable start/end address (${show(s.state === 'value' ? s.value : undefined)} – ${show(e.state === 'value' ? e.value : undefined)}).`, view.location);
    }
    const start = readIp(s.value.trim());
    const end = readIp(e.value.trim());
    for (const p of [start, end]) {
      if (isIpProblem(p) && isAmbiguous(p)) return unknown(`Cannot decide ${what}: ${p.message}, which address parsers read differently.`, s.location);
    }
    if (isIpProblem(start) || isIpProblem(end) || start.family !== end.family || start.value > end.value) {
      return fail(`Firewall rule '${view.name}' has no valid address range: ${s.value} – ${e.value}.`, s.location);
    }
    const j = judge({ family: start.family, first: start.value, last: end.value }, s.value, e.value);
    const detail = j.detail ?? `firewall rule '${view.name}' allows ${s.value} – ${e.value}`;
    return j.ok ? pass(`${capitalise(detail)}.`, s.location) : fail(`${capitalise(detail)}.`, s.location);
  };
}
