/**
 * Turns a plan into jobs and runs them in dependency order: named values, backends and version
 * sets first; an API after the version set, named values and backends its policies use; a product
 * after its APIs; the global policy after what it references; deletes of named values and backends
 * after every policy that could still use them. Unchanged entities are no jobs at all.
 */
import type { Logger } from '../../../common/log/logger';
import { importFormat, specTagId, specTagName, tagIdFor } from '../deploy-api';
import type { ApiPatch, ApiPut, ApiState } from '../gateway';
import type { OfflineCheck } from '../model';
import { checkOffline, releaseId } from '../revisions';
import { namedValueNames, namedValueRefs, samePolicy, type PolicyDocument } from '../policy-xml';
import type { StateGateway } from './live';
import type { ApiDecl, DesiredState } from './model';
import { operationTagWork, type ApiWork, type Plan, type PlannedChange } from './plan';
import { backendRefs, fragmentRefsIn } from './preflight';
import { mapBounded, runJobs, type Job, type ScheduleResult } from './scheduler';
import { describeScope, scopePath } from './subscriptions';

/** Per API, on top of the entities written at once (parallelism). */
const OPERATION_POLICIES_AT_ONCE = 4;

export interface ApplyResult extends ScheduleResult {
  writes: number;
}

const key = (kind: string, id: string) => `${kind}:${id.toLowerCase()}`;

/** A write refused because another job failed first: its job stopped half-way. */
export class StoppedError extends Error {
  constructor(what: string) {
    super(`not sent after the failure: ${what}`);
  }
}

/** Every write goes through here: logged before it is sent, and counted; none starts after a failure. */
class Writer {
  count = 0;
  stopped = false;
  /** Tags created by this run, by id: an API and a product (or two APIs) that need the same new tag create it once. */
  readonly tagsCreated = new Map<string, Promise<void>>();
  constructor(
    readonly gateway: StateGateway,
    readonly logger: Logger,
    readonly now: () => Date,
    readonly offlineCheck: OfflineCheck,
  ) {}

  async write<T>(what: string, fn: (g: StateGateway) => Promise<T>): Promise<T> {
    if (this.stopped) throw new StoppedError(what);
    this.logger.info(`${what}...`);
    this.count++;
    return fn(this.gateway);
  }
}

function importBody(d: ApiDecl, g: StateGateway): ApiPut {
  return {
    ...importFormat(d.spec, d.wsdl),
    path: d.path,
    displayName: d.displayName ?? (d.spec.title ? undefined : d.id),
    description: d.description,
    serviceUrl: d.serviceUrl,
    protocols: d.protocols,
    subscriptionRequired: d.subscriptionRequired,
    subscriptionKeyParameterNames: d.subscriptionKeyHeaderName || d.subscriptionKeyQueryName ? { header: d.subscriptionKeyHeaderName, query: d.subscriptionKeyQueryName } : undefined,
    apiVersion: d.apiVersion,
    apiVersionSetId: d.versionSetId ? g.resourceId(`apiVersionSets/${d.versionSetId}`) : undefined,
  };
}

/**
 * What a WSDL or GraphQL import needs after the PUT, as v1 does: a GraphQL API gets its schema
 * (the PUT only creates the API); a WSDL import drops the description and can replace the name and
 * backend URL, so what the body asked for is put back, or the next run would see a difference.
 */
async function afterFormatImport(d: ApiDecl, apiId: string, body: ApiPut, w: Writer): Promise<void> {
  if (d.spec.kind === 'graphql') await w.write(`Upload the GraphQL schema of '${apiId}' from ${d.spec.source}`, (g) => g.putGraphQlSchema(apiId, d.spec.value));
  if (d.spec.kind !== 'wsdl') return;
  const after = await w.gateway.getApi(apiId);
  if (!after) return;
  const patch: ApiPatch = {};
  if (body.serviceUrl !== undefined && after.serviceUrl !== body.serviceUrl) patch.serviceUrl = body.serviceUrl;
  if (body.description !== undefined && (after.description ?? '') !== body.description) patch.description = body.description;
  if (body.displayName !== undefined && after.displayName !== body.displayName) patch.displayName = body.displayName;
  if (Object.keys(patch).length > 0) await w.write(`Restore ${Object.keys(patch).join(', ')} of '${apiId}' after the WSDL import`, (g) => g.patchApi(apiId, after.etag ?? '*', patch));
}

