import { FileError } from '../../common/errors';
import { DeployError } from './apim-errors';
import type { ApiPatch, ApiPut, ApiState, PolicyScope } from './gateway';
import type { ApiSettings, DeployOutputs } from './model';
import type { PolicyDocument } from './policy-xml';
import { samePolicy } from './policy-xml';
import { newest, release, retireRevisions } from './revisions';
import { checkNamedValues, loadOperationPolicies, readDocument, resolvePolicy, type DeployDeps } from './sources';
import { fingerprint, loadSpec, type LoadedSpec } from './spec';
import { WriteLog } from './write-log';

/** The tag that records which definition was last imported, so an unchanged one is not re-imported. */
export function specTagId(apiId: string): string {
  const id = `srk-spec-${apiId}`;
  return id.length <= 80 ? id : `srk-spec-${fingerprint([apiId]).slice(0, 32)}`;
}

/**
 * The fingerprint names the revision it was imported into: an import into a new, non-current
 * revision must not make the current one look up to date to a later `update` run. A tag written
 * by task 1.0 (no revision) matches nothing, so the first run after the upgrade imports once.
 */
export function specTagName(hash: string, revision: string | number | undefined): string {
  return `spec-sha256-${hash.slice(0, 40)}-rev${revision ?? 1}`;
}

function lastSegment(id: string | undefined): string | undefined {
  return id?.split('/').pop()?.toLowerCase();
}

function sameSet(a: string[] | undefined, b: string[]): boolean {
  const x = new Set((a ?? []).map((s) => s.toLowerCase()));
  return x.size === b.length && b.every((s) => x.has(s.toLowerCase()));
}

/** Properties of the whole API (not of a revision) the user asked for, that differ from `current`. */
function apiWideChanges(s: ApiSettings, current: ApiState, versionSetArmId: string | undefined): ApiPatch {
  const patch: ApiPatch = {};
  if (s.displayName !== undefined && s.displayName !== current.displayName) patch.displayName = s.displayName;
  if (s.description !== undefined && s.description !== (current.description ?? '')) patch.description = s.description;
  if (s.path !== (current.path ?? '')) patch.path = s.path;
  if (s.protocols && !sameSet(current.protocols, s.protocols)) patch.protocols = s.protocols;
  if (s.subscriptionRequired !== undefined && s.subscriptionRequired !== (current.subscriptionRequired ?? true)) patch.subscriptionRequired = s.subscriptionRequired;
  const header = s.subscriptionKeyHeaderName ?? current.subscriptionKeyHeaderName;
  const query = s.subscriptionKeyQueryName ?? current.subscriptionKeyQueryName;
  if (header !== current.subscriptionKeyHeaderName || query !== current.subscriptionKeyQueryName) patch.subscriptionKeyParameterNames = { header, query };
  if (s.version && s.version.version !== current.apiVersion) patch.apiVersion = s.version.version;
  if (versionSetArmId && lastSegment(versionSetArmId) !== lastSegment(current.apiVersionSetId)) patch.apiVersionSetId = versionSetArmId;
  return patch;
}

interface Desired {
  spec: LoadedSpec;
  apiPolicy?: PolicyDocument;
  operationPolicies: Map<string, PolicyDocument>;
}

/**
 * Create or update an API, all-or-nothing up front: the definition, every policy and every named
 * value, product and version-set reference are checked before the first write. A second run with
 * the same inputs reads, compares and writes nothing.
 */
