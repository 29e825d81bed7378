import { expectIntAtLeast, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'search-three-replicas',
    title: 'Search service has at least three replicas',
    severity: 'medium',
    featureSet: 'Search',
    resourceTypes: ['Microsoft.Search/searchServices'],
    rationale:
      'Azure AI Search gives its availability SLA for queries and index updates only with three or more replicas; fewer replicas ' +
      'mean maintenance or a node failure interrupts service. replicaCount defaults to 1.',
    remediation: {
      text: 'Set properties.replicaCount to 3 or more.',
      snippet: snippet({ type: 'Microsoft.Search/searchServices', properties: { replicaCount: 3 } }),
    },
    references: {
      azsk: ['Azure_Search_Availability_Configure_Three_Replicas'],
      checkov: ['CKV_AZURE_208'],
      psrule: ['Azure.Search.IndexSLA'],
    },
    since: '2026-11-23',
  },
  expectIntAtLeast('$.properties.replicaCount', 3, { ifAbsent: 'fail', absentReason: 'defaults to 1 replica', what: 'the replica count' }),
);