/** Operation policies that differ from what `apiId` (an API or one of its revisions) now holds. */
async function differingOperations(d: ApiDecl, apiId: string, w: Writer): Promise<string[]> {
  const ops = [...d.operationPolicies.keys()];
  const have = await mapBounded(ops, OPERATION_POLICIES_AT_ONCE, (op) => w.gateway.getPolicy({ kind: 'operation', apiId, operationId: op }));
  return ops.filter((op, i) => !samePolicy(have[i], d.operationPolicies.get(op)!.xml));
}

async function writeOperationPolicies(d: ApiDecl, apiId: string, operations: string[], w: Writer): Promise<void> {
  // Operation policies are independent of each other: a few at once, so an API with many of them is not the long pole.
  await mapBounded(operations, OPERATION_POLICIES_AT_ONCE, async (op) => {
    const doc = d.operationPolicies.get(op)!;
    await w.write(`Set the policy of operation '${op}' of '${apiId}' from ${doc.source}`, (g) => g.putPolicy({ kind: 'operation', apiId, operationId: op }, doc.xml));
  });
}

/** Tags the service does not have yet, each once, before anything is tagged with them (the service refuses an unknown tag). */
async function createTags(names: readonly string[], w: Writer): Promise<void> {
  for (const tag of names) {
    const id = tagIdFor(tag);
    let created = w.tagsCreated.get(id);
    if (!created) {
      created = w.write(`Create tag '${tag}'`, (g) => g.putTag(id, tag));
      w.tagsCreated.set(id, created);
    }
    await created;
  }
}

/**
 * The API's tags, then its operations' (after an import or a new revision the operations may have
 * been replaced, so their tags are read again rather than taken from the plan).
 */
async function writeTags(d: ApiDecl, plan: ApiWork, w: Writer, readOperationsAgain: boolean): Promise<void> {
  const operationTags = readOperationsAgain ? await operationTagWork(d, w.gateway, plan.pruneOperationTags, OPERATION_POLICIES_AT_ONCE) : plan.operationTags;
  await createTags(plan.tagsToCreate, w);
  for (const tag of plan.tagsToAssign) await w.write(`Tag API '${d.id}' with '${tag}'`, (g) => g.assignTagToApi(d.id, tagIdFor(tag)));
  for (const id of plan.tagsToRemove) await w.write(`Remove tag '${id}' from API '${d.id}' (prune)`, (g) => g.detachTagFromApi(d.id, id));
  await mapBounded(operationTags, OPERATION_POLICIES_AT_ONCE, async ({ operation, assign, remove }) => {
    for (const tag of assign) await w.write(`Tag operation '${operation}' of API '${d.id}' with '${tag}'`, (g) => g.assignTagToOperation(d.id, operation, tagIdFor(tag)));
    for (const id of remove) await w.write(`Remove tag '${id}' from operation '${operation}' of API '${d.id}' (prune)`, (g) => g.detachTagFromOperation(d.id, operation, id));
  });
}

/**
 * A new current revision: created from the current one (the body carries `path`, which the
 * specification requires), the definition and policies put into it, then released. What applies
 * to the whole API (name, description, path, version) is patched after the release.
 */
