import { expectNoneOf, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'cosmos-db-consistency-not-eventual',
    title: 'Cosmos DB default consistency is not Eventual',
    severity: 'low',
    featureSet: 'CosmosDb',
    resourceTypes: ['Microsoft.DocumentDB/databaseAccounts'],
    rationale:
      'Eventual consistency gives no ordering guarantee: a reader may see older data after newer data, which breaks logic that ' +
      'checks permissions or state it just wrote. AzSK rated this high; it is an integrity and correctness concern more than ' +
      'an exposure, so it is low here. Unset means Session, which passes.',
    remediation: {
      text: 'Use Session (the default) or a stronger level.',
      snippet: snippet({ type: 'Microsoft.DocumentDB/databaseAccounts', properties: { consistencyPolicy: { defaultConsistencyLevel: 'Session' } } }),
    },
    references: { azsk: ['Azure_CosmosDB_Config_Default_Consistency'] },
    since: '2026-11-23',
  },
  expectNoneOf('$.properties.consistencyPolicy.defaultConsistencyLevel', ['Eventual'], {
    ifAbsent: 'pass',
    absentReason: 'defaults to Session',
    what: 'the default consistency level',
  }),
);
