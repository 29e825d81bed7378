/**
 * An in-memory API Management that behaves like the service where the core depends on it: an
 * import takes title / servers / description from the definition unless the same PUT sets them,
 * revisions are copies with `;rev=N` ids, PATCH needs the current ETag, policies are stored as
 * sent. Every write is counted.
 */
import { parse as parseYaml } from 'yaml';
import type {
  ApimGateway,
  ApiPatch,
  ApiPut,
  ApiState,
  BackendFields,
  BackendState,
  NamedValueInfo,
  NamedValuePut,
  NamedValueState,
  OperationInfo,
  PolicyScope,
  ProductState,
  RevisionInfo,
  ServiceInfo,
  VersionSetState,
} from '../../tasks/ApimDeploy/core/gateway';

interface StoredApi extends ApiState {
  operations: OperationInfo[];
  revisionNumber: number;
  isOnline: boolean;
}

const SERVICE = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/svc';

export class FakeApim implements ApimGateway {
  service: ServiceInfo = { sku: 'Developer', gatewayUrl: 'https://svc.azure-api.net' };
  /** Keyed by base API id; revision number -> state. */
  readonly apis = new Map<string, Map<number, StoredApi>>();
  readonly current = new Map<string, number>();
  readonly policies = new Map<string, string>();
  readonly versionSets = new Map<string, VersionSetState>();
  readonly tags = new Map<string, string>();
  readonly apiTags = new Map<string, Set<string>>();
  readonly products = new Map<string, ProductState>();
  readonly productApis = new Map<string, Set<string>>();
  readonly productGroups = new Map<string, Set<string>>();
  groups = ['administrators', 'developers', 'guests'];
  /** Named values seeded for reference checks only (name and display name). */
  namedValues: NamedValueInfo[] = [];
  /** Named values with their state, keyed by lower-case id; GET hides secret values as APIM does. */
  readonly namedValueStore = new Map<string, NamedValueState & { id: string }>();
  readonly backends = new Map<string, BackendState & { id: string }>();
  /** Secret values read through listValue, by id. */
  readonly secretReads: string[] = [];
  readonly releases: Array<{ apiId: string; releaseId: string; revisionApiId: string; notes?: string }> = [];
  readonly schemas = new Map<string, string>();
  writes: string[] = [];
  reads = 0;
  private etagSeq = 1;

  private write(what: string): void {
    this.writes.push(what);
  }

  private split(id: string): { base: string; rev?: number } {
    const m = /^(.*);rev=(\d+)$/.exec(id);
    return m ? { base: m[1], rev: Number(m[2]) } : { base: id };
  }

  private find(id: string): StoredApi | undefined {
    const { base, rev } = this.split(id);
    const revs = this.apis.get(base);
    if (!revs) return undefined;
    return revs.get(rev ?? this.current.get(base)!);
  }

  private view(id: string, a: StoredApi): ApiState {
    const { operations: _o, revisionNumber: _r, isOnline: _i, ...rest } = a;
    return { ...rest, id, apiRevision: String(a.revisionNumber), isCurrent: this.current.get(this.split(id).base) === a.revisionNumber };
  }

  async getService() {
    this.reads++;
    return this.service;
  }

  resourceId(relative: string) {
    return `${SERVICE}/${relative}`;
  }

  async getApi(apiId: string) {
    this.reads++;
    const a = this.find(apiId);
    return a ? this.view(apiId, a) : undefined;
  }

  async listRevisions(apiId: string): Promise<RevisionInfo[]> {
    this.reads++;
    const revs = this.apis.get(apiId);
    if (!revs) return [];
    return [...revs.values()].map((r) => ({ revision: r.revisionNumber, isCurrent: this.current.get(apiId) === r.revisionNumber, isOnline: r.isOnline }));
  }