async function applyNewRevision(d: ApiDecl, plan: ApiWork, cur: ApiState, revision: { number: number; exists: boolean }, w: Writer): Promise<void> {
  const revId = `${d.id};rev=${revision.number}`;
  const path = cur.path ?? d.path;
  if (!revision.exists) {
    await w.write(`Create revision ${revision.number} of API '${d.id}'`, (g) => g.putApi(revId, { sourceApiId: g.resourceId(`apis/${d.id}`), apiRevisionDescription: d.revisionDescription, path }));
  }
  const revBody: ApiPut = { ...importFormat(d.spec, d.wsdl), path, serviceUrl: d.serviceUrl ?? cur.serviceUrl, protocols: d.protocols ?? cur.protocols };
  await w.write(`Import the definition into revision ${revision.number} of API '${d.id}' from ${d.spec.source}`, (g) => g.putApi(revId, revBody));
  await afterFormatImport(d, revId, revBody, w);
  if (d.policy && !samePolicy(await w.gateway.getPolicy({ kind: 'api', apiId: revId }), d.policy.xml)) {
    const doc = d.policy;
    await w.write(`Set the policy of '${revId}' from ${doc.source}`, (g) => g.putPolicy({ kind: 'api', apiId: revId }, doc.xml));
  }
  await writeOperationPolicies(d, revId, await differingOperations(d, revId, w), w);
  const tagId = specTagId(d.id);
  await w.write(`Record the definition fingerprint of API '${d.id}'`, (g) => g.putTag(tagId, specTagName(d.spec.hash, revision.number)));
  if (!plan.specTagAssigned) await w.write(`Tag API '${d.id}' with its definition fingerprint`, (g) => g.assignTagToApi(d.id, tagId));
  await w.write(`Make revision ${revision.number} of API '${d.id}' current`, (g) => g.createRelease(d.id, releaseId(revision.number, w.now()), g.resourceId(`apis/${revId}`), d.releaseNotes));
  const { serviceUrl: _u, protocols: _p, ...apiWide } = plan.patch;
  if (Object.keys(apiWide).length > 0) {
    const after = await w.gateway.getApi(d.id);
    await w.write(`Update ${Object.keys(apiWide).join(', ')} of API '${d.id}'`, (g) => g.patchApi(d.id, after?.etag ?? '*', apiWide));
  }
  // After the release: the operations tagged are those of the new current revision.
  await writeTags(d, plan, w, true);
}

async function applyApi(c: PlannedChange & { work: { kind: 'api' } }, w: Writer): Promise<void> {
  const d = c.work.decl;
  const plan = c.work.work;
  const cur = plan.current;
  if (cur && plan.newRevision) return applyNewRevision(d, plan, cur, plan.newRevision, w);
  let operations = plan.operations;
  if (plan.importSpec) {
    // What the definition would otherwise replace (backend URL, name, description) is sent with it.
    const body = importBody(d, w.gateway);
    if (cur) {
      body.serviceUrl ??= cur.serviceUrl;
      body.displayName ??= cur.displayName;
      body.description ??= cur.description;
      body.protocols ??= cur.protocols;
      if (!d.versionSetId && cur.apiVersionSetId) {
        body.apiVersion = cur.apiVersion;
        body.apiVersionSetId = cur.apiVersionSetId;
      }
    }
    const after = await w.write(`${cur ? 'Import the definition into' : 'Create'} API '${d.id}' from ${d.spec.source}`, (g) => g.putApi(d.id, body));
    await afterFormatImport(d, d.id, body, w);
    const tagId = specTagId(d.id);
    await w.write(`Record the definition fingerprint of API '${d.id}'`, (g) => g.putTag(tagId, specTagName(d.spec.hash, cur?.apiRevision ?? after.apiRevision ?? '1')));
    if (!plan.specTagAssigned) await w.write(`Tag API '${d.id}' with its definition fingerprint`, (g) => g.assignTagToApi(d.id, tagId));
    // An import can replace operations; their policies are compared again against what it left.
    if (cur) operations = await differingOperations(d, d.id, w);
  } else if (Object.keys(plan.patch).length > 0) {
    await w.write(`Update ${Object.keys(plan.patch).join(', ')} of API '${d.id}'`, (g) => g.patchApi(d.id, cur?.etag ?? '*', plan.patch));
  }
  if (plan.policy && d.policy) {
    const doc = d.policy;
    await w.write(`Set the policy of API '${d.id}' from ${doc.source}`, (g) => g.putPolicy({ kind: 'api', apiId: d.id }, doc.xml));
  }
  await writeOperationPolicies(d, d.id, operations, w);
  // A new API's operations have no tags yet: the plan's work stands; an import into an existing one is read again.
  await writeTags(d, plan, w, plan.importSpec && !!cur);
}

/**
 * An old revision, after its API's release: the ETag is read just before the write (the release
 * may have changed it); one already gone is left alone. Offline is read back (offlineCheck).
 */
async function retireRevision(apiId: string, revision: number, step: 'offline' | 'delete', w: Writer): Promise<void> {
  const revId = `${apiId};rev=${revision}`;
  const state = await w.gateway.getApi(revId);
  if (!state) return;
  if (step === 'delete') {
    await w.write(`Delete revision ${revision} of API '${apiId}'`, (g) => g.deleteRevision(revId, state.etag ?? '*'));
    return;
  }
  await w.write(`Take revision ${revision} of API '${apiId}' offline`, (g) => g.takeRevisionOffline(revId, state.etag ?? '*'));
  await checkOffline(apiId, revision, w.offlineCheck, w.gateway, w.logger);
}

