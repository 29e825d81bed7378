/**
 * The deletes of a prune: only ids of a pruned kind that match its scope and that the state does not
 * declare. What the service would refuse to delete because something that stays still uses it
 * (a version set, a group, a policy fragment), and a named value or backend a policy or fragment
 * that stays still uses (deleting it would break that policy at runtime), is kept, with a note
 * saying why; apply orders the rest after the changes that release them.
 */
import { minimatch } from 'minimatch';
import { specTagId, tagIdFor } from '../deploy-api';
import type { NamedValueInfo, PolicyScope } from '../gateway';
import { namedValueNames } from '../policy-xml';
import type { StateGateway } from './live';
import type { DesiredState, PruneRule } from './model';
import type { PlannedChange } from './plan';
import { backendRefs, fragmentRefs, policies } from './preflight';
import { mapBounded } from './scheduler';

const lower = (s: string) => s.toLowerCase();

/** v2 records each API's definition fingerprint in a tag of its own (specTagId). */
const SPEC_TAG_PREFIX = specTagId('').toLowerCase();

/** What the plan listed of the service, for the prune. */
export interface PruneInventory {
  namedValues: NamedValueInfo[];
  backends: string[];
  apis?: string[];
  products: string[];
  versionSets?: string[];
  policyFragments?: string[];
  /** Groups that are neither built-in nor system. */
  customGroups: string[];
  apiSets: Array<{ apiId: string; versionSetId?: string }>;
  tags: string[];
}

export function inScope(rules: readonly PruneRule[], kind: PruneRule['kind'], id: string): boolean {
  return rules.some((r) => r.kind === kind && minimatch(id, r.pattern, { nocase: true, dot: true }));
}

type DeletableKind = 'api' | 'product' | 'namedValue' | 'backend' | 'versionSet' | 'group' | 'policyFragment' | 'tag';

/** The ETag a delete sends: read with the entity where the gateway returns one, otherwise `*`. */
async function deleteEtag(g: StateGateway, kind: DeletableKind, id: string): Promise<string | undefined> {
  switch (kind) {
    case 'api':
      return (await g.getApi(id))?.etag;
    case 'product':
      return (await g.getProduct(id))?.etag;
    case 'namedValue':
      return (await g.getNamedValue(id))?.etag;
    case 'backend':
      return (await g.getBackend(id))?.etag;
    case 'versionSet':
      return (await g.getVersionSet(id))?.etag;
    case 'group':
      return (await g.getGroup(id))?.etag;
    case 'policyFragment':
      return (await g.getPolicyFragment(id))?.etag;
    case 'tag':
      return undefined;
  }
}

/** `…/service/x/apis/orders/operations/get/policies/policy` -> the declared scope it is, if any. */
function policyOwner(armId: string): { kind: 'global' } | { kind: 'product'; productId: string } | { kind: 'api' | 'operation'; apiId: string; operationId?: string } | undefined {
  const m = /\/service\/[^/]+\/(.*?)\/?policies\/[^/]+$/i.exec(armId);
  if (!m) return undefined;
  const parts = (m[1] ?? '').split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  if (parts.length === 0) return { kind: 'global' };
  if (parts.length === 2 && lower(parts[0]!) === 'products') return { kind: 'product', productId: parts[1]! };
  if (parts.length === 2 && lower(parts[0]!) === 'apis') return { kind: 'api', apiId: parts[1]! };
  if (parts.length === 4 && lower(parts[0]!) === 'apis' && lower(parts[2]!) === 'operations') return { kind: 'operation', apiId: parts[1]!, operationId: parts[3]! };
  return undefined;
}

/** A policy, fragment or backend the service will hold after the run, and the names it uses (lower case). */
interface PolicyUser {
  where: string;
  namedValues: string[];
  backends: string[];
  /** A live backend whose credentials use the named values: it stops using them if the prune deletes it. */
  backend?: string;
}

function userOf(where: string, text: string): PolicyUser {
  return { where, namedValues: namedValueNames(text).map(lower), backends: backendRefs({ source: where, xml: text }).map((b) => lower(b.name)) };
}

