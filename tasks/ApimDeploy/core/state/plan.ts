/**
 * The plan: the desired state compared with the live service, entity by entity, with reads only.
 * Each change says what differs (property names, never values: a secret's value must not reach a
 * log or the build summary) and carries what apply needs (ETags, the parts to write).
 */
import { FileError } from '../../../common/errors';
import { specTagId, specTagName, tagIdFor } from '../deploy-api';
import type { ApiPatch, ApiState, BackendFields, NamedValueInfo, NamedValueState, PolicyScope, ProductState, RevisionInfo } from '../gateway';
import { tierHasGroups } from '../deploy-product';
import { canonicalPolicy, samePolicy } from '../policy-xml';
import { revisionsToRetire } from '../revisions';
import type { StateGateway, SubscriptionWrite } from './live';
import type { ApiDecl, BackendDecl, DesiredState, EntityKind, GroupDecl, NamedValueDecl, PolicyFragmentDecl, ProductDecl, PruneRule, SubscriptionDecl, VersionSetDecl } from './model';
import { fragmentRefs } from './preflight';
import { inScope, planDeletes } from './prune';
import { mapBounded } from './scheduler';
import { checkSubscriptionScopes, planSubscriptions } from './subscriptions';

export type ChangeAction = 'create' | 'update' | 'delete' | 'unchanged';

/** Tag links of one operation to write: names to assign, ids to remove (prune scope `operationTags`). */
export interface OperationTagWork {
  operation: string;
  assign: string[];
  remove: string[];
}

export interface ApiWork {
  importSpec: boolean;
  patch: ApiPatch;
  policy: boolean;
  /** Operation policies to write; after an import into an existing API they are compared again. */
  operations: string[];
  /** Tag names the service does not have yet, for the API's and its operations' tags. */
  tagsToCreate: string[];
  tagsToAssign: string[];
  /** Tag ids assigned to the API that it does not declare (prune scope `apiTags`). */
  tagsToRemove: string[];
  /** As planned against the operations the service has now; read again after an import or a new revision. */
  operationTags: OperationTagWork[];
  /** The prune scope `operationTags` holds this API. */
  pruneOperationTags: boolean;
  current?: ApiState;
  specTagAssigned: boolean;
  /** A new current revision: created (unless an earlier run left it), filled and released. */
  newRevision?: { number: number; exists: boolean };
}

export interface ProductWork {
  put: boolean;
  live?: ProductState;
  addApis: string[];
  removeApis: string[];
  addGroups: string[];
  /** Groups the product does not list (prune scope `productGroups`). */
  removeGroups: string[];
  /**
   * A new product in the `productGroups` scope: the service gives it to administrators on creation,
   * so what it holds is read again after the create and what is not declared removed.
   */
  pruneGroupsAfterCreate: boolean;
  /** Tag names the service does not have yet. */
  tagsToCreate: string[];
  tagsToAssign: string[];
  /** Tag ids the product has but does not list (prune scope `productTags`). */
  tagsToRemove: string[];
  policy: boolean;
}

export type ChangeWork =
  | { kind: 'namedValue'; decl: NamedValueDecl; etag?: string }
  | { kind: 'backend'; decl: BackendDecl; etag?: string; patch: BackendFields }
  | { kind: 'versionSet'; decl: VersionSetDecl }
  | { kind: 'policyFragment'; decl: PolicyFragmentDecl }
  | { kind: 'group'; decl: GroupDecl }
  | { kind: 'api'; decl: ApiDecl; work: ApiWork }
  | { kind: 'product'; decl: ProductDecl; work: ProductWork }
  /** A create sends the declaration; an update PATCHes only what differs (`patch`) with the ETag read by the plan. */
  | { kind: 'subscription'; decl: SubscriptionDecl; etag?: string; patch: SubscriptionWrite }
  | { kind: 'globalPolicy' }
  /** An old revision of a declared API, taken offline or deleted after the API's own change. */
  | { kind: 'retireRevision'; apiId: string; revision: number; step: 'offline' | 'delete' }
  | { kind: 'delete'; etag: string }
  /** A policy the state does not declare: an operation policy of a declared API, or the global policy. */
  | { kind: 'deletePolicy'; scope: PolicyScope };

