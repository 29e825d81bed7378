import { expectMinVersion, resourceControl, snippet } from './helpers';

/** Oldest TLS version a client may use. */
const MIN_TLS = '1.2';

export default resourceControl(
  {
    id: 'sql-server-min-tls-version',
    title: `SQL server rejects TLS older than ${MIN_TLS}`,
    severity: 'medium',
    featureSet: 'SqlServer',
    resourceTypes: ['Microsoft.Sql/servers'],
    rationale:
      'TLS 1.0 and 1.1 are deprecated (RFC 8996) and allow downgrade attacks on the login handshake. minimalTlsVersion sets the ' +
      'oldest version the server accepts; "None" (the value older servers keep) accepts all. The value must be written, ' +
      'because an existing server keeps whatever it had.',
    remediation: {
      text: `Set properties.minimalTlsVersion to "${MIN_TLS}" (or later).`,
      snippet: snippet({ type: 'Microsoft.Sql/servers', properties: { minimalTlsVersion: MIN_TLS } }),
    },
    references: { checkov: ['CKV_AZURE_52'], psrule: ['Azure.SQL.MinTLS'], mcsb: ['DP-3'] },
    since: '2026-12-07',
  },
  expectMinVersion('$.properties.minimalTlsVersion', MIN_TLS, { ifAbsent: 'fail', absentReason: 'older servers keep "None", which accepts TLS 1.0', what: 'the minimum TLS version' }),
);