export async function deployApi(s: ApiSettings, deps: DeployDeps): Promise<DeployOutputs> {
  const { gateway, logger } = deps;
  const writes = new WriteLog(logger);

  // Local checks: nothing has been sent yet.
  const specDoc = await readDocument(s.spec, deps);
  const spec = loadSpec(specDoc.text, specDoc.source, s.specFormat, s.wsdl);
  const apiPolicy = await resolvePolicy(s.policy, 'api', deps);
  const operationPolicies = loadOperationPolicies(s.operationPolicies, deps);
  if (spec.operationIds.length > 0) {
    const known = new Set(spec.operationIds.map((o) => o.toLowerCase()));
    for (const [op, doc] of operationPolicies) {
      if (!known.has(op)) throw new FileError(doc.source, `the definition has no operation '${op}' (operations: ${spec.operationIds.join(', ')})`);
    }
  }
  if (spec.kind === 'graphql' && !s.serviceUrl) {
    throw new DeployError(`A GraphQL API needs the backend URL (service URL) of the GraphQL endpoint.`);
  }

  // Remote checks, still read-only.
  const service = await gateway.getService();
  await checkNamedValues([...(apiPolicy ? [apiPolicy] : []), ...operationPolicies.values()], deps);
  for (const p of s.products) {
    if (!(await gateway.getProduct(p))) throw new DeployError(`Product '${p}' does not exist in the service; create it first (action "product") or fix the product id.`);
  }
  const current = await gateway.getApi(s.apiId);
  if (current?.apiType && spec.kind === 'wsdl' && current.apiType !== 'soap' && s.wsdl?.soapApiType === 'soap') {
    throw new DeployError(`API '${s.apiId}' exists as a ${current.apiType} API; a SOAP pass-through API needs a new API id.`);
  }
  const desired: Desired = { spec, apiPolicy, operationPolicies };

  const versionSetArmId = s.version ? gateway.resourceId(`apiVersionSets/${s.version.versionSetId}`) : undefined;
  if (s.version) await ensureVersionSet(s, deps, writes);

  let revision: string | undefined;
  let targetId: string;
  if (!current) {
    targetId = s.apiId;
    await writes.run(`Create API '${s.apiId}' from ${specDoc.source}`, () => gateway.putApi(s.apiId, importBody(s, spec, undefined, versionSetArmId, true)));
    await afterImport(s, spec, s.apiId, deps, writes);
    await applyPolicies(s.apiId, desired, deps, writes, true);
    revision = '1';
  } else if (s.revisionMode === 'update') {
    targetId = s.apiId;
    const specChanged = (await specTag(s.apiId, deps)) !== specTagName(spec.hash, current.apiRevision);
    const patch = apiWideChanges(s, current, versionSetArmId);
    if (s.serviceUrl !== undefined && s.serviceUrl !== current.serviceUrl) patch.serviceUrl = s.serviceUrl;
    if (specChanged) {
      await writes.run(`Import ${specDoc.source} into API '${s.apiId}'`, () => gateway.putApi(s.apiId, importBody(s, spec, current, versionSetArmId, true)));
      await afterImport(s, spec, s.apiId, deps, writes, current);
    } else if (Object.keys(patch).length > 0) {
      await writes.run(`Update ${Object.keys(patch).join(', ')} of API '${s.apiId}'`, () => gateway.patchApi(s.apiId, current.etag ?? '*', patch));
    } else {
      writes.unchanged(`API '${s.apiId}' definition and properties`);
    }
    await applyPolicies(s.apiId, desired, deps, writes, false);
    revision = current.apiRevision;
  } else {
    const revisions = await gateway.listRevisions(s.apiId);
    const top = newest(revisions);
    const topId = !top || top.isCurrent ? s.apiId : `${s.apiId};rev=${top.revision}`;
    const topState = topId === s.apiId ? current : ((await gateway.getApi(topId)) ?? current);
    const specChanged = (await specTag(s.apiId, deps)) !== specTagName(spec.hash, top?.revision ?? current.apiRevision);
    const backendChanged = s.serviceUrl !== undefined && s.serviceUrl !== topState.serviceUrl;
    const policiesChanged = await policiesDiffer(topId, desired, deps);

    const patch = apiWideChanges(s, current, versionSetArmId);
    delete patch.path;
    if (Object.keys(patch).length > 0) {
      await writes.run(`Update ${Object.keys(patch).join(', ')} of API '${s.apiId}'`, () => gateway.patchApi(s.apiId, current.etag ?? '*', patch));
    }

    let revNumber = top?.revision ?? Number(current.apiRevision ?? '1');
    let revIsCurrent = top?.isCurrent ?? true;
    if (specChanged || backendChanged || policiesChanged) {
      revNumber = (top?.revision ?? Number(current.apiRevision ?? '1')) + 1;
      revIsCurrent = false;
      const revId = `${s.apiId};rev=${revNumber}`;
      const why = [specChanged && 'definition', backendChanged && 'backend URL', policiesChanged && 'policies'].filter(Boolean).join(', ');
      // The specification requires `path` in this body too; a revision shares the API's path and
      // cannot change it, so it is the one the API has.
      await writes.run(`Create revision ${revNumber} of API '${s.apiId}' (changed: ${why})`, () =>
        gateway.putApi(revId, { sourceApiId: gateway.resourceId(`apis/${s.apiId}`), path: current.path ?? s.path, apiRevisionDescription: s.revisionDescription }),
      );
      // A new revision is a copy of the current one: the definition is always imported into it, so it
      // holds what this run deploys even when the newest revision was not the current one.
      try {
        await writes.run(`Import ${specDoc.source} into revision ${revNumber}`, () => gateway.putApi(revId, importBody(s, spec, topState, undefined, false)));
        await afterImport(s, spec, revId, deps, writes, topState);
        await applyPolicies(revId, desired, deps, writes, true);
      } catch (err) {
        // Not left half-made: a revision holding a copy of the current one, not this run's
        // definition, would be taken for the next run's newest revision and could be released.
        await removeFailedRevision(revId, deps, writes);
        throw err;
      }
    } else {
      writes.unchanged(`API '${s.apiId}' revision ${revNumber}`);
    }
    targetId = revIsCurrent ? s.apiId : `${s.apiId};rev=${revNumber}`;
    if (s.revisionMode === 'newRevisionCurrent' && !revIsCurrent) {
      await release(s.apiId, revNumber, s.releaseNotes, deps, writes);
      targetId = s.apiId;
    }
    revision = String(revNumber);
  }

  await ensureTags(s, deps, writes);
  for (const p of s.products) {
    if (await gateway.isApiInProduct(p, s.apiId)) continue;
    await writes.run(`Add API '${s.apiId}' to product '${p}'`, () => gateway.addApiToProduct(p, s.apiId));
  }
  await retireRevisions(s.apiId, s.retire, deps, writes);

  if (writes.writes === 0) logger.info(`API '${s.apiId}': unchanged, nothing written.`);
  logger.debug(`Deployed to ${targetId}`);
  return { apiId: s.apiId, apiRevision: revision, gatewayUrl: gatewayUrl(service.gatewayUrl, s), writes: writes.writes };
}

