import { expectManagedIdentity, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'search-managed-identity',
    title: 'Search service uses a managed identity',
    severity: 'medium',
    featureSet: 'Search',
    resourceTypes: ['Microsoft.Search/searchServices'],
    rationale:
      'Indexers and skillsets that read data sources or Key Vault can authenticate with a managed identity instead of connection ' +
      'strings with keys stored in the service.',
    remediation: {
      text: 'Add an identity block of type SystemAssigned and/or UserAssigned.',
      snippet: snippet({ type: 'Microsoft.Search/searchServices', identity: { type: 'SystemAssigned' } }),
    },
    references: { azsk: ['Azure_Search_AuthN_Use_Managed_Service_Identity'], psrule: ['Azure.Search.ManagedIdentity'], mcsb: ['IM-3'] },
    since: '2026-11-23',
  },
  expectManagedIdentity(),
);
