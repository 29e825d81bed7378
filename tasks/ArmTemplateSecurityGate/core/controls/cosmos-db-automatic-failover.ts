import { expectBool, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'cosmos-db-automatic-failover',
    title: 'Cosmos DB fails over automatically',
    severity: 'medium',
    featureSet: 'CosmosDb',
    resourceTypes: ['Microsoft.DocumentDB/databaseAccounts'],
    rationale:
      'Without service-managed failover, a write-region outage needs a person to promote another region, extending downtime. ' +
      'The setting defaults to false.',
    remediation: {
      text: 'Set properties.enableAutomaticFailover to true (with at least two locations).',
      snippet: snippet({ type: 'Microsoft.DocumentDB/databaseAccounts', properties: { enableAutomaticFailover: true } }),
    },
    references: { azsk: ['Azure_CosmosDB_Deploy_Use_Automatic_Failover'] },
    since: '2026-11-23',
  },
  expectBool('$.properties.enableAutomaticFailover', true, { ifAbsent: 'fail', absentReason: 'defaults to false', what: 'automatic failover' }),
);
