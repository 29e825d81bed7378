import { expectOneOf, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'recovery-services-vault-immutable',
    title: 'Recovery Services vault is immutable',
    severity: 'medium',
    featureSet: 'RecoveryServices',
    resourceTypes: ['Microsoft.RecoveryServices/vaults'],
    rationale:
      'Ransomware operators delete or shorten backups before they encrypt production data. An immutable vault blocks the ' +
      'operations that would lose recovery points (reducing retention, stopping protection with delete); "Locked" also makes ' +
      'the setting itself irreversible. Immutability is off by default.',
    remediation: {
      text: 'Set properties.securitySettings.immutabilitySettings.state to "Unlocked", and to "Locked" once retention is settled (locking cannot be undone).',
      snippet: snippet({ type: 'Microsoft.RecoveryServices/vaults', properties: { securitySettings: { immutabilitySettings: { state: 'Locked' } } } }),
    },
    references: { psrule: ['Azure.RSV.Immutable'], mcsb: ['BR-2'] },
    since: '2026-12-07',
  },
  expectOneOf('$.properties.securitySettings.immutabilitySettings.state', ['Unlocked', 'Locked'], {
    ifAbsent: 'fail',
    absentReason: 'immutability is off by default',
    what: 'vault immutability',
  }),
);
