import { declaredParent, fail, isObject, lastNameSegment, pass, prop, resourceControl, snippet, unknown, type Rule } from './helpers';
import { UnknownValue, type EvaluatedResource, type EvaluatedValue } from '../model';

const LB_TYPE = 'Microsoft.Network/loadBalancers';
const NAT_RULE_TYPE = 'Microsoft.Network/loadBalancers/inboundNatRules';
/** What the usual management ports carry, for messages. */
const SERVICES = new Map<number, string>([[22, 'SSH'], [3389, 'RDP'], [5985, 'WinRM'], [5986, 'WinRM over HTTPS']]);

/** Frontend names of a load balancer, and whether each has a public IP (or prefix). */
function frontends(lb: EvaluatedResource): Map<string, boolean | UnknownValue> {
  const out = new Map<string, boolean | UnknownValue>();
  const props = prop(lb.body, 'properties');
  const list = isObject(props) ? prop(props, 'frontendIPConfigurations') : undefined;
  if (!Array.isArray(list)) return out;
  list.forEach((f, i) => {
    const name = isObject(f) ? prop(f, 'name') : undefined;
    const fp = isObject(f) ? prop(f, 'properties') : undefined;
    const ip = isObject(fp) ? (prop(fp, 'publicIPAddress') ?? prop(fp, 'publicIPPrefix')) : undefined;
    out.set(typeof name === 'string' ? name.toLowerCase() : `[${i}]`, ip instanceof UnknownValue ? ip : ip !== undefined && ip !== null);
  });
  return out;
}

interface Nat {
  what: string;
  props: EvaluatedValue | undefined;
}

function judge(nat: Nat, lbFrontends: Map<string, boolean | UnknownValue>, ports: ReadonlySet<number>): { problem?: string; unknown?: UnknownValue } {
  if (nat.props instanceof UnknownValue) return { unknown: nat.props };
  if (!isObject(nat.props)) return {};
  const port = prop(nat.props, 'backendPort');
  if (port instanceof UnknownValue) return { unknown: port };
  const n = typeof port === 'number' || typeof port === 'string' ? Number(port) : NaN;
  if (!ports.has(n)) return {};
  const service = SERVICES.get(n) ?? `port ${n}`;
  const ref = prop(nat.props, 'frontendIPConfiguration');
  const id = isObject(ref) ? prop(ref, 'id') : undefined;
  if (id instanceof UnknownValue) return { unknown: id };
  const named = typeof id === 'string' ? lbFrontends.get(lastNameSegment(id).toLowerCase()) : undefined;
  // An unmatched reference: public as soon as any frontend of the load balancer is.
  const isPublic = named ?? ([...lbFrontends.values()].find((v) => v instanceof UnknownValue) ?? [...lbFrontends.values()].some((v) => v === true));
  if (isPublic instanceof UnknownValue) return { unknown: isPublic };
  return isPublic ? { problem: `${nat.what} forwards a public frontend to ${service} (backend port ${String(port)})` } : {};
}

const rule = (managementPorts: readonly string[]): Rule => {
  const ports = new Set(managementPorts.map(Number));
  return (view, ctx) => {
    const lb = view.type.toLowerCase() === LB_TYPE.toLowerCase() ? view.resource : declaredParent(view.resource, ctx, LB_TYPE);
    // A NAT rule of a load balancer declared elsewhere: whether its frontend is public is not in this template.
    if (!lb) return undefined;
    const nats: Nat[] = [];
    if (lb === view.resource) {
      const props = prop(lb.body, 'properties');
      // Load-balancing rules publish a backend port just as NAT rules do, on every VM of the pool at once.
      for (const key of ['inboundNatRules', 'inboundNatPools', 'loadBalancingRules']) {
        const list = isObject(props) ? prop(props, key) : undefined;
        if (!Array.isArray(list)) continue;
        list.forEach((n, i) => {
          const name = isObject(n) ? prop(n, 'name') : undefined;
          nats.push({ what: `${key}[${i}]${typeof name === 'string' ? ` '${name}'` : ''}`, props: isObject(n) ? prop(n, 'properties') : n });
        });
      }
    } else {
      nats.push({ what: `inbound NAT rule '${view.name}'`, props: prop(view.resource.body, 'properties') });
    }
    const fe = frontends(lb);
    const problems: string[] = [];
    let undecided: UnknownValue | undefined;
    for (const n of nats) {
      const j = judge(n, fe, ports);
      if (j.problem) problems.push(j.problem);
      else if (j.unknown) undecided ??= j.unknown;
    }
    if (problems.length) return fail(`Management ports are reachable through the load balancer: ${problems.join('; ')}.`, view.location);
    if (undecided) return unknown(`Cannot decide whether a NAT or load-balancing rule exposes a management port — ${undecided.reason}.`, undecided.location ?? view.location);
    return pass(nats.length ? `No NAT or load-balancing rule forwards a public frontend to a management port (${managementPorts.join(', ')}).` : 'The load balancer declares no NAT or load-balancing rule.', view.location);
  };
};

export default resourceControl(
  {
    id: 'lb-nat-management-ports',
    title: 'Load balancer NAT and load-balancing rules do not expose SSH, RDP or WinRM on a public frontend',
    severity: 'medium',
    featureSet: 'LoadBalancer',
    resourceTypes: [LB_TYPE, NAT_RULE_TYPE],
    rationale:
      'An inbound NAT rule (or NAT pool) or a load-balancing rule from a public frontend to a management port ({managementPorts}) publishes ' +
      'a VM\'s management service on the Internet — a load-balancing rule on every VM of the backend pool at once: behind a Basic load ' +
      'balancer nothing else stops it, behind a Standard one only the NSG does. NAT rules declared as separate resources are judged with ' +
      'their load balancer when the template declares it.',
    remediation: {
      text: 'Remove the NAT and load-balancing rules to management ports; reach the VMs through Azure Bastion or just-in-time access.',
      snippet: snippet({ type: 'Microsoft.Network/loadBalancers', properties: { inboundNatRules: [] } }),
    },
    references: { mcsb: ['NS-1'] },
    since: '2026-12-07',
    parameters: { managementPorts: { type: 'string[]', default: ['22', '3389', '5985', '5986'], doc: 'Backend ports (SSH, RDP, WinRM) no NAT or load-balancing rule may publish on a public frontend.' } },
  },
  ({ managementPorts }) => rule(managementPorts),
);
