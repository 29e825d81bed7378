import { expectOneOf, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'mysql-infrastructure-encryption',
    title: 'Azure Database for MySQL single server encrypts its storage twice',
    severity: 'low',
    featureSet: 'DBforMySQL',
    resourceTypes: ['Microsoft.DBforMySQL/servers'],
    rationale:
      'Infrastructure (double) encryption adds a second AES-256 layer with a different, platform-managed key beneath the ' +
      'service encryption, so one compromised key or a flaw in one encryption implementation does not expose the data. It ' +
      'can only be chosen when the server is created and defaults to Disabled. Checkov\'s CKV_AZURE_96 looks for the property ' +
      'on flexible servers, whose API has no such property, so it is not mapped.',
    remediation: {
      text: 'Set properties.infrastructureEncryption to "Enabled" when creating the server (General Purpose or Memory Optimized tier).',
      snippet: snippet({ type: 'Microsoft.DBforMySQL/servers', properties: { infrastructureEncryption: 'Enabled' } }),
    },
    references: { mcsb: ['DP-4'] },
    since: '2026-12-07',
  },
  expectOneOf('$.properties.infrastructureEncryption', ['Enabled'], { ifAbsent: 'fail', absentReason: 'defaults to Disabled', what: 'infrastructure encryption' }),
);