function gatewayUrl(base: string | undefined, s: ApiSettings): string | undefined {
  if (!base) return undefined;
  const root = `${base.replace(/\/+$/, '')}/${s.path.replace(/^\/+/, '')}`.replace(/\/+$/, '');
  return s.version?.scheme === 'Segment' ? `${root}/${s.version.version}` : root;
}

async function removeFailedRevision(revId: string, deps: DeployDeps, writes: WriteLog): Promise<void> {
  try {
    const state = await deps.gateway.getApi(revId);
    if (state) await writes.run(`Delete revision '${revId}', left incomplete by the failure below`, () => deps.gateway.deleteRevision(revId, state.etag ?? '*'));
  } catch (cleanup) {
    deps.logger.warning(`Revision '${revId}' could not be deleted after the failure below; delete it before releasing a revision (${(cleanup as Error).message})`);
  }
}

async function specTag(apiId: string, deps: DeployDeps): Promise<string | undefined> {
  return (await deps.gateway.listApiTags(apiId)).get(specTagId(apiId).toLowerCase());
}

/**
 * What says how a definition is imported, shared by v1 and v2: the content format and value; for
 * WSDL the API type (SOAP pass-through or SOAP-to-REST) and the service/endpoint to import; for
 * GraphQL the API type only, the schema being uploaded after the API exists (putGraphQlSchema).
 */
export function importFormat(spec: LoadedSpec, wsdl: ApiSettings['wsdl']): Pick<ApiPut, 'format' | 'value' | 'soapApiType' | 'wsdlSelector' | 'apiType'> {
  const out: Pick<ApiPut, 'format' | 'value' | 'soapApiType' | 'wsdlSelector' | 'apiType'> = { format: spec.format, value: spec.format ? spec.value : undefined };
  if (spec.kind === 'wsdl') {
    out.soapApiType = wsdl?.soapApiType ?? 'soap';
    if (wsdl?.serviceName || wsdl?.endpointName) out.wsdlSelector = { wsdlServiceName: wsdl.serviceName, wsdlEndpointName: wsdl.endpointName };
  }
  if (spec.kind === 'graphql') out.apiType = 'graphql';
  return out;
}

