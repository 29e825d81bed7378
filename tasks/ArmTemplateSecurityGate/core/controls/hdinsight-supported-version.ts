import { expectMinVersion, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'hdinsight-supported-version',
    title: 'HDInsight cluster runs a supported cluster version',
    severity: 'high',
    featureSet: 'HDInsight',
    resourceTypes: ['Microsoft.HDInsight/clusters'],
    rationale:
      'Retired HDInsight versions receive no security updates for their open-source components. AzSK required 3.6 or later, ' +
      'which is long retired; this control requires {minimumVersion} or later (by default the oldest line still supported when the ' +
      'catalogue shipped). The version must be stated because the platform default changes over time.',
    remediation: {
      text: 'Set properties.clusterVersion to {minimumVersion} or later.',
      snippet: snippet({ type: 'Microsoft.HDInsight/clusters', properties: { clusterVersion: '{minimumVersion}' } }),
    },
    references: { azsk: ['Azure_HDInsight_Deploy_Supported_Cluster_Version'], mcsb: ['PV-6'] },
    since: '2026-11-23',
    parameters: { minimumVersion: { type: 'version', default: '5.1', doc: 'Oldest HDInsight cluster version accepted.' } },
  },
  ({ minimumVersion }) =>
    expectMinVersion('$.properties.clusterVersion', minimumVersion, { ifAbsent: 'fail', absentReason: 'state the version explicitly', what: 'the cluster version' }),
);
