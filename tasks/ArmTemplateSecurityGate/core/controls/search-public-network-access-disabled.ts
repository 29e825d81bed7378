import { expectPublicAccessClosed, resourceControl, snippet, valueWhen } from './helpers';

export default resourceControl(
  {
    id: 'search-public-network-access-disabled',
    title: 'Search service is not open to every network',
    severity: 'medium',
    featureSet: 'Search',
    resourceTypes: ['Microsoft.Search/searchServices'],
    rationale:
      'A search service open to the Internet answers queries for anyone holding a query key (often shipped to browsers) and ' +
      'accepts index changes for anyone holding an admin key. publicNetworkAccess "disabled" leaves private endpoints; ' +
      'IP rules (networkRuleSet.ipRules) limit the public endpoint to listed addresses. The default is open.',
    remediation: {
      text: 'Set properties.publicNetworkAccess to "disabled" (or list the allowed addresses in networkRuleSet.ipRules).',
      snippet: snippet({ type: 'Microsoft.Search/searchServices', properties: { publicNetworkAccess: 'disabled' } }),
    },
    references: { mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  expectPublicAccessClosed({
    closedBy: (view) => valueWhen(view.get('$.properties.networkRuleSet.ipRules'), (v) => Array.isArray(v) && v.length > 0),
    closedByText: 'networkRuleSet.ipRules admits only listed addresses',
  }),
);
