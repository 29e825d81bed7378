import { asBool, fail, isObject, pass, prop, resourceControl, snippet, unknown, unknownResult, type Rule } from './helpers';
import { UnknownValue } from '../model';

const PREFIX = 'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.';
/** Settings that turn on a deprecated protocol or cipher when "True" (for clients, and toward backends). */
const WEAK = ['Protocols.Tls10', 'Protocols.Tls11', 'Protocols.Ssl30', 'Backend.Protocols.Tls10', 'Backend.Protocols.Tls11', 'Backend.Protocols.Ssl30', 'Ciphers.TripleDes168'];

const rule: Rule = (view) => {
  const custom = view.getShallow('$.properties.customProperties');
  if (custom.state === 'unknown') return unknownResult(custom, 'the protocol settings', view.resource);
  if (custom.state !== 'value' || !isObject(custom.value)) return pass('No deprecated protocol or cipher is turned on (they are off by default for services created after April 2018).', view.location);
  const on: string[] = [];
  let undecided: UnknownValue | undefined;
  for (const w of WEAK) {
    const v = prop(custom.value, PREFIX + w);
    if (v instanceof UnknownValue) undecided ??= v;
    else if (asBool(v ?? null) === true) on.push(w);
  }
  if (on.length) return fail(`customProperties turn on ${on.join(', ')}.`, custom.location);
  if (undecided) return unknown(`Cannot decide the protocol settings: ${undecided.reason}.`, undecided.location ?? custom.location);
  return pass('TLS 1.0, TLS 1.1, SSL 3.0 and 3DES are off for clients and backends.', custom.location);
};

export default resourceControl(
  {
    id: 'api-management-protocols',
    title: 'API Management accepts only TLS 1.2 or later, without 3DES',
    severity: 'high',
    featureSet: 'APIManagement',
    resourceTypes: ['Microsoft.ApiManagement/service'],
    rationale:
      'TLS 1.0, 1.1 and SSL 3.0 are deprecated (RFC 8996) and 3DES is vulnerable (Sweet32). API Management turns them on through ' +
      'customProperties (…Security.Protocols.Tls10, …Backend.Protocols.Tls11, …Ciphers.TripleDes168 set to "True"); they are off by ' +
      'default for services created after 1 April 2018, so only a setting that turns one on fails. Checkov\'s CKV_AZURE_173 reads ' +
      'other property names and is not mapped.',
    remediation: {
      text: 'Set the …Protocols.Tls10/Tls11/Ssl30 and …Backend.Protocols.* customProperties and …Ciphers.TripleDes168 to "False".',
      snippet: snippet({
        type: 'Microsoft.ApiManagement/service',
        properties: {
          customProperties: {
            'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10': 'False',
            'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls11': 'False',
            'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls10': 'False',
            'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls11': 'False',
            'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Ciphers.TripleDes168': 'False',
          },
        },
      }),
    },
    references: { psrule: ['Azure.APIM.Protocols', 'Azure.APIM.Ciphers'], mcsb: ['DP-3'] },
    since: '2026-12-07',
  },
  rule,
);
