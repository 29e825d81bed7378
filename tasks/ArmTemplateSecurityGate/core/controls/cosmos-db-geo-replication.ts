import { expectValue, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'cosmos-db-geo-replication',
    title: 'Cosmos DB replicates to at least {minimumRegions} regions',
    severity: 'medium',
    featureSet: 'CosmosDb',
    resourceTypes: ['Microsoft.DocumentDB/databaseAccounts'],
    rationale:
      'With a single region, a regional outage makes the data unavailable and may lose recent writes. A second region keeps a ' +
      'readable copy and allows failover; this control asks for {minimumRegions}.',
    remediation: {
      text: 'List at least {minimumRegions} entries in properties.locations.',
      snippet: snippet({
        type: 'Microsoft.DocumentDB/databaseAccounts',
        properties: { locations: [{ locationName: 'westeurope', failoverPriority: 0 }, { locationName: 'northeurope', failoverPriority: 1 }] },
      }),
    },
    references: { azsk: ['Azure_CosmosDB_Deploy_Use_Replication'] },
    since: '2026-11-23',
    parameters: { minimumRegions: { type: 'integer', default: 2, min: 1, doc: 'Fewest regions (properties.locations) an account may list.' } },
  },
  ({ minimumRegions }) =>
    expectValue(
      '$.properties.locations',
      (v) => {
        const n = Array.isArray(v) ? v.length : 0;
        return n >= minimumRegions
          ? { ok: true, detail: `the account spans ${n} regions` }
          : { ok: false, detail: `the account lists ${n} region(s), expected at least ${minimumRegions}` };
      },
      { ifAbsent: 'fail', absentValue: [], absentReason: 'only the account location is used', what: 'the replica regions' },
    ),
);
