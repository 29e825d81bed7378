import { asBool, CheckResult, fail, lookupAll, onRelated, pass, resourceControl, Rule, show, snippet, unknownResult } from './helpers';

const BLOB_SERVICES = 'Microsoft.Storage/storageAccounts/blobServices';

const rule: Rule = (view, ctx) => {
  const lookups = lookupAll(view, ctx, [onRelated(BLOB_SERVICES, '$.properties.deleteRetentionPolicy.enabled')]);
  if (!lookups.length) {
    return fail(`No ${BLOB_SERVICES} resource for account '${view.name}' enables blob soft delete (off unless configured).`, view.location);
  }
  return lookups.map((l): CheckResult => {
    const where = `blobServices '${l.resource.name}'`;
    if (l.state === 'unknown') return unknownResult(l, 'blob soft delete', view.resource);
    if (l.state === 'absent') return fail(`${where} does not set deleteRetentionPolicy.enabled (off by default).`, l.location);
    return asBool(l.value) === true
      ? pass(`${where} enables blob soft delete.`, l.location)
      : fail(`${where} has deleteRetentionPolicy.enabled ${show(l.value)}.`, l.location);
  });
};

export default resourceControl(
  {
    id: 'storage-blob-soft-delete',
    title: 'Storage account keeps deleted blobs recoverable (soft delete)',
    severity: 'medium',
    featureSet: 'Storage',
    resourceTypes: ['Microsoft.Storage/storageAccounts'],
    rationale:
      'Blob soft delete keeps deleted or overwritten blobs for a retention period, so an accidental or malicious delete can be ' +
      'undone. It is configured on the blobServices child ("<account>/default"), which this control finds by name or dependsOn. ' +
      'AzSK reported "Verify" when the child was missing; here that fails, because soft delete is off unless configured.',
    remediation: {
      text: 'Add a blobServices child named "default" with deleteRetentionPolicy.enabled true and a retention in days.',
      snippet: snippet({
        type: 'Microsoft.Storage/storageAccounts/blobServices',
        name: "[concat(parameters('accountName'), '/default')]",
        properties: { deleteRetentionPolicy: { enabled: true, days: 7 } },
      }),
    },
    references: { azsk: ['Azure_Storage_BCDR_Enable_Soft_Delete'], psrule: ['Azure.Storage.SoftDelete'], mcsb: ['BR-1'] },
    since: '2026-11-23',
  },
  rule,
);
