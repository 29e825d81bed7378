import { expectManagedIdentity, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'api-management-managed-identity',
    title: 'API Management uses a managed identity',
    severity: 'medium',
    featureSet: 'APIManagement',
    resourceTypes: ['Microsoft.ApiManagement/service'],
    rationale:
      'A managed identity lets the gateway read Key Vault certificates and named values and call back ends without stored secrets. ' +
      'User-assigned identities are accepted as well as system-assigned (AzSK accepted only the latter).',
    remediation: {
      text: 'Add an identity block of type SystemAssigned and/or UserAssigned.',
      snippet: snippet({ type: 'Microsoft.ApiManagement/service', identity: { type: 'SystemAssigned' } }),
    },
    references: { azsk: ['Azure_APIManagement_AuthN_Use_Managed_Service_Identity'], psrule: ['Azure.APIM.ManagedIdentity'], mcsb: ['IM-3'] },
    since: '2026-11-23',
  },
  expectManagedIdentity(),
);
