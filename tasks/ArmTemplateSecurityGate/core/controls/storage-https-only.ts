import { asBool, fail, pass, resourceControl, Rule, show, snippet, unknownResult } from './helpers';

/** From this API version on, the service treats an omitted supportsHttpsTrafficOnly as true. */
const DEFAULT_TRUE_SINCE = '2019-04-01';

const rule: Rule = (view) => {
  const l = view.get('$.properties.supportsHttpsTrafficOnly');
  if (l.state === 'unknown') return unknownResult(l, 'secure transfer', view.resource);
  if (l.state === 'value') {
    const b = asBool(l.value);
    return b === true
      ? pass('supportsHttpsTrafficOnly is true.', l.location)
      : fail(`supportsHttpsTrafficOnly is ${show(l.value)}; plain HTTP requests are accepted.`, l.location);
  }
  const newer = view.apiVersionAtLeast(DEFAULT_TRUE_SINCE);
  return newer
    ? pass(`supportsHttpsTrafficOnly is not set; apiVersion ${view.resource.apiVersion} defaults it to true.`, l.location)
    : fail(
        `supportsHttpsTrafficOnly is not set and apiVersion ${view.resource.apiVersion ?? '(none)'} is older than ${DEFAULT_TRUE_SINCE}, where it defaults to false.`,
        l.location,
      );
};

export default resourceControl(
  {
    id: 'storage-https-only',
    title: 'Storage account accepts HTTPS requests only',
    severity: 'high',
    featureSet: 'Storage',
    resourceTypes: ['Microsoft.Storage/storageAccounts'],
    rationale:
      'Secure transfer rejects plain HTTP (and unencrypted SMB) requests, so keys, SAS tokens and data never cross the network ' +
      'in clear text. AzSK failed whenever supportsHttpsTrafficOnly was missing; since API version 2019-04-01 the service ' +
      'defaults it to true, so absence only fails for older apiVersions. An explicit false always fails.',
    remediation: {
      text: 'Set properties.supportsHttpsTrafficOnly to true (or omit it with apiVersion 2019-04-01 or later).',
      snippet: snippet({ type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-05-01', properties: { supportsHttpsTrafficOnly: true } }),
    },
    references: {
      azsk: ['Azure_Storage_DP_Encrypt_In_Transit'],
      checkov: ['CKV_AZURE_3'],
      psrule: ['Azure.Storage.SecureTransfer'],
      mcsb: ['DP-3'],
    },
    since: '2026-11-23',
  },
  rule,
);