export interface PlannedChange {
  kind: EntityKind;
  id: string;
  action: ChangeAction;
  /** For an update: the properties that differ; for a create: the parts it writes. */
  differs: string[];
  work: ChangeWork;
}

/** What the service holds beyond the declared entities, for reference checks. */
export interface LiveInventory {
  namedValues: NamedValueInfo[];
  backends: string[];
  apis?: string[];
  versionSets?: string[];
  policyFragments?: string[];
  groups?: string[];
}

export interface Plan {
  changes: PlannedChange[];
  /** Entities in the prune scope that are kept, and why (still in use): warnings in the log and the summary. */
  notes: string[];
  live: LiveInventory;
  /** ARM reads the plan made. */
  reads: number;
}

const lower = (s: string) => s.toLowerCase();


function sameSet(a: readonly string[] | undefined, b: readonly string[]): boolean {
  const x = new Set((a ?? []).map(lower));
  const y = new Set(b.map(lower));
  return x.size === y.size && [...y].every((s) => x.has(s));
}

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function change(kind: EntityKind, id: string, differs: string[], exists: boolean, work: ChangeWork): PlannedChange {
  return { kind, id, action: !exists ? 'create' : differs.length ? 'update' : 'unchanged', differs, work };
}

function lastSegment(id: string | undefined): string | undefined {
  return id?.split('/').pop()?.toLowerCase();
}

/** Counts every read, so the plan can report its cost (and tests can prove it made no write). */
function counting(gateway: StateGateway): { gateway: StateGateway; reads: () => number } {
  let reads = 0;
  const wrapped = new Proxy(gateway, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || prop === 'resourceId') return value;
      return (...args: unknown[]) => {
        reads++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { gateway: wrapped, reads: () => reads };
}

async function planNamedValue(d: NamedValueDecl, g: StateGateway): Promise<PlannedChange> {
  const live: NamedValueState | undefined = await g.getNamedValue(d.id);
  const differs: string[] = [];
  if (live) {
    if (live.displayName !== d.displayName) differs.push('displayName');
    if (d.tags.length && !sameSet(live.tags, d.tags)) differs.push('tags');
    if (d.keyVault) {
      if (!live.keyVault) differs.push('source (value -> Key Vault)');
      else if (lower(live.keyVault.secretIdentifier) !== lower(d.keyVault.secretIdentifier) || lower(live.keyVault.identityClientId ?? '') !== lower(d.keyVault.identityClientId ?? '')) differs.push('keyVault');
    } else {
      if (live.keyVault) differs.push('source (Key Vault -> value)');
      else if (live.secret !== d.secret) differs.push('secret');
      else if ((d.secret ? await g.readNamedValueSecret(d.id) : live.value) !== d.value) differs.push('value');
    }
  }
  return change('namedValue', d.id, live ? differs : [d.keyVault ? 'Key Vault reference' : d.secret ? 'secret value' : 'value'], !!live, { kind: 'namedValue', decl: d, etag: live?.etag });
}

async function planBackend(d: BackendDecl, g: StateGateway): Promise<PlannedChange> {
  const live = await g.getBackend(d.id);
  const patch: BackendFields = {};
  if (live) {
    if (live.url !== d.url) patch.url = d.url;
    if (lower(live.protocol ?? '') !== d.protocol) patch.protocol = d.protocol;
    if (d.title !== undefined && (live.title ?? '') !== d.title) patch.title = d.title;
    if (d.description !== undefined && (live.description ?? '') !== d.description) patch.description = d.description;
    if (d.resourceId !== undefined && lower(live.resourceId ?? '') !== lower(d.resourceId)) patch.resourceId = d.resourceId;
    if (d.tls && stable({ ...live.tls, ...d.tls }) !== stable(live.tls ?? {})) patch.tls = { ...live.tls, ...d.tls };
    if (d.credentials && stable(d.credentials) !== stable(pick(live.credentials ?? {}, Object.keys(d.credentials)))) patch.credentials = d.credentials;
  }
  const differs = live ? Object.keys(patch) : ['url'];
  return change('backend', d.id, differs, !!live, { kind: 'backend', decl: d, etag: live?.etag, patch });
}

function pick<T extends object>(o: T, keys: string[]): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => keys.includes(k))) as Partial<T>;
}

