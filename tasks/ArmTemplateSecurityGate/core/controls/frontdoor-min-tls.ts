import { fail, isObject, pass, prop, resourceControl, snippet, unknown, unknownResult, type Rule } from './helpers';
import { UnknownValue } from '../model';

const OLD = /^(tls)?1[._]?[01]$/i;

const rule: Rule = (view) => {
  if (/\/customDomains$/i.test(view.type)) {
    const v = view.get('$.properties.tlsSettings.minimumTlsVersion');
    if (v.state === 'unknown') return unknownResult(v, 'the minimum TLS version', view.resource);
    if (v.state === 'value' && typeof v.value === 'string' && OLD.test(v.value)) return fail(`The custom domain accepts ${v.value}.`, v.location);
    return pass(v.state === 'value' ? `The custom domain requires ${String(v.value)}.` : 'The custom domain requires TLS 1.2 (the default).', v.location);
  }
  const list = view.getShallow('$.properties.frontendEndpoints');
  if (list.state === 'unknown') return unknownResult(list, 'the frontend endpoints', view.resource);
  const old: string[] = [];
  let undecided: UnknownValue | undefined;
  for (const e of list.state === 'value' && Array.isArray(list.value) ? list.value : []) {
    const p = isObject(e) ? prop(e, 'properties') : undefined;
    const https = isObject(p) ? prop(p, 'customHttpsConfiguration') : undefined;
    const min = isObject(https) ? prop(https, 'minimumTlsVersion') : undefined;
    if (min instanceof UnknownValue) undecided ??= min;
    else if (typeof min === 'string' && OLD.test(min)) old.push(`'${String(isObject(e) ? prop(e, 'name') : '?')}' (${min})`);
  }
  if (old.length) return fail(`Frontend endpoint ${old.join(', ')} accepts TLS older than 1.2.`, list.location);
  if (undecided) return unknown(`Cannot decide the minimum TLS version: ${undecided.reason}.`, undecided.location ?? list.location);
  return pass('The frontend endpoints require TLS 1.2 (stated or by default).', view.location);
};

export default resourceControl(
  {
    id: 'frontdoor-min-tls',
    title: 'Front Door custom domains require TLS 1.2 or later',
    severity: 'high',
    featureSet: 'FrontDoor',
    resourceTypes: ['Microsoft.Network/frontDoors', 'Microsoft.Cdn/profiles/customDomains'],
    rationale:
      'TLS 1.0 and 1.1 are deprecated (RFC 8996). Front Door (classic) custom HTTPS configurations and Front Door Standard/Premium ' +
      'custom domains (Microsoft.Cdn/profiles/customDomains) default to TLS 1.2; an explicit 1.0 fails.',
    remediation: {
      text: 'Set customHttpsConfiguration.minimumTlsVersion to "1.2" (classic) or tlsSettings.minimumTlsVersion to "TLS12" (Standard/Premium).',
      snippet: snippet({ type: 'Microsoft.Cdn/profiles/customDomains', properties: { hostName: 'www.contoso.com', tlsSettings: { certificateType: 'ManagedCertificate', minimumTlsVersion: 'TLS12' } } }),
    },
    references: { psrule: ['Azure.FrontDoor.MinTLS'], mcsb: ['DP-3'] },
    since: '2026-12-07',
  },
  rule,
);
