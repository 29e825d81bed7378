import { expectBool, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'redis-non-ssl-port-disabled',
    title: 'Redis cache does not open the non-TLS port',
    severity: 'high',
    featureSet: 'RedisCache',
    resourceTypes: ['Microsoft.Cache/Redis'],
    rationale:
      'Port 6379 carries the access key and cached data in clear text. It is closed by default; an explicit true fails.',
    remediation: {
      text: 'Remove enableNonSslPort or set it to false; clients connect on 6380 with TLS.',
      snippet: snippet({ type: 'Microsoft.Cache/Redis', properties: { enableNonSslPort: false } }),
    },
    references: { azsk: ['Azure_RedisCache_DP_Use_SSL_Port'], checkov: ['CKV_AZURE_91'], psrule: ['Azure.Redis.NonSslPort'], mcsb: ['DP-3'] },
    since: '2026-11-23',
  },
  expectBool('$.properties.enableNonSslPort', false, { ifAbsent: 'pass', absentReason: 'defaults to false', what: 'the non-TLS port' }),
);
