import { expectLocalAuthDisabled, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'search-local-auth-disabled',
    title: 'Search service refuses API keys',
    severity: 'low',
    featureSet: 'Search',
    resourceTypes: ['Microsoft.Search/searchServices'],
    rationale:
      'Admin keys can create, change and delete indexes and data; query keys read every document. Both are shared secrets ' +
      'with no identity. disableLocalAuth true requires Entra ID tokens and Search roles. Keys are accepted by default.',
    remediation: {
      text: 'Set properties.disableLocalAuth to true and grant Search Index Data Reader/Contributor to the callers.',
      snippet: snippet({ type: 'Microsoft.Search/searchServices', properties: { disableLocalAuth: true } }),
    },
    references: { mcsb: ['IM-1'] },
    since: '2026-12-07',
  },
  expectLocalAuthDisabled(),
);
