import { asBool, childViews, fail, pass, resourceControl, show, snippet, unknownResult, type Rule } from './helpers';

const rule: Rule = (view, ctx) => {
  // Entra-only can be written on the server (administrators block) or as an azureADOnlyAuthentications child.
  const lookups = [
    view.get('$.properties.administrators.azureADOnlyAuthentication'),
    ...childViews(view, ctx, 'Microsoft.Sql/servers/azureADOnlyAuthentications').map((c) => c.get('$.properties.azureADOnlyAuthentication')),
  ];
  for (const l of lookups) {
    if (l.state === 'value' && asBool(l.value) === true) return pass('Entra-only authentication is on: SQL logins are refused.', l.location);
  }
  const u = lookups.find((l) => l.state === 'unknown');
  if (u?.state === 'unknown') return unknownResult(u, 'Entra-only authentication', view.resource);
  const login = view.get('$.properties.administratorLogin');
  if (login.state === 'unknown') return unknownResult(login, 'whether a SQL administrator login is created', view.resource);
  if (login.state === 'absent') return pass('No SQL administrator login is created (a server without one accepts Entra ID sign-ins only).', login.location);
  const off = lookups.find((l) => l.state === 'value');
  return fail(
    `The server creates SQL login ${show(login.value)} and Entra-only authentication is ${off?.state === 'value' ? show(off.value) : 'not set (off)'}: passwords can be sprayed and never expire.`,
    off?.location ?? login.location,
  );
};

export default resourceControl(
  {
    id: 'sql-server-entra-only-auth',
    title: 'SQL server accepts Entra ID authentication only',
    severity: 'medium',
    featureSet: 'SqlServer',
    resourceTypes: ['Microsoft.Sql/servers'],
    rationale:
      'SQL logins are passwords outside Entra ID: no MFA, no conditional access, no central revocation, and a target for password ' +
      'spraying. Entra-only authentication (administrators.azureADOnlyAuthentication, or an azureADOnlyAuthentications child) ' +
      'refuses them. A server created without administratorLogin accepts Entra ID only. Checkov CKV2_AZURE_27 fails any ' +
      'administratorLogin; we accept one when Entra-only authentication disables it.',
    remediation: {
      text: 'Set properties.administrators with azureADOnlyAuthentication true (and an Entra administrator), and drop administratorLogin.',
      snippet: snippet({
        type: 'Microsoft.Sql/servers',
        properties: {
          administrators: { administratorType: 'ActiveDirectory', azureADOnlyAuthentication: true, login: "[parameters('entraAdminName')]", sid: "[parameters('entraAdminObjectId')]", tenantId: '[subscription().tenantId]' },
        },
      }),
    },
    references: { checkov: ['CKV2_AZURE_27'], psrule: ['Azure.SQL.AADOnly'], mcsb: ['IM-1'] },
    since: '2026-12-07',
  },
  rule,
);
