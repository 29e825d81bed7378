import { firewallRuleRule, isUniversal, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'sql-firewall-no-any-ip',
    title: 'SQL server firewall does not allow the whole internet',
    severity: 'high',
    featureSet: 'SqlServer',
    resourceTypes: ['Microsoft.Sql/servers/firewallRules'],
    rationale:
      'A firewall rule from 0.0.0.0 to 255.255.255.255 exposes the server\'s login endpoint to every address on the internet, ' +
      'leaving passwords as the only defence. AzSK listed firewall rules among its SQL resource types but had no control for ' +
      'them; this one closes that gap.',
    remediation: {
      text: 'Replace the rule with the specific client ranges that need access, or use private endpoints.',
      snippet: snippet({
        type: 'Microsoft.Sql/servers/firewallRules',
        properties: { startIpAddress: '203.0.113.10', endIpAddress: '203.0.113.20' },
      }),
    },
    references: { checkov: ['CKV_AZURE_11'], mcsb: ['NS-2'] },
    since: '2026-11-23',
  },
  firewallRuleRule(
    '$.properties.startIpAddress',
    '$.properties.endIpAddress',
    (r, s, e) => (isUniversal(r) ? { ok: false, detail: `rule allows every IPv${r.family} address (${s} – ${e})` } : { ok: true, detail: `rule allows ${s} – ${e} only` }),
    'the firewall range',
  ),
);
