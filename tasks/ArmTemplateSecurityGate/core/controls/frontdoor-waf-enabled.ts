import { fail, isObject, pass, prop, resourceControl, snippet, unknown, unknownResult, type Rule } from './helpers';
import { UnknownValue } from '../model';

const rule: Rule = (view) => {
  const list = view.getShallow('$.properties.frontendEndpoints');
  if (list.state === 'unknown') return unknownResult(list, 'the frontend endpoints', view.resource);
  if (list.state !== 'value' || !Array.isArray(list.value) || list.value.length === 0) return fail('The Front Door declares no frontend endpoint with a WAF policy.', view.location);
  const without: string[] = [];
  let undecided: UnknownValue | undefined;
  list.value.forEach((e, i) => {
    if (e instanceof UnknownValue) return void (undecided ??= e);
    const p = isObject(e) ? prop(e, 'properties') : undefined;
    const link = isObject(p) ? prop(p, 'webApplicationFirewallPolicyLink') : undefined;
    const id = isObject(link) ? prop(link, 'id') : link;
    if (id instanceof UnknownValue) return; // a policy is linked; which one is known at deployment
    if (typeof id === 'string' && id.trim() !== '') return;
    const n = isObject(e) ? prop(e, 'name') : undefined;
    without.push(typeof n === 'string' ? `'${n}'` : `[${i}]`);
  });
  if (without.length) return fail(`Frontend endpoint ${without.join(', ')} has no web application firewall policy.`, list.location);
  if (undecided) return unknown(`Cannot decide whether every endpoint has a WAF policy: ${undecided.reason}.`, undecided.location ?? list.location);
  return pass('Every frontend endpoint has a web application firewall policy.', list.location);
};

export default resourceControl(
  {
    id: 'frontdoor-waf-enabled',
    title: 'Front Door endpoints have a web application firewall policy',
    severity: 'high',
    featureSet: 'FrontDoor',
    resourceTypes: ['Microsoft.Network/frontDoors'],
    rationale:
      'Front Door publishes the applications behind it on the Internet; without a WAF policy on an endpoint, injection and exploit ' +
      'traffic is forwarded to the origins unfiltered. Every frontend endpoint is read (Checkov reads the first).',
    remediation: {
      text: 'Link a Microsoft.Network/FrontDoorWebApplicationFirewallPolicies policy in Prevention mode to each frontend endpoint.',
      snippet: snippet({ name: 'frontend', properties: { hostName: 'contoso.azurefd.net', webApplicationFirewallPolicyLink: { id: "[resourceId('Microsoft.Network/FrontDoorWebApplicationFirewallPolicies', 'wafpolicy')]" } } }),
    },
    references: { checkov: ['CKV_AZURE_121'], psrule: ['Azure.FrontDoor.UseWAF'], mcsb: ['NS-6'] },
    since: '2026-12-07',
  },
  rule,
);
