import { expectManagedIdentity, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'automation-account-managed-identity',
    title: 'Automation account has a managed identity',
    severity: 'medium',
    featureSet: 'Automation',
    resourceTypes: ['Microsoft.Automation/automationAccounts'],
    rationale:
      'Without a managed identity runbooks authenticate to Azure with Run As accounts (retired) or with credentials stored ' +
      'in the account, which must be rotated by hand and can be exported by anyone who can edit a runbook. A system- or ' +
      'user-assigned identity gives runbooks tokens with no secret to leak.',
    remediation: {
      text: 'Set identity.type to "SystemAssigned" (or UserAssigned) and grant it only the roles the runbooks need.',
      snippet: snippet({ type: 'Microsoft.Automation/automationAccounts', identity: { type: 'SystemAssigned' } }),
    },
    references: { psrule: ['Azure.Automation.ManagedIdentity'], mcsb: ['IM-3'] },
    since: '2026-12-07',
  },
  expectManagedIdentity(),
);
