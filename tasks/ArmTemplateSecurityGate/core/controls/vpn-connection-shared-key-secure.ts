import { expectSecretFromSecureSource, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'vpn-connection-shared-key-secure',
    title: 'VPN connections get their pre-shared key from a secure parameter',
    severity: 'high',
    featureSet: 'VpnGateway',
    resourceTypes: ['Microsoft.Network/connections'],
    rationale:
      'The pre-shared key is the only secret that authenticates a site-to-site or VNet-to-VNet IPsec tunnel: whoever holds it can stand ' +
      'up a peer and, with the peer address, join the private network. A key written in the template, a variable, a plain string ' +
      'parameter or a parameter file is in clear text in source control and the deployment history. The control passes a sharedKey ' +
      'that comes from a secureString parameter without a stated value, a Key Vault reference or a list*() call.',
    remediation: {
      text: 'Declare a secureString parameter for the key, fill it from Key Vault (a parameter file reference), and rotate any key that was ever committed.',
      snippet: snippet({ type: 'Microsoft.Network/connections', properties: { connectionType: 'IPsec', connectionProtocol: 'IKEv2', sharedKey: "[parameters('vpnSharedKey')]" } }),
    },
    references: { mcsb: ['IM-8'] },
    since: '2026-12-07',
  },
  expectSecretFromSecureSource('$.properties.sharedKey', 'pre-shared key'),
);
