import { expectOneOf, resourceControl, snippet, type Rule } from './helpers';

const FIREWALL = 'Microsoft.Network/azureFirewalls';
const POLICY = 'Microsoft.Network/firewallPolicies';

const rule: Rule = (view, ctx) => {
  // A firewall with a policy takes threat intelligence from the policy, judged as a resource of its own.
  if (view.type.toLowerCase() === FIREWALL.toLowerCase() && view.get('$.properties.firewallPolicy.id').state !== 'absent') return undefined;
  return expectOneOf('$.properties.threatIntelMode', ['Deny'], { ifAbsent: 'fail', absentReason: 'the default is Alert, which only logs', what: 'threat intelligence mode' })(view, ctx);
};

export default resourceControl(
  {
    id: 'firewall-threat-intel-deny',
    title: 'Azure Firewall blocks traffic to and from known malicious addresses',
    severity: 'medium',
    featureSet: 'AzureFirewall',
    resourceTypes: [FIREWALL, POLICY],
    rationale:
      'Threat intelligence filtering blocks traffic with IP addresses and domains Microsoft knows to be malicious (command-and-control, ' +
      'botnets). The default mode, Alert, only logs the match and lets the traffic through. A firewall managed by a firewall policy is ' +
      'judged through that policy.',
    remediation: {
      text: 'Set threatIntelMode to "Deny" on the firewall policy (or on a classic-rules firewall).',
      snippet: snippet({ type: 'Microsoft.Network/firewallPolicies', properties: { threatIntelMode: 'Deny' } }),
    },
    references: { checkov: ['CKV_AZURE_216'], psrule: ['Azure.Firewall.Mode'], mcsb: ['NS-3'] },
    since: '2026-12-07',
  },
  rule,
);
