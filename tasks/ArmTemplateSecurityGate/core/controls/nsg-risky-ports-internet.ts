import { internetExposureRule, NSG_RULE_TYPE, NSG_TYPE, resourceControl, snippet, type Protocol, type Traffic } from './helpers';

const traffic = (protocol: Protocol, ports: readonly string[]): Traffic[] =>
  ports.map(Number).filter((port) => Number.isInteger(port)).map((port): Traffic => ({ protocol, port }));

export default resourceControl(
  {
    id: 'nsg-risky-ports-internet',
    title: 'NSG rules do not open file-sharing, clear-text or cluster-control services to the Internet',
    severity: 'high',
    featureSet: 'NetworkSecurityGroup',
    resourceTypes: [NSG_TYPE, NSG_RULE_TYPE],
    rationale:
      'Some services must never face the Internet: SMB, NetBIOS and RPC (wormable, WannaCry and successors), FTP, TFTP and Telnet ' +
      '(credentials in clear text), LDAP, SNMP and NetBIOS name service (reflection amplifiers and directory data), VNC (weak or no ' +
      'authentication), and cluster control planes reachable without a gateway (the Docker API, the kubelet, etcd). Ports checked: TCP ' +
      '{tcpPorts}; UDP {udpPorts}. The rules are evaluated in priority order as Azure does (see nsg-ssh-internet for what counts as the ' +
      'Internet); SSH, RDP, WinRM and database ports have controls of their own.',
    remediation: {
      text: 'Remove the rule, or allow the service only from the address ranges or application security groups that need it; use Azure Files or a VPN instead of exposing SMB.',
      snippet: snippet({
        name: 'DenySmbFromInternet',
        properties: { priority: 100, direction: 'Inbound', access: 'Deny', protocol: '*', sourceAddressPrefix: 'Internet', sourcePortRange: '*', destinationAddressPrefix: '*', destinationPortRanges: ['135', '137-139', '445'] },
      }),
    },
    references: { mcsb: ['NS-1'] },
    since: '2026-12-07',
    parameters: {
      tcpPorts: {
        type: 'string[]',
        // FTP, Telnet, RPC, NetBIOS session, LDAP, SMB, Docker API, etcd, VNC, kubelet.
        default: ['20', '21', '23', '135', '139', '389', '445', '2375', '2376', '2379', '2380', '5900', '10250'],
        doc: 'TCP ports of services that must not be reachable from the Internet.',
      },
      udpPorts: {
        type: 'string[]',
        // TFTP, NetBIOS name and datagram, SNMP, LDAP (CLDAP).
        default: ['69', '137', '138', '161', '389'],
        doc: 'UDP ports of services that must not be reachable from the Internet.',
      },
    },
  },
  ({ tcpPorts, udpPorts }) => internetExposureRule([...traffic('Tcp', tcpPorts), ...traffic('Udp', udpPorts)], 'SMB, FTP, Telnet or a similar risky service'),
);
