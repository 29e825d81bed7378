import { expectBool, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'kusto-disk-encryption',
    title: 'Data Explorer clusters encrypt their disks',
    severity: 'medium',
    featureSet: 'DataExplorer',
    resourceTypes: ['Microsoft.Kusto/clusters'],
    rationale:
      'enableDiskEncryption encrypts the cluster\'s OS and data disks (and its cache) on the host with Azure Disk Encryption; without it ' +
      'the ingested data cached on the nodes is protected only by the storage service\'s encryption of the underlying disks.',
    remediation: {
      text: 'Set properties.enableDiskEncryption to true.',
      snippet: snippet({ type: 'Microsoft.Kusto/clusters', properties: { enableDiskEncryption: true } }),
    },
    references: { checkov: ['CKV_AZURE_74'], psrule: ['Azure.ADX.DiskEncryption'], mcsb: ['DP-4'] },
    since: '2026-12-07',
  },
  expectBool('$.properties.enableDiskEncryption', true, { ifAbsent: 'fail', absentReason: 'disk encryption is off unless enabled', what: 'disk encryption' }),
);
