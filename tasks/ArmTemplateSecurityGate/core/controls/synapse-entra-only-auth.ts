import { asBool, childViews, fail, pass, resourceControl, show, snippet, unknownResult, type Rule } from './helpers';

const rule: Rule = (view, ctx) => {
  // Entra-only can be written on the workspace or as an azureADOnlyAuthentications child ('default').
  const lookups = [
    view.get('$.properties.azureADOnlyAuthentication'),
    ...childViews(view, ctx, 'Microsoft.Synapse/workspaces/azureADOnlyAuthentications').map((c) => c.get('$.properties.azureADOnlyAuthentication')),
  ];
  for (const l of lookups) {
    if (l.state === 'value' && asBool(l.value) === true) return pass('Entra-only authentication is on: SQL logins to the workspace pools are refused.', l.location);
  }
  const u = lookups.find((l) => l.state === 'unknown');
  if (u?.state === 'unknown') return unknownResult(u, 'Entra-only authentication', view.resource);
  const off = lookups.find((l) => l.state === 'value');
  return fail(
    `Entra-only authentication is ${off?.state === 'value' ? show(off.value) : 'not set (off)'}: the SQL administrator login and SQL logins are accepted.`,
    off?.location ?? lookups[0]!.location,
  );
};

export default resourceControl(
  {
    id: 'synapse-entra-only-auth',
    title: 'Synapse workspace accepts Entra ID authentication only',
    severity: 'medium',
    featureSet: 'Synapse',
    resourceTypes: ['Microsoft.Synapse/workspaces'],
    rationale:
      'Every Synapse workspace has a SQL administrator login (sqlAdministratorLogin) with a password that reaches the dedicated ' +
      'and serverless SQL pools: it can be sprayed, never expires, bypasses conditional access and MFA, and is shared. With ' +
      'azureADOnlyAuthentication true (on the workspace or its azureADOnlyAuthentications/default child), only Entra ID ' +
      'identities sign in. It is off by default.',
    remediation: {
      text: 'Set properties.azureADOnlyAuthentication to true on the workspace (or deploy azureADOnlyAuthentications/default with it) and grant access to Entra groups.',
      snippet: snippet({ type: 'Microsoft.Synapse/workspaces', properties: { azureADOnlyAuthentication: true } }),
    },
    references: { mcsb: ['IM-1'] },
    since: '2026-12-07',
  },
  rule,
);
