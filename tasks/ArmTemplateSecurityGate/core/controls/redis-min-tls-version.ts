import { expectMinVersion, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'redis-min-tls-version',
    title: 'Redis cache requires TLS {minimumTlsVersion} or later',
    severity: 'medium',
    featureSet: 'RedisCache',
    resourceTypes: ['Microsoft.Cache/Redis'],
    rationale:
      'TLS 1.0/1.1 are deprecated (RFC 8996) and Azure Cache for Redis has retired them; an explicit minimumTlsVersion older than ' +
      '{minimumTlsVersion} fails. Unset is judged as 1.2, which the service now applies. Not in AzSK (the property came later).',
    remediation: {
      text: 'Set properties.minimumTlsVersion to "{minimumTlsVersion}" or later.',
      snippet: snippet({ type: 'Microsoft.Cache/Redis', properties: { minimumTlsVersion: '{minimumTlsVersion}' } }),
    },
    references: { psrule: ['Azure.Redis.MinTLS'], mcsb: ['DP-3'] },
    since: '2026-11-23',
    parameters: { minimumTlsVersion: { type: 'version', default: '1.2', doc: 'Oldest TLS version clients may use.' } },
  },
  ({ minimumTlsVersion }) =>
    expectMinVersion('$.properties.minimumTlsVersion', minimumTlsVersion, {
      ifAbsent: 'pass',
      absentValue: '1.2',
      absentReason: 'the service applies TLS 1.2',
      what: 'the minimum TLS version',
    }),
);
