import {
  asBool,
  EvaluatedValue,
  expectEvery,
  isObject,
  Judgement,
  lastNameSegment,
  parentInTemplate,
  pass,
  prop,
  resourceControl,
  Rule,
  snippet,
  unknownResult,
} from './helpers';

const AREAS = ['keys', 'secrets', 'certificates', 'storage'];

function judgePolicy(policy: EvaluatedValue, index: number): Judgement {
  if (!isObject(policy)) return { ok: false, detail: `[${index}] is not an access policy object` };
  const perms = prop(policy, 'permissions');
  if (!isObject(perms)) return { ok: true };
  const broad = AREAS.filter((area) => {
    const list = prop(perms, area);
    return Array.isArray(list) && list.some((p) => typeof p === 'string' && (p.toLowerCase() === 'all' || p.toLowerCase() === 'purge'));
  });
  const who = prop(policy, 'objectId');
  return broad.length
    ? { ok: false, detail: `[${index}] (objectId ${typeof who === 'string' ? who : 'unknown'}) grants "all" or "purge" on ${broad.join(', ')}` }
    : { ok: true };
}

const everyPolicy = expectEvery('$.properties.accessPolicies', judgePolicy, {
  ifAbsent: 'pass',
  absentReason: 'no access policies are granted',
  what: 'the access policies',
});

const ACCESS_POLICIES = 'microsoft.keyvault/vaults/accesspolicies';

const rule: Rule = (view, ctx) => {
  const child = view.type.toLowerCase() === ACCESS_POLICIES;
  // A vaults/accessPolicies resource named 'remove' takes the listed policies away: it grants nothing.
  if (child && lastNameSegment(view.name).toLowerCase() === 'remove') return pass("This accessPolicies resource is a 'remove' operation: it grants nothing.", view.location);
  // The child's policies are in force unless its vault (when declared in the same template) uses Azure RBAC.
  const vault = child ? parentInTemplate(view, ctx, 'Microsoft.KeyVault/vaults') : view;
  const rbac = vault?.get('$.properties.enableRbacAuthorization');
  if (rbac?.state === 'value' && asBool(rbac.value) === true) {
    return pass('enableRbacAuthorization is true: data access is governed by Azure RBAC, access policies are ignored.', rbac.location);
  }
  const verdict = everyPolicy(view, ctx);
  // Broad policies only matter when access policies are in force, which an unknown RBAC flag leaves open.
  if (rbac?.state === 'unknown' && !Array.isArray(verdict) && verdict?.outcome === 'fail') {
    return unknownResult(rbac, 'whether access policies are in force', view.resource);
  }
  return verdict;
};

export default resourceControl(
  {
    id: 'key-vault-min-access-policies',
    title: 'Key Vault access policies do not grant "all" or "purge"',
    severity: 'medium',
    featureSet: 'KeyVault',
    resourceTypes: ['Microsoft.KeyVault/vaults', 'Microsoft.KeyVault/vaults/accessPolicies'],
    typesSince: { 'Microsoft.KeyVault/vaults/accessPolicies': '2026-12-07' },
    rationale:
      'Access policies should give each identity only the operations it uses. AzSK could only ask for manual review of the ' +
      'policy list; here the evaluated list is checked for the two grants that are never least privilege for an application: ' +
      '"all" and "purge". Vaults using Azure RBAC (enableRbacAuthorization) pass, since access policies are then ignored. ' +
      'Policies added later by a separate vaults/accessPolicies resource (add or replace) are judged the same way, against ' +
      "the vault's RBAC setting when the vault is in the same template; a 'remove' operation passes.",
    remediation: {
      text: 'Grant explicit operations (e.g. get, list) per identity, or switch the vault to Azure RBAC.',
      snippet: snippet({
        type: 'Microsoft.KeyVault/vaults',
        properties: {
          accessPolicies: [
            { tenantId: '[subscription().tenantId]', objectId: "[parameters('appObjectId')]", permissions: { secrets: ['get', 'list'] } },
          ],
        },
      }),
    },
    references: { azsk: ['Azure_KeyVault_AuthZ_Grant_Min_Access_policies'], mcsb: ['PA-7'] },
    since: '2026-11-23',
  },
  rule,
);
