import { expectOneOf, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'sql-database-tde',
    title: 'SQL database transparent data encryption is not turned off',
    severity: 'high',
    featureSet: 'SqlServer',
    resourceTypes: ['Microsoft.Sql/servers/databases/transparentDataEncryption'],
    rationale:
      'TDE encrypts database files, backups and logs at rest. New Azure SQL databases have TDE on by default, so only a template ' +
      'that declares a transparentDataEncryption resource can turn it off — that resource must say Enabled. The property is ' +
      '"status" in API 2014-04-01 (which AzSK read) and "state" in current APIs; both are read.',
    remediation: {
      text: 'Set properties.state to "Enabled" (or remove the transparentDataEncryption resource to keep the default).',
      snippet: snippet({
        type: 'Microsoft.Sql/servers/databases/transparentDataEncryption',
        name: "[concat(parameters('serverName'), '/', parameters('databaseName'), '/current')]",
        properties: { state: 'Enabled' },
      }),
    },
    references: { azsk: ['Azure_SQLDatabase_DP_Enable_TDE'], psrule: ['Azure.SQL.TDE'], mcsb: ['DP-4'] },
    since: '2026-11-23',
  },
  expectOneOf(['$.properties.state', '$.properties.status'], ['Enabled'], {
    ifAbsent: 'fail',
    absentReason: 'the resource is declared without a state',
    what: 'the TDE state',
  }),
);
