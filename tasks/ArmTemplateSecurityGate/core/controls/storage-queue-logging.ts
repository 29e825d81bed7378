import { fail, pass, readEnabledLogs, resourceControl, snippet, unknownResult, type Rule } from './helpers';

const REQUIRED = ['StorageRead', 'StorageWrite', 'StorageDelete'];

const rule: Rule = (view) => {
  const logs = readEnabledLogs(view);
  const all = logs.groups.has('alllogs');
  const missing = all ? [] : REQUIRED.filter((c) => !logs.categories.has(c.toLowerCase()));
  if (!missing.length) return pass(`Queue logging enables ${all ? 'the allLogs group' : REQUIRED.join(', ')}.`, logs.lookup.location);
  if (logs.unknown) return unknownResult(logs.unknown, 'which queue operations are logged', view.resource);
  return fail(`Queue logging does not enable ${missing.join(', ')}: those requests leave no trace.`, logs.lookup.location);
};

export default resourceControl(
  {
    id: 'storage-queue-logging',
    title: 'Queue service diagnostic setting logs reads, writes and deletes',
    severity: 'low',
    featureSet: 'Storage',
    resourceTypes: ['Microsoft.Storage/storageAccounts/queueServices/providers/diagnosticSettings'],
    rationale:
      'Queue messages often carry commands and data between services; without read, write and delete logs an attacker who got a ' +
      'key can read or inject messages unseen. A queue service diagnostic setting must enable the StorageRead, StorageWrite and ' +
      'StorageDelete categories (or the allLogs group).',
    remediation: {
      text: 'Enable the StorageRead, StorageWrite and StorageDelete log categories and send them to a Log Analytics workspace.',
      snippet: snippet({
        type: 'Microsoft.Storage/storageAccounts/queueServices/providers/diagnosticSettings',
        name: "[concat(parameters('accountName'), '/default/Microsoft.Insights/queue-logs')]",
        properties: {
          workspaceId: "[parameters('workspaceId')]",
          logs: [
            { category: 'StorageRead', enabled: true },
            { category: 'StorageWrite', enabled: true },
            { category: 'StorageDelete', enabled: true },
          ],
        },
      }),
    },
    references: { checkov: ['CKV_AZURE_33'], mcsb: ['LT-3'] },
    since: '2026-12-07',
  },
  rule,
);