async function applyChange(c: PlannedChange, desired: DesiredState, w: Writer): Promise<void> {
  const work = c.work;
  switch (work.kind) {
    case 'namedValue': {
      const d = work.decl;
      const body = { displayName: d.displayName, secret: d.secret, tags: d.tags, ...(d.keyVault ? { keyVault: d.keyVault } : { value: d.value }) };
      await w.write(`${c.action === 'create' ? 'Create' : 'Update'} named value '${d.id}'${c.differs.length ? ` (${c.differs.join(', ')})` : ''}`, (g) => g.putNamedValue(d.id, body, work.etag));
      return;
    }
    case 'backend': {
      const d = work.decl;
      if (c.action === 'create') {
        const { id, source: _s, line: _l, ...fields } = d;
        await w.write(`Create backend '${id}'`, (g) => g.createBackend(id, fields));
      } else {
        await w.write(`Update backend '${d.id}': ${c.differs.join(', ')}`, (g) => g.updateBackend(d.id, work.etag ?? '*', work.patch));
      }
      return;
    }
    case 'versionSet': {
      const d = work.decl;
      await w.write(`${c.action === 'create' ? 'Create' : 'Update'} version set '${d.id}'`, (g) => g.putVersionSet(d.id, { displayName: d.displayName, scheme: d.scheme, headerName: d.headerName, queryName: d.queryName }));
      return;
    }
    case 'policyFragment': {
      const d = work.decl;
      await w.write(`${c.action === 'create' ? 'Create' : 'Update'} policy fragment '${d.id}' from ${d.doc.source}`, (g) => g.putPolicyFragment(d.id, d.doc.xml, d.description));
      return;
    }
    case 'group': {
      const d = work.decl;
      await w.write(`${c.action === 'create' ? 'Create' : 'Update'} group '${d.id}'`, (g) => g.putGroup(d.id, { displayName: d.displayName, description: d.description, type: d.type, externalId: d.externalId }));
      return;
    }
    case 'api':
      return applyApi(c as PlannedChange & { work: { kind: 'api' } }, w);
    case 'subscription': {
      const d = work.decl;
      if (c.action === 'create') {
        // No keys in the body: the service generates them.
        const body = { scope: scopePath(d.scope), displayName: d.displayName, state: d.state, allowTracing: d.allowTracing };
        await w.write(`Create subscription '${d.id}' to ${describeScope(d.scope)}`, (g) => g.createSubscription(d.id, body));
      } else {
        await w.write(`Update subscription '${d.id}': ${c.differs.join(', ')}`, (g) => g.updateSubscription(d.id, work.etag ?? '*', work.patch));
      }
      return;
    }
    case 'product': {
      const d = work.decl;
      const p = work.work;
      if (p.put) {
        const { etag: _e, ...live } = p.live ?? {};
        const state = { ...live, displayName: d.displayName, description: d.description ?? live.description, terms: d.terms ?? live.terms, subscriptionRequired: d.subscriptionRequired ?? live.subscriptionRequired, approvalRequired: d.approvalRequired ?? live.approvalRequired, subscriptionsLimit: d.subscriptionsLimit ?? live.subscriptionsLimit, state: d.state ?? live.state };
        if (state.subscriptionRequired === false) {
          delete state.approvalRequired;
          delete state.subscriptionsLimit;
        }
        await w.write(`${c.action === 'create' ? 'Create' : 'Update'} product '${d.id}'`, (g) => g.putProduct(d.id, state));
      }
      for (const a of p.addApis) await w.write(`Add API '${a}' to product '${d.id}'`, (g) => g.addApiToProduct(d.id, a));
      for (const a of p.removeApis) await w.write(`Remove API '${a}' from product '${d.id}' (prune)`, (g) => g.removeApiFromProduct(d.id, a));
      for (const gr of p.addGroups) await w.write(`Give group '${gr}' access to product '${d.id}'`, (g) => g.addGroupToProduct(d.id, gr));
      // A new product is given to administrators by the service: known only once it exists.
      const declaredGroups = new Set(d.groups.map((gr) => gr.toLowerCase()));
      const removeGroups = p.pruneGroupsAfterCreate ? (await w.gateway.listProductGroups(d.id)).filter((gr) => !declaredGroups.has(gr.toLowerCase())) : p.removeGroups;
      for (const gr of removeGroups) await w.write(`Remove group '${gr}' from product '${d.id}' (prune)`, (g) => g.removeGroupFromProduct(d.id, gr));
      await createTags(p.tagsToCreate, w);
      for (const tag of p.tagsToAssign) await w.write(`Tag product '${d.id}' with '${tag}'`, (g) => g.assignTagToProduct(d.id, tagIdFor(tag)));
      for (const id of p.tagsToRemove) await w.write(`Remove tag '${id}' from product '${d.id}' (prune)`, (g) => g.detachTagFromProduct(d.id, id));
      if (p.policy && d.policy) {
        const doc = d.policy;
        await w.write(`Set the policy of product '${d.id}' from ${doc.source}`, (g) => g.putPolicy({ kind: 'product', productId: d.id }, doc.xml));
      }
      return;
    }
    case 'globalPolicy': {
      const doc = desired.globalPolicy!;
      await w.write(`Set the global policy from ${doc.source}`, (g) => g.putPolicy({ kind: 'global' }, doc.xml));
      return;
    }
    case 'retireRevision':
      return retireRevision(work.apiId, work.revision, work.step, w);
    case 'delete': {
      const etag = work.etag;
      const what = `Delete ${c.kind} '${c.id}' (prune)`;
      if (c.kind === 'api') await w.write(what, (g) => g.deleteApi(c.id, etag));
      else if (c.kind === 'product') await w.write(what, (g) => g.deleteProduct(c.id, etag));
      else if (c.kind === 'namedValue') await w.write(what, (g) => g.deleteNamedValue(c.id, etag));
      else if (c.kind === 'backend') await w.write(what, (g) => g.deleteBackend(c.id, etag));
      else if (c.kind === 'versionSet') await w.write(what, (g) => g.deleteVersionSet(c.id, etag));
      else if (c.kind === 'group') await w.write(what, (g) => g.deleteGroup(c.id, etag));
      else if (c.kind === 'policyFragment') await w.write(what, (g) => g.deletePolicyFragment(c.id, etag));
      else if (c.kind === 'tag') await w.write(what, (g) => g.deleteTag(c.id, etag));
      else if (c.kind === 'subscription') await w.write(what, (g) => g.deleteSubscription(c.id, etag));
      return;
    }
    case 'deletePolicy': {
      const scope = work.scope;
      const what =
        scope.kind === 'operation'
          ? `Delete the policy of operation '${scope.operationId}' of API '${scope.apiId}' (prune)`
          : scope.kind === 'api'
            ? `Delete the policy of API '${scope.apiId}' (prune)`
            : scope.kind === 'product'
              ? `Delete the policy of product '${scope.productId}' (prune)`
              : 'Delete the global policy (prune)';
      await w.write(what, (g) => g.deletePolicy(scope));
      return;
    }
  }
}

