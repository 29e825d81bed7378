import { isObject } from '../jwt';
import type { ApimCall, ApimEmulator, ApimRouter } from './apim-emulator';
import { ApimError, inUse, notFound, validationError } from './errors';
import { isPolicyFormat, PolicyScope, unescapeExpressions, validateFragment, validatePolicy } from './policy-xml';
import { getProduct } from './routes-products';
import { resolveApi } from './routes-apis';
import { ApimServiceState, checkIfMatch, compact, Entity, key, newEtag, now, optionalType, PolicyRecord, requireString, upsertEntity } from './state';

interface PolicyHolder {
  holder: { policy?: PolicyRecord };
  scope: PolicyScope;
  /** ARM id of the entity the policy belongs to. */
  ownerId: string;
  type: string;
}

function policyContract(h: PolicyHolder, format: 'xml' | 'rawxml'): Record<string, unknown> {
  const xml = h.holder.policy?.xml ?? '';
  return { id: `${h.ownerId}/policies/policy`, type: h.type, name: 'policy', properties: { format, value: format === 'rawxml' ? unescapeExpressions(xml) : xml } };
}

function registerPolicyScope(r: ApimRouter, emu: ApimEmulator, prefix: string, holderOf: (c: ApimCall) => PolicyHolder): void {
  const policy = (c: ApimCall): { h: PolicyHolder; p: PolicyRecord } => {
    if (c.params.policyId.toLowerCase() !== 'policy') {
      throw validationError({ target: 'policyId', message: `Policy identifier must be 'policy', not '${c.params.policyId}'.` });
    }
    const h = holderOf(c);
    if (!h.holder.policy) {
      throw notFound('Policy');
    }
    return { h, p: h.holder.policy };
  };
  const readFormat = (c: ApimCall): 'xml' | 'rawxml' => {
    const f = c.query.get('format') ?? 'xml';
    if (f !== 'xml' && f !== 'rawxml') {
      throw validationError({ target: 'format', message: `'format' must be 'xml' or 'rawxml', not '${f}'.` });
    }
    return f;
  };
  r.add('GET', `${prefix}/policies`, (c) => {
    const h = holderOf(c);
    return { status: 200, body: { value: h.holder.policy ? [policyContract(h, 'xml')] : [], count: h.holder.policy ? 1 : 0 } };
  });
  r.add('GET', `${prefix}/policies/:policyId`, (c) => {
    const { h, p } = policy(c);
    return { status: 200, body: policyContract(h, readFormat(c)), headers: { ETag: p.etag } };
  });
  r.add('HEAD', `${prefix}/policies/:policyId`, (c) => ({ status: 200, headers: { ETag: policy(c).p.etag } }));
  r.add('PUT', `${prefix}/policies/:policyId`, async (c) => {
    if (c.params.policyId.toLowerCase() !== 'policy') {
      throw validationError({ target: 'policyId', message: `Policy identifier must be 'policy', not '${c.params.policyId}'.` });
    }
    const h = holderOf(c);
    checkIfMatch(c.headers['if-match'], h.holder.policy?.etag, false);
    for (const f of ['policyContent', 'contentFormat', 'contentValue']) {
      if (f in c.props) {
        throw validationError({ target: f, message: `Invalid field '${f}' specified` });
      }
    }
    const format = c.props.format ?? 'xml';
    if (typeof format !== 'string' || !isPolicyFormat(format)) {
      throw validationError({ target: 'format', message: `'format' must be one of xml, rawxml, xml-link, rawxml-link; got '${String(format)}'.` });
    }
    const value = requireString(c.props, 'value');
    const text = format.endsWith('-link') ? await emu.fetchLink(value, 'value') : value;
    const baseFormat = format.startsWith('rawxml') ? 'rawxml' : 'xml';
    const xml = validatePolicy(text, baseFormat, h.scope, {
      namedValueExists: (name) => Object.values(c.svc.namedValues).some((nv) => String(nv.properties.displayName).toLowerCase() === name.toLowerCase()),
      backendExists: (id) => !!c.svc.backends[key(id)],
      fragmentExists: (id) => !!c.svc.policyFragments[key(id)],
    });
    const existed = !!h.holder.policy;
    if (h.holder.policy?.xml !== xml) {
      h.holder.policy = { xml, etag: newEtag() };
    }
    return { status: existed ? 200 : 201, body: policyContract(h, baseFormat), headers: { ETag: h.holder.policy.etag } };
  });
  r.add('DELETE', `${prefix}/policies/:policyId`, (c) => {
    const h = holderOf(c);
    if (!h.holder.policy) {
      return { status: 204 };
    }
    checkIfMatch(c.headers['if-match'], h.holder.policy.etag, true);
    delete h.holder.policy;
    return { status: 200 };
  });
}