async function planVersionSet(d: VersionSetDecl, g: StateGateway): Promise<PlannedChange> {
  const live = await g.getVersionSet(d.id);
  const differs: string[] = [];
  if (live) {
    if (live.displayName !== d.displayName) differs.push('displayName');
    if (lower(live.scheme ?? '') !== lower(d.scheme)) differs.push('scheme');
    if ((live.headerName ?? undefined) !== d.headerName) differs.push('headerName');
    if ((live.queryName ?? undefined) !== d.queryName) differs.push('queryName');
  }
  return change('versionSet', d.id, live ? differs : ['scheme'], !!live, { kind: 'versionSet', decl: d });
}

async function planFragment(d: PolicyFragmentDecl, g: StateGateway): Promise<PlannedChange> {
  const live = await g.getPolicyFragment(d.id);
  const differs: string[] = [];
  if (live) {
    if (canonicalPolicy(live.value) !== canonicalPolicy(d.doc.xml)) differs.push('value');
    if (d.description !== undefined && (live.description ?? '') !== d.description) differs.push('description');
  }
  return change('policyFragment', d.id, live ? differs : ['value'], !!live, { kind: 'policyFragment', decl: d });
}

async function planGroup(d: GroupDecl, g: StateGateway): Promise<PlannedChange> {
  const live = await g.getGroup(d.id);
  const differs: string[] = [];
  // A built-in group (administrators, developers, guests) cannot be changed; declaring it only links it.
  if (live && !live.builtIn) {
    if (live.displayName !== d.displayName) differs.push('displayName');
    if (d.description !== undefined && (live.description ?? '') !== d.description) differs.push('description');
    if (d.externalId !== undefined && (live.externalId ?? '') !== d.externalId) differs.push('externalId');
  }
  return change('group', d.id, live ? differs : ['group'], !!live, { kind: 'group', decl: d });
}

function apiPatch(d: ApiDecl, current: ApiState, versionSetArmId: string | undefined): ApiPatch {
  const patch: ApiPatch = {};
  if (d.displayName !== undefined && d.displayName !== current.displayName) patch.displayName = d.displayName;
  if (d.description !== undefined && d.description !== (current.description ?? '')) patch.description = d.description;
  if (d.path !== (current.path ?? '')) patch.path = d.path;
  if (d.serviceUrl !== undefined && d.serviceUrl !== current.serviceUrl) patch.serviceUrl = d.serviceUrl;
  if (d.protocols && !sameSet(current.protocols, d.protocols)) patch.protocols = d.protocols;
  if (d.subscriptionRequired !== undefined && d.subscriptionRequired !== (current.subscriptionRequired ?? true)) patch.subscriptionRequired = d.subscriptionRequired;
  const header = d.subscriptionKeyHeaderName ?? current.subscriptionKeyHeaderName;
  const query = d.subscriptionKeyQueryName ?? current.subscriptionKeyQueryName;
  if (header !== current.subscriptionKeyHeaderName || query !== current.subscriptionKeyQueryName) patch.subscriptionKeyParameterNames = { header, query };
  if (d.apiVersion !== undefined && d.apiVersion !== current.apiVersion) patch.apiVersion = d.apiVersion;
  if (versionSetArmId && lastSegment(versionSetArmId) !== lastSegment(current.apiVersionSetId)) patch.apiVersionSetId = versionSetArmId;
  return patch;
}

/** Declared tag names not assigned yet; an assigned tag matches by id or by display name. */
function missingTags(declared: readonly string[], assigned: Map<string, string>): string[] {
  const names = new Set([...assigned.values()].map(lower));
  return declared.filter((t) => !assigned.has(tagIdFor(t)) && !names.has(lower(t)));
}

/** Ids of assigned tags that no declared name matches (by id or display name), apart from `keep`. */
function extraTags(declared: readonly string[], assigned: Map<string, string>, keep: readonly string[] = []): string[] {
  const ids = new Set([...keep.map(lower), ...declared.map((t) => tagIdFor(t).toLowerCase())]);
  const names = new Set(declared.map(lower));
  return [...assigned].filter(([id, name]) => !ids.has(lower(id)) && !names.has(lower(name))).map(([id]) => id);
}

