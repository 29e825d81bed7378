import { expectOneOf, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'postgresql-infrastructure-encryption',
    title: 'Azure Database for PostgreSQL single server encrypts its storage twice',
    severity: 'low',
    featureSet: 'DBforPostgreSQL',
    resourceTypes: ['Microsoft.DBforPostgreSQL/servers'],
    rationale:
      'Infrastructure (double) encryption adds a second AES-256 layer with a different, platform-managed key beneath the ' +
      'service encryption, so one compromised key or a flaw in one encryption implementation does not expose the data. It ' +
      'can only be chosen when the server is created and defaults to Disabled.',
    remediation: {
      text: 'Set properties.infrastructureEncryption to "Enabled" when creating the server (General Purpose or Memory Optimized tier).',
      snippet: snippet({ type: 'Microsoft.DBforPostgreSQL/servers', properties: { infrastructureEncryption: 'Enabled' } }),
    },
    references: { checkov: ['CKV_AZURE_130'], mcsb: ['DP-4'] },
    since: '2026-12-07',
  },
  expectOneOf('$.properties.infrastructureEncryption', ['Enabled'], { ifAbsent: 'fail', absentReason: 'defaults to Disabled', what: 'infrastructure encryption' }),
);
