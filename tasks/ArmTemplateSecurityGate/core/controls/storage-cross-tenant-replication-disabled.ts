import { expectBool, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'storage-cross-tenant-replication-disabled',
    title: 'Storage account does not replicate objects to other Entra tenants',
    severity: 'medium',
    featureSet: 'Storage',
    resourceTypes: ['Microsoft.Storage/storageAccounts'],
    rationale:
      'With allowCrossTenantReplication true, anyone allowed to write object replication policies can copy every blob of a ' +
      'container continuously into an account in a tenant you do not control — a quiet exfiltration path that survives key ' +
      'rotation. Accounts created since December 2023 default to false, so only an explicit true fails.',
    remediation: {
      text: 'Remove allowCrossTenantReplication or set it to false; replicate only between accounts of your own tenant.',
      snippet: snippet({ type: 'Microsoft.Storage/storageAccounts', properties: { allowCrossTenantReplication: false } }),
    },
    references: { mcsb: ['DP-2'] },
    since: '2026-12-07',
  },
  expectBool('$.properties.allowCrossTenantReplication', false, { ifAbsent: 'pass', absentReason: 'defaults to false', what: 'cross-tenant replication' }),
);
