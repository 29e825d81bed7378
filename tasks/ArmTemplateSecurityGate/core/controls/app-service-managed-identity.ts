import { expectManagedIdentity, resourceControl, SITES_AND_SLOTS, snippet } from './helpers';

export default resourceControl(
  {
    id: 'app-service-managed-identity',
    title: 'App Service uses a managed identity',
    severity: 'medium',
    featureSet: 'AppService',
    ...SITES_AND_SLOTS,
    rationale:
      'A managed identity lets the app reach Key Vault, Storage or SQL without secrets in settings; the platform rotates it. ' +
      'AzSK accepted only SystemAssigned; user-assigned identities are equally secret-free and are accepted too.',
    remediation: {
      text: 'Add an identity block of type SystemAssigned and/or UserAssigned.',
      snippet: snippet({ type: 'Microsoft.Web/sites', identity: { type: 'SystemAssigned' } }),
    },
    references: {
      azsk: ['Azure_AppService_AuthN_Use_Managed_Service_Identity'],
      checkov: ['CKV_AZURE_16', 'CKV_AZURE_71'],
      psrule: ['Azure.AppService.ManagedIdentity'],
      mcsb: ['IM-3'],
    },
    since: '2026-11-23',
  },
  expectManagedIdentity(),
);
