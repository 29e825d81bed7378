import { APP_GATEWAY_TYPE, fail, isObject, lastNameSegment, pass, prop, resourceControl, snippet, unknown, type Rule } from './helpers';
import { UnknownValue } from '../model';

const rule: Rule = (view) => {
  const listeners = view.getShallow('$.properties.httpListeners');
  const rules = view.getShallow('$.properties.requestRoutingRules');
  for (const l of [listeners, rules]) if (l.state === 'unknown') return unknown(`Cannot decide which listeners serve plain HTTP: ${l.value.reason}.`, l.location);
  const plain = new Set<string>();
  if (listeners.state === 'value' && Array.isArray(listeners.value)) {
    for (const l of listeners.value) {
      const p = isObject(l) ? prop(l, 'properties') : undefined;
      const protocol = isObject(p) ? prop(p, 'protocol') : undefined;
      const name = isObject(l) ? prop(l, 'name') : undefined;
      if (typeof protocol === 'string' && protocol.toLowerCase() === 'http' && typeof name === 'string') plain.add(name.toLowerCase());
    }
  }
  if (plain.size === 0) return pass('Every listener uses HTTPS.', view.location);
  const offenders: string[] = [];
  let undecided: UnknownValue | undefined;
  if (rules.state === 'value' && Array.isArray(rules.value)) {
    rules.value.forEach((r, i) => {
      const p = isObject(r) ? prop(r, 'properties') : undefined;
      const ref = isObject(p) ? prop(p, 'httpListener') : undefined;
      const id = isObject(ref) ? prop(ref, 'id') : undefined;
      if (id instanceof UnknownValue) {
        undecided ??= id;
        return;
      }
      if (typeof id !== 'string' || !plain.has(lastNameSegment(id).toLowerCase())) return;
      const redirect = isObject(p) ? prop(p, 'redirectConfiguration') : undefined;
      if (redirect === undefined || redirect === null) {
        const n = isObject(r) ? (prop(r, 'name') ?? prop(r, 'Name')) : undefined;
        offenders.push(`rule ${typeof n === 'string' ? `'${n}'` : `[${i}]`} forwards listener '${lastNameSegment(id)}'`);
      }
    });
  }
  if (offenders.length) return fail(`Plain HTTP reaches the backends: ${offenders.join('; ')} without redirecting to HTTPS.`, rules.location);
  if (undecided) return unknown(`Cannot decide which listener a routing rule serves: ${undecided.reason}.`, undecided.location ?? rules.location);
  return pass('HTTP listeners only redirect to HTTPS.', view.location);
};

export default resourceControl(
  {
    id: 'appgw-https-listeners',
    title: 'Application Gateway serves plain HTTP only to redirect to HTTPS',
    severity: 'medium',
    featureSet: 'ApplicationGateway',
    resourceTypes: [APP_GATEWAY_TYPE],
    rationale:
      'A routing rule that forwards an HTTP listener to the backend serves the application — sessions, credentials, tokens — in clear text. ' +
      'An HTTP listener is fine when every rule using it carries a redirectConfiguration (to the HTTPS listener).',
    remediation: {
      text: 'Give each rule on an HTTP listener a redirectConfiguration that redirects permanently to the HTTPS listener.',
      snippet: snippet({
        name: 'http-to-https',
        properties: { ruleType: 'Basic', priority: 100, httpListener: { id: "[resourceId('Microsoft.Network/applicationGateways/httpListeners', 'agw', 'http')]" }, redirectConfiguration: { id: "[resourceId('Microsoft.Network/applicationGateways/redirectConfigurations', 'agw', 'to-https')]" } },
      }),
    },
    references: { psrule: ['Azure.AppGw.UseHTTPS'], mcsb: ['DP-3'] },
    since: '2026-12-07',
  },
  rule,
);
