import { anyPortExposureRule, NSG_RULE_TYPE, NSG_TYPE, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'nsg-udp-internet',
    title: 'NSG rules do not open UDP ports to the Internet',
    severity: 'medium',
    featureSet: 'NetworkSecurityGroup',
    resourceTypes: [NSG_TYPE, NSG_RULE_TYPE],
    rationale:
      'UDP has no handshake: a UDP service reachable from the Internet answers spoofed requests, which makes DNS, NTP, SSDP, SNMP, ' +
      'CLDAP or memcached on a VM a reflection amplifier in someone else\'s DDoS attack, and UDP services (game, VoIP, custom telemetry) ' +
      'are rarely hardened. Every UDP port is evaluated as Azure does: the rules\' port ranges cut the port space into spans, and in each ' +
      'span the first rule in priority order matching Internet traffic decides, so a deny that carves a hole into an allow is honoured. ' +
      'Rules with protocol * count (Checkov looks at protocol Udp only, and for an NSG at its first rule only); a source ARM refuses, such ' +
      'as a bare \'/0\', is not the Internet (Checkov matches it as text). A deliberate public UDP ' +
      'service (a DNS server, a WireGuard endpoint, HTTP/3 on 443) can carry a justified suppression.',
    remediation: {
      text: 'Remove the rule or restrict its source to the addresses that need the service; put public UDP services behind a Standard load balancer with DDoS protection.',
      snippet: snippet({
        name: 'AllowSyslogFromBranch',
        properties: { priority: 300, direction: 'Inbound', access: 'Allow', protocol: 'Udp', sourceAddressPrefix: '198.51.100.0/24', sourcePortRange: '*', destinationAddressPrefix: 'VirtualNetwork', destinationPortRange: '514' },
      }),
    },
    references: { checkov: ['CKV_AZURE_77'], mcsb: ['NS-1'] },
    since: '2026-12-07',
  },
  anyPortExposureRule('Udp', 'UDP ports'),
);
