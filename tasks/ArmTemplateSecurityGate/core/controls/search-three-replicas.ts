import { expectIntAtLeast, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'search-three-replicas',
    title: 'Search service has at least {minimumReplicas} replicas',
    severity: 'medium',
    featureSet: 'Search',
    resourceTypes: ['Microsoft.Search/searchServices'],
    rationale:
      'Azure AI Search gives its availability SLA for queries and index updates only with three or more replicas; fewer replicas ' +
      'mean maintenance or a node failure interrupts service. replicaCount defaults to 1; this control asks for {minimumReplicas}.',
    remediation: {
      text: 'Set properties.replicaCount to {minimumReplicas} or more.',
      snippet: snippet({ type: 'Microsoft.Search/searchServices', properties: { replicaCount: 3 } }),
    },
    references: {
      azsk: ['Azure_Search_Availability_Configure_Three_Replicas'],
      checkov: ['CKV_AZURE_208'],
      psrule: ['Azure.Search.IndexSLA'],
    },
    since: '2026-11-23',
    parameters: { minimumReplicas: { type: 'integer', default: 3, min: 1, max: 12, doc: 'Fewest replicas (replicaCount) a search service may run.' } },
  },
  ({ minimumReplicas }) =>
    expectIntAtLeast('$.properties.replicaCount', minimumReplicas, { ifAbsent: 'fail', absentValue: 1, absentReason: 'defaults to 1 replica', what: 'the replica count' }),
);