  async putApi(apiId: string, body: ApiPut): Promise<ApiState> {
    this.write(`PUT api ${apiId}`);
    const { base, rev } = this.split(apiId);
    let revs = this.apis.get(base);
    if (body.sourceApiId) {
      if (!revs) throw new Error('sourceApiId of a missing API');
      const src = revs.get(this.current.get(base)!)!;
      const n = rev ?? 1;
      const copy: StoredApi = { ...src, operations: [...src.operations], revisionNumber: n, isOnline: true, etag: this.etag() };
      revs.set(n, copy);
      // Policies are copied with the revision.
      for (const [k, v] of [...this.policies]) {
        if (k.startsWith(`api:${base}|`) || k === `api:${base}`) this.policies.set(k.replace(`api:${base}`, `api:${base};rev=${n}`), v);
      }
      return this.view(apiId, copy);
    }
    if (!revs) {
      if (rev && rev !== 1) throw new Error('revision of a missing API');
      revs = new Map();
      this.apis.set(base, revs);
      this.current.set(base, 1);
    }
    const n = rev ?? this.current.get(base)!;
    const existing = revs.get(n);
    if (existing && rev && this.current.get(base) !== rev && (body.displayName !== undefined || body.description !== undefined)) {
      throw Object.assign(new Error("Can't change property Description for non-current revision"), { name: 'RestError', statusCode: 400 });
    }
    const imported = body.format ? importSpec(body.format, body.value ?? '') : undefined;
    const next: StoredApi = {
      ...(existing ?? { id: apiId, operations: [], revisionNumber: n, isOnline: true }),
      displayName: body.displayName ?? imported?.title ?? existing?.displayName,
      description: body.description ?? imported?.description ?? existing?.description,
      serviceUrl: body.serviceUrl ?? imported?.serviceUrl ?? existing?.serviceUrl,
      path: body.path ?? existing?.path,
      protocols: body.protocols ?? existing?.protocols ?? ['https'],
      subscriptionRequired: body.subscriptionRequired ?? existing?.subscriptionRequired ?? true,
      subscriptionKeyHeaderName: body.subscriptionKeyParameterNames?.header ?? existing?.subscriptionKeyHeaderName ?? 'Ocp-Apim-Subscription-Key',
      subscriptionKeyQueryName: body.subscriptionKeyParameterNames?.query ?? existing?.subscriptionKeyQueryName ?? 'subscription-key',
      apiVersion: body.apiVersion ?? existing?.apiVersion,
      apiVersionSetId: body.apiVersionSetId ?? existing?.apiVersionSetId,
      apiType: body.soapApiType === 'soap' ? 'soap' : (body.apiType ?? existing?.apiType),
      operations: imported ? imported.operations : (existing?.operations ?? []),
      etag: this.etag(),
    };
    revs.set(n, next);
    return this.view(apiId, next);
  }

  async patchApi(apiId: string, etag: string, patch: ApiPatch) {
    this.write(`PATCH api ${apiId}`);
    const a = this.find(apiId);
    if (!a) throw new Error('404');
    if (etag !== '*' && etag !== a.etag) throw Object.assign(new Error('412'), { name: 'RestError', statusCode: 412, code: 'PreconditionFailed' });
    Object.assign(a, {
      ...patch,
      subscriptionKeyHeaderName: patch.subscriptionKeyParameterNames?.header ?? a.subscriptionKeyHeaderName,
      subscriptionKeyQueryName: patch.subscriptionKeyParameterNames?.query ?? a.subscriptionKeyQueryName,
      etag: this.etag(),
    });
    delete (a as { subscriptionKeyParameterNames?: unknown }).subscriptionKeyParameterNames;
  }

  async takeRevisionOffline(apiId: string, _etag: string) {
    this.write(`OFFLINE ${apiId}`);
    this.find(apiId)!.isOnline = false;
  }

  async deleteRevision(apiId: string, _etag: string) {
    this.write(`DELETE ${apiId}`);
    const { base, rev } = this.split(apiId);
    if (rev === undefined || rev === this.current.get(base)) throw new Error('cannot delete the current revision');
    this.apis.get(base)!.delete(rev);
  }

  async listOperations(apiId: string) {
    this.reads++;
    return this.find(apiId)?.operations ?? [];
  }