/** Tags assigned to the API that it does not declare; its definition fingerprint is v2's own and stays. */
function undeclaredTags(d: ApiDecl, assigned: Map<string, string>): string[] {
  return extraTags(d.tags, assigned, [specTagId(d.id)]);
}

/** The declared tags of an operation (operation ids compare case-insensitively, as the service's). */
function declaredOperationTags(d: ApiDecl, op: string): string[] {
  return d.operationTags.get(op) ?? [...d.operationTags].find(([k]) => lower(k) === lower(op))?.[1] ?? [];
}

/**
 * The operation tag links to write for an API the service has: the declared operations' tags, and with
 * `prune` (scope `operationTags`) every operation's tags that are not declared. Reads only; apply calls
 * it again after an import or a new revision, which can replace operations.
 */
export async function operationTagWork(d: ApiDecl, g: Pick<StateGateway, 'listOperations' | 'listOperationTags'>, prune: boolean, parallelism: number): Promise<OperationTagWork[]> {
  if (d.operationTags.size === 0 && !prune) return [];
  const ops = new Map([...d.operationTags.keys()].map((op) => [lower(op), op]));
  if (prune) for (const o of await g.listOperations(d.id)) if (!ops.has(lower(o.name))) ops.set(lower(o.name), o.name);
  const names = [...ops.values()];
  const assigned = await mapBounded(names, parallelism, (op) => g.listOperationTags(d.id, op));
  return names
    .map((op, i) => ({ operation: op, assign: missingTags(declaredOperationTags(d, op), assigned[i]!), remove: prune ? extraTags(declaredOperationTags(d, op), assigned[i]!) : [] }))
    .filter((w) => w.assign.length > 0 || w.remove.length > 0);
}

/** Tag names among `names` (one per tag id) that the service does not have. */
async function tagsNotOnService(names: readonly string[], g: StateGateway, parallelism: number): Promise<string[]> {
  const unique = [...new Map(names.map((t) => [tagIdFor(t), t])).values()];
  const exists = await mapBounded(unique, parallelism, async (t) => (await g.getTag(tagIdFor(t))) !== undefined);
  return unique.filter((_, i) => !exists[i]);
}

function operationTagDiffers(work: readonly OperationTagWork[]): string[] {
  return work.flatMap((o) => [...o.assign.map((t) => `+tag ${t} (operation ${o.operation})`), ...o.remove.map((t) => `-tag ${t} (operation ${o.operation})`)]);
}

