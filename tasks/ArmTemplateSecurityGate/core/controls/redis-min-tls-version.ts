import { expectMinVersion, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'redis-min-tls-version',
    title: 'Redis cache requires TLS 1.2 or later',
    severity: 'medium',
    featureSet: 'RedisCache',
    resourceTypes: ['Microsoft.Cache/Redis'],
    rationale:
      'TLS 1.0/1.1 are deprecated (RFC 8996) and Azure Cache for Redis has retired them; an explicit minimumTlsVersion of "1.0" or ' +
      '"1.1" fails. Unset passes, as the service now applies 1.2. Not in AzSK (the property came later).',
    remediation: {
      text: 'Set properties.minimumTlsVersion to "1.2" or remove an older value.',
      snippet: snippet({ type: 'Microsoft.Cache/Redis', properties: { minimumTlsVersion: '1.2' } }),
    },
    references: { psrule: ['Azure.Redis.MinTLS'], mcsb: ['DP-3'] },
    since: '2026-11-23',
  },
  expectMinVersion('$.properties.minimumTlsVersion', '1.2', { ifAbsent: 'pass', absentReason: 'the service applies TLS 1.2', what: 'the minimum TLS version' }),
);
