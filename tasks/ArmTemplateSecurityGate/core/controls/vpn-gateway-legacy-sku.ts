import { expectNoneOf, fail, resourceControl, snippet, unknownResult, type Rule } from './helpers';

const LEGACY = ['Basic', 'Standard', 'HighPerformance'];

const rule: Rule = (view, ctx) => {
  const type = view.get('$.properties.gatewayType');
  if (type.state === 'unknown') return unknownResult(type, 'the gateway type', view.resource);
  // ExpressRoute gateways have SKUs of their own.
  if (type.state !== 'value' || String(type.value).toLowerCase() !== 'vpn') return undefined;
  const sku = view.get('$.properties.sku.name');
  if (sku.state === 'absent') return fail('The VPN gateway states no SKU.', sku.location);
  return expectNoneOf('$.properties.sku.name', LEGACY, { ifAbsent: 'fail', what: 'the gateway SKU' })(view, ctx);
};

export default resourceControl(
  {
    id: 'vpn-gateway-legacy-sku',
    title: 'VPN gateways use a current (VpnGw) SKU',
    severity: 'medium',
    featureSet: 'VpnGateway',
    resourceTypes: ['Microsoft.Network/virtualNetworkGateways'],
    rationale:
      'The Basic SKU cannot take a custom IPsec/IKE policy, so its tunnels negotiate from the default proposals that still include ' +
      '3DES, SHA1 and DH group 2 (see vpn-connection-ipsec-strong); for point-to-site it offers only SSTP with certificates — no IKEv2, ' +
      'no OpenVPN, no Entra ID sign-in. Standard and HighPerformance are legacy SKUs that Azure is migrating away. The VpnGw SKUs ' +
      'support all of these (VpnGw1AZ and up are zone-redundant as well).',
    remediation: {
      text: 'Set properties.sku name and tier to a VpnGw SKU (VpnGw1AZ or higher), with a Standard public IP.',
      snippet: snippet({ type: 'Microsoft.Network/virtualNetworkGateways', properties: { gatewayType: 'Vpn', vpnType: 'RouteBased', vpnGatewayGeneration: 'Generation2', sku: { name: 'VpnGw2AZ', tier: 'VpnGw2AZ' } } }),
    },
    references: { psrule: ['Azure.VNG.VPNLegacySKU'], mcsb: ['DP-3'] },
    since: '2026-12-07',
  },
  rule,
);
