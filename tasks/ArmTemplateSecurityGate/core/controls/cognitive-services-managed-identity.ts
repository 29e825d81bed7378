import { expectManagedIdentity, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'cognitive-services-managed-identity',
    title: 'Azure AI services account has a managed identity',
    severity: 'low',
    featureSet: 'CognitiveServices',
    resourceTypes: ['Microsoft.CognitiveServices/accounts'],
    rationale:
      'The account reaches other resources (customer-managed keys in Key Vault, training data in storage, search indexes) ' +
      'either with its managed identity, granted by role assignment, or with keys and connection strings kept in its ' +
      'configuration. A system- or user-assigned identity removes those secrets.',
    remediation: {
      text: 'Set identity.type to "SystemAssigned" (or UserAssigned).',
      snippet: snippet({ type: 'Microsoft.CognitiveServices/accounts', identity: { type: 'SystemAssigned' } }),
    },
    references: { psrule: ['Azure.Cognitive.ManagedIdentity'], mcsb: ['IM-3'] },
    since: '2026-12-07',
  },
  expectManagedIdentity(),
);