async function planApi(d: ApiDecl, g: StateGateway, parallelism: number, listRevisions: () => Promise<RevisionInfo[]>, pruneTags: boolean, pruneOperationTags: boolean): Promise<PlannedChange> {
  const current = await g.getApi(d.id);
  const ops = [...d.operationPolicies.keys()];
  if (!current) {
    // A new API's operations have no tags: every declared one is assigned once the import made them.
    const operationTags = [...d.operationTags].filter(([, tags]) => tags.length > 0).map(([operation, tags]) => ({ operation, assign: tags, remove: [] }));
    const tagsToCreate = await tagsNotOnService([...d.tags, ...operationTags.flatMap((o) => o.assign)], g, parallelism);
    const work: ApiWork = { importSpec: true, patch: {}, policy: !!d.policy, operations: ops, tagsToCreate, tagsToAssign: d.tags, tagsToRemove: [], operationTags, pruneOperationTags, specTagAssigned: false };
    const parts = ['definition', ...(d.policy ? ['policy'] : []), ...(ops.length ? [`${ops.length} operation policies`] : []), ...(d.tags.length ? ['tags'] : []), ...(operationTags.length ? ['operation tags'] : [])];
    return change('api', d.id, parts, false, { kind: 'api', decl: d, work });
  }
  if (d.spec.kind === 'wsdl' && d.wsdl?.soapApiType === 'soap' && current.apiType && current.apiType !== 'soap') {
    // As v1: the service cannot turn an existing HTTP API into a SOAP pass-through one.
    throw new FileError(d.source, `API '${d.id}' exists as a ${current.apiType} API; a SOAP pass-through API (soapApiType: soap) needs a new API id`, d.line);
  }
  const currentRevision = Number(current.apiRevision ?? '1');
  if (d.revision !== undefined && d.revision < currentRevision) {
    throw new FileError(d.source, `API '${d.id}': revision ${d.revision} is older than the current revision ${currentRevision} of the service; revisions only move forward (declare ${currentRevision} or higher)`, d.line);
  }
  if (d.revision !== undefined && d.revision > currentRevision) {
    const [revisions, tags, operationTags] = await Promise.all([listRevisions(), g.listApiTags(d.id), operationTagWork(d, g, pruneOperationTags, parallelism)]);
    const patch = apiPatch(d, current, d.versionSetId ? g.resourceId(`apiVersionSets/${d.versionSetId}`) : undefined);
    const tagsToAssign = missingTags(d.tags, tags);
    // The new revision starts as a copy of the current one; what goes into it is compared after the import.
    const work: ApiWork = {
      importSpec: true,
      patch,
      policy: !!d.policy,
      operations: ops,
      tagsToCreate: await tagsNotOnService([...tagsToAssign, ...operationTags.flatMap((o) => o.assign)], g, parallelism),
      tagsToAssign,
      tagsToRemove: pruneTags ? undeclaredTags(d, tags) : [],
      operationTags,
      pruneOperationTags,
      current,
      specTagAssigned: tags.has(specTagId(d.id).toLowerCase()),
      newRevision: { number: d.revision, exists: revisions.some((r) => r.revision === d.revision) },
    };
    const differs = [`revision ${currentRevision} -> ${d.revision}`, ...Object.keys(patch), ...(work.tagsToAssign.length ? ['tags'] : []), ...work.tagsToRemove.map((t) => `-tag ${t}`), ...operationTagDiffers(operationTags)];
    return change('api', d.id, differs, true, { kind: 'api', decl: d, work });
  }
  const [tags, apiPolicy, opPolicies, operationTags] = await Promise.all([
    g.listApiTags(d.id),
    d.policy ? g.getPolicy({ kind: 'api', apiId: d.id }) : Promise.resolve(undefined),
    mapBounded(ops, parallelism, (op) => g.getPolicy({ kind: 'operation', apiId: d.id, operationId: op })),
    operationTagWork(d, g, pruneOperationTags, parallelism),
  ]);
  const specTag = specTagId(d.id).toLowerCase();
  const importSpec = tags.get(specTag) !== specTagName(d.spec.hash, current.apiRevision);
  const patch = apiPatch(d, current, d.versionSetId ? g.resourceId(`apiVersionSets/${d.versionSetId}`) : undefined);
  const policy = !!d.policy && !samePolicy(apiPolicy, d.policy.xml);
  const operations = ops.filter((op, i) => !samePolicy(opPolicies[i], d.operationPolicies.get(op)!.xml));
  const tagsToAssign = missingTags(d.tags, tags);
  const tagsToCreate = await tagsNotOnService([...tagsToAssign, ...operationTags.flatMap((o) => o.assign)], g, parallelism);
  const work: ApiWork = { importSpec, patch, policy, operations, tagsToCreate, tagsToAssign, tagsToRemove: pruneTags ? undeclaredTags(d, tags) : [], operationTags, pruneOperationTags, current, specTagAssigned: tags.has(specTag) };
  const differs = [
    ...(importSpec ? ['definition'] : []),
    ...Object.keys(patch),
    ...(policy ? ['policy'] : []),
    ...operations.map((o) => `policy of operation ${o}`),
    ...(tagsToAssign.length ? ['tags'] : []),
    ...work.tagsToRemove.map((t) => `-tag ${t}`),
    ...operationTagDiffers(operationTags),
  ];
  return change('api', d.id, differs, true, { kind: 'api', decl: d, work });
}

/**
 * The revisions the API will have once its own change is applied: a new current revision N makes
 * the old current one a non-current (still online) revision, so it counts among the old ones.
 */
function revisionsAfter(revisions: readonly RevisionInfo[], newRevision: number | undefined): RevisionInfo[] {
  if (newRevision === undefined) return [...revisions];
  const created = revisions.find((r) => r.revision === newRevision);
  return [...revisions.filter((r) => r.revision !== newRevision).map((r) => ({ ...r, isCurrent: false })), { ...created, revision: newRevision, isCurrent: true, isOnline: true }];
}

