/**
 * Issue 15 ("Breadth"): every resource type Checkov checks in ARM templates has at least one control.
 *
 * The list is the `supported_resources` of bridgecrewio/checkov's ARM checks (checkov/arm/checks/resource and
 * graph_checks; Apache-2.0), read from its policy index (docs/5.Policy Index/arm.md @ feeb4c4f) and from the
 * check sources, normalised: one entry per type compared case-insensitively, without Checkov's short aliases
 * for child resources ("config", "containers", "configurations", "blobServices/containers") and trailing
 * slashes ("Microsoft.Network/networkWatchers/FlowLogs/"), which name the same types.
 */
import * as assert from 'assert';
import { controls } from '../../../tasks/ArmTemplateSecurityGate/core/controls';

export const CHECKOV_ARM_TYPES: readonly string[] = [
  'Microsoft.ApiManagement/service',
  'Microsoft.AppPlatform/Spring',
  'Microsoft.Authorization/roleDefinitions',
  'Microsoft.Automation/automationAccounts/variables',
  'Microsoft.Batch/batchAccounts',
  'Microsoft.Cache/redis',
  'Microsoft.CognitiveServices/accounts',
  'Microsoft.Compute/disks',
  'Microsoft.Compute/virtualMachines',
  'Microsoft.Compute/virtualMachineScaleSets',
  'Microsoft.ContainerInstance/containerGroups',
  'Microsoft.ContainerRegistry/registries',
  'Microsoft.ContainerRegistry/registries/replications',
  'Microsoft.ContainerService/managedClusters',
  'Microsoft.ContainerService/managedClusters/agentPools',
  'Microsoft.Databricks/workspaces',
  'Microsoft.DataFactory/factories',
  'Microsoft.DataLakeStore/accounts',
  'Microsoft.DBforMariaDB/servers',
  'Microsoft.DBforMySQL/flexibleServers',
  'Microsoft.DBforMySQL/servers',
  'Microsoft.DBforPostgreSQL/flexibleServers',
  'Microsoft.DBforPostgreSQL/servers',
  'Microsoft.DBforPostgreSQL/servers/configurations',
  'Microsoft.DocumentDB/databaseAccounts',
  'Microsoft.EventGrid/topics',
  'Microsoft.EventHub/namespaces',
  'Microsoft.Insights/logprofiles',
  'Microsoft.KeyVault/vaults',
  'Microsoft.KeyVault/vaults/keys',
  'Microsoft.KeyVault/vaults/secrets',
  'Microsoft.Kusto/clusters',
  'Microsoft.MachineLearningServices/workspaces',
  'Microsoft.Network/applicationGateways',
  'Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies',
  'Microsoft.Network/azureFirewalls',
  'Microsoft.Network/frontDoors',
  'Microsoft.Network/FrontDoorWebApplicationFirewallPolicies',
  'Microsoft.Network/networkSecurityGroups',
  'Microsoft.Network/networkSecurityGroups/securityRules',
  'Microsoft.Network/networkWatchers/flowLogs',
  'Microsoft.Network/virtualNetworks',
  'Microsoft.Search/searchServices',
  'Microsoft.Security/pricings',
  'Microsoft.Security/securityContacts',
  'Microsoft.ServiceFabric/clusters',
  'Microsoft.Sql/servers',
  'Microsoft.Sql/servers/databases',
  'Microsoft.Storage/storageAccounts',
  'Microsoft.Storage/storageAccounts/blobServices/containers',
  'Microsoft.Storage/storageAccounts/queueServices/providers/diagnosticsettings',
  'Microsoft.Synapse/workspaces',
  'Microsoft.Synapse/workspaces/bigDataPools',
  'Microsoft.Synapse/workspaces/sqlPools',
  'Microsoft.Synapse/workspaces/vulnerabilityAssessments',
  'Microsoft.Web/serverfarms',
  'Microsoft.Web/sites',
  'Microsoft.Web/sites/config',
  'Microsoft.Web/sites/slots',
];

describe('ArmTemplateSecurityGate controls: every resource type Checkov checks in ARM has a control', () => {
  const covered = new Set(controls.flatMap((c) => (c.kind === 'resource' ? c.meta.resourceTypes : [])).map((t) => t.toLowerCase()));

  it('lists each type once', () => {
    const lower = CHECKOV_ARM_TYPES.map((t) => t.toLowerCase());
    assert.strictEqual(new Set(lower).size, lower.length);
    assert.strictEqual(CHECKOV_ARM_TYPES.length, 59);
  });

  for (const type of CHECKOV_ARM_TYPES) {
    it(type, () => {
      const names = controls.filter((c) => c.kind === 'resource' && c.meta.resourceTypes.some((t) => t.toLowerCase() === type.toLowerCase())).map((c) => c.meta.id);
      assert.ok(covered.has(type.toLowerCase()), `no control applies to ${type}`);
      assert.ok(names.length > 0);
    });
  }
});
