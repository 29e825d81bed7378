import { isObject } from '../jwt';
import { Reply } from '../server';
import type { ApimCall, ApimEmulator, ApimRouter } from './apim-emulator';
import { ApimError, notFound, validationError } from './errors';
import { classifyFormat, ImportedSpec, isRecord, parseGraphQlSdl, parseOpenApi, parseWsdl } from './spec-import';
import {
  ApiRecord, ApimServiceState, checkIfMatch, compact, Entity, key, newEtag, now, OperationRecord, requireString, RevisionRecord,
  SHARED_API_PROPERTIES, stableJson, upsertEntity,
} from './state';

const API_TYPE = 'Microsoft.ApiManagement/service/apis';
const REVISION_PROPERTIES = ['serviceUrl', 'protocols', 'subscriptionRequired', 'subscriptionKeyParameterNames', 'authenticationSettings',
  'apiRevisionDescription', 'termsOfServiceUrl', 'contact', 'license'] as const;
const RETIRED_FIELDS = ['contentFormat', 'contentValue'];
const API_ID = /^[^*#&+:<>?;]+$/;

export function parseApiId(raw: string): { base: string; rev?: number } {
  const m = /^([^;]+)(?:;rev=(\d+))?$/i.exec(raw);
  if (!m || !API_ID.test(m[1])) {
    throw validationError({ target: 'apiId', message: `'${raw}' is not a valid API identifier.` });
  }
  return { base: m[1], rev: m[2] === undefined ? undefined : Number(m[2]) };
}

export interface ResolvedApi {
  api: ApiRecord;
  rev: RevisionRecord;
  /** Name as addressed: `echo` for the current revision, `echo;rev=2` otherwise. */
  name: string;
}

export function resolveApi(svc: ApimServiceState, rawId: string): ResolvedApi {
  let parsed: { base: string; rev?: number };
  try {
    parsed = parseApiId(rawId);
  } catch {
    throw notFound('Api');
  }
  const api = svc.apis[key(parsed.base)];
  const rev = api?.revisions[String(parsed.rev ?? api.current)];
  if (!api || !rev) {
    throw notFound('Api');
  }
  return { api, rev, name: parsed.rev === undefined ? api.name : `${api.name};rev=${parsed.rev}` };
}

/** The part of an ARM id or relative id after `/apis/` (`/apis/echo;rev=2` → `echo;rev=2`). */
function apiIdFromReference(ref: string): string | undefined {
  const m = /\/apis\/([^/]+)\/?$/i.exec(ref);
  return m ? decodeURIComponent(m[1]) : undefined;
}

export function apiContract(svc: ApimServiceState, r: ResolvedApi, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { api, rev } = r;
  const isCurrent = rev.rev === api.current;
  const type = api.shared.type as string | undefined;
  return {
    id: `${svc.id}/apis/${r.name}`,
    type: API_TYPE,
    name: r.name,
    properties: compact({
      displayName: api.shared.displayName,
      apiRevision: String(rev.rev),
      description: api.shared.description,
      subscriptionRequired: rev.properties.subscriptionRequired ?? true,
      serviceUrl: rev.properties.serviceUrl,
      path: api.shared.path,
      protocols: rev.properties.protocols ?? ['https'],
      subscriptionKeyParameterNames: rev.properties.subscriptionKeyParameterNames ?? { header: 'Ocp-Apim-Subscription-Key', query: 'subscription-key' },
      authenticationSettings: rev.properties.authenticationSettings,
      apiRevisionDescription: rev.properties.apiRevisionDescription,
      apiVersion: api.shared.apiVersion,
      apiVersionSetId: api.shared.apiVersionSetId,
      apiVersionDescription: api.shared.apiVersionDescription,
      termsOfServiceUrl: rev.properties.termsOfServiceUrl,
      contact: rev.properties.contact,
      license: rev.properties.license,
      isCurrent,
      isOnline: rev.properties.isOnline ?? true,
      type: type && type !== 'http' ? type : undefined,
      ...extra,
    }),
  };
}

function operationContract(svc: ApimServiceState, apiName: string, op: OperationRecord): Record<string, unknown> {
  return { id: `${svc.id}/apis/${apiName}/operations/${op.name}`, type: `${API_TYPE}/operations`, name: op.name, properties: op.properties };
}

function withEtag(status: number, body: unknown, etag: string, headers: Record<string, string> = {}): Reply {
  return { status, body, headers: { ETag: etag, ...headers } };
}

function operationRecords(spec: ImportedSpec, previous: Record<string, OperationRecord>): Record<string, OperationRecord> {
  const t = now();
  const out: Record<string, OperationRecord> = {};
  for (const o of spec.operations) {
    const { name, ...properties } = o;
    const prev = previous[key(name)];
    const props = compact({ ...properties }) as Record<string, unknown>;
    const same = prev && stableJson(prev.properties) === stableJson(props);
    // Re-import keeps what hangs off an operation whose id survives (its policy, its tags).
    out[key(name)] = {
      name: prev?.name ?? name,
      properties: props,
      etag: same ? prev.etag : newEtag(),
      createdDateTime: prev?.createdDateTime ?? t,
      updatedDateTime: same ? prev.updatedDateTime : t,
      policy: prev?.policy,
      tags: prev?.tags ?? [],
    };
  }
  return out;
}

function newRevision(rev: number): RevisionRecord {
  const t = now();
  return { rev, properties: {}, etag: newEtag(), createdDateTime: t, updatedDateTime: t, operations: {}, schemas: {} };
}

async function importSpec(emu: ApimEmulator, c: ApimCall): Promise<{ spec?: ImportedSpec; graphqlLink?: string }> {
  const { format, value } = c.props;
  if (format === undefined && value === undefined) {
    return {};
  }
  if (typeof format !== 'string' || !format) {
    throw validationError({ target: 'format', message: "'format' is required when 'value' is given." });
  }
  if (typeof value !== 'string' || !value) {
    throw validationError({ target: 'value', message: "'value' is required when 'format' is given." });
  }
  const kind = classifyFormat(format);
  if (!kind) {
    throw validationError({ target: 'format', message: `Format '${format}' is not supported by the emulator (supported: openapi, openapi+json, openapi-link, openapi+json-link, swagger-json, swagger-link-json, wsdl, wsdl-link, graphql-link).` });
  }
  if (kind.kind === 'graphql-link') {
    await emu.fetchLink(value, 'value').catch((err: unknown) => {
      // Reachability is what matters for graphql-link; only a refused (non-loopback) URL is an error.
      if (err instanceof ApimError && /only fetches/.test(JSON.stringify(err.details))) {
        throw err;
      }
    });
    return { graphqlLink: value };
  }
  const text = kind.link ? await emu.fetchLink(value, 'value') : value;
  if (kind.kind === 'wsdl') {
    const apiType = (c.props.apiType ?? c.props.soapApiType) === 'soap' ? 'soap' : 'http';
    const selector = isRecord(c.props.wsdlSelector) ? c.props.wsdlSelector as { wsdlServiceName?: string; wsdlEndpointName?: string } : undefined;
    return { spec: parseWsdl(text, apiType, selector) };
  }
  if (kind.kind === 'graphql') {
    return { spec: parseGraphQlSdl(text) };
  }
  return { spec: parseOpenApi(text, kind.kind) };
}

function normalisePath(p: unknown): string {
  return String(p ?? '').replace(/^\/+|\/+$/g, '').toLowerCase();
}

function validateApi(svc: ApimServiceState, draft: ApiRecord): void {
  const s = draft.shared;
  if (typeof s.path !== 'string') {
    throw validationError({ target: 'path', message: "'path' is required." });
  }
  if (s.path.length > 400) {
    throw validationError({ target: 'path', message: "'path' must be at most 400 characters long." });
  }
  if (typeof s.displayName !== 'string' || !s.displayName) {
    throw validationError({ target: 'displayName', message: "'displayName' is required (give it in the body or import a definition with a title)." });
  }
  if (s.displayName.length > 300) {
    throw validationError({ target: 'displayName', message: "'displayName' must be at most 300 characters long." });
  }
  if (s.apiVersionSetId) {
    const setName = /\/apiVersionSets\/([^/]+)$/i.exec(String(s.apiVersionSetId))?.[1];
    const set = setName ? svc.versionSets[key(setName)] : undefined;
    if (!set) {
      throw validationError({ target: 'apiVersionSetId', message: `Api version set '${String(s.apiVersionSetId)}' was not found.` });
    }
    s.apiVersionSetId = `${svc.id}/apiVersionSets/${set.name}`;
  } else if (s.apiVersion) {
    throw validationError({ target: 'apiVersion', message: "'apiVersion' can only be set on an API that belongs to a version set (apiVersionSetId)." });
  }
  for (const other of Object.values(svc.apis)) {
    if (key(other.name) === key(draft.name) || normalisePath(other.shared.path) !== normalisePath(s.path)) {
      continue;
    }
    const sameSet = !!s.apiVersionSetId && key(String(other.shared.apiVersionSetId ?? '')) === key(String(s.apiVersionSetId));
    if (!sameSet) {
      throw validationError({ target: 'path', message: `Cannot create API '${draft.name}' with the same Path '${String(s.path)}' as API '${other.name}' unless it's a part of the same version set.` });
    }
    if (key(String(other.shared.apiVersion ?? '')) === key(String(s.apiVersion ?? ''))) {
      throw validationError({ target: 'apiVersion', message: `API '${other.name}' already has version '${String(s.apiVersion ?? '')}' in version set '${String(s.apiVersionSetId)}'.` });
    }
  }
  for (const rev of Object.values(draft.revisions)) {
    const protocols = rev.properties.protocols;
    if (protocols !== undefined && (!Array.isArray(protocols) || protocols.some((p) => !['http', 'https', 'ws', 'wss'].includes(String(p))))) {
      throw validationError({ target: 'protocols', message: "'protocols' must be a list of http, https, ws, wss." });
    }
  }
}

function revisionSignature(api: ApiRecord, rev: RevisionRecord): string {
  return stableJson({ shared: api.shared, current: api.current, properties: rev.properties, operations: rev.operations, policy: rev.policy, schemas: rev.schemas });
}

export function registerApiRoutes(r: ApimRouter, emu: ApimEmulator): void {
  r.add('GET', '/apis', (c) => {
    const expand = c.query.get('expandApiVersionSet') === 'true';
    const items = Object.values(c.svc.apis).map((api) => {
      const resolved = { api, rev: api.revisions[String(api.current)], name: api.name };
      const setName = expand && api.shared.apiVersionSetId ? /\/apiVersionSets\/([^/]+)$/i.exec(String(api.shared.apiVersionSetId))?.[1] : undefined;
      const set = setName ? c.svc.versionSets[key(setName)] : undefined;
      return apiContract(c.svc, resolved, set ? { apiVersionSet: { id: `${c.svc.id}/apiVersionSets/${set.name}`, name: set.name, ...set.properties } } : {});
    });
    return emu.page(c, items);
  });

  r.add('GET', '/apis/:apiId', (c) => {
    const resolved = resolveApi(c.svc, c.params.apiId);
    return withEtag(200, apiContract(c.svc, resolved), resolved.rev.etag);
  });

  r.add('HEAD', '/apis/:apiId', (c) => {
    const resolved = resolveApi(c.svc, c.params.apiId);
    return { status: 200, headers: { ETag: resolved.rev.etag } };
  });

  r.add('PUT', '/apis/:apiId', async (c) => {
    for (const f of RETIRED_FIELDS) {
      if (f in c.props) {
        throw validationError({ target: f, message: `Invalid field '${f}' specified` });
      }
    }
    // ApiCreateOrUpdateProperties requires `path` on every create or update, a new revision's
    // (sourceApiId) included; the service refuses the body without it before looking further.
    if (typeof c.props.path !== 'string') {
      throw validationError({ target: 'path', message: "'path' is required." });
    }
    const { base, rev: revInPath } = parseApiId(c.params.apiId);
    const svc = c.svc;
    const existing = svc.apis[key(base)];
    if (!existing && revInPath !== undefined && revInPath !== 1) {
      throw notFound('Api');
    }
    const draft: ApiRecord = existing ? structuredClone(existing) : { name: base, shared: {}, current: 1, revisions: {}, releases: {}, tags: [] };
    const revNumber = revInPath ?? draft.current;
    const existingRev = draft.revisions[String(revNumber)];
    checkIfMatch(c.headers['if-match'], existingRev?.etag, false);
    const before = existing && existingRev ? revisionSignature(existing, existing.revisions[String(revNumber)]) : '';

    let target = existingRev;
    const source = typeof c.props.sourceApiId === 'string' && c.props.sourceApiId ? c.props.sourceApiId : undefined;
    if (!target) {
      target = newRevision(revNumber);
      if (source) {
        const srcId = apiIdFromReference(source);
        const src = srcId ? (() => {
          try {
            return resolveApi(svc, srcId);
          } catch {
            return undefined;
          }
        })() : undefined;
        if (!src) {
          throw validationError({ target: 'sourceApiId', message: `Source API '${source}' was not found.` });
        }
        if (existing && key(src.api.name) !== key(base)) {
          throw validationError({ target: 'sourceApiId', message: `A revision of '${base}' must be created from a revision of the same API, not '${src.api.name}'.` });
        }
        const copy = structuredClone(src.rev);
        target.properties = { ...copy.properties, isOnline: true };
        delete target.properties.apiRevisionDescription;
        target.operations = copy.operations;
        target.policy = copy.policy;
        target.schemas = copy.schemas;
        if (!existing) {
          // A new API (often a new version) cloned from another one.
          draft.shared = { ...structuredClone(src.api.shared) };
          delete draft.shared.apiVersion;
          delete draft.shared.apiVersionSetId;
        }
      } else if (existing) {
        throw validationError({ target: 'sourceApiId', message: `Revision ${revNumber} of API '${base}' does not exist; creating a revision needs 'sourceApiId' (the API to copy).` });
      }
      if (c.props.apiRevision !== undefined && String(c.props.apiRevision) !== String(revNumber)) {
        throw validationError({ target: 'apiRevision', message: `'apiRevision' ${String(c.props.apiRevision)} does not match the revision in the URL (${revNumber}).` });
      }
      draft.revisions[String(revNumber)] = target;
    }
    const isCurrent = revNumber === draft.current;
    if (c.props.isCurrent === true && !isCurrent) {
      throw validationError({ target: 'isCurrent', message: "Can't set new revision as current. Create a release (PUT .../releases/{releaseId} with the revision's apiId) instead." });
    }

    const { spec, graphqlLink } = await importSpec(emu, c);
    const shared: Record<string, unknown> = {};
    if (spec) {
      if (isCurrent) {
        // The import takes title and description from the definition unless the body sets them.
        shared.displayName = spec.title ?? draft.shared.displayName;
        shared.description = spec.description;
      }
      shared.type = spec.type;
      target.properties.serviceUrl = spec.serviceUrl;
      target.operations = operationRecords(spec, target.operations);
    }
    if (graphqlLink) {
      shared.type = 'graphql';
      target.properties.serviceUrl = graphqlLink;
    }
    const apiType = c.props.apiType ?? c.props.type;
    if (!spec && !graphqlLink && typeof apiType === 'string' && ['graphql', 'soap', 'websocket', 'http'].includes(apiType) && !existing) {
      shared.type = apiType;
    }
    for (const f of SHARED_API_PROPERTIES) {
      if (f in c.props && f !== 'type') {
        shared[f] = c.props[f] === null ? undefined : c.props[f];
      }
    }
    for (const [f, v] of Object.entries(shared)) {
      if (!isCurrent && existing && stableJson(v) !== stableJson(draft.shared[f])) {
        throw validationError({ target: f, message: `Can't change property '${f}' for non-current revision. Change it on the current revision (${existing.name}).` });
      }
      draft.shared[f] = v;
    }
    for (const f of REVISION_PROPERTIES) {
      if (f in c.props) {
        target.properties[f] = c.props[f] === null ? undefined : c.props[f];
      }
    }
    validateApi(svc, draft);
    const changed = revisionSignature(draft, target) !== before;
    if (changed) {
      target.etag = newEtag();
      target.updatedDateTime = now();
    }

    const failure = emu.takeApiPutFailure();
    if (!failure) {
      svc.apis[key(base)] = draft;
    }
    const name = revInPath === undefined ? base : `${draft.name};rev=${revNumber}`;
    const body = apiContract(svc, { api: draft, rev: target, name }, { provisioningState: 'InProgress' });
    const op = emu.arm.beginOperation({
      subscriptionId: svc.subscriptionId,
      namespace: 'Microsoft.ApiManagement',
      polls: emu.apiPutPolls,
      outcome: failure ? 'Failed' : 'Succeeded',
      error: failure?.error,
      result: () => {
        try {
          return apiContract(svc, resolveApi(svc, name));
        } catch {
          return undefined;
        }
      },
    });
    return withEtag(existingRev ? 200 : 201, body, target.etag, op.headers('both'));
  });

  r.add('PATCH', '/apis/:apiId', (c) => {
    const resolved = resolveApi(c.svc, c.params.apiId);
    checkIfMatch(c.headers['if-match'], resolved.rev.etag, true);
    for (const f of [...RETIRED_FIELDS, 'format', 'value']) {
      if (f in c.props) {
        throw validationError({ target: f, message: `Invalid field '${f}' specified` });
      }
    }
    const draft = structuredClone(resolved.api);
    const rev = draft.revisions[String(resolved.rev.rev)];
    const before = revisionSignature(resolved.api, resolved.rev);
    const isCurrent = rev.rev === draft.current;
    for (const f of SHARED_API_PROPERTIES) {
      if (f in c.props && f !== 'type') {
        if (!isCurrent && stableJson(c.props[f]) !== stableJson(draft.shared[f])) {
          throw validationError({ target: f, message: `Can't change property '${f}' for non-current revision.` });
        }
        draft.shared[f] = c.props[f] === null ? undefined : c.props[f];
      }
    }
    for (const f of REVISION_PROPERTIES) {
      if (f in c.props) {
        rev.properties[f] = c.props[f] === null ? undefined : c.props[f];
      }
    }
    // Read-only in the specification: ignored unless this service is set to apply it.
    if ('isOnline' in c.props && c.svc.isOnlinePatch === 'apply') {
      if (c.props.isOnline === false && isCurrent) {
        throw validationError({ target: 'isOnline', message: 'The current revision cannot be taken offline.' });
      }
      rev.properties.isOnline = c.props.isOnline !== false;
    }
    validateApi(c.svc, draft);
    if (revisionSignature(draft, rev) !== before) {
      rev.etag = newEtag();
      rev.updatedDateTime = now();
    }
    c.svc.apis[key(draft.name)] = draft;
    const out = { api: draft, rev, name: resolved.name };
    return withEtag(200, apiContract(c.svc, out), rev.etag);
  });

  r.add('DELETE', '/apis/:apiId', (c) => {
    let resolved: ResolvedApi;
    try {
      resolved = resolveApi(c.svc, c.params.apiId);
    } catch {
      return { status: 204 };
    }
    checkIfMatch(c.headers['if-match'], resolved.rev.etag, true);
    const { rev: revInPath } = parseApiId(c.params.apiId);
    const api = resolved.api;
    if (revInPath !== undefined && Object.keys(api.revisions).length > 1) {
      if (resolved.rev.rev === api.current) {
        throw validationError({ target: 'apiId', message: 'The current revision cannot be deleted. Make another revision current first, or delete the API.' });
      }
      delete api.revisions[String(resolved.rev.rev)];
      return { status: 200 };
    }
    delete c.svc.apis[key(api.name)];
    // Subscriptions scoped to the API go with it.
    for (const [k, s] of Object.entries(c.svc.subscriptions)) if (String(s.properties.scope).toLowerCase() === `/apis/${api.name}`.toLowerCase()) delete c.svc.subscriptions[k];
    for (const p of Object.values(c.svc.products)) {
      p.apis = p.apis.filter((a) => a !== key(api.name));
    }
    return { status: 200 };
  });

  r.add('GET', '/apis/:apiId/revisions', (c) => {
    const { api } = resolveApi(c.svc, c.params.apiId);
    const items = Object.values(api.revisions).sort((a, b) => a.rev - b.rev).map((rev) => compact({
      apiId: `/apis/${api.name};rev=${rev.rev}`,
      apiRevision: String(rev.rev),
      createdDateTime: rev.createdDateTime,
      updatedDateTime: rev.updatedDateTime,
      description: rev.properties.apiRevisionDescription as string | undefined,
      privateUrl: rev.rev === api.current ? undefined : `/${String(api.shared.path ?? '')};rev=${rev.rev}`,
      isOnline: rev.properties.isOnline !== false,
      isCurrent: rev.rev === api.current,
    }));
    return emu.page(c, items);
  });

  registerReleaseRoutes(r, emu);
  registerOperationRoutes(r, emu);
  registerSchemaRoutes(r, emu);
}

function releaseContract(svc: ApimServiceState, api: ApiRecord, e: Entity): Record<string, unknown> {
  return { id: `${svc.id}/apis/${api.name}/releases/${e.name}`, type: `${API_TYPE}/releases`, name: e.name, properties: { ...e.properties, createdDateTime: e.createdDateTime, updatedDateTime: e.updatedDateTime } };
}

function registerReleaseRoutes(r: ApimRouter, emu: ApimEmulator): void {
  r.add('GET', '/apis/:apiId/releases', (c) => {
    const { api } = resolveApi(c.svc, c.params.apiId);
    return emu.page(c, Object.values(api.releases).map((e) => releaseContract(c.svc, api, e)));
  });
  const get = (c: ApimCall): { api: ApiRecord; release: Entity } => {
    const { api } = resolveApi(c.svc, c.params.apiId);
    const release = api.releases[key(c.params.releaseId)];
    if (!release) {
      throw notFound('ApiRelease');
    }
    return { api, release };
  };
  r.add('GET', '/apis/:apiId/releases/:releaseId', (c) => {
    const { api, release } = get(c);
    return withEtag(200, releaseContract(c.svc, api, release), release.etag);
  });
  r.add('HEAD', '/apis/:apiId/releases/:releaseId', (c) => ({ status: 200, headers: { ETag: get(c).release.etag } }));
  r.add('PUT', '/apis/:apiId/releases/:releaseId', (c) => {
    const { api } = resolveApi(c.svc, c.params.apiId);
    checkIfMatch(c.headers['if-match'], api.releases[key(c.params.releaseId)]?.etag, false);
    const ref = requireString(c.props, 'apiId');
    const revId = apiIdFromReference(ref);
    let target: ResolvedApi | undefined;
    try {
      target = revId ? resolveApi(c.svc, revId) : undefined;
    } catch {
      target = undefined;
    }
    if (!target || key(target.api.name) !== key(api.name)) {
      throw validationError({ target: 'apiId', message: `'${ref}' is not a revision of API '${api.name}'.` });
    }
    if (c.props.notes !== undefined && typeof c.props.notes !== 'string') {
      throw validationError({ target: 'notes', message: "'notes' must be a string." });
    }
    // Releasing a revision makes it current; the previously current one stays as ;rev=N.
    api.current = target.rev.rev;
    target.rev.properties.isOnline = true;
    const { entity, created } = upsertEntity(api.releases, c.params.releaseId, compact({ apiId: `${c.svc.id}/apis/${api.name};rev=${target.rev.rev}`, notes: c.props.notes }));
    return withEtag(created ? 201 : 200, releaseContract(c.svc, api, entity), entity.etag);
  });
  r.add('PATCH', '/apis/:apiId/releases/:releaseId', (c) => {
    const { api, release } = get(c);
    checkIfMatch(c.headers['if-match'], release.etag, true);
    if (typeof c.props.notes === 'string') {
      upsertEntity(api.releases, release.name, { ...release.properties, notes: c.props.notes });
    }
    return withEtag(200, releaseContract(c.svc, api, release), release.etag);
  });
  r.add('DELETE', '/apis/:apiId/releases/:releaseId', (c) => {
    const { api } = resolveApi(c.svc, c.params.apiId);
    const release = api.releases[key(c.params.releaseId)];
    if (!release) {
      return { status: 204 };
    }
    checkIfMatch(c.headers['if-match'], release.etag, true);
    delete api.releases[key(c.params.releaseId)];
    return { status: 200 };
  });
}

function registerOperationRoutes(r: ApimRouter, emu: ApimEmulator): void {
  r.add('GET', '/apis/:apiId/operations', (c) => {
    const resolved = resolveApi(c.svc, c.params.apiId);
    return emu.page(c, Object.values(resolved.rev.operations).map((op) => operationContract(c.svc, resolved.name, op)));
  });
  const get = (c: ApimCall): { resolved: ResolvedApi; op: OperationRecord } => {
    const resolved = resolveApi(c.svc, c.params.apiId);
    const op = resolved.rev.operations[key(c.params.operationId)];
    if (!op) {
      throw notFound('Operation');
    }
    return { resolved, op };
  };
  r.add('GET', '/apis/:apiId/operations/:operationId', (c) => {
    const { resolved, op } = get(c);
    return withEtag(200, operationContract(c.svc, resolved.name, op), op.etag);
  });
  r.add('HEAD', '/apis/:apiId/operations/:operationId', (c) => ({ status: 200, headers: { ETag: get(c).op.etag } }));
  const validateOperation = (props: Record<string, unknown>): Record<string, unknown> => {
    requireString(props, 'displayName', { max: 300 });
    requireString(props, 'method', { pattern: /^[A-Za-z]+$/ });
    requireString(props, 'urlTemplate', { max: 1000 });
    const template = String(props.urlTemplate);
    const declared = new Set((Array.isArray(props.templateParameters) ? props.templateParameters : []).filter(isObject).map((p) => String(p.name)));
    for (const m of template.split('?')[0].matchAll(/\{([^}]+)\}/g)) {
      if (!declared.has(m[1])) {
        throw validationError({ target: 'templateParameters', message: `Template parameter '${m[1]}' of urlTemplate '${template}' is not declared in templateParameters.` });
      }
    }
    return { templateParameters: [], request: { queryParameters: [], headers: [] }, responses: [], ...props, method: String(props.method).toUpperCase() };
  };
  r.add('PUT', '/apis/:apiId/operations/:operationId', (c) => {
    const resolved = resolveApi(c.svc, c.params.apiId);
    const existing = resolved.rev.operations[key(c.params.operationId)];
    checkIfMatch(c.headers['if-match'], existing?.etag, false);
    const props = validateOperation(c.props);
    const ops = resolved.rev.operations;
    const { entity, created } = upsertEntity(ops, c.params.operationId, props);
    const op = entity as OperationRecord;
    op.tags ??= [];
    return withEtag(created ? 201 : 200, operationContract(c.svc, resolved.name, op), op.etag);
  });
  r.add('PATCH', '/apis/:apiId/operations/:operationId', (c) => {
    const { resolved, op } = get(c);
    checkIfMatch(c.headers['if-match'], op.etag, true);
    const props = validateOperation({ ...op.properties, ...c.props });
    upsertEntity(resolved.rev.operations, op.name, props);
    return withEtag(200, operationContract(c.svc, resolved.name, op), op.etag);
  });
  r.add('DELETE', '/apis/:apiId/operations/:operationId', (c) => {
    const resolved = resolveApi(c.svc, c.params.apiId);
    const op = resolved.rev.operations[key(c.params.operationId)];
    if (!op) {
      return { status: 204 };
    }
    checkIfMatch(c.headers['if-match'], op.etag, true);
    delete resolved.rev.operations[key(c.params.operationId)];
    return { status: 200 };
  });
}