/** The API's own change, then (with a retire policy) one change per old revision to take offline or delete. */
async function planApiAndRevisions(d: ApiDecl, g: StateGateway, parallelism: number, prune: readonly PruneRule[]): Promise<PlannedChange[]> {
  let listed: Promise<RevisionInfo[]> | undefined;
  const listRevisions = () => (listed ??= g.listRevisions(d.id));
  const api = await planApi(d, g, parallelism, listRevisions, inScope(prune, 'apiTag', d.id), inScope(prune, 'operationTag', d.id));
  // A new API has no operation policy but the declared ones, and one revision: nothing to prune or retire.
  if (api.action === 'create' || api.work.kind !== 'api') return [api];
  const [apiPolicy, opPolicies] = await Promise.all([
    !d.policy && inScope(prune, 'apiPolicy', d.id) ? planPolicyDelete('apiPolicy', d.id, { kind: 'api', apiId: d.id }, g) : Promise.resolve([]),
    inScope(prune, 'apiOperationPolicy', d.id) ? planOperationPolicyDeletes(d, g, parallelism) : Promise.resolve([]),
  ]);
  if (!d.retire) return [api, ...apiPolicy, ...opPolicies];
  const { action, keep } = d.retire;
  const after = revisionsAfter(await listRevisions(), api.work.work.newRevision?.number);
  const retire = revisionsToRetire(after, action, keep).map(
    (step): PlannedChange => ({
      kind: 'apiRevision',
      id: `${d.id};rev=${step.revision}`,
      action: step.action === 'delete' ? 'delete' : 'update',
      differs: [step.action === 'delete' ? `delete revision ${step.revision} (keep ${keep})` : `take revision ${step.revision} offline (keep ${keep})`],
      work: { kind: 'retireRevision', apiId: d.id, revision: step.revision, step: step.action },
    }),
  );
  return [api, ...apiPolicy, ...opPolicies, ...retire];
}

/**
 * The policy of a declared API or product that declares none (prune scope `apiPolicies`,
 * `productPolicies`), if the service holds one. Deleted after the entity's own change: a new
 * revision starts as a copy of the current one, policy included, so the delete follows its release.
 */
async function planPolicyDelete(kind: 'apiPolicy' | 'productPolicy', id: string, scope: PolicyScope, g: StateGateway): Promise<PlannedChange[]> {
  if ((await g.getPolicy(scope)) === undefined) return [];
  return [{ kind, id, action: 'delete', differs: [], work: { kind: 'deletePolicy', scope } }];
}

/** Policies of the API's operations that the state does not declare (prune scope `apiOperationPolicies`). */
async function planOperationPolicyDeletes(d: ApiDecl, g: StateGateway, parallelism: number): Promise<PlannedChange[]> {
  const declared = new Set([...d.operationPolicies.keys()].map(lower));
  const others = (await g.listOperations(d.id)).map((o) => o.name).filter((op) => !declared.has(lower(op)));
  const held = await mapBounded(others, parallelism, async (op) => (await g.getPolicy({ kind: 'operation', apiId: d.id, operationId: op })) !== undefined);
  return others
    .filter((_, i) => held[i])
    .map((op): PlannedChange => ({ kind: 'apiOperationPolicy', id: `${d.id}/${op}`, action: 'delete', differs: [], work: { kind: 'deletePolicy', scope: { kind: 'operation', apiId: d.id, operationId: op } } }));
}

const PRODUCT_PROPS = ['displayName', 'description', 'terms', 'subscriptionRequired', 'approvalRequired', 'subscriptionsLimit', 'state'] as const;

/** The group the service gives every new product to (on the tiers that have groups). */
const CREATOR_GROUP = 'administrators';

interface ProductPrune {
  links: boolean;
  groups: boolean;
  policy: boolean;
  tags: boolean;
}