function backendUser(where: string, id: string, credentials: unknown): PolicyUser {
  return { where, namedValues: namedValueNames(JSON.stringify(credentials)).map(lower), backends: [], backend: lower(id) };
}

/**
 * What will still use named values and backends once the run is applied: every declared policy,
 * fragment and backend (as declared), and the live ones the run neither rewrites nor deletes (read
 * here: the service has no reference listing for named values or backends). Only current revisions
 * are read; a non-current revision's policies are not checked.
 */
async function usersAfterRun(
  desired: DesiredState,
  g: StateGateway,
  p: number,
  run: {
    ownerRewritten: (owner: NonNullable<ReturnType<typeof policyOwner>>) => boolean;
    goneApis: Set<string>;
    goneProducts: Set<string>;
    goneFragments: Set<string>;
    policyFragments: string[] | undefined;
  },
): Promise<PolicyUser[]> {
  const users: PolicyUser[] = policies(desired).map((d) => userOf(`${d.source} (declared)`, d.xml));
  for (const b of desired.backends) if (b.credentials) users.push({ ...backendUser(`backend '${b.id}' (declared)`, b.id, b.credentials), backend: undefined });
  const declaredFragments = new Set(desired.policyFragments.map((f) => lower(f.id)));
  const declaredBackends = new Set(desired.backends.map((b) => lower(b.id)));
  const [apis, products, fragments, backends] = await Promise.all([g.listApis(), g.listProducts(), run.policyFragments ? Promise.resolve(run.policyFragments) : g.listPolicyFragments(), g.listBackends()]);
  const scopes: Array<{ where: string; scope: PolicyScope }> = [];
  const keep = (where: string, scope: PolicyScope) => {
    const owner = scope.kind === 'global' ? { kind: 'global' as const } : scope.kind === 'product' ? { kind: 'product' as const, productId: scope.productId } : scope.kind === 'api' ? { kind: 'api' as const, apiId: scope.apiId } : { kind: 'operation' as const, apiId: scope.apiId, operationId: scope.operationId };
    if (!run.ownerRewritten(owner)) scopes.push({ where, scope });
  };
  keep('policies/policy', { kind: 'global' });
  for (const id of products) if (!run.goneProducts.has(lower(id))) keep(`products/${id}/policies/policy`, { kind: 'product', productId: id });
  const liveApis = apis.filter((id) => !run.goneApis.has(lower(id)));
  const operations = await mapBounded(liveApis, p, (id) => g.listOperations(id));
  liveApis.forEach((id, i) => {
    keep(`apis/${id}/policies/policy`, { kind: 'api', apiId: id });
    for (const op of operations[i]!) keep(`apis/${id}/operations/${op.name}/policies/policy`, { kind: 'operation', apiId: id, operationId: op.name });
  });
  const xml = await mapBounded(scopes, p, (s) => g.getPolicy(s.scope));
  scopes.forEach((s, i) => {
    const text = xml[i];
    if (text !== undefined) users.push(userOf(s.where, text));
  });
  const liveFragments = fragments.filter((id) => !declaredFragments.has(lower(id)) && !run.goneFragments.has(lower(id)));
  const values = await mapBounded(liveFragments, p, (id) => g.getPolicyFragment(id));
  liveFragments.forEach((id, i) => {
    const fragment = values[i];
    if (fragment) users.push(userOf(`policyFragments/${id}`, fragment.value));
  });
  // A backend that stays can send a named value in its credentials.
  const liveBackends = backends.filter((id) => !declaredBackends.has(lower(id)));
  const states = await mapBounded(liveBackends, p, (id) => g.getBackend(id));
  liveBackends.forEach((id, i) => {
    const credentials = states[i]?.credentials;
    if (credentials) users.push(backendUser(`backends/${id}`, id, credentials));
  });
  return users;
}

