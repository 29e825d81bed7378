import { expectOneOf, onRelated, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'sql-server-entra-admin',
    title: 'SQL server has a Microsoft Entra ID administrator',
    severity: 'high',
    featureSet: 'SqlServer',
    resourceTypes: ['Microsoft.Sql/servers'],
    rationale:
      'An Entra ID administrator enables directory-based logins (MFA, conditional access, central disabling of leavers) instead of ' +
      'only the SQL admin password. AzSK read the Microsoft.Sql/servers/administrators child (API 2014-04-01); since API ' +
      '2020-11-01-preview the server itself can carry properties.administrators. Both are read.',
    remediation: {
      text: 'Set properties.administrators on the server (administratorType ActiveDirectory, login, sid, tenantId), ideally with azureADOnlyAuthentication.',
      snippet: snippet({
        type: 'Microsoft.Sql/servers',
        properties: {
          administrators: {
            administratorType: 'ActiveDirectory',
            login: "[parameters('aadAdminLogin')]",
            sid: "[parameters('aadAdminObjectId')]",
            tenantId: '[subscription().tenantId]',
            azureADOnlyAuthentication: true,
          },
        },
      }),
    },
    references: { azsk: ['Azure_SQLDatabase_AuthZ_Use_AAD_Admin'], psrule: ['Azure.SQL.AAD'], mcsb: ['IM-1'] },
    since: '2026-11-23',
  },
  expectOneOf(
    ['$.properties.administrators.administratorType', onRelated('Microsoft.Sql/servers/administrators', '$.properties.administratorType')],
    ['ActiveDirectory'],
    { ifAbsent: 'fail', absentReason: 'no Entra ID administrator is declared', what: 'the Entra ID administrator' },
  ),
);
