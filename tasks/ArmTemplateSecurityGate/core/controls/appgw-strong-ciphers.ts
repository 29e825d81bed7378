import { APP_GATEWAY_TYPE, fail, isStrongCipher, pass, resourceControl, snippet, tlsPolicy, unknown, type Rule } from './helpers';
import { UnknownValue } from '../model';

const rule: Rule = (view) => {
  const p = tlsPolicy(view);
  const at = view.resource.locate(['properties', 'sslPolicy']);
  if (p instanceof UnknownValue) return unknown(`Cannot decide the cipher suites: ${p.reason}.`, p.location ?? at);
  if (p.ciphers) {
    const weak = p.ciphers.filter((c) => !isStrongCipher(c));
    if (p.ciphers.length === 0) return fail(`The custom policy lists no cipher suite, so the gateway's defaults (with CBC and RSA key exchange suites) apply.`, at);
    return weak.length ? fail(`The custom policy allows weak cipher suites: ${weak.join(', ')}.`, at) : pass('Every cipher suite of the custom policy is ECDHE with AES-GCM or ChaCha20 (or a TLS 1.3 suite).', at);
  }
  if (p.strong) return pass(`Every cipher suite of ${p.source} is ECDHE with AES-GCM.`, at);
  return fail(`${p.source[0]!.toUpperCase()}${p.source.slice(1)} includes CBC or non-forward-secret cipher suites.`, at);
};

export default resourceControl(
  {
    id: 'appgw-strong-ciphers',
    title: 'Application Gateway offers only forward-secret AEAD cipher suites',
    severity: 'medium',
    featureSet: 'ApplicationGateway',
    resourceTypes: [APP_GATEWAY_TYPE],
    rationale:
      'Suites without forward secrecy (TLS_RSA_*) let a stolen certificate key decrypt recorded traffic; CBC suites have a history of ' +
      'padding-oracle attacks; 3DES is broken. Only TLS 1.3 suites and ECDHE suites with AES-GCM or ChaCha20 pass: among predefined ' +
      'policies that is AppGwSslPolicy20220101S (the default AppGwSslPolicy20220101 still offers CBC suites). Checkov judges the same ' +
      'suites (CKV_AZURE_218 covers protocol and ciphers together; appgw-min-tls judges the protocol).',
    remediation: {
      text: 'Use the predefined AppGwSslPolicy20220101S, or a CustomV2 policy listing only ECDHE-GCM suites.',
      snippet: snippet({
        type: 'Microsoft.Network/applicationGateways',
        properties: { sslPolicy: { policyType: 'CustomV2', minProtocolVersion: 'TLSv1_2', cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] } },
      }),
    },
    references: { checkov: ['CKV_AZURE_218'], mcsb: ['DP-3'] },
    since: '2026-12-07',
  },
  rule,
);
