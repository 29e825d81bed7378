import { internetExposureRule, NSG_RULE_TYPE, NSG_TYPE, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'nsg-all-ports-internet',
    title: 'NSG rules do not open every port to the Internet',
    severity: 'high',
    featureSet: 'NetworkSecurityGroup',
    resourceTypes: [NSG_TYPE, NSG_RULE_TYPE],
    rationale:
      'A rule allowing every destination port from the Internet turns the NSG off for whatever listens behind it, now and later. Only a rule ' +
      'whose ports cover the whole range (*, 0-65535) counts; denies for single ports before it leave the rest open, a deny for every port ' +
      'from the whole Internet closes it. TCP and UDP are evaluated separately, in priority order as Azure does (see nsg-ssh-internet for what ' +
      'counts as the Internet).',
    remediation: {
      text: 'Replace the rule with rules for the ports the workload serves (for example 443), from the sources that need them.',
      snippet: snippet({
        name: 'AllowHttpsInbound',
        properties: { priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: 'Internet', sourcePortRange: '*', destinationAddressPrefix: 'VirtualNetwork', destinationPortRange: '443' },
      }),
    },
    references: { mcsb: ['NS-1'] },
    since: '2026-12-07',
  },
  internetExposureRule([{ protocol: 'Tcp', port: 'all' }, { protocol: 'Udp', port: 'all' }], 'every port'),
);