/**
 * The import PUT. Backend URL, display name and description go in the same request as the
 * definition, taken from the inputs or else from the API as it is: sent separately, the import
 * would first replace them with the definition's servers/title/description.
 */
function importBody(s: ApiSettings, spec: LoadedSpec, current: ApiState | undefined, versionSetArmId: string | undefined, isCurrentRevision: boolean): ApiPut {
  const body: ApiPut = {
    ...importFormat(spec, s.wsdl),
    path: s.path,
    serviceUrl: s.serviceUrl ?? current?.serviceUrl,
    protocols: s.protocols ?? current?.protocols,
  };
  if (isCurrentRevision) {
    // A definition without a title (GraphQL SDL, some WSDL) leaves APIM no name: fall back to the id.
    body.displayName = s.displayName ?? current?.displayName ?? (spec.title ? undefined : s.apiId);
    body.description = s.description ?? current?.description;
    body.subscriptionRequired = s.subscriptionRequired ?? current?.subscriptionRequired;
    const header = s.subscriptionKeyHeaderName ?? current?.subscriptionKeyHeaderName;
    const query = s.subscriptionKeyQueryName ?? current?.subscriptionKeyQueryName;
    if (header || query) body.subscriptionKeyParameterNames = { header, query };
    if (s.version) {
      body.apiVersion = s.version.version;
      body.apiVersionSetId = versionSetArmId;
    } else if (current?.apiVersionSetId) {
      // Leaving these out of a full PUT would take an existing versioned API out of its version set.
      body.apiVersion = current.apiVersion;
      body.apiVersionSetId = current.apiVersionSetId;
    }
  }
  return body;
}

/**
 * Puts back what an import may still have overwritten (WSDL imports drop the description; a
 * definition's servers can replace an unset backend), then records the definition's fingerprint.
 */
async function afterImport(s: ApiSettings, spec: LoadedSpec, apiId: string, deps: DeployDeps, writes: WriteLog, before?: ApiState): Promise<void> {
  const { gateway } = deps;
  if (spec.kind === 'graphql') {
    await writes.run(`Upload the GraphQL schema of '${apiId}'`, () => gateway.putGraphQlSchema(apiId, spec.value));
  }
  const after = await gateway.getApi(apiId);
  if (after) {
    const patch: ApiPatch = {};
    const wantUrl = s.serviceUrl ?? before?.serviceUrl;
    if (wantUrl !== undefined && after.serviceUrl !== wantUrl) patch.serviceUrl = wantUrl;
    if (!apiId.includes(';rev=')) {
      const wantDescription = s.description ?? before?.description;
      if (wantDescription !== undefined && (after.description ?? '') !== wantDescription) patch.description = wantDescription;
      const wantName = s.displayName ?? before?.displayName;
      if (wantName !== undefined && after.displayName !== wantName) patch.displayName = wantName;
    }
    if (Object.keys(patch).length > 0) {
      await writes.run(`Restore ${Object.keys(patch).join(', ')} of '${apiId}' after the import`, () => gateway.patchApi(apiId, after.etag ?? '*', patch));
    }
  }
  const [baseId = apiId, revisionInId] = apiId.split(';rev=');
  const tagId = specTagId(baseId);
  const revision = revisionInId ?? after?.apiRevision ?? before?.apiRevision;
  await writes.run(`Record the definition fingerprint of '${baseId}'`, () => gateway.putTag(tagId, specTagName(spec.hash, revision)));
  const assigned = await gateway.listApiTags(baseId);
  if (!assigned.has(tagId.toLowerCase())) await writes.run(`Tag API '${baseId}' with its definition fingerprint`, () => gateway.assignTagToApi(baseId, tagId));
}

async function policiesDiffer(apiId: string, desired: Desired, deps: DeployDeps): Promise<boolean> {
  if (desired.apiPolicy && !samePolicy(await deps.gateway.getPolicy({ kind: 'api', apiId }), desired.apiPolicy.xml)) return true;
  if (desired.operationPolicies.size === 0) return false;
  const ops = await resolveOperations(apiId, desired, deps);
  for (const [name, doc] of ops) {
    if (!samePolicy(await deps.gateway.getPolicy({ kind: 'operation', apiId, operationId: name }), doc.xml)) return true;
  }
  return false;
}

