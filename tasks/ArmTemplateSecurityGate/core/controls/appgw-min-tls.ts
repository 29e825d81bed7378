import { APP_GATEWAY_TYPE, compareVersions, fail, parseVersion, pass, resourceControl, snippet, tlsPolicy, unknown, type Rule } from './helpers';
import { UnknownValue } from '../model';

const rule = (minimumTlsVersion: string): Rule => (view) => {
  const p = tlsPolicy(view);
  const at = view.resource.locate(['properties', 'sslPolicy']);
  if (p instanceof UnknownValue) return unknown(`Cannot decide the TLS policy: ${p.reason}.`, p.location ?? at);
  // 'TLSv1_2' → 1.2
  const min = p.min ? parseVersion(p.min.replace(/^tlsv/i, '')) : undefined;
  if (min && compareVersions(min, parseVersion(minimumTlsVersion)!) >= 0) return pass(`The gateway requires ${p.min} or later (${p.source}).`, at);
  return fail(`The gateway accepts TLS older than ${minimumTlsVersion}: ${p.source}${p.min ? `, minimum ${p.min}` : ''}.`, at);
};

export default resourceControl(
  {
    id: 'appgw-min-tls',
    title: 'Application Gateway requires TLS {minimumTlsVersion} or later',
    severity: 'high',
    featureSet: 'ApplicationGateway',
    resourceTypes: [APP_GATEWAY_TYPE],
    rationale:
      'TLS 1.0 and 1.1 are deprecated (RFC 8996) and weak. A gateway without sslPolicy runs the default of its API version: ' +
      'AppGwSslPolicy20150501 (TLS 1.0) before 2023-02-01, AppGwSslPolicy20220101 (TLS 1.2) from then on, so an unset policy fails ' +
      'only with an older API version; Checkov fails every unset policy. Predefined policies 20170401S, 20220101 and 20220101S and ' +
      'custom policies with minProtocolVersion TLSv1_2 or TLSv1_3 pass the default minimum of 1.2; the control asks for {minimumTlsVersion}. Weak cipher suites are judged by appgw-strong-ciphers.',
    remediation: {
      text: 'Set sslPolicy to the predefined AppGwSslPolicy20220101S, or a CustomV2 policy with minProtocolVersion TLSv1_2.',
      snippet: snippet({ type: 'Microsoft.Network/applicationGateways', properties: { sslPolicy: { policyType: 'Predefined', policyName: 'AppGwSslPolicy20220101S' } } }),
    },
    references: { checkov: ['CKV_AZURE_218'], psrule: ['Azure.AppGw.SSLPolicy'], mcsb: ['DP-3'] },
    since: '2026-12-07',
    parameters: { minimumTlsVersion: { type: 'version', default: '1.2', doc: 'Oldest TLS version the gateway may accept.' } },
  },
  ({ minimumTlsVersion }) => rule(minimumTlsVersion),
);
