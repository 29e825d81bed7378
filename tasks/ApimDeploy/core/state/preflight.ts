/**
 * Checks made after the plan and before the first write: every reference in the desired state
 * resolves in the state the run would leave (declared entities, plus live ones it does not
 * prune). APIM would refuse a policy naming a missing `{{named value}}` or backend, but only after
 * other entities were already written.
 */
import { FileError } from '../../../common/errors';
import { namedValueRefs, type PolicyDocument } from '../policy-xml';
import type { ServiceIdentity } from './live';
import type { DesiredState, NamedValueDecl } from './model';
import type { Plan } from './plan';

export interface Reference {
  name: string;
  source: string;
  line?: number;
}

const lower = (s: string) => s.toLowerCase();

/** `<set-backend-service backend-id="x">` references (expressions and named values are resolved by APIM at run time). */
export function backendRefs(doc: PolicyDocument): Reference[] {
  const out: Reference[] = [];
  const re = /<set-backend-service\b[^>]*?\bbackend-id\s*=\s*("([^"]*)"|'([^']*)')/g;
  for (const m of doc.xml.matchAll(re)) {
    const name = m[2] ?? m[3] ?? '';
    if (!name || name.startsWith('@') || name.includes('{{')) continue;
    out.push({ name, source: doc.source, line: doc.xml.slice(0, m.index).split('\n').length });
  }
  return out;
}

/** `<include-fragment fragment-id="x" />` references of every declared policy and fragment. */
export function fragmentRefsIn(doc: PolicyDocument): Reference[] {
  const out: Reference[] = [];
  for (const m of doc.xml.matchAll(/<include-fragment\b[^>]*?\bfragment-id\s*=\s*("([^"]*)"|'([^']*)')/g)) {
    const name = m[2] ?? m[3] ?? '';
    if (name) out.push({ name, source: doc.source, line: doc.xml.slice(0, m.index).split('\n').length });
  }
  return out;
}

export function fragmentRefs(desired: DesiredState): Reference[] {
  return policies(desired).flatMap(fragmentRefsIn);
}

export function policies(desired: DesiredState): PolicyDocument[] {
  return [
    ...desired.policyFragments.map((f) => f.doc),
    ...(desired.globalPolicy ? [desired.globalPolicy] : []),
    ...desired.apis.flatMap((a) => [...(a.policy ? [a.policy] : []), ...a.operationPolicies.values()]),
    ...desired.products.flatMap((p) => (p.policy ? [p.policy] : [])),
  ];
}

function fail(missing: Reference[], what: (r: Reference) => string, fix: string): void {
  const [first, ...rest] = missing;
  if (!first) return;
  const others = rest.length ? ` (and ${rest.slice(0, 10).map((r) => `${what(r)} at ${r.source}${r.line ? `:${r.line}` : ''}`).join(', ')}${rest.length > 10 ? ', …' : ''})` : '';
  throw new FileError(first.source, `${what(first)} does not exist in the service or the state${others}; ${fix}`, first.line);
}