/** Jobs this policy must wait for: the named values (by id or name) and backends it references. */
function policyDeps(docs: Array<PolicyDocument | undefined>, desired: DesiredState): string[] {
  const out: string[] = [];
  for (const doc of docs) {
    if (!doc) continue;
    for (const r of namedValueRefs(doc.xml)) {
      const nv = desired.namedValues.find((n) => n.id.toLowerCase() === r.name.toLowerCase() || n.displayName.toLowerCase() === r.name.toLowerCase());
      if (nv) out.push(key('namedValue', nv.id));
    }
    for (const b of backendRefs(doc)) out.push(key('backend', b.name));
    for (const f of fragmentRefsIn(doc)) out.push(key('policyFragment', f.name));
  }
  return out;
}

function depsOf(c: PlannedChange, desired: DesiredState, all: PlannedChange[]): string[] {
  const w = c.work;
  switch (w.kind) {
    case 'backend': {
      const creds = w.decl.credentials;
      const values = [...Object.values(creds?.header ?? {}).flat(), ...Object.values(creds?.query ?? {}).flat(), ...(creds?.authorization ? [creds.authorization.parameter] : [])];
      return values.flatMap((v) => namedValueNames(v)).flatMap((n) => {
        const nv = desired.namedValues.find((x) => x.id.toLowerCase() === n.toLowerCase() || x.displayName.toLowerCase() === n.toLowerCase());
        return nv ? [key('namedValue', nv.id)] : [];
      });
    }
    case 'api':
      return [...(w.decl.versionSetId ? [key('versionSet', w.decl.versionSetId)] : []), ...policyDeps([w.decl.policy, ...w.decl.operationPolicies.values()], desired)];
    case 'policyFragment':
      return policyDeps([w.decl.doc], desired);
    case 'product':
      return [...w.decl.apis.map((a) => key('api', a)), ...w.decl.groups.map((gr) => key('group', gr)), ...policyDeps([w.decl.policy], desired)];
    case 'globalPolicy':
      return policyDeps([desired.globalPolicy], desired);
    case 'subscription':
      // After the product or API it gives access to (created or changed by the run).
      return w.decl.scope.kind === 'allApis' ? [] : [key(w.decl.scope.kind, w.decl.scope.id)];
    case 'retireRevision':
      // After the API's own change: a new revision is released first, so the old current one can go.
      return [key('api', w.apiId)];
    case 'deletePolicy':
      // An API or operation policy after its API's own change (an import or a new revision may have
      // replaced it; a new revision copies the current one's policies); a product policy after the product's.
      return w.scope.kind === 'operation' || w.scope.kind === 'api' ? [key('api', w.scope.apiId)] : w.scope.kind === 'product' ? [key('product', w.scope.productId)] : [];
    case 'delete':
      return deleteDeps(c, all);
    default:
      return [];
  }
}

