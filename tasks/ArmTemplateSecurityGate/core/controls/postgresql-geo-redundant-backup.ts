import { geoRedundantBackupRule, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'postgresql-geo-redundant-backup',
    title: 'Azure Database for PostgreSQL keeps geo-redundant backups',
    severity: 'low',
    featureSet: 'DBforPostgreSQL',
    resourceTypes: ['Microsoft.DBforPostgreSQL/servers', 'Microsoft.DBforPostgreSQL/flexibleServers'],
    rationale:
      'Backups kept in one region are lost with it, and a regional outage or a compromised region-scoped account leaves nothing ' +
      'to restore. Geo-redundant backup copies them to the paired region. It can only be chosen when the server is created ' +
      '(backup.geoRedundantBackup on flexible servers, storageProfile.geoRedundantBackup on single servers) and defaults to Disabled.',
    remediation: {
      text: 'Set properties.backup.geoRedundantBackup to "Enabled" when creating the server.',
      snippet: snippet({ type: 'Microsoft.DBforPostgreSQL/flexibleServers', properties: { backup: { backupRetentionDays: 7, geoRedundantBackup: 'Enabled' } } }),
    },
    references: { psrule: ['Azure.PostgreSQL.GeoRedundantBackup'], mcsb: ['BR-1'] },
    since: '2026-12-07',
  },
  geoRedundantBackupRule(),
);