  async putGraphQlSchema(apiId: string, sdl: string) {
    this.write(`PUT schema ${apiId}`);
    this.schemas.set(apiId, sdl);
  }

  async createRelease(apiId: string, releaseId: string, revisionApiId: string, notes?: string) {
    this.write(`PUT release ${apiId}/${releaseId}`);
    const rev = Number(/;rev=(\d+)$/.exec(revisionApiId)![1]);
    if (!this.apis.get(apiId)?.has(rev)) throw new Error('no such revision');
    this.current.set(apiId, rev);
    this.releases.push({ apiId, releaseId, revisionApiId, notes });
  }

  async getVersionSet(id: string) {
    this.reads++;
    return this.versionSets.get(id);
  }

  async putVersionSet(id: string, state: VersionSetState & { displayName: string; scheme: string }) {
    this.write(`PUT versionSet ${id}`);
    this.versionSets.set(id, { ...state });
  }

  async listApiTags(apiId: string) {
    this.reads++;
    const ids = this.apiTags.get(apiId) ?? new Set<string>();
    return new Map([...ids].map((id) => [id.toLowerCase(), this.tags.get(id) ?? id]));
  }

  async getTag(tagId: string) {
    this.reads++;
    return this.tags.get(tagId);
  }

  async putTag(tagId: string, displayName: string) {
    this.write(`PUT tag ${tagId}`);
    this.tags.set(tagId, displayName);
  }

  async assignTagToApi(apiId: string, tagId: string) {
    this.write(`PUT apiTag ${apiId}/${tagId}`);
    if (!this.tags.has(tagId)) throw new Error('tag not found');
    const set = this.apiTags.get(apiId) ?? new Set<string>();
    set.add(tagId);
    this.apiTags.set(apiId, set);
  }

  static scopeKey(scope: PolicyScope): string {
    switch (scope.kind) {
      case 'global':
        return 'global';
      case 'product':
        return `product:${scope.productId}`;
      case 'api':
        return `api:${scope.apiId}`;
      case 'operation':
        return `api:${scope.apiId}|${scope.operationId}`;
    }
  }

  async getPolicy(scope: PolicyScope) {
    this.reads++;
    const stored = this.policies.get(FakeApim.scopeKey(scope));
    // The service hands back its own formatting, not the bytes it was sent.
    return stored?.replace(/>\s*</g, '>\n\t<');
  }

  async putPolicy(scope: PolicyScope, rawXml: string) {
    this.write(`PUT policy ${FakeApim.scopeKey(scope)}`);
    if (scope.kind === 'operation' && !this.find(scope.apiId)?.operations.some((o) => o.name === scope.operationId)) throw new Error('operation not found');
    this.policies.set(FakeApim.scopeKey(scope), rawXml);
  }

  async listNamedValues() {
    this.reads++;
    return [...this.namedValues, ...[...this.namedValueStore.values()].map((n) => ({ name: n.id, displayName: n.displayName }))];
  }

  async getNamedValue(id: string): Promise<NamedValueState | undefined> {
    this.reads++;
    const n = this.namedValueStore.get(id.toLowerCase());
    if (!n) return undefined;
    const { id: _id, ...state } = structuredClone(n);
    return n.secret ? { ...state, value: undefined } : state;
  }

  async readNamedValueSecret(id: string): Promise<string> {
    this.reads++;
    const n = this.namedValueStore.get(id.toLowerCase());
    if (!n) throw Object.assign(new Error('NamedValue not found.'), { name: 'RestError', statusCode: 404 });
    this.secretReads.push(id);
    return n.keyVault ? `kv:${n.keyVault.secretIdentifier}` : (n.value ?? '');
  }

  async putNamedValue(id: string, body: NamedValuePut, etag?: string) {
    this.write(`PUT namedValue ${id}`);
    const existing = this.namedValueStore.get(id.toLowerCase());
    if (etag !== undefined && etag !== '*' && etag !== existing?.etag) throw Object.assign(new Error('412'), { name: 'RestError', statusCode: 412, code: 'PreconditionFailed' });
    if (body.value === undefined === (body.keyVault === undefined)) throw new Error('exactly one of value and keyVault');
    this.namedValueStore.set(id.toLowerCase(), { id: existing?.id ?? id, ...structuredClone(body), secret: body.keyVault ? true : body.secret, etag: this.etag() });
  }

