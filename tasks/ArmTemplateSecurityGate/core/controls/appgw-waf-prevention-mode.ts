import { APP_GATEWAY_TYPE, APP_GATEWAY_WAF_POLICY_TYPE, allOf, expectBool, expectOneOf, resourceControl, snippet, type Rule } from './helpers';

const rule: Rule = (view, ctx) => {
  if (view.type.toLowerCase() === APP_GATEWAY_TYPE.toLowerCase()) {
    // Only the inline WAF configuration is judged here; a policy is judged as a resource of its own.
    if (view.get('$.properties.webApplicationFirewallConfiguration').state === 'absent') return undefined;
    return allOf(
      expectBool('$.properties.webApplicationFirewallConfiguration.enabled', true, { ifAbsent: 'fail', absentReason: 'the WAF is off', what: 'the WAF' }),
      expectOneOf('$.properties.webApplicationFirewallConfiguration.firewallMode', ['Prevention'], { ifAbsent: 'fail', absentReason: 'the mode defaults to Detection', what: 'the WAF mode' }),
    )(view, ctx);
  }
  return allOf(
    expectOneOf('$.properties.policySettings.state', ['Enabled'], { ifAbsent: 'pass', absentReason: 'policies are enabled by default', what: 'the WAF policy state' }),
    expectOneOf('$.properties.policySettings.mode', ['Prevention'], { ifAbsent: 'fail', absentReason: 'the mode defaults to Detection', what: 'the WAF policy mode' }),
  )(view, ctx);
};

export default resourceControl(
  {
    id: 'appgw-waf-prevention-mode',
    title: 'Application Gateway WAF is enabled and blocks (Prevention mode)',
    severity: 'high',
    featureSet: 'ApplicationGateway',
    resourceTypes: [APP_GATEWAY_TYPE, APP_GATEWAY_WAF_POLICY_TYPE],
    rationale:
      'In Detection mode the WAF only logs: every attack it recognises still reaches the backend. The mode defaults to Detection for ' +
      'both the inline webApplicationFirewallConfiguration and WAF policies, so Prevention must be stated. A policy must also be ' +
      'enabled (state Enabled, the default).',
    remediation: {
      text: 'Set policySettings.mode (or webApplicationFirewallConfiguration.firewallMode) to "Prevention" and keep the WAF enabled.',
      snippet: snippet({ type: 'Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies', properties: { policySettings: { state: 'Enabled', mode: 'Prevention', requestBodyCheck: true } } }),
    },
    references: { psrule: ['Azure.AppGw.Prevention', 'Azure.AppGwWAF.PreventionMode', 'Azure.AppGwWAF.Enabled'], mcsb: ['NS-6'] },
    since: '2026-12-07',
  },
  rule,
);
