import { expectNoneOf, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'recovery-services-vault-soft-delete',
    title: 'Recovery Services vault keeps soft delete on',
    severity: 'high',
    featureSet: 'RecoveryServices',
    resourceTypes: ['Microsoft.RecoveryServices/vaults'],
    rationale:
      'Soft delete keeps deleted backup data for 14 days or more, so a compromised administrator or a script that deletes ' +
      'backups cannot destroy them at once. It is on by default; a template that sets softDeleteState to Disabled removes that ' +
      'safety net. "AlwaysON" additionally prevents turning it off later.',
    remediation: {
      text: 'Remove softDeleteState or set properties.securitySettings.softDeleteSettings.softDeleteState to "Enabled" (or "AlwaysON").',
      snippet: snippet({
        type: 'Microsoft.RecoveryServices/vaults',
        properties: { securitySettings: { softDeleteSettings: { softDeleteState: 'AlwaysON', softDeleteRetentionPeriodInDays: 14 } } },
      }),
    },
    references: { mcsb: ['BR-2'] },
    since: '2026-12-07',
  },
  expectNoneOf('$.properties.securitySettings.softDeleteSettings.softDeleteState', ['Disabled'], {
    ifAbsent: 'pass',
    absentReason: 'soft delete is on by default',
    what: 'soft delete',
  }),
);
