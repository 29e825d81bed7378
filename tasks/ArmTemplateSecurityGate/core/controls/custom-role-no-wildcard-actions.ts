import { fail, isObject, pass, prop, resourceControl, show, snippet, unknownResult, type Rule } from './helpers';

/** Scopes at which a custom role reaches a whole subscription or more. */
function isBroadScope(scope: string): boolean {
  const s = scope.trim().toLowerCase();
  return (
    s === '/' ||
    /^\/subscriptions\/[^/]+\/?$/.test(s) ||
    /^\/providers\/microsoft\.management\/managementgroups\/[^/]+\/?$/.test(s) ||
    /^\[subscription\(\)\.id\]$/.test(s) ||
    /^\[managementgroup\(\)\.id\]$/.test(s)
  );
}

const rule: Rule = (view) => {
  const scopes = view.get('$.properties.assignableScopes');
  const perms = view.get('$.properties.permissions');
  for (const l of [scopes, perms]) if (l.state === 'unknown') return unknownResult(l, 'what the custom role grants where', view.resource);
  const broad = scopes.state === 'value' && Array.isArray(scopes.value) ? scopes.value.filter((s): s is string => typeof s === 'string' && isBroadScope(s)) : [];
  const wildcard =
    perms.state === 'value' && Array.isArray(perms.value)
      ? perms.value.some((p) => isObject(p) && Array.isArray(prop(p, 'actions')) && (prop(p, 'actions') as unknown[]).some((a) => typeof a === 'string' && a.trim() === '*'))
      : false;
  if (!wildcard) return pass('The custom role grants no "*" action.', perms.location);
  if (!broad.length) return pass(`The custom role grants "*" only below subscription scope (${scopes.state === 'value' ? show(scopes.value) : 'no scopes'}).`, scopes.location);
  return fail(`The custom role grants every action ("*") at ${broad.join(', ')}: it is a second Owner role outside the built-in reviews.`, perms.location);
};

export default resourceControl(
  {
    id: 'custom-role-no-wildcard-actions',
    title: 'Custom role does not grant every action on a subscription or management group',
    severity: 'high',
    featureSet: 'Authorization',
    resourceTypes: ['Microsoft.Authorization/roleDefinitions'],
    rationale:
      'A custom role with actions ["*"] assignable at a subscription, management group or root scope is equivalent to Owner, ' +
      'but does not show up where owners are reviewed or protected (alerts, PIM policies for the built-in role). List the ' +
      'actions the role needs instead.',
    remediation: {
      text: 'Replace "*" with the specific actions the role needs, or assign a built-in role.',
      snippet: snippet({
        type: 'Microsoft.Authorization/roleDefinitions',
        properties: { roleName: 'VM operator', permissions: [{ actions: ['Microsoft.Compute/virtualMachines/start/action', 'Microsoft.Compute/virtualMachines/restart/action'], notActions: [] }], assignableScopes: ['[subscription().id]'] },
      }),
    },
    references: { checkov: ['CKV_AZURE_39'], mcsb: ['PA-1'] },
    since: '2026-12-07',
  },
  rule,
);