const GRAPHQL_SCHEMA = 'application/vnd.ms-azure-apim.graphql.schema';

function registerSchemaRoutes(r: ApimRouter, emu: ApimEmulator): void {
  const contract = (svc: ApimServiceState, apiName: string, e: Entity): Record<string, unknown> =>
    ({ id: `${svc.id}/apis/${apiName}/schemas/${e.name}`, type: `${API_TYPE}/schemas`, name: e.name, properties: e.properties });
  r.add('GET', '/apis/:apiId/schemas', (c) => {
    const resolved = resolveApi(c.svc, c.params.apiId);
    return emu.page(c, Object.values(resolved.rev.schemas).map((e) => contract(c.svc, resolved.name, e)));
  });
  r.add('GET', '/apis/:apiId/schemas/:schemaId', (c) => {
    const resolved = resolveApi(c.svc, c.params.apiId);
    const e = resolved.rev.schemas[key(c.params.schemaId)];
    if (!e) {
      throw notFound('Schema');
    }
    return withEtag(200, contract(c.svc, resolved.name, e), e.etag);
  });
  r.add('PUT', '/apis/:apiId/schemas/:schemaId', (c) => {
    const resolved = resolveApi(c.svc, c.params.apiId);
    checkIfMatch(c.headers['if-match'], resolved.rev.schemas[key(c.params.schemaId)]?.etag, false);
    const contentType = requireString(c.props, 'contentType');
    const document = isObject(c.props.document) ? c.props.document : undefined;
    if (!document) {
      throw validationError({ target: 'document', message: "'document' is required." });
    }
    if (contentType === GRAPHQL_SCHEMA) {
      if (resolved.api.shared.type !== 'graphql') {
        throw validationError({ target: 'contentType', message: `A GraphQL schema can only be added to a GraphQL API; '${resolved.api.name}' is not one.` });
      }
      const spec = parseGraphQlSdl(requireString(document, 'value'));
      resolved.rev.operations = operationRecords(spec, resolved.rev.operations);
    }
    const { entity, created } = upsertEntity(resolved.rev.schemas, c.params.schemaId, { contentType, document });
    return withEtag(created ? 201 : 200, contract(c.svc, resolved.name, entity), entity.etag);
  });
  r.add('DELETE', '/apis/:apiId/schemas/:schemaId', (c) => {
    const resolved = resolveApi(c.svc, c.params.apiId);
    const e = resolved.rev.schemas[key(c.params.schemaId)];
    if (!e) {
      return { status: 204 };
    }
    checkIfMatch(c.headers['if-match'], e.etag, true);
    delete resolved.rev.schemas[key(c.params.schemaId)];
    return { status: 200 };
  });
}

