import { expectBool, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'container-registry-admin-disabled',
    title: 'Container registry admin user is off',
    severity: 'high',
    featureSet: 'ContainerRegistry',
    resourceTypes: ['Microsoft.ContainerRegistry/registries'],
    rationale:
      'The admin user is one shared username/password with push and pull rights: everyone using it looks the same in logs and ' +
      'it cannot be scoped. Off by default; use Entra identities or repository-scoped tokens instead.',
    remediation: {
      text: 'Remove adminUserEnabled or set it to false.',
      snippet: snippet({ type: 'Microsoft.ContainerRegistry/registries', properties: { adminUserEnabled: false } }),
    },
    references: {
      azsk: ['Azure_ContainerRegistry_AuthZ_Disable_Admin_Account'],
      checkov: ['CKV_AZURE_137'],
      psrule: ['Azure.ACR.AdminUser'],
      mcsb: ['IM-1'],
    },
    since: '2026-11-23',
  },
  expectBool('$.properties.adminUserEnabled', false, { ifAbsent: 'pass', absentReason: 'defaults to false', what: 'the admin user' }),
);
