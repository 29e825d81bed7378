import { expectOneOf, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'synapse-managed-virtual-network',
    title: 'Synapse workspace runs in a managed virtual network',
    severity: 'medium',
    featureSet: 'Synapse',
    resourceTypes: ['Microsoft.Synapse/workspaces'],
    rationale:
      'managedVirtualNetwork "default" puts the workspace\'s Spark and integration runtimes in a Microsoft-managed virtual ' +
      'network, isolated from other tenants, reaching data sources only through managed private endpoints (and, with data ' +
      'exfiltration protection, only approved tenants). It can only be chosen at creation. Checkov CKV_AZURE_58 forbids the ' +
      'value "default", which is the value that turns the managed network on; we judge by the service\'s meaning.',
    remediation: {
      text: 'Set properties.managedVirtualNetwork to "default" when creating the workspace.',
      snippet: snippet({ type: 'Microsoft.Synapse/workspaces', properties: { managedVirtualNetwork: 'default', managedVirtualNetworkSettings: { preventDataExfiltration: true } } }),
    },
    references: { checkov: ['CKV_AZURE_58'], mcsb: ['NS-1'] },
    since: '2026-12-07',
  },
  expectOneOf('$.properties.managedVirtualNetwork', ['default'], { ifAbsent: 'fail', absentReason: 'no managed virtual network is created', what: 'the managed virtual network' }),
);