async function planProduct(d: ProductDecl, g: StateGateway, parallelism: number, prune: ProductPrune): Promise<PlannedChange[]> {
  const { groups: pruneGroups } = prune;
  const live = await g.getProduct(d.id);
  if (!live) {
    // Shown in the plan as the service will have it; apply still reads the groups again after the create.
    const creatorGoes = pruneGroups && !d.groups.some((gr) => lower(gr) === CREATOR_GROUP);
    const tagsToCreate = await tagsNotOnService(d.tags, g, parallelism);
    const work: ProductWork = { put: true, addApis: d.apis, removeApis: [], addGroups: d.groups, removeGroups: creatorGoes ? [CREATOR_GROUP] : [], pruneGroupsAfterCreate: pruneGroups, tagsToCreate, tagsToAssign: d.tags, tagsToRemove: [], policy: !!d.policy };
    const parts = ['product', ...(d.apis.length ? ['apis'] : []), ...(d.groups.length ? ['groups'] : []), ...(creatorGoes ? [`-group ${CREATOR_GROUP} (added by the service on create)`] : []), ...(d.tags.length ? ['tags'] : []), ...(d.policy ? ['policy'] : [])];
    return [change('product', d.id, parts, false, { kind: 'product', decl: d, work })];
  }
  const [apis, groups, tags, policy, policyDelete] = await Promise.all([
    g.listProductApis(d.id),
    d.groups.length || pruneGroups ? g.listProductGroups(d.id) : Promise.resolve([]),
    d.tags.length || prune.tags ? g.listProductTags(d.id) : Promise.resolve(new Map<string, string>()),
    d.policy ? g.getPolicy({ kind: 'product', productId: d.id }) : Promise.resolve(undefined),
    !d.policy && prune.policy ? planPolicyDelete('productPolicy', d.id, { kind: 'product', productId: d.id }, g) : Promise.resolve([]),
  ]);
  const tagsToAssign = missingTags(d.tags, tags);
  const props = PRODUCT_PROPS.filter((p) => d[p] !== undefined && d[p] !== live[p]);
  const linked = new Set(apis.map(lower));
  const declared = new Set(d.apis.map(lower));
  const work: ProductWork = {
    put: props.length > 0,
    live,
    addApis: d.apis.filter((a) => !linked.has(lower(a))),
    removeApis: prune.links ? apis.filter((a) => !declared.has(lower(a))) : [],
    addGroups: d.groups.filter((gr) => !groups.map(lower).includes(lower(gr))),
    removeGroups: pruneGroups ? groups.filter((gr) => !d.groups.map(lower).includes(lower(gr))) : [],
    pruneGroupsAfterCreate: false,
    tagsToCreate: await tagsNotOnService(tagsToAssign, g, parallelism),
    tagsToAssign,
    tagsToRemove: prune.tags ? extraTags(d.tags, tags) : [],
    policy: !!d.policy && !samePolicy(policy, d.policy.xml),
  };
  const differs = [
    ...props,
    ...work.addApis.map((a) => `+api ${a}`),
    ...work.removeApis.map((a) => `-api ${a}`),
    ...work.addGroups.map((gr) => `+group ${gr}`),
    ...work.removeGroups.map((gr) => `-group ${gr}`),
    ...work.tagsToAssign.map((t) => `+tag ${t}`),
    ...work.tagsToRemove.map((t) => `-tag ${t}`),
    ...(work.policy ? ['policy'] : []),
  ];
  return [change('product', d.id, differs, true, { kind: 'product', decl: d, work }), ...policyDelete];
}

/** A Consumption service has no groups: listing a product's groups fails there, so there is nothing to prune. */
async function productGroupsPrunable(desired: DesiredState, g: StateGateway, prune: readonly PruneRule[], notes: string[]): Promise<boolean> {
  if (!desired.products.some((d) => inScope(prune, 'productGroup', d.id))) return false;
  const { sku } = await g.getService();
  if (tierHasGroups(sku)) return true;
  notes.push(`product groups are not pruned: the service is on the ${sku} tier, which has no groups`);
  return false;
}

