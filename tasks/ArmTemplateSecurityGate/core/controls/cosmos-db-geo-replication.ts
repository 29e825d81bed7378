import { expectValue, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'cosmos-db-geo-replication',
    title: 'Cosmos DB replicates to at least two regions',
    severity: 'medium',
    featureSet: 'CosmosDb',
    resourceTypes: ['Microsoft.DocumentDB/databaseAccounts'],
    rationale:
      'With a single region, a regional outage makes the data unavailable and may lose recent writes. A second region keeps a ' +
      'readable copy and allows failover.',
    remediation: {
      text: 'List at least two entries in properties.locations.',
      snippet: snippet({
        type: 'Microsoft.DocumentDB/databaseAccounts',
        properties: { locations: [{ locationName: 'westeurope', failoverPriority: 0 }, { locationName: 'northeurope', failoverPriority: 1 }] },
      }),
    },
    references: { azsk: ['Azure_CosmosDB_Deploy_Use_Replication'] },
    since: '2026-11-23',
  },
  expectValue(
    '$.properties.locations',
    (v) => {
      const n = Array.isArray(v) ? v.length : 0;
      return { ok: n >= 2, detail: n >= 2 ? `the account spans ${n} regions` : `the account lists ${n} region(s), expected at least 2` };
    },
    { ifAbsent: 'fail', absentReason: 'only the account location is used', what: 'the replica regions' },
  ),
);
