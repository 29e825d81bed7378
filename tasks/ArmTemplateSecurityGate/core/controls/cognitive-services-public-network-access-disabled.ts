import { expectPublicAccessClosed, firewallDenies, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'cognitive-services-public-network-access-disabled',
    title: 'Azure AI services account is not open to every network',
    severity: 'medium',
    featureSet: 'CognitiveServices',
    resourceTypes: ['Microsoft.CognitiveServices/accounts'],
    rationale:
      'An AI services (Cognitive Services, Azure OpenAI) account open to the Internet serves anyone holding its key: model ' +
      'usage billed to you, and prompts, documents and fine-tuning data exposed. publicNetworkAccess Disabled leaves ' +
      'private endpoints; networkAcls.defaultAction Deny admits only listed networks. The default is open.',
    remediation: {
      text: 'Set properties.publicNetworkAccess to "Disabled" (or networkAcls.defaultAction to "Deny" with the allowed networks).',
      snippet: snippet({ type: 'Microsoft.CognitiveServices/accounts', properties: { publicNetworkAccess: 'Disabled', networkAcls: { defaultAction: 'Deny' } } }),
    },
    references: { checkov: ['CKV_AZURE_134'], psrule: ['Azure.Cognitive.PublicAccess'], mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  expectPublicAccessClosed({ closedBy: firewallDenies(), closedByText: 'networkAcls.defaultAction is Deny' }),
);