/** Reads the service and compares; writes nothing. */
export async function planState(desired: DesiredState, service: StateGateway, options: { prune: readonly PruneRule[]; parallelism: number }): Promise<Plan> {
  const { gateway: g, reads } = counting(service);
  const { prune, parallelism: p } = options;
  const pruneKinds = new Set(prune.map((r) => r.kind));
  const declaredApis = new Set(desired.apis.map((a) => lower(a.id)));
  const needApis = pruneKinds.has('api') || desired.products.some((pr) => pr.apis.some((a) => !declaredApis.has(lower(a))));
  const declaredSets = new Set(desired.versionSets.map((v) => lower(v.id)));
  const needSets = pruneKinds.has('versionSet') || desired.apis.some((a) => a.versionSetId && !declaredSets.has(lower(a.versionSetId)));
  const declaredFragments = new Set(desired.policyFragments.map((f) => lower(f.id)));
  const needFragments = pruneKinds.has('policyFragment') || fragmentRefs(desired).some((r) => !declaredFragments.has(lower(r.name)));
  const declaredGroups = new Set(desired.groups.map((gr) => lower(gr.id)));
  const needGroups = desired.products.some((pr) => pr.groups.some((gr) => !declaredGroups.has(lower(gr))));

  const tierNotes: string[] = [];
  const [namedValues, backends, apis, products, versionSets, policyFragments, groups, customGroups, apiSets, tags, globalPolicy, pruneProductGroups] = await Promise.all([
    g.listNamedValues(),
    g.listBackends(),
    needApis ? g.listApis() : Promise.resolve(undefined),
    pruneKinds.has('product') ? g.listProducts() : Promise.resolve([]),
    needSets ? g.listVersionSets() : Promise.resolve(undefined),
    needFragments ? g.listPolicyFragments() : Promise.resolve(undefined),
    needGroups ? g.listGroups() : Promise.resolve(undefined),
    pruneKinds.has('group') ? g.listCustomGroups() : Promise.resolve([]),
    pruneKinds.has('versionSet') ? g.listApiVersionSets() : Promise.resolve([]),
    pruneKinds.has('tag') ? g.listTags() : Promise.resolve([]),
    !desired.globalPolicy && inScope(prune, 'globalPolicy', 'policy') ? g.getPolicy({ kind: 'global' }) : Promise.resolve(undefined),
    productGroupsPrunable(desired, g, prune, tierNotes),
  ]);
  // One listing for the declared subscriptions and the prune (never a key: the service returns none here).
  const subscriptions = desired.subscriptions.length > 0 || pruneKinds.has('subscription') ? await g.listSubscriptions() : [];

  type Task = () => Promise<PlannedChange | PlannedChange[]>;
  const tasks: Task[] = [
    ...desired.namedValues.map((d): Task => () => planNamedValue(d, g)),
    ...desired.backends.map((d): Task => () => planBackend(d, g)),
    ...desired.versionSets.map((d): Task => () => planVersionSet(d, g)),
    ...desired.policyFragments.map((d): Task => () => planFragment(d, g)),
    ...desired.groups.map((d): Task => () => planGroup(d, g)),
    ...desired.apis.map((d): Task => () => planApiAndRevisions(d, g, p, prune)),
    ...desired.products.map(
      (d): Task =>
        () =>
          planProduct(d, g, p, {
            links: inScope(prune, 'productApi', d.id),
            groups: pruneProductGroups && inScope(prune, 'productGroup', d.id),
            policy: inScope(prune, 'productPolicy', d.id),
            tags: inScope(prune, 'productTag', d.id),
          }),
    ),
  ];
  const declaredGlobal = desired.globalPolicy;
  if (declaredGlobal) {
    tasks.push(async () => {
      const live = await g.getPolicy({ kind: 'global' });
      return change('globalPolicy', 'policy', samePolicy(live, declaredGlobal.xml) ? [] : ['policy'], live !== undefined, { kind: 'globalPolicy' });
    });
  } else if (globalPolicy !== undefined) {
    tasks.push(async () => ({ kind: 'globalPolicy', id: 'policy', action: 'delete', differs: [], work: { kind: 'deletePolicy', scope: { kind: 'global' } } }));
  }
  const changes = (await mapBounded(tasks, p, (t) => t())).flat();

  const { deletes, notes } = await planDeletes(desired, g, prune, p, changes, { namedValues, backends, apis, products, versionSets, policyFragments, customGroups, apiSets, tags });
  const subscriptionChanges = planSubscriptions(desired, subscriptions, prune);
  await checkSubscriptionScopes(desired, g, [...changes, ...deletes]);
  return { changes: [...changes, ...subscriptionChanges, ...deletes], notes: [...tierNotes, ...notes], live: { namedValues, backends, apis, versionSets, policyFragments, groups }, reads: reads() };
}