interface Collection {
  path: string;
  field: 'namedValues' | 'versionSets' | 'backends' | 'tags' | 'policyFragments';
  kind: string;
  type: string;
  /** Validates a full property set; returns what is stored. */
  validate(props: Record<string, unknown>, c: ApimCall, existing: Entity | undefined): Record<string, unknown>;
  /** What GET shows (secrets hidden). */
  view?(e: Entity): Record<string, unknown>;
  /** PATCH: the stored properties with the patch applied (default: a shallow merge). */
  merge?(stored: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown>;
  /**
   * PUT and PATCH are long-running operations (x-ms-long-running-operation, final-state-via
   * location): PUT answers 200/201 with Azure-AsyncOperation and Location, PATCH answers 202.
   */
  longRunning?: boolean;
  /** The specification defines no PATCH for this collection (policy fragments): answer 405 as ARM does. */
  noPatch?: boolean;
  /** Throws when the service refuses to delete the entity (it is still in use). */
  checkDelete?(e: Entity, svc: ApimServiceState): void;
}

function registerCollection(r: ApimRouter, emu: ApimEmulator, col: Collection): void {
  const contract = (svc: ApimServiceState, e: Entity): Record<string, unknown> =>
    ({ id: `${svc.id}/${col.path}/${e.name}`, type: col.type, name: e.name, properties: col.view ? col.view(e) : e.properties });
  const get = (c: ApimCall): Entity => {
    const e = c.svc[col.field][key(c.params.id)];
    if (!e) {
      throw notFound(col.kind);
    }
    return e;
  };
  r.add('GET', `/${col.path}`, (c) => emu.page(c, Object.values(c.svc[col.field]).map((e) => contract(c.svc, e))));
  r.add('GET', `/${col.path}/:id`, (c) => {
    const e = get(c);
    return { status: 200, body: contract(c.svc, e), headers: { ETag: e.etag } };
  });
  r.add('HEAD', `/${col.path}/:id`, (c) => ({ status: 200, headers: { ETag: get(c).etag } }));
  r.add('PUT', `/${col.path}/:id`, (c) => {
    if (!/^[^*#&+:<>?]+$/.test(c.params.id) || c.params.id.length > 256) {
      throw validationError({ target: 'id', message: `'${c.params.id}' is not a valid identifier.` });
    }
    const existing = c.svc[col.field][key(c.params.id)];
    checkIfMatch(c.headers['if-match'], existing?.etag, false);
    const { entity, created } = upsertEntity(c.svc[col.field], c.params.id, col.validate(c.props, c, existing));
    const headers = { ETag: entity.etag, ...(col.longRunning ? operation(c, entity) : {}) };
    return { status: created ? 201 : 200, body: contract(c.svc, entity), headers };
  });
  r.add('PATCH', `/${col.path}/:id`, (c) => {
    if (col.noPatch) {
      throw new ApimError(405, 'MethodNotAllowed', `The requested resource does not support http method 'PATCH'.`);
    }
    const e = get(c);
    checkIfMatch(c.headers['if-match'], e.etag, true);
    upsertEntity(c.svc[col.field], e.name, col.validate(col.merge ? col.merge(e.properties, c.props) : { ...e.properties, ...c.props }, c, e));
    if (col.longRunning) {
      return { status: 202, headers: operation(c, e) };
    }
    return { status: 200, body: contract(c.svc, e), headers: { ETag: e.etag } };
  });
  /** The change is already stored; the operation reports it done after `emu.configPutPolls` polls, then the entity. */
  function operation(c: ApimCall, e: Entity): Record<string, string> {
    return emu.arm.beginOperation({
      subscriptionId: c.svc.subscriptionId,
      namespace: 'Microsoft.ApiManagement',
      polls: emu.configPutPolls,
      result: () => (c.svc[col.field][key(e.name)] ? contract(c.svc, c.svc[col.field][key(e.name)]) : undefined),
    }).headers('both');
  }
  r.add('DELETE', `/${col.path}/:id`, (c) => {
    const e = c.svc[col.field][key(c.params.id)];
    if (!e) {
      return { status: 204 };
    }
    checkIfMatch(c.headers['if-match'], e.etag, true);
    col.checkDelete?.(e, c.svc);
    delete c.svc[col.field][key(c.params.id)];
    if (col.field === 'tags') {
      removeTagEverywhere(c.svc, key(e.name));
    }
    return { status: 200 };
  });
}

/** Every policy of the service, with the ARM id of the policy resource. */
function allPolicies(svc: ApimServiceState): Array<{ id: string; xml: string }> {
  const out: Array<{ id: string; xml: string }> = [];
  if (svc.policy) out.push({ id: `${svc.id}/policies/policy`, xml: svc.policy.xml });
  for (const p of Object.values(svc.products)) if (p.policy) out.push({ id: `${svc.id}/products/${p.name}/policies/policy`, xml: p.policy.xml });
  for (const api of Object.values(svc.apis)) {
    for (const rev of Object.values(api.revisions)) {
      const apiId = rev.rev === api.current ? api.name : `${api.name};rev=${rev.rev}`;
      if (rev.policy) out.push({ id: `${svc.id}/apis/${apiId}/policies/policy`, xml: rev.policy.xml });
      for (const op of Object.values(rev.operations)) if (op.policy) out.push({ id: `${svc.id}/apis/${apiId}/operations/${op.name}/policies/policy`, xml: op.policy.xml });
    }
  }
  return out;
}

/** Policies that include the fragment (`PolicyFragment_ListReferences`). */
function fragmentReferences(svc: ApimServiceState, fragment: string): string[] {
  return allPolicies(svc)
    .filter((p) => [...p.xml.matchAll(/<include-fragment\b[^>]*?\bfragment-id\s*=\s*"([^"]*)"/g)].some((m) => key(m[1] ?? '') === key(fragment)))
    .map((p) => p.id);
}

function removeTagEverywhere(svc: ApimServiceState, tag: string): void {
  for (const api of Object.values(svc.apis)) {
    api.tags = api.tags.filter((t) => t !== tag);
    for (const rev of Object.values(api.revisions)) {
      for (const op of Object.values(rev.operations)) {
        op.tags = op.tags.filter((t) => t !== tag);
      }
    }
  }
  for (const p of Object.values(svc.products)) {
    p.tags = p.tags.filter((t) => t !== tag);
  }
}

function namedValueProperties(props: Record<string, unknown>, c: ApimCall, existing: Entity | undefined): Record<string, unknown> {
  const displayName = requireString(props, 'displayName', { max: 256, pattern: /^[A-Za-z0-9-._]+$/ });
  const clash = Object.values(c.svc.namedValues).find((nv) => nv !== existing && String(nv.properties.displayName).toLowerCase() === displayName.toLowerCase());
  if (clash) {
    throw validationError({ target: 'displayName', message: `Named value '${clash.name}' already has the display name '${displayName}'.` });
  }
  const keyVault = isObject(props.keyVault) ? props.keyVault : undefined;
  if (keyVault) {
    const secretIdentifier = requireString(keyVault, 'secretIdentifier');
    if (!/^https:\/\//i.test(secretIdentifier)) {
      throw validationError({ target: 'secretIdentifier', message: `'${secretIdentifier}' is not a Key Vault secret URL.` });
    }
    // The service reads the secret with one of its managed identities: the user-assigned one named
    // by identityClientId, or its system-assigned one. Without it the named value cannot be created.
    const clientId = typeof keyVault.identityClientId === 'string' && keyVault.identityClientId ? keyVault.identityClientId.toLowerCase() : undefined;
    const identity = c.svc.identity ?? { systemAssigned: true, userAssignedClientIds: [] };
    if (clientId ? !identity.userAssignedClientIds.includes(clientId) : !identity.systemAssigned) {
      throw validationError({
        target: 'identityClientId',
        message: clientId ? `The service has no user-assigned identity with client id '${clientId}'.` : 'The service has no system-assigned managed identity to read the Key Vault secret with.',
      });
    }
  } else if (typeof props.value !== 'string' || props.value === '') {
    throw validationError({ target: 'value', message: "'value' is required when 'keyVault' is not set." });
  } else if (props.value.length > 4096) {
    throw validationError({ target: 'value', message: "'value' must be at most 4096 characters long." });
  }
  if (props.tags !== undefined && props.tags !== null && (!Array.isArray(props.tags) || props.tags.length > 32)) {
    throw validationError({ target: 'tags', message: "'tags' must be a list of at most 32 strings." });
  }
  if (props.secret !== undefined && typeof props.secret !== 'boolean') {
    throw validationError({ target: 'secret', message: "'secret' must be a boolean." });
  }
  return compact({
    displayName,
    value: keyVault ? undefined : props.value,
    secret: keyVault ? true : props.secret ?? false,
    tags: Array.isArray(props.tags) ? props.tags : [],
    keyVault: keyVault ? compact({ secretIdentifier: keyVault.secretIdentifier, identityClientId: keyVault.identityClientId ?? undefined, lastStatus: { code: 'Success', timeStampUtc: now() } }) : undefined,
  });
}

function versionSetProperties(props: Record<string, unknown>): Record<string, unknown> {
  requireString(props, 'displayName', { max: 100 });
  const scheme = props.versioningScheme;
  if (scheme !== 'Segment' && scheme !== 'Query' && scheme !== 'Header') {
    throw validationError({ target: 'versioningScheme', message: `'versioningScheme' must be Segment, Query or Header; got '${String(scheme)}'.` });
  }
  if (scheme === 'Header' && (typeof props.versionHeaderName !== 'string' || !props.versionHeaderName)) {
    throw validationError({ target: 'versionHeaderName', message: "'versionHeaderName' is required when versioningScheme is Header." });
  }
  if (scheme === 'Query' && (typeof props.versionQueryName !== 'string' || !props.versionQueryName)) {
    throw validationError({ target: 'versionQueryName', message: "'versionQueryName' is required when versioningScheme is Query." });
  }
  return compact({
    displayName: props.displayName,
    description: props.description ?? undefined,
    versioningScheme: scheme,
    versionHeaderName: scheme === 'Header' ? props.versionHeaderName : undefined,
    versionQueryName: scheme === 'Query' ? props.versionQueryName : undefined,
  });
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function credentialMap(v: unknown, target: string): Record<string, string[]> | undefined {
  if (v === undefined || v === null) {
    return undefined;
  }
  if (!isObject(v) || !Object.values(v).every((x) => Array.isArray(x) && x.every((y) => typeof y === 'string'))) {
    throw validationError({ target, message: `'${target}' must map names to lists of strings.` });
  }
  return v as Record<string, string[]>;
}

function stringList(v: unknown, target: string, max: number): string[] | undefined {
  if (v === undefined || v === null) {
    return undefined;
  }
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string') || v.length > max) {
    throw validationError({ target, message: `'${target}' must be a list of at most ${max} strings.` });
  }
  return v;
}

/** BackendContractProperties of 2024-05-01: url and protocol required, lengths, credentials and tls shapes. */
function backendProperties(props: Record<string, unknown>): Record<string, unknown> {
  const url = requireString(props, 'url', { max: 2000 });
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw validationError({ target: 'url', message: `'url' must be an absolute URL; got '${url}'.` });
  }
  if (props.protocol !== 'http' && props.protocol !== 'soap') {
    throw validationError({ target: 'protocol', message: "'protocol' must be 'http' or 'soap'." });
  }
  for (const [f, max] of [['title', 300], ['description', 2000], ['resourceId', 2000]] as const) {
    if (props[f] !== undefined && props[f] !== null) {
      requireString(props, f, { max });
    }
  }
  let credentials: Record<string, unknown> | undefined;
  if (props.credentials !== undefined && props.credentials !== null) {
    if (!isObject(props.credentials)) {
      throw validationError({ target: 'credentials', message: "'credentials' must be an object." });
    }
    const cr = props.credentials;
    let authorization: Record<string, unknown> | undefined;
    if (cr.authorization !== undefined && cr.authorization !== null) {
      if (!isObject(cr.authorization)) {
        throw validationError({ target: 'authorization', message: "'authorization' must be an object." });
      }
      const scheme = requireString(cr.authorization, 'scheme', { max: 100, pattern: TOKEN });
      const parameter = requireString(cr.authorization, 'parameter', { max: 300 });
      authorization = { scheme, parameter };
    }
    credentials = compact({
      certificateIds: stringList(cr.certificateIds, 'certificateIds', 32),
      certificate: stringList(cr.certificate, 'certificate', 32),
      query: credentialMap(cr.query, 'query'),
      header: credentialMap(cr.header, 'header'),
      authorization,
    });
  }
  let tls: Record<string, unknown> | undefined;
  if (props.tls !== undefined && props.tls !== null) {
    if (!isObject(props.tls)) {
      throw validationError({ target: 'tls', message: "'tls' must be an object." });
    }
    optionalType(props.tls, 'validateCertificateChain', 'boolean');
    optionalType(props.tls, 'validateCertificateName', 'boolean');
    tls = compact({ validateCertificateChain: props.tls.validateCertificateChain ?? undefined, validateCertificateName: props.tls.validateCertificateName ?? undefined });
  }
  // Fields this emulator does not model (proxy, circuitBreaker, pool, properties, type) are kept as sent.
  return compact({ ...props, url, protocol: props.protocol, credentials, tls });
}

/** `/apis/{id}/tags/{tagId}` and friends: attach existing tags to an entity. */
function registerTagLinks(r: ApimRouter, emu: ApimEmulator, prefix: string, listOf: (c: ApimCall) => { tags: string[] }): void {
  const tagContract = (svc: ApimServiceState, t: Entity): Record<string, unknown> =>
    ({ id: `${svc.id}/tags/${t.name}`, type: 'Microsoft.ApiManagement/service/tags', name: t.name, properties: t.properties });
  r.add('GET', `${prefix}/tags`, (c) => emu.page(c, listOf(c).tags.map((t) => c.svc.tags[t]).filter((t) => t !== undefined).map((t) => tagContract(c.svc, t))));
  const linked = (c: ApimCall): Entity => {
    const holder = listOf(c);
    const t = c.svc.tags[key(c.params.tagId)];
    if (!t || !holder.tags.includes(key(t.name))) {
      throw notFound('Tag');
    }
    return t;
  };
  r.add('GET', `${prefix}/tags/:tagId`, (c) => {
    const t = linked(c);
    return { status: 200, body: tagContract(c.svc, t), headers: { ETag: t.etag } };
  });
  r.add('HEAD', `${prefix}/tags/:tagId`, (c) => ({ status: 200, headers: { ETag: linked(c).etag } }));
  r.add('PUT', `${prefix}/tags/:tagId`, (c) => {
    const holder = listOf(c);
    const t = c.svc.tags[key(c.params.tagId)];
    if (!t) {
      throw notFound('Tag');
    }
    const already = holder.tags.includes(key(t.name));
    if (!already) {
      holder.tags.push(key(t.name));
    }
    return { status: already ? 200 : 201, body: tagContract(c.svc, t), headers: { ETag: t.etag } };
  });
  r.add('DELETE', `${prefix}/tags/:tagId`, (c) => {
    const holder = listOf(c);
    const before = holder.tags.length;
    holder.tags = holder.tags.filter((t) => t !== key(c.params.tagId));
    return { status: holder.tags.length === before ? 204 : 200 };
  });
}

export function registerConfigRoutes(r: ApimRouter, emu: ApimEmulator): void {
  registerPolicyScope(r, emu, '', (c) => ({ holder: c.svc, scope: 'global', ownerId: c.svc.id, type: 'Microsoft.ApiManagement/service/policies' }));
  registerPolicyScope(r, emu, '/products/:productId', (c) => {
    const p = getProduct(c.svc, c.params.productId);
    return { holder: p, scope: 'product', ownerId: `${c.svc.id}/products/${p.name}`, type: 'Microsoft.ApiManagement/service/products/policies' };
  });
  registerPolicyScope(r, emu, '/apis/:apiId', (c) => {
    const resolved = resolveApi(c.svc, c.params.apiId);
    return { holder: resolved.rev, scope: 'api', ownerId: `${c.svc.id}/apis/${resolved.name}`, type: 'Microsoft.ApiManagement/service/apis/policies' };
  });
  registerPolicyScope(r, emu, '/apis/:apiId/operations/:operationId', (c) => {
    const resolved = resolveApi(c.svc, c.params.apiId);
    const op = resolved.rev.operations[key(c.params.operationId)];
    if (!op) {
      throw notFound('Operation');
    }
    return { holder: op, scope: 'operation', ownerId: `${c.svc.id}/apis/${resolved.name}/operations/${op.name}`, type: 'Microsoft.ApiManagement/service/apis/operations/policies' };
  });

  registerCollection(r, emu, {
    path: 'namedValues', field: 'namedValues', kind: 'NamedValue', type: 'Microsoft.ApiManagement/service/namedValues',
    validate: namedValueProperties,
    view: (e) => (e.properties.secret ? Object.fromEntries(Object.entries(e.properties).filter(([k]) => k !== 'value')) : e.properties),
    // A patch that sets a value replaces a Key Vault reference, and the other way round.
    merge: (stored, patch) => {
      const merged = { ...stored, ...patch };
      if ('value' in patch && !('keyVault' in patch)) delete merged.keyVault;
      if ('keyVault' in patch && !('value' in patch)) delete merged.value;
      return merged;
    },
    longRunning: true,
  });
  r.add('POST', '/namedValues/:id/listValue', (c) => {
    const e = c.svc.namedValues[key(c.params.id)];
    if (!e) {
      throw notFound('NamedValue');
    }
    const kv = isObject(e.properties.keyVault) ? e.properties.keyVault : undefined;
    // No vault behind the emulator: a Key Vault named value answers a marker naming its secret.
    return { status: 200, body: { value: kv ? `kv:${String(kv.secretIdentifier)}` : e.properties.value }, headers: { ETag: e.etag } };
  });
  r.add('POST', '/namedValues/:id/refreshSecret', (c) => {
    const e = c.svc.namedValues[key(c.params.id)];
    if (!e) {
      throw notFound('NamedValue');
    }
    return { status: 200, body: { id: `${c.svc.id}/namedValues/${e.name}`, type: 'Microsoft.ApiManagement/service/namedValues', name: e.name, properties: Object.fromEntries(Object.entries(e.properties).filter(([k]) => k !== 'value')) } };
  });
  registerCollection(r, emu, {
    path: 'apiVersionSets', field: 'versionSets', kind: 'ApiVersionSet', type: 'Microsoft.ApiManagement/service/apiVersionSets',
    validate: versionSetProperties,
    // The service keeps a version set while an API belongs to it.
    checkDelete: (e, svc) => {
      const users = Object.values(svc.apis).filter((a) => key(String(a.shared.apiVersionSetId ?? '').split('/').pop() ?? '') === key(e.name));
      if (users.length) throw inUse(`Version set '${e.name}' cannot be deleted: API(s) ${users.map((a) => `'${a.name}'`).join(', ')} belong to it.`);
    },
  });
  registerCollection(r, emu, {
    path: 'backends', field: 'backends', kind: 'Backend', type: 'Microsoft.ApiManagement/service/backends',
    validate: backendProperties,
  });
  registerCollection(r, emu, {
    path: 'tags', field: 'tags', kind: 'Tag', type: 'Microsoft.ApiManagement/service/tags',
    validate: (props) => ({ displayName: requireString(props, 'displayName', { max: 160 }) }),
  });
  registerCollection(r, emu, {
    path: 'policyFragments', field: 'policyFragments', kind: 'PolicyFragment', type: 'Microsoft.ApiManagement/service/policyFragments',
    validate: (props, c) => {
      const value = requireString(props, 'value');
      const format = props.format ?? 'xml';
      if (format !== 'xml' && format !== 'rawxml') {
        throw validationError({ target: 'format', message: `'format' must be 'xml' or 'rawxml'; got '${String(format)}'.` });
      }
      const description = props.description === undefined ? undefined : requireString(props, 'description', { max: 1000 });
      validateFragment(value, { namedValueExists: (name) => Object.values(c.svc.namedValues).some((nv) => String(nv.properties.displayName).toLowerCase() === name.toLowerCase()), backendExists: () => true });
      return compact({ value, format, description });
    },
    longRunning: true,
    noPatch: true,
    // The service refuses to delete a fragment that a policy still includes.
    checkDelete: (e, svc) => {
      const refs = fragmentReferences(svc, e.name);
      if (refs.length) throw inUse(`Policy fragment '${e.name}' cannot be deleted: it is included by ${refs.length} polic${refs.length === 1 ? 'y' : 'ies'}.`);
    },
  });
  r.add('POST', '/policyFragments/:id/listReferences', (c) => {
    const e = c.svc.policyFragments[key(c.params.id)];
    if (!e) {
      throw notFound('PolicyFragment');
    }
    const refs = fragmentReferences(c.svc, e.name).map((id) => ({ id, name: 'policy', type: 'Microsoft.ApiManagement/service/policies' }));
    const skip = Number(c.query.get('$skip') ?? 0);
    const top = Number(c.query.get('$top') ?? refs.length);
    return { status: 200, body: { value: refs.slice(skip, skip + top), count: refs.length } };
  });
  registerTagLinks(r, emu, '/apis/:apiId', (c) => resolveApi(c.svc, c.params.apiId).api);
  registerTagLinks(r, emu, '/products/:productId', (c) => getProduct(c.svc, c.params.productId));
  registerTagLinks(r, emu, '/apis/:apiId/operations/:operationId', (c) => {
    const op = resolveApi(c.svc, c.params.apiId).rev.operations[key(c.params.operationId)];
    if (!op) {
      throw notFound('Operation');
    }
    return op;
  });
}