/** Operation policy files matched to the API's operations (APIM names them after the operationId). */
async function resolveOperations(apiId: string, desired: Desired, deps: DeployDeps): Promise<Map<string, PolicyDocument>> {
  const operations = await deps.gateway.listOperations(apiId);
  const byName = new Map(operations.map((o) => [o.name.toLowerCase(), o.name]));
  const out = new Map<string, PolicyDocument>();
  for (const [op, doc] of desired.operationPolicies) {
    const name = byName.get(op);
    if (!name) throw new FileError(doc.source, `API '${apiId}' has no operation '${op}' (operations: ${operations.map((o) => o.name).join(', ')})`);
    out.set(name, doc);
  }
  return out;
}

async function applyPolicies(apiId: string, desired: Desired, deps: DeployDeps, writes: WriteLog, fresh: boolean): Promise<void> {
  const put = async (scope: PolicyScope, doc: PolicyDocument, what: string) => {
    if (!fresh) {
      const have = await deps.gateway.getPolicy(scope);
      if (samePolicy(have, doc.xml)) {
        writes.unchanged(what);
        return;
      }
      deps.logger.debug(`${what} differs; the service has:\n${have ?? '(none)'}`);
    }
    await writes.run(`Set ${what} from ${doc.source}`, () => deps.gateway.putPolicy(scope, doc.xml));
  };
  if (desired.apiPolicy) await put({ kind: 'api', apiId }, desired.apiPolicy, `policy of API '${apiId}'`);
  if (desired.operationPolicies.size === 0) return;
  for (const [name, doc] of await resolveOperations(apiId, desired, deps)) {
    await put({ kind: 'operation', apiId, operationId: name }, doc, `policy of operation '${name}'`);
  }
}

async function ensureVersionSet(s: ApiSettings, deps: DeployDeps, writes: WriteLog): Promise<void> {
  const v = s.version!;
  const want = {
    displayName: v.versionSetName ?? s.displayName ?? v.versionSetId,
    scheme: v.scheme,
    headerName: v.scheme === 'Header' ? (v.headerName ?? 'Api-Version') : undefined,
    queryName: v.scheme === 'Query' ? (v.queryName ?? 'api-version') : undefined,
  };
  const have = await deps.gateway.getVersionSet(v.versionSetId);
  if (
    have &&
    have.scheme?.toLowerCase() === want.scheme.toLowerCase() &&
    (have.headerName ?? undefined) === want.headerName &&
    (have.queryName ?? undefined) === want.queryName &&
    (v.versionSetName === undefined || have.displayName === want.displayName)
  ) {
    writes.unchanged(`version set '${v.versionSetId}'`);
    return;
  }
  const displayName = v.versionSetName ?? have?.displayName ?? want.displayName;
  await writes.run(`${have ? 'Update' : 'Create'} version set '${v.versionSetId}' (${want.scheme})`, () => deps.gateway.putVersionSet(v.versionSetId, { ...want, displayName }));
}

async function ensureTags(s: ApiSettings, deps: DeployDeps, writes: WriteLog): Promise<void> {
  if (s.tags.length === 0) return;
  const assigned = await deps.gateway.listApiTags(s.apiId);
  const assignedNames = new Set([...assigned.values()].map((n) => n.toLowerCase()));
  for (const tag of s.tags) {
    if (assigned.has(tagIdFor(tag)) || assignedNames.has(tag.toLowerCase())) continue;
    const id = tagIdFor(tag);
    if ((await deps.gateway.getTag(id)) === undefined) await writes.run(`Create tag '${tag}'`, () => deps.gateway.putTag(id, tag));
    await writes.run(`Tag API '${s.apiId}' with '${tag}'`, () => deps.gateway.assignTagToApi(s.apiId, id));
  }
}

/** Tag ids allow fewer characters than display names. */
export function tagIdFor(name: string): string {
  const id = name.toLowerCase().replace(/[^a-z0-9-_.]+/g, '-').replace(/^-+|-+$/g, '');
  return (id || fingerprint([name]).slice(0, 16)).slice(0, 80);
}
