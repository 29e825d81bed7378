import { expectBool, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'hdinsight-encryption-in-transit',
    title: 'HDInsight cluster encrypts traffic between its nodes',
    severity: 'medium',
    featureSet: 'HDInsight',
    resourceTypes: ['Microsoft.HDInsight/clusters'],
    rationale:
      'Without encryption in transit, data shuffled between head, worker and ZooKeeper nodes crosses the virtual network in ' +
      'clear text (IPsec is off), readable by anything that can capture traffic in that network. ' +
      'encryptionInTransitProperties.isEncryptionInTransitEnabled can only be set when the cluster is created and defaults to false.',
    remediation: {
      text: 'Set properties.encryptionInTransitProperties.isEncryptionInTransitEnabled to true when creating the cluster.',
      snippet: snippet({ type: 'Microsoft.HDInsight/clusters', properties: { encryptionInTransitProperties: { isEncryptionInTransitEnabled: true } } }),
    },
    references: { mcsb: ['DP-3'] },
    since: '2026-12-07',
  },
  expectBool('$.properties.encryptionInTransitProperties.isEncryptionInTransitEnabled', true, {
    ifAbsent: 'fail',
    absentReason: 'defaults to false',
    what: 'encryption in transit',
  }),
);