export function preflight(desired: DesiredState, plan: Plan): void {
  const deleted = (kind: string) => new Set(plan.changes.filter((c) => c.action === 'delete' && c.kind === kind).map((c) => lower(c.id)));

  const goneNv = deleted('namedValue');
  const nvNames = new Set([
    ...desired.namedValues.flatMap((n) => [lower(n.id), lower(n.displayName)]),
    ...plan.live.namedValues.filter((n) => !goneNv.has(lower(n.name))).flatMap((n) => [lower(n.name), lower(n.displayName ?? n.name)]),
  ]);
  const nvRefs: Reference[] = policies(desired).flatMap((d) => namedValueRefs(d.xml).map((r) => ({ name: r.name, source: d.source, line: r.line })));
  for (const b of desired.backends) {
    const c = b.credentials;
    const values = [...Object.values(c?.header ?? {}).flat(), ...Object.values(c?.query ?? {}).flat(), ...(c?.authorization ? [c.authorization.parameter] : [])];
    for (const v of values) for (const r of namedValueRefs(v)) nvRefs.push({ name: r.name, source: b.source, line: b.line });
  }
  fail(nvRefs.filter((r) => !nvNames.has(lower(r.name))), (r) => `named value '{{${r.name}}}'`, `declare it under namedValues or fix the name`);

  const goneBackends = deleted('backend');
  const backends = new Set([...desired.backends.map((b) => lower(b.id)), ...plan.live.backends.map(lower).filter((b) => !goneBackends.has(b))]);
  const bRefs = policies(desired).flatMap(backendRefs);
  fail(bRefs.filter((r) => !backends.has(lower(r.name))), (r) => `backend '${r.name}'`, `declare it under backends or fix the backend-id`);

  const goneApis = deleted('api');
  const apis = new Set([...desired.apis.map((a) => lower(a.id)), ...(plan.live.apis ?? []).map(lower).filter((a) => !goneApis.has(a))]);
  const links = desired.products.flatMap((p) => p.apis.map((a) => ({ name: a, source: p.source, line: p.line })));
  fail(links.filter((r) => !apis.has(lower(r.name))), (r) => `API '${r.name}' (linked from a product)`, `declare it under apis or remove the link`);

  const fragments = new Set([...desired.policyFragments.map((f) => lower(f.id)), ...(plan.live.policyFragments ?? []).map(lower)]);
  fail(fragmentRefs(desired).filter((r) => !fragments.has(lower(r.name))), (r) => `policy fragment '${r.name}'`, `declare it under policyFragments or fix the fragment-id`);

  const groups = new Set([...desired.groups.map((g) => lower(g.id)), ...(plan.live.groups ?? []).map(lower)]);
  const groupRefs = desired.products.flatMap((p) => p.groups.map((g) => ({ name: g, source: p.source, line: p.line })));
  fail(groupRefs.filter((r) => !groups.has(lower(r.name))), (r) => `group '${r.name}' (given access to a product)`, `declare it under groups or fix the name`);

  const sets = new Set([...desired.versionSets.map((v) => lower(v.id)), ...(plan.live.versionSets ?? []).map(lower)]);
  const setRefs = desired.apis.flatMap((a) => (a.versionSetId ? [{ name: a.versionSetId, source: a.source, line: a.line }] : []));
  fail(setRefs.filter((r) => !sets.has(lower(r.name))), (r) => `version set '${r.name}'`, `declare it under versionSets or fix the name`);
}

/** Key Vault named values the plan creates or updates: the ones whose identity the service must have. */
export function keyVaultNamedValuesWritten(desired: DesiredState, plan: Plan): NamedValueDecl[] {
  const written = new Set(plan.changes.filter((c) => c.kind === 'namedValue' && (c.action === 'create' || c.action === 'update')).map((c) => lower(c.id)));
  return desired.namedValues.filter((n) => n.keyVault && written.has(lower(n.id)));
}

/**
 * APIM reads a Key Vault secret with the user-assigned identity named by `identityClientId`, or with
 * its system-assigned one, and refuses the named value when the service has no such identity.
 * Whether that identity may read the secret is Key Vault's decision, which only the service can test.
 */
export function checkKeyVaultIdentities(namedValues: readonly NamedValueDecl[], identity: ServiceIdentity): void {
  const missing: Reference[] = [];
  for (const n of namedValues) {
    const clientId = n.keyVault?.identityClientId?.toLowerCase();
    const ok = clientId ? identity.userAssignedClientIds.includes(clientId) : identity.systemAssigned;
    if (!ok) missing.push({ name: clientId ? `named value '${n.id}' (Key Vault, user-assigned identity ${clientId})` : `named value '${n.id}' (Key Vault, system-assigned identity)`, source: n.source, line: n.line });
  }
  fail(missing, (r) => `the identity of ${r.name}`, `give the API Management service that managed identity (and it access to the secret), or name one it has in identityClientId`);
}