  async getBackend(id: string): Promise<BackendState | undefined> {
    this.reads++;
    const b = this.backends.get(id.toLowerCase());
    if (!b) return undefined;
    const { id: _id, ...state } = structuredClone(b);
    return state;
  }

  async createBackend(id: string, body: BackendFields & { url: string; protocol: string }) {
    this.write(`PUT backend ${id}`);
    this.backends.set(id.toLowerCase(), { id, ...structuredClone(body), etag: this.etag() });
  }

  async updateBackend(id: string, etag: string, patch: BackendFields) {
    this.write(`PATCH backend ${id}`);
    const b = this.backends.get(id.toLowerCase());
    if (!b) throw Object.assign(new Error('Backend not found.'), { name: 'RestError', statusCode: 404 });
    if (etag !== '*' && etag !== b.etag) throw Object.assign(new Error('412'), { name: 'RestError', statusCode: 412, code: 'PreconditionFailed' });
    // PATCH replaces each top-level property it carries (credentials and tls as a whole).
    Object.assign(b, structuredClone(patch), { etag: this.etag() });
  }

  async getProduct(productId: string) {
    this.reads++;
    const p = this.products.get(productId);
    return p ? { ...p } : undefined;
  }

  async putProduct(productId: string, state: ProductState) {
    this.write(`PUT product ${productId}`);
    this.products.set(productId, { ...state });
  }

  async isApiInProduct(productId: string, apiId: string) {
    this.reads++;
    return this.productApis.get(productId)?.has(apiId) ?? false;
  }

  async addApiToProduct(productId: string, apiId: string) {
    this.write(`PUT productApi ${productId}/${apiId}`);
    const set = this.productApis.get(productId) ?? new Set<string>();
    set.add(apiId);
    this.productApis.set(productId, set);
  }

  async listProductGroups(productId: string) {
    this.reads++;
    return [...(this.productGroups.get(productId) ?? [])];
  }

  async listGroups() {
    this.reads++;
    return this.groups;
  }

  async addGroupToProduct(productId: string, groupId: string) {
    this.write(`PUT productGroup ${productId}/${groupId}`);
    const set = this.productGroups.get(productId) ?? new Set<string>();
    set.add(groupId);
    this.productGroups.set(productId, set);
  }

  async removeGroupFromProduct(productId: string, groupId: string) {
    this.write(`DELETE productGroup ${productId}/${groupId}`);
    this.productGroups.get(productId)?.delete(groupId);
  }

  private etag(): string {
    return `"${this.etagSeq++}"`;
  }
}

function importSpec(format: string, value: string): { title?: string; description?: string; serviceUrl?: string; operations: OperationInfo[] } {
  if (format === 'wsdl') {
    const ops = [...value.matchAll(/<(?:wsdl:)?operation\s+name="([^"]+)"/g)].map((m) => m[1]);
    return { operations: [...new Set(ops)].map((name) => ({ name, method: 'POST', urlTemplate: `/?soapAction=${name}` })) };
  }
  const doc = (format === 'openapi' ? parseYaml(value) : JSON.parse(value)) as Record<string, any>;
  const operations: OperationInfo[] = [];
  for (const [p, item] of Object.entries<Record<string, any>>(doc.paths ?? {})) {
    for (const [method, op] of Object.entries<Record<string, any>>(item)) {
      operations.push({ name: op.operationId ?? `${method}-${p}`, method: method.toUpperCase(), urlTemplate: p });
    }
  }
  const serviceUrl = doc.servers?.[0]?.url ?? (doc.host ? `https://${doc.host}${doc.basePath ?? ''}` : undefined);
  return { title: doc.info?.title, description: doc.info?.description, serviceUrl, operations };
}
