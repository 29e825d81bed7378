import { expectMinVersion, resourceControl, snippet } from './helpers';

/** Oldest HDInsight version line still supported when the catalogue shipped; reviewed each release. */
export const MIN_HDINSIGHT_VERSION = '5.1';

export default resourceControl(
  {
    id: 'hdinsight-supported-version',
    title: 'HDInsight cluster runs a supported cluster version',
    severity: 'high',
    featureSet: 'HDInsight',
    resourceTypes: ['Microsoft.HDInsight/clusters'],
    rationale:
      'Retired HDInsight versions receive no security updates for their open-source components. AzSK required 3.6 or later, ' +
      `which is long retired; this control requires ${MIN_HDINSIGHT_VERSION} or later. The version must be stated because the ` +
      'platform default changes over time.',
    remediation: {
      text: `Set properties.clusterVersion to ${MIN_HDINSIGHT_VERSION} or later.`,
      snippet: snippet({ type: 'Microsoft.HDInsight/clusters', properties: { clusterVersion: MIN_HDINSIGHT_VERSION } }),
    },
    references: { azsk: ['Azure_HDInsight_Deploy_Supported_Cluster_Version'], mcsb: ['PV-6'] },
    since: '2026-11-23',
  },
  expectMinVersion('$.properties.clusterVersion', MIN_HDINSIGHT_VERSION, { ifAbsent: 'fail', absentReason: 'state the version explicitly', what: 'the cluster version' }),
);
