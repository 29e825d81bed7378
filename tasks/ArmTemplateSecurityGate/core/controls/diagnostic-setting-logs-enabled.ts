import { fail, firstResolved, isNonEmptyString, pass, readEnabledLogs, resourceControl, snippet, unknownResult, type Rule } from './helpers';

/** Parents whose diagnostic settings templates often declare in the provider form ('<parent type>/providers/diagnosticSettings'). */
const PROVIDER_SCOPED = [
  'Microsoft.Storage/storageAccounts',
  'Microsoft.Storage/storageAccounts/blobServices',
  'Microsoft.Storage/storageAccounts/fileServices',
  'Microsoft.Storage/storageAccounts/queueServices',
  'Microsoft.Storage/storageAccounts/tableServices',
  'Microsoft.KeyVault/vaults',
  'Microsoft.Sql/servers',
  'Microsoft.Sql/servers/databases',
  'Microsoft.Web/sites',
  'Microsoft.Network/networkSecurityGroups',
  'Microsoft.Network/applicationGateways',
  'Microsoft.Network/azureFirewalls',
  'Microsoft.Network/publicIPAddresses',
  'Microsoft.Network/loadBalancers',
  'Microsoft.Network/frontDoors',
  'Microsoft.ContainerService/managedClusters',
  'Microsoft.ContainerRegistry/registries',
  'Microsoft.EventHub/namespaces',
  'Microsoft.ServiceBus/namespaces',
  'Microsoft.Automation/automationAccounts',
  'Microsoft.ApiManagement/service',
  'Microsoft.CognitiveServices/accounts',
  'Microsoft.DocumentDB/databaseAccounts',
  'Microsoft.Logic/workflows',
  'Microsoft.RecoveryServices/vaults',
  'Microsoft.DataFactory/factories',
  'Microsoft.Cache/Redis',
  'Microsoft.Search/searchServices',
  'Microsoft.Synapse/workspaces',
  'Microsoft.Batch/batchAccounts',
].map((t) => `${t}/providers/diagnosticSettings`);

const DESTINATIONS = ['$.properties.workspaceId', '$.properties.storageAccountId', '$.properties.eventHubAuthorizationRuleId', '$.properties.marketplacePartnerId'];

const rule: Rule = (view, ctx) => {
  const dest = firstResolved(view, ctx, DESTINATIONS);
  if (dest.state === 'unknown') return unknownResult(dest, 'where the logs are sent', view.resource);
  if (dest.state === 'absent' || !isNonEmptyString(dest.value)) {
    return fail('The diagnostic setting names no destination (workspaceId, storageAccountId, eventHubAuthorizationRuleId or marketplacePartnerId): nothing is collected.', view.location);
  }
  const logs = readEnabledLogs(view);
  if (logs.categories.size || logs.groups.size) {
    const what = [...logs.groups].map((g) => `group ${g}`).concat([...logs.categories]).join(', ');
    return pass(`The diagnostic setting sends ${what} to ${dest.path[dest.path.length - 1]}.`, logs.lookup.location);
  }
  if (logs.unknown) return unknownResult(logs.unknown, 'which logs are collected', view.resource);
  return fail('The diagnostic setting enables no log category or category group: only metrics (if any) are collected.', logs.lookup.location);
};

export default resourceControl(
  {
    id: 'diagnostic-setting-logs-enabled',
    title: 'Diagnostic setting sends resource logs somewhere',
    severity: 'medium',
    featureSet: 'Monitor',
    resourceTypes: ['Microsoft.Insights/diagnosticSettings', ...PROVIDER_SCOPED],
    rationale:
      'A diagnostic setting is how resource logs (sign-ins to a vault, queries to a database, requests to a gateway) leave the ' +
      'resource. One that enables no log category, or names no destination, looks like logging in a review but collects ' +
      'nothing. At least one enabled category or category group (allLogs, audit) and one destination are required. Settings ' +
      'declared in the provider form (<resource type>/providers/diagnosticSettings) are judged for the common resource types listed.',
    remediation: {
      text: 'Enable the audit or allLogs category group and set workspaceId (or a storage account / event hub destination).',
      snippet: snippet({
        type: 'Microsoft.Insights/diagnosticSettings',
        scope: "[format('Microsoft.KeyVault/vaults/{0}', parameters('vaultName'))]",
        properties: { workspaceId: "[parameters('workspaceId')]", logs: [{ categoryGroup: 'audit', enabled: true }] },
      }),
    },
    references: { mcsb: ['LT-3'] },
    since: '2026-12-07',
  },
  rule,
);
