import { fail, pass, resourceControl, show, snippet, unknownResult, type Rule } from './helpers';

/** Built-in roles that can grant access to others (and so take over everything in scope), by role definition GUID. */
const PRIVILEGED: Record<string, string> = {
  '8e3af657-a8ff-443c-a75c-2fe8c4bcb635': 'Owner',
  '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9': 'User Access Administrator',
  'f58310d9-a9f6-439a-9e8d-f62e7b41a168': 'Role Based Access Control Administrator',
};

const rule: Rule = (view) => {
  const l = view.get('$.properties.roleDefinitionId');
  if (l.state === 'unknown') return unknownResult(l, 'which role is assigned', view.resource);
  if (l.state === 'absent' || typeof l.value !== 'string') return pass('The assignment names no role definition id the gate can read as a built-in privileged role.', l.location);
  const text = l.value.toLowerCase();
  const hit = Object.entries(PRIVILEGED).find(([guid]) => text.includes(guid));
  return hit
    ? fail(`roleDefinitionId ${show(l.value)} is ${hit[1]}, which can grant any access in its scope to anyone.`, l.location)
    : pass(`roleDefinitionId ${show(l.value)} is not a role that can grant access.`, l.location);
};

export default resourceControl(
  {
    id: 'role-assignment-not-privileged',
    title: 'Template does not assign roles that can grant access (Owner, User Access Administrator)',
    severity: 'medium',
    featureSet: 'Authorization',
    resourceTypes: ['Microsoft.Authorization/roleAssignments'],
    rationale:
      'Owner, User Access Administrator and Role Based Access Control Administrator can write role assignments, so whoever ' +
      'holds them can give themselves (or an attacker) any access in the scope. Assigned standing from a template, typically ' +
      'to a managed identity or a service principal, they turn one leaked credential into control of the whole scope. ' +
      'Assign the narrowest built-in role instead, and keep privileged roles eligible-only (PIM).',
    remediation: {
      text: 'Assign a role that grants only what the principal needs (e.g. Contributor on one resource, or a data role), not Owner or User Access Administrator.',
      snippet: snippet({
        type: 'Microsoft.Authorization/roleAssignments',
        properties: {
          roleDefinitionId: "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')]",
          principalId: "[reference(resourceId('Microsoft.Web/sites', parameters('siteName')), '2023-12-01', 'full').identity.principalId]",
          principalType: 'ServicePrincipal',
        },
      }),
    },
    references: { mcsb: ['PA-1', 'PA-7'] },
    since: '2026-12-07',
  },
  rule,
);
