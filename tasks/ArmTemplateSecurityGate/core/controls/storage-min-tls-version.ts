import { expectMinVersion, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'storage-min-tls-version',
    title: 'Storage account requires TLS {minimumTlsVersion} or later',
    severity: 'medium',
    featureSet: 'Storage',
    resourceTypes: ['Microsoft.Storage/storageAccounts'],
    rationale:
      'TLS 1.0 and 1.1 are deprecated (RFC 8996). minimumTlsVersion decides which versions clients may use; for many API ' +
      'versions an omitted value means TLS1_0, and an existing account keeps whatever it had, so the value must be written. ' +
      'Not in AzSK (the property did not exist when its controls were written).',
    remediation: {
      text: 'Set properties.minimumTlsVersion to TLS {minimumTlsVersion} or later ("TLS1_2" for 1.2).',
      snippet: snippet({ type: 'Microsoft.Storage/storageAccounts', properties: { minimumTlsVersion: 'TLS1_2' } }),
    },
    references: { checkov: ['CKV_AZURE_44'], psrule: ['Azure.Storage.MinTLS'], mcsb: ['DP-3'] },
    since: '2026-11-23',
    parameters: { minimumTlsVersion: { type: 'version', default: '1.2', doc: 'Oldest TLS version clients may use.' } },
  },
  ({ minimumTlsVersion }) =>
    expectMinVersion('$.properties.minimumTlsVersion', minimumTlsVersion, {
      ifAbsent: 'fail',
      absentReason: 'older API versions default to TLS1_0',
      what: 'the minimum TLS version',
    }),
);