const jobId = (c: PlannedChange) => (c.action === 'delete' ? `delete:${key(c.kind, c.id)}` : key(c.kind, c.id));

/**
 * What a delete waits for, because the service refuses it while something still uses the entity:
 * a version set after every API change and delete (an API leaving or going with it); a group after
 * the product changes; a policy fragment after every policy write and delete; a named value or
 * backend after every write and every delete that removes a policy or fragment (API, revision,
 * product, API/operation/product/global policy, fragment), and a named value after the backend
 * deletes (a backend's credentials can use it); a tag after the API and product changes (which detach
 * undeclared tags: a detach after its tag is gone could be refused). These wait for all such changes of the run, not
 * only the ones that reference the entity: the plan has not read the content of every policy it
 * deletes, a wait too many only delays these last deletes, and every other job still runs in parallel.
 */
function deleteDeps(c: PlannedChange, all: PlannedChange[]): string[] {
  const writes = all.filter((o) => o.action !== 'delete' && o.action !== 'unchanged');
  const ofKinds = (list: PlannedChange[], kinds: string[]) => list.filter((o) => kinds.includes(o.kind)).map(jobId);
  const deletes = all.filter((o) => o.action === 'delete');
  switch (c.kind) {
    case 'api':
    case 'product':
      // The subscriptions the prune deletes go first (the product's would otherwise go with it, and their deletes find nothing).
      return ofKinds(deletes, ['subscription']);
    case 'versionSet':
      return [...ofKinds(writes, ['api']), ...ofKinds(deletes, ['api'])];
    case 'group':
      return ofKinds(writes, ['product']);
    case 'tag':
      return ofKinds(writes, ['api', 'product']);
    case 'policyFragment':
      return [...writes.map(jobId), ...ofKinds(deletes, ['api', 'product', 'apiPolicy', 'apiOperationPolicy', 'productPolicy', 'globalPolicy'])];
    case 'namedValue':
    case 'backend':
      return [...writes.map(jobId), ...ofKinds(deletes, ['api', 'apiRevision', 'product', 'apiPolicy', 'apiOperationPolicy', 'productPolicy', 'globalPolicy', 'policyFragment', ...(c.kind === 'namedValue' ? ['backend'] : [])])];
    default:
      return [];
  }
}

export async function applyPlan(
  plan: Plan,
  desired: DesiredState,
  gateway: StateGateway,
  logger: Logger,
  parallelism: number,
  now: () => Date = () => new Date(),
  offlineCheck: OfflineCheck = 'fail',
): Promise<ApplyResult> {
  const writer = new Writer(gateway, logger, now, offlineCheck);
  const pending = plan.changes.filter((c) => c.action !== 'unchanged');
  const jobs: Job[] = pending.map((c) => ({
    id: jobId(c),
    label: `${c.action} ${c.kind} '${c.id}'`,
    deps: depsOf(c, desired, pending),
    run: () => applyChange(c, desired, writer),
  }));
  const result = await runJobs(jobs, parallelism, { onFail: () => (writer.stopped = true) });
  return { ...result, writes: writer.count };
}
