import { APP_GATEWAY_TYPE, fail, hasPublicFrontend, pass, resourceControl, snippet, unknown, type Rule } from './helpers';
import { UnknownValue } from '../model';

const rule: Rule = (view) => {
  const exposed = hasPublicFrontend(view);
  if (exposed instanceof UnknownValue) return unknown(`Cannot decide whether the gateway faces the Internet: ${exposed.reason}.`, exposed.location ?? view.location);
  // A gateway with private frontends only is not judged (PSRule: Internet accessible gateways).
  if (!exposed) return undefined;
  const tier = view.get('$.properties.sku.tier');
  if (tier.state === 'unknown') return unknown(`Cannot decide the gateway tier: ${tier.value.reason}.`, tier.location);
  const t = tier.state === 'value' && typeof tier.value === 'string' ? tier.value : '';
  if (!/^waf(_v2)?$/i.test(t)) return fail(`The Internet-facing gateway runs tier ${t ? `'${t}'` : '(not set)'}, which has no web application firewall.`, tier.location);
  const policy = view.get('$.properties.firewallPolicy.id');
  if (policy.state === 'value' && typeof policy.value === 'string' && policy.value.trim() !== '') return pass('The gateway has a WAF policy attached.', policy.location);
  if (policy.state === 'unknown') return pass('The gateway has a WAF policy attached (its id is known only at deployment).', policy.location);
  const enabled = view.get('$.properties.webApplicationFirewallConfiguration.enabled');
  if (enabled.state === 'unknown') return unknown(`Cannot decide whether the WAF is enabled: ${enabled.value.reason}.`, enabled.location);
  const on = enabled.state === 'value' && (enabled.value === true || String(enabled.value).toLowerCase() === 'true');
  return on ? pass('The gateway\'s web application firewall is enabled.', enabled.location) : fail('The gateway has the WAF tier but neither a WAF policy nor webApplicationFirewallConfiguration.enabled.', enabled.location);
};

export default resourceControl(
  {
    id: 'appgw-waf-enabled',
    title: 'Internet-facing Application Gateways have a web application firewall',
    severity: 'high',
    featureSet: 'ApplicationGateway',
    resourceTypes: [APP_GATEWAY_TYPE],
    rationale:
      'An Application Gateway with a public frontend is the front door of the web applications behind it; without a WAF, injection, ' +
      'path traversal and known-CVE probes reach the backends unfiltered. It needs the WAF or WAF_v2 tier and either a WAF policy ' +
      '(firewallPolicy) or the inline webApplicationFirewallConfiguration enabled. Gateways with private frontends only are not judged.',
    remediation: {
      text: 'Use sku tier WAF_v2 and attach a Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies policy in Prevention mode.',
      snippet: snippet({
        type: 'Microsoft.Network/applicationGateways',
        properties: { sku: { name: 'WAF_v2', tier: 'WAF_v2' }, firewallPolicy: { id: "[resourceId('Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies', 'waf')]" } },
      }),
    },
    references: { psrule: ['Azure.AppGw.UseWAF', 'Azure.AppGw.WAFEnabled'], mcsb: ['NS-6'] },
    since: '2026-12-07',
  },
  rule,
);
