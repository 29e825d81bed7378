import { internetExposureRule, NSG_RULE_TYPE, NSG_TYPE, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'nsg-ssh-internet',
    title: 'NSG rules do not open SSH (TCP 22) to the Internet',
    severity: 'high',
    featureSet: 'NetworkSecurityGroup',
    resourceTypes: [NSG_TYPE, NSG_RULE_TYPE],
    rationale:
      'SSH reachable from the Internet is brute-forced within minutes of deployment and exposes every unpatched SSH flaw. ' +
      'The rules are evaluated as Azure does: in priority order, the first rule that matches Internet traffic to TCP 22 decides, so an allow ' +
      'shadowed by a deny for the whole Internet passes, and a deny for some addresses does not close the port. Sources that mean the ' +
      'Internet: *, Any, the Internet tag, prefixes covering 0.0.0.0/0 or ::/0, and the AzureCloud tag (every Azure public address, which ' +
      'anyone can rent). Rules with protocol * count, which Checkov (it looks at protocol Tcp only) does not flag. A rule declared as a separate ' +
      'securityRules resource is reported on that resource.',
    remediation: {
      text: 'Remove the rule, or restrict its source to your management addresses; reach VMs through Azure Bastion or just-in-time access.',
      snippet: snippet({
        name: 'AllowSshFromAdmins',
        properties: { priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: '203.0.113.0/28', sourcePortRange: '*', destinationAddressPrefix: 'VirtualNetwork', destinationPortRange: '22' },
      }),
    },
    references: { checkov: ['CKV_AZURE_10'], mcsb: ['NS-1'] },
    since: '2026-12-07',
  },
  internetExposureRule([{ protocol: 'Tcp', port: 22 }], 'SSH (TCP 22)'),
);
