import { allOf, expectOneOf, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'frontdoor-waf-prevention-mode',
    title: 'Front Door WAF policies are enabled and block (Prevention mode)',
    severity: 'high',
    featureSet: 'FrontDoor',
    resourceTypes: ['Microsoft.Network/FrontDoorWebApplicationFirewallPolicies'],
    rationale:
      'A disabled policy filters nothing, and a policy in Detection mode only logs: the attacks it recognises still reach the origins. ' +
      'The policy must be enabled (enabledState, Enabled unless stated) and in Prevention mode (state it: Checkov\'s CKV_AZURE_123 reads ' +
      'enabledState only).',
    remediation: {
      text: 'Set policySettings.enabledState to "Enabled" and policySettings.mode to "Prevention".',
      snippet: snippet({ type: 'Microsoft.Network/FrontDoorWebApplicationFirewallPolicies', properties: { policySettings: { enabledState: 'Enabled', mode: 'Prevention' } } }),
    },
    references: { checkov: ['CKV_AZURE_123'], psrule: ['Azure.FrontDoorWAF.Enabled', 'Azure.FrontDoorWAF.PreventionMode'], mcsb: ['NS-6'] },
    since: '2026-12-07',
  },
  allOf(
    expectOneOf('$.properties.policySettings.enabledState', ['Enabled'], { ifAbsent: 'pass', absentReason: 'policies are enabled unless stated', what: 'the WAF policy state' }),
    expectOneOf('$.properties.policySettings.mode', ['Prevention'], { ifAbsent: 'fail', absentReason: 'state Prevention; Detection only logs', what: 'the WAF policy mode' }),
  ),
);
