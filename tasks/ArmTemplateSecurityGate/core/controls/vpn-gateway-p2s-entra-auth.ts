import { fail, isNonEmptyString, pass, resourceControl, snippet, unknownResult, type Rule } from './helpers';

const rule: Rule = (view) => {
  const pool = view.get('$.properties.vpnClientConfiguration.vpnClientAddressPool');
  if (pool.state === 'unknown') return unknownResult(pool, 'point-to-site configuration', view.resource);
  // No client address pool: the gateway takes no point-to-site connections.
  if (pool.state === 'absent') return undefined;
  const types = view.getShallow('$.properties.vpnClientConfiguration.vpnAuthenticationTypes');
  if (types.state === 'unknown') return unknownResult(types, 'the point-to-site authentication', view.resource);
  let methods: string[];
  if (types.state === 'value' && Array.isArray(types.value) && types.value.length) {
    const u = types.value.find((t) => typeof t !== 'string');
    if (u !== undefined) {
      const l = view.get([...types.path, types.value.indexOf(u)]);
      if (l.state === 'unknown') return unknownResult(l, 'the point-to-site authentication', view.resource);
    }
    methods = types.value.filter((t): t is string => typeof t === 'string').map((t) => t.trim());
  } else {
    // Without the list the gateway authenticates with what is configured: root certificates, a RADIUS server, an Entra tenant.
    methods = [];
    for (const [path, name] of [['vpnClientRootCertificates', 'Certificate'], ['radiusServerAddress', 'Radius'], ['radiusServers', 'Radius'], ['aadTenant', 'AAD']] as const) {
      const l = view.getShallow(`$.properties.vpnClientConfiguration.${path}`);
      if (l.state === 'unknown') return unknownResult(l, 'the point-to-site authentication', view.resource);
      const present = l.state === 'value' && (Array.isArray(l.value) ? l.value.length > 0 : isNonEmptyString(l.value));
      if (present && !methods.includes(name)) methods.push(name);
    }
  }
  const other = methods.filter((m) => m.toLowerCase() !== 'aad');
  const at = types.state === 'value' ? types.location : pool.location;
  if (other.length) {
    return fail(`Point-to-site users authenticate with ${other.join(' and ')}: a copied client certificate or RADIUS password connects from anywhere, without MFA or Conditional Access.`, at);
  }
  if (!methods.length) return fail('Point-to-site is on but no Entra ID authentication (aadTenant / vpnAuthenticationTypes AAD) is configured.', at);
  return pass('Point-to-site users authenticate with Entra ID only.', at);
};

export default resourceControl(
  {
    id: 'vpn-gateway-p2s-entra-auth',
    title: 'VPN gateway point-to-site users sign in with Entra ID only',
    severity: 'medium',
    featureSet: 'VpnGateway',
    resourceTypes: ['Microsoft.Network/virtualNetworkGateways'],
    rationale:
      'A point-to-site VPN puts a laptop inside the virtual network. With certificate authentication a client certificate copied ' +
      'off a machine connects from anywhere until someone revokes it on the gateway; with RADIUS a password does. Entra ID ' +
      'authentication (vpnAuthenticationTypes [\'AAD\'] with aadTenant, aadAudience, aadIssuer) applies MFA, Conditional Access and ' +
      'account disabling to every connection. Gateways without a vpnClientAddressPool take no point-to-site connections and are not judged.',
    remediation: {
      text: 'Set vpnClientConfiguration.vpnAuthenticationTypes to ["AAD"] with aadTenant, aadAudience and aadIssuer, use the OpenVPN protocol, and remove root certificates and RADIUS settings.',
      snippet: snippet({
        type: 'Microsoft.Network/virtualNetworkGateways',
        properties: {
          vpnClientConfiguration: {
            vpnClientAddressPool: { addressPrefixes: ['172.16.201.0/24'] },
            vpnClientProtocols: ['OpenVPN'],
            vpnAuthenticationTypes: ['AAD'],
            aadTenant: "[concat('https://login.microsoftonline.com/', subscription().tenantId)]",
            aadAudience: 'c632b3df-fb67-4d84-bdcf-b95ad541b5c8',
            aadIssuer: "[concat('https://sts.windows.net/', subscription().tenantId, '/')]",
          },
        },
      }),
    },
    references: { mcsb: ['IM-1'] },
    since: '2026-12-07',
  },
  rule,
);
