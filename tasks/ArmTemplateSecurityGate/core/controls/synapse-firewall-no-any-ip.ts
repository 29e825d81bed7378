import { noUniversalFirewallRule, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'synapse-firewall-no-any-ip',
    title: 'Synapse workspace firewall rule does not admit the whole Internet',
    severity: 'high',
    featureSet: 'Synapse',
    resourceTypes: ['Microsoft.Synapse/workspaces/firewallRules'],
    rationale:
      'A rule from 0.0.0.0 to 255.255.255.255 (the portal\'s "allowAll") opens the workspace\'s SQL endpoints to every address, ' +
      'leaving only passwords in the way. Admit the addresses that need access, or close public access and use private endpoints.',
    remediation: {
      text: 'Replace the rule with ranges that cover only your clients.',
      snippet: snippet({ type: 'Microsoft.Synapse/workspaces/firewallRules', name: "[concat(parameters('workspaceName'), '/office')]", properties: { startIpAddress: '203.0.113.0', endIpAddress: '203.0.113.255' } }),
    },
    references: { mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  noUniversalFirewallRule(),
);
