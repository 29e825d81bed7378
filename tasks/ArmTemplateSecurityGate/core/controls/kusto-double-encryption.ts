import { expectBool, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'kusto-double-encryption',
    title: 'Data Explorer cluster encrypts its storage twice',
    severity: 'low',
    featureSet: 'DataExplorer',
    resourceTypes: ['Microsoft.Kusto/clusters'],
    rationale:
      'Double encryption adds infrastructure-level encryption with a second, separately managed key beneath the service ' +
      'encryption, so one compromised key or flawed implementation does not expose the data. enableDoubleEncryption can only ' +
      'be set when the cluster is created and defaults to false. Checkov\'s CKV_AZURE_75 ("Data Explorer uses double ' +
      'encryption") inspects Microsoft.Compute/disks in ARM instead of clusters, so it is not mapped.',
    remediation: {
      text: 'Set properties.enableDoubleEncryption to true when creating the cluster.',
      snippet: snippet({ type: 'Microsoft.Kusto/clusters', properties: { enableDoubleEncryption: true } }),
    },
    references: { mcsb: ['DP-4'] },
    since: '2026-12-07',
  },
  expectBool('$.properties.enableDoubleEncryption', true, { ifAbsent: 'fail', absentReason: 'defaults to false', what: 'double encryption' }),
);
