import { expectNonEmptyString, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'analysis-services-backup',
    title: 'Analysis Services server has a backup storage location',
    severity: 'medium',
    featureSet: 'AnalysisService',
    resourceTypes: ['Microsoft.AnalysisServices/servers'],
    rationale:
      'Azure Analysis Services does not back up models by itself; backups need a storage container configured on the server ' +
      '(backupBlobContainerUri) and a backup job. Without the container there is nothing to restore after a loss.',
    remediation: {
      text: 'Set properties.backupBlobContainerUri to a container SAS URI (pass it as a secure parameter).',
      snippet: snippet({ type: 'Microsoft.AnalysisServices/servers', properties: { backupBlobContainerUri: "[parameters('backupContainerSasUri')]" } }),
    },
    references: { azsk: ['Azure_AnalysisServices_BCDR_Plan'], mcsb: ['BR-1'] },
    since: '2026-11-23',
  },
  expectNonEmptyString('$.properties.backupBlobContainerUri', { ifAbsent: 'fail', absentReason: 'no backup location', what: 'the backup container' }),
);
