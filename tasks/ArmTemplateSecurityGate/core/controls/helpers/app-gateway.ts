/** Application Gateway: its TLS policy as deployed (explicit, or the default of the API version), and its frontends. */

import { UnknownValue, type EvaluatedValue } from '../../model';
import { isObject, prop, type ResourceView } from './lookup';

export const APP_GATEWAY_TYPE = 'Microsoft.Network/applicationGateways';
export const APP_GATEWAY_WAF_POLICY_TYPE = 'Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies';

/** Predefined policies: minimum protocol and whether every suite is ECDHE with an AEAD cipher. */
const PREDEFINED = new Map<string, { min: string; strong: boolean }>([
  ['appgwsslpolicy20150501', { min: 'TLSv1_0', strong: false }],
  ['appgwsslpolicy20170401', { min: 'TLSv1_1', strong: false }],
  ['appgwsslpolicy20170401s', { min: 'TLSv1_2', strong: false }],
  ['appgwsslpolicy20220101', { min: 'TLSv1_2', strong: false }],
  ['appgwsslpolicy20220101s', { min: 'TLSv1_2', strong: true }],
]);

/** API version from which a gateway without sslPolicy gets AppGwSslPolicy20220101 instead of AppGwSslPolicy20150501. */
export const NEW_DEFAULT_POLICY_API = '2023-02-01';

export interface TlsPolicy {
  /** How the policy was read, for messages. */
  source: string;
  /** 'TLSv1_0' … 'TLSv1_3', or undefined for a name that is not a predefined policy. */
  min?: string;
  /** Cipher suites, when the policy lists them (custom policies). */
  ciphers?: string[];
  /** For predefined policies: whether every suite is strong. */
  strong?: boolean;
}

function text(v: EvaluatedValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The TLS policy a gateway runs with, or the UnknownValue that decides it. */
export function tlsPolicy(view: ResourceView): TlsPolicy | UnknownValue {
  const l = view.get('$.properties.sslPolicy');
  if (l.state === 'unknown') return l.value;
  if (l.state === 'absent' || !isObject(l.value) || Object.keys(l.value).length === 0) {
    const modern = view.apiVersionAtLeast(NEW_DEFAULT_POLICY_API);
    const name = modern ? 'AppGwSslPolicy20220101' : 'AppGwSslPolicy20150501';
    return { source: `no sslPolicy: API version ${view.resource.apiVersion ?? '(none)'} defaults to ${name}`, ...PREDEFINED.get(name.toLowerCase())! };
  }
  const type = text(prop(l.value, 'policyType'))?.toLowerCase();
  const name = text(prop(l.value, 'policyName'));
  if ((type === undefined || type === 'predefined') && name !== undefined) {
    const p = PREDEFINED.get(name.toLowerCase());
    return p ? { source: `predefined policy ${name}`, ...p } : { source: `'${name}', which is not a predefined policy` };
  }
  const min = text(prop(l.value, 'minProtocolVersion'));
  const ciphers = prop(l.value, 'cipherSuites');
  return { source: `custom policy (minProtocolVersion ${min ?? 'not set'})`, min, ciphers: Array.isArray(ciphers) ? ciphers.filter((c): c is string => typeof c === 'string') : undefined };
}

/** Strong suites: TLS 1.3 suites, and TLS 1.2 suites with ECDHE key exchange and an AEAD cipher. */
export function isStrongCipher(suite: string): boolean {
  const s = suite.trim().toUpperCase();
  return /^TLS_(AES_\d+_GCM|CHACHA20_POLY1305)_SHA\d+$/.test(s) || /^TLS_ECDHE_(RSA|ECDSA)_WITH_(AES_\d+_GCM|CHACHA20_POLY1305)_SHA\d*$/.test(s);
}

/** Whether the gateway has a frontend with a public IP; an UnknownValue when that is known only at deployment. */
export function hasPublicFrontend(view: ResourceView): boolean | UnknownValue {
  const l = view.getShallow('$.properties.frontendIPConfigurations');
  if (l.state === 'unknown') return l.value;
  if (l.state !== 'value' || !Array.isArray(l.value)) return false;
  for (const f of l.value) {
    if (f instanceof UnknownValue) return f;
    const p = isObject(f) ? prop(f, 'properties') : undefined;
    const ip = isObject(p) ? prop(p, 'publicIPAddress') : undefined;
    if (ip instanceof UnknownValue) return ip;
    if (ip !== undefined && ip !== null) return true;
  }
  return false;
}

/** Rule sets that contain 944240: OWASP CRS 3.1 and later, and every Microsoft Default Rule Set. */
export function hasLog4ShellRule(type: string | undefined, version: string | undefined): boolean {
  const t = (type ?? 'OWASP').toLowerCase();
  if (t === 'microsoft_defaultruleset') return true;
  if (t !== 'owasp' || version === undefined) return false;
  const [major, minor] = version.split('.').map(Number);
  return major! > 3 || (major === 3 && (minor ?? 0) >= 1);
}
