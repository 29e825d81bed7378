import { asBool, CheckResult, expectIntAtLeast, fail, lookupAll, onRelated, pass, resourceControl, ResourceView, Rule, show, snippet, unknownResult } from './helpers';

const BLOB_SERVICES = 'Microsoft.Storage/storageAccounts/blobServices';

const rule = (minimumRetentionDays: number): Rule => {
  // 1 is the least the service accepts: at that minimum the retention needs no checking.
  const retention = expectIntAtLeast('$.properties.deleteRetentionPolicy.days', minimumRetentionDays, {
    ifAbsent: 'fail',
    floor: 1,
    absentReason: 'state the retention in days',
    what: 'the soft delete retention',
  });
  return (view, ctx) => {
    const lookups = lookupAll(view, ctx, [onRelated(BLOB_SERVICES, '$.properties.deleteRetentionPolicy.enabled')]);
    if (!lookups.length) {
      return fail(`No ${BLOB_SERVICES} resource for account '${view.name}' enables blob soft delete (off unless configured).`, view.location);
    }
    return lookups.flatMap((l): CheckResult | CheckResult[] => {
      const where = `blobServices '${l.resource.name}'`;
      if (l.state === 'unknown') return unknownResult(l, 'blob soft delete', view.resource);
      if (l.state === 'absent') return fail(`${where} does not set deleteRetentionPolicy.enabled (off by default).`, l.location);
      if (asBool(l.value) !== true) return fail(`${where} has deleteRetentionPolicy.enabled ${show(l.value)}.`, l.location);
      const days = retention(new ResourceView(l.resource), ctx);
      if (days === undefined || (!Array.isArray(days) && days.outcome === 'pass')) return pass(`${where} enables blob soft delete.`, l.location);
      return days;
    });
  };
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
      'AzSK reported "Verify" when the child was missing; here that fails, because soft delete is off unless configured. Deleted ' +
      'blobs are kept deleteRetentionPolicy.days days (1 to 365); this control asks for at least {minimumRetentionDays}.',
    remediation: {
      text: 'Add a blobServices child named "default" with deleteRetentionPolicy.enabled true and days of {minimumRetentionDays} or more.',
      snippet: snippet({
        type: 'Microsoft.Storage/storageAccounts/blobServices',
        name: "[concat(parameters('accountName'), '/default')]",
        properties: { deleteRetentionPolicy: { enabled: true, days: 7 } },
      }),
    },
    references: { azsk: ['Azure_Storage_BCDR_Enable_Soft_Delete'], psrule: ['Azure.Storage.SoftDelete'], mcsb: ['BR-1'] },
    since: '2026-11-23',
    parameters: {
      minimumRetentionDays: { type: 'integer', default: 1, min: 1, max: 365, doc: 'Fewest days (deleteRetentionPolicy.days) deleted blobs must be kept.' },
    },
  },
  ({ minimumRetentionDays }) => rule(minimumRetentionDays),
);
