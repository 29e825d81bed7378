import { fail, findUnknown, isObject, pass, prop, resourceControl, snippet, unknown, unknownResult, type Rule } from './helpers';

/** Algorithms and groups that no longer protect a tunnel: broken ciphers and hashes, small or no Diffie-Hellman groups, no PFS. */
const WEAK: Record<string, readonly string[]> = {
  ipsecEncryption: ['none', 'des', 'des3'],
  ipsecIntegrity: ['md5', 'sha1'],
  ikeEncryption: ['des', 'des3'],
  ikeIntegrity: ['md5', 'sha1'],
  dhGroup: ['none', 'dhgroup1', 'dhgroup2'],
  pfsGroup: ['none', 'pfs1', 'pfs2'],
};

const rule: Rule = (view) => {
  const type = view.get('$.properties.connectionType');
  if (type.state === 'unknown') return unknownResult(type, 'the connection type', view.resource);
  const t = type.state === 'value' ? String(type.value).toLowerCase() : '';
  if (t !== 'ipsec' && t !== 'vnet2vnet') return undefined;
  const list = view.getShallow('$.properties.ipsecPolicies');
  if (list.state === 'unknown') return unknownResult(list, 'the IPsec policy', view.resource);
  if (list.state !== 'value' || !Array.isArray(list.value) || list.value.length === 0) {
    return fail(
      'No custom ipsecPolicies: the gateway offers its default proposals, which still include 3DES, SHA1 and Diffie-Hellman group 2, and a peer (or an attacker in the middle of the negotiation) can pick them.',
      list.location,
    );
  }
  const problems: string[] = [];
  let firstBad: number | undefined;
  let pending: string | undefined;
  list.value.forEach((policy, i) => {
    if (!isObject(policy)) return;
    for (const [key, weak] of Object.entries(WEAK)) {
      const v = prop(policy, key);
      const u = findUnknown(v ?? null);
      if (u) {
        pending ??= `ipsecPolicies[${i}].${key} is not known before deployment — ${u.reason}`;
        continue;
      }
      if (typeof v === 'string' && weak.includes(v.trim().toLowerCase())) {
        firstBad ??= i;
        problems.push(`ipsecPolicies[${i}].${key} is ${v}`);
      }
    }
  });
  if (problems.length) return fail(`The IPsec policy allows weak cryptography: ${problems.join('; ')}.`, view.resource.locate([...list.path, firstBad ?? 0]));
  if (pending) return unknown(`Cannot decide whether the IPsec policy is strong: ${pending}.`, list.location);
  return pass('The custom IPsec/IKE policy uses only strong algorithms, Diffie-Hellman groups and PFS.', list.location);
};

export default resourceControl(
  {
    id: 'vpn-connection-ipsec-strong',
    title: 'VPN connections pin a strong IPsec/IKE policy',
    severity: 'medium',
    featureSet: 'VpnGateway',
    resourceTypes: ['Microsoft.Network/connections'],
    rationale:
      'Without a custom policy an Azure VPN gateway negotiates from a default list kept wide for compatibility, which still offers 3DES, ' +
      'SHA1 and Diffie-Hellman group 2; the tunnel ends up as weak as the weakest proposal both sides accept. A custom ipsecPolicies ' +
      'entry pins the algorithms. It fails when it allows DES or 3DES, MD5 or SHA1, DH group None/1/2, or no or a weak PFS group ' +
      '(None, PFS1, PFS2). Site-to-site (IPsec) and VNet-to-VNet connections are judged; ExpressRoute connections are not IPsec.',
    remediation: {
      text: 'Add an ipsecPolicies entry with GCMAES256 (or AES256 + SHA256), IKE AES256/SHA256, DHGroup14 or ECP384 and PFS2048 or ECP384.',
      snippet: snippet({
        type: 'Microsoft.Network/connections',
        properties: {
          connectionType: 'IPsec',
          connectionProtocol: 'IKEv2',
          ipsecPolicies: [{ saLifeTimeSeconds: 27000, saDataSizeKilobytes: 102400000, ipsecEncryption: 'GCMAES256', ipsecIntegrity: 'GCMAES256', ikeEncryption: 'AES256', ikeIntegrity: 'SHA256', dhGroup: 'DHGroup14', pfsGroup: 'PFS2048' }],
        },
      }),
    },
    references: { mcsb: ['DP-3'] },
    since: '2026-12-07',
  },
  rule,
);
