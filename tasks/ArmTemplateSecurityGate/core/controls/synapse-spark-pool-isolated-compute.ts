import { expectBool, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'synapse-spark-pool-isolated-compute',
    title: 'Synapse Spark pool runs on isolated compute',
    severity: 'low',
    featureSet: 'Synapse',
    resourceTypes: ['Microsoft.Synapse/workspaces/bigDataPools'],
    rationale:
      'Isolated compute runs the pool\'s nodes on hardware dedicated to one customer, so data being processed never shares a ' +
      'host with another tenant\'s workloads — a requirement of some regulated workloads. Off by default and available ' +
      'for certain node sizes and regions.',
    remediation: {
      text: 'Set properties.isComputeIsolationEnabled to true (with a node size that supports it).',
      snippet: snippet({ type: 'Microsoft.Synapse/workspaces/bigDataPools', properties: { isComputeIsolationEnabled: true, nodeSize: 'XXXLarge', nodeSizeFamily: 'MemoryOptimized' } }),
    },
    references: { mcsb: ['NS-1'] },
    since: '2026-12-07',
  },
  expectBool('$.properties.isComputeIsolationEnabled', true, { ifAbsent: 'fail', absentReason: 'off by default', what: 'compute isolation' }),
);
