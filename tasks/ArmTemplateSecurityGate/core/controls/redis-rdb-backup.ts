import { expectBool, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'redis-rdb-backup',
    title: 'Redis cache persists data (RDB backup)',
    severity: 'medium',
    featureSet: 'RedisCache',
    resourceTypes: ['Microsoft.Cache/Redis'],
    rationale:
      'Without persistence, a cache restart or regional failure loses all data. RDB persistence (Premium tier) writes snapshots to ' +
      'storage. The flag sits in redisConfiguration and is usually the string "true"; strings and booleans are both read. ' +
      'Caches used purely as a disposable cache should suppress this control with that reason.',
    remediation: {
      text: 'Set redisConfiguration["rdb-backup-enabled"] to "true" with a backup frequency and storage connection string.',
      snippet: snippet({
        type: 'Microsoft.Cache/Redis',
        properties: { sku: { name: 'Premium', family: 'P', capacity: 1 }, redisConfiguration: { 'rdb-backup-enabled': 'true', 'rdb-backup-frequency': '60' } },
      }),
    },
    references: { azsk: ['Azure_RedisCache_BCDR_Use_RDB_Backup'], mcsb: ['BR-1'] },
    since: '2026-11-23',
  },
  expectBool("$.properties.redisConfiguration['rdb-backup-enabled']", true, { ifAbsent: 'fail', absentReason: 'persistence is off by default', what: 'RDB persistence' }),
);
