import { internetExposureRule, NSG_RULE_TYPE, NSG_TYPE, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'nsg-winrm-internet',
    title: 'NSG rules do not open WinRM (TCP 5985, 5986) to the Internet',
    severity: 'high',
    featureSet: 'NetworkSecurityGroup',
    resourceTypes: [NSG_TYPE, NSG_RULE_TYPE],
    rationale:
      'WinRM is remote PowerShell: a password guessed over the Internet is a shell on the VM, and 5985 carries it over HTTP. The rules are ' +
      'evaluated in priority order as Azure does (see nsg-ssh-internet for what counts as the Internet); a rule declared as a separate ' +
      'securityRules resource is reported on that resource.',
    remediation: {
      text: 'Remove the rule or restrict its source to your management network; manage Windows VMs through Azure Bastion, Run Command or just-in-time access.',
      snippet: snippet({
        name: 'AllowWinRmFromAdmins',
        properties: { priority: 110, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: '10.10.0.0/24', sourcePortRange: '*', destinationAddressPrefix: 'VirtualNetwork', destinationPortRange: '5986' },
      }),
    },
    references: { mcsb: ['NS-1'] },
    since: '2026-12-07',
  },
  internetExposureRule([{ protocol: 'Tcp', port: 5985 }, { protocol: 'Tcp', port: 5986 }], 'WinRM (TCP 5985, 5986)'),
);
