import { expectMinVersion, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'sql-server-min-tls-version',
    title: 'SQL server rejects TLS older than {minimumTlsVersion}',
    severity: 'medium',
    featureSet: 'SqlServer',
    resourceTypes: ['Microsoft.Sql/servers'],
    rationale:
      'TLS 1.0 and 1.1 are deprecated (RFC 8996) and allow downgrade attacks on the login handshake. minimalTlsVersion sets the ' +
      'oldest version the server accepts; "None" (the value older servers keep) accepts all. The value must be written, ' +
      'because an existing server keeps whatever it had.',
    remediation: {
      text: 'Set properties.minimalTlsVersion to "{minimumTlsVersion}" (or later).',
      snippet: snippet({ type: 'Microsoft.Sql/servers', properties: { minimalTlsVersion: '{minimumTlsVersion}' } }),
    },
    references: { checkov: ['CKV_AZURE_52'], psrule: ['Azure.SQL.MinTLS'], mcsb: ['DP-3'] },
    since: '2026-12-07',
    parameters: { minimumTlsVersion: { type: 'version', default: '1.2', doc: 'Oldest TLS version clients may use.' } },
  },
  ({ minimumTlsVersion }) => expectMinVersion('$.properties.minimalTlsVersion', minimumTlsVersion, { ifAbsent: 'fail', absentReason: 'older servers keep "None", which accepts TLS 1.0', what: 'the minimum TLS version' }),
);