export async function planDeletes(desired: DesiredState, g: StateGateway, prune: readonly PruneRule[], p: number, changes: readonly PlannedChange[], live: PruneInventory): Promise<{ deletes: PlannedChange[]; notes: string[] }> {
  const { namedValues, backends, apis, products, versionSets, policyFragments, customGroups, apiSets, tags } = live;
  const declared = (list: Array<{ id: string }>) => new Set(list.map((x) => lower(x.id)));
  const declaredApis = declared(desired.apis);
  const declaredSets = declared(desired.versionSets);
  const declaredGroups = declared(desired.groups);
  const declaredFragments = declared(desired.policyFragments);
  const notes: string[] = [];
  const candidates: Array<{ kind: DeletableKind; id: string }> = [];
  const add = (kind: DeletableKind, ids: readonly string[], keep: Set<string>) => {
    for (const id of ids) if (!keep.has(lower(id)) && inScope(prune, kind, id)) candidates.push({ kind, id });
  };
  add('api', apis ?? [], declaredApis);
  add('product', products, declared(desired.products));
  const goneApis = new Set(candidates.filter((c) => c.kind === 'api').map((c) => lower(c.id)));
  const goneProducts = new Set(candidates.filter((c) => c.kind === 'product').map((c) => lower(c.id)));

  // A version set goes only when no API will still belong to it: the service refuses otherwise.
  const setUsers = new Map<string, string[]>();
  const useSet = (set: string | undefined, api: string) => set && setUsers.set(lower(set), [...(setUsers.get(lower(set)) ?? []), api]);
  for (const a of apiSets) if (!goneApis.has(lower(a.apiId)) && !declaredApis.has(lower(a.apiId))) useSet(a.versionSetId, a.apiId);
  for (const d of desired.apis) useSet(d.versionSetId ?? apiSets.find((a) => lower(a.apiId) === lower(d.id))?.versionSetId, d.id);
  for (const id of versionSets ?? []) {
    if (declaredSets.has(lower(id)) || !inScope(prune, 'versionSet', id)) continue;
    const users = setUsers.get(lower(id));
    if (users) notes.push(`version set '${id}' is kept: API(s) ${users.map((u) => `'${u}'`).join(', ')} still belong to it (declare the set, or prune those APIs too)`);
    else candidates.push({ kind: 'versionSet', id });
  }

  // A group a declared product gives access to stays; built-in groups are never listed here.
  const productGroups = new Map<string, string[]>();
  for (const pr of desired.products) for (const gr of pr.groups) productGroups.set(lower(gr), [...(productGroups.get(lower(gr)) ?? []), pr.id]);
  for (const id of customGroups) {
    if (declaredGroups.has(lower(id)) || !inScope(prune, 'group', id)) continue;
    const users = productGroups.get(lower(id));
    if (users) notes.push(`group '${id}' is kept: product(s) ${users.map((u) => `'${u}'`).join(', ')} give it access (declare the group, or remove it from those products)`);
    else candidates.push({ kind: 'group', id });
  }

  // A fragment goes only when every policy that includes it is deleted or rewritten without it by this run.
  const declaredIncludes = new Set(fragmentRefs(desired).map((r) => lower(r.name)));
  const policyDeletes = (kind: PlannedChange['kind']) => new Set(changes.filter((c) => c.kind === kind && c.action === 'delete').map((c) => lower(c.id)));
  const opDeletes = policyDeletes('apiOperationPolicy');
  const apiPolicyDeletes = policyDeletes('apiPolicy');
  const productPolicyDeletes = policyDeletes('productPolicy');
  const globalGone = changes.some((c) => c.kind === 'globalPolicy');
  const rewritten = (ref: string): boolean => {
    const owner = policyOwner(ref);
    return !!owner && ownerRewritten(owner);
  };
  const ownerRewritten = (owner: NonNullable<ReturnType<typeof policyOwner>>): boolean => {
    switch (owner.kind) {
      case 'global':
        return globalGone;
      case 'product':
        return goneProducts.has(lower(owner.productId)) || productPolicyDeletes.has(lower(owner.productId)) || !!desired.products.find((x) => lower(x.id) === lower(owner.productId))?.policy;
      case 'api':
      case 'operation': {
        // A non-current revision keeps its policies: only deleting the API removes them.
        if (goneApis.has(lower(owner.apiId.split(';')[0]!))) return true;
        if (owner.apiId.includes(';')) return false;
        const api = desired.apis.find((x) => lower(x.id) === lower(owner.apiId));
        if (owner.kind === 'api') return !!api && (!!api.policy || apiPolicyDeletes.has(lower(api.id)));
        const op = lower(owner.operationId ?? '');
        return !!api && ([...api.operationPolicies.keys()].some((k) => lower(k) === op) || opDeletes.has(`${lower(api.id)}/${op}`));
      }
    }
  };
  const fragmentIds = (policyFragments ?? []).filter((id) => !declaredFragments.has(lower(id)) && inScope(prune, 'policyFragment', id));
  const references = await mapBounded(fragmentIds, p, (id) => (declaredIncludes.has(lower(id)) ? Promise.resolve([]) : g.listPolicyFragmentReferences(id)));
  fragmentIds.forEach((id, i) => {
    const remaining = declaredIncludes.has(lower(id)) ? ['a declared policy'] : references[i]!.filter((r) => !rewritten(r)).map((r) => `'${r.replace(/^.*\/service\/[^/]+\//i, '')}'`);
    if (remaining.length) notes.push(`policy fragment '${id}' is kept: ${remaining.slice(0, 5).join(', ')}${remaining.length > 5 ? ', …' : ''} still include(s) it`);
    else candidates.push({ kind: 'policyFragment', id });
  });

  // A named value or backend goes only when no policy, fragment or backend that stays still uses it.
  const declaredNamedValues = declared(desired.namedValues);
  const declaredBackends = declared(desired.backends);
  const nvIds = namedValues.filter((n) => !declaredNamedValues.has(lower(n.name)) && inScope(prune, 'namedValue', n.name));
  const backendIds = backends.filter((id) => !declaredBackends.has(lower(id)) && inScope(prune, 'backend', id));
  if (nvIds.length || backendIds.length) {
    const goneFragments = new Set(candidates.filter((c) => c.kind === 'policyFragment').map((c) => lower(c.id)));
    const users = await usersAfterRun(desired, g, p, { ownerRewritten, goneApis, goneProducts, goneFragments, policyFragments });
    const goneBackends = new Set<string>();
    const keepOrDelete = (kind: 'namedValue' | 'backend', id: string, label: string, uses: (u: PolicyUser) => boolean) => {
      const remaining = users.filter((u) => !(u.backend && goneBackends.has(u.backend)) && uses(u)).map((u) => `'${u.where}'`);
      if (remaining.length) notes.push(`${label} '${id}' is kept: ${remaining.slice(0, 5).join(', ')}${remaining.length > 5 ? ', …' : ''} still use(s) it (declare it, or prune or rewrite those too)`);
      else {
        candidates.push({ kind, id });
        if (kind === 'backend') goneBackends.add(lower(id));
      }
    };
    // Backends first: the credentials of one that goes no longer keep a named value.
    for (const id of backendIds) keepOrDelete('backend', id, 'backend', (u) => u.backends.includes(lower(id)));
    for (const nv of nvIds) {
      const names = new Set([lower(nv.name), ...(nv.displayName ? [lower(nv.displayName)] : [])]);
      keepOrDelete('namedValue', nv.name, 'named value', (u) => u.namedValues.some((n) => names.has(n)));
    }
  }

  // Tags: the ones a declared API, operation or product lists, and v2's own definition fingerprints, are never pruned.
  const declaredNames = [...desired.apis.flatMap((a) => [...a.tags, ...[...a.operationTags.values()].flat()]), ...desired.products.flatMap((pr) => pr.tags)];
  const declaredTags = new Set(declaredNames.map((t) => tagIdFor(t).toLowerCase()));
  for (const id of tags) if (!declaredTags.has(lower(id)) && !lower(id).startsWith(SPEC_TAG_PREFIX) && inScope(prune, 'tag', id)) candidates.push({ kind: 'tag', id });

  const deletes = await mapBounded(candidates, p, async (c): Promise<PlannedChange> => ({ kind: c.kind, id: c.id, action: 'delete', differs: [], work: { kind: 'delete', etag: (await deleteEtag(g, c.kind, c.id)) ?? '*' } }));
  return { deletes, notes };
}
