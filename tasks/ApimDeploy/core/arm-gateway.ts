import type { ApiContract, ApiManagementClient, BackendContract, NamedValueContract } from '@azure/arm-apimanagement';
import { createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import { RemoteError } from '../../common/errors';
import { explainApimError } from './apim-errors';
import { onlyNamedValueReferences } from './policy-xml';
import type {
  ApimGateway,
  ApiPatch,
  ApiPut,
  ApiState,
  BackendState,
  NamedValueState,
  PolicyScope,
  ProductState,
  RevisionInfo,
  VersionSetState,
} from './gateway';

export const API_VERSION = '2024-05-01';

export interface ArmGatewayOptions {
  client: ApiManagementClient;
  subscriptionId: string;
  resourceGroup: string;
  serviceName: string;
  /** Resource Manager URL with a trailing slash (for the one raw request the SDK model cannot express). */
  resourceManagerUrl: string;
  /** Bound on each long-running operation. */
  lroTimeoutMs: number;
  /**
   * Bound on each HTTP attempt until the response headers arrive. The SDK sets none, so a connection
   * that never answers (a black-holing proxy, a stuck front end) would hang the job until it is killed.
   */
  requestTimeoutMs?: number;
  /** Secrets read from the service (named value secrets, backend credential values), for registration before anything logs. */
  onSecretRead?: (value: string) => void;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 5 * 60_000;
const REQUEST_TIMEOUT_POLICY = 'srkRequestTimeout';

function isNotFound(err: unknown): boolean {
  return (err as { statusCode?: number })?.statusCode === 404;
}

async function orUndefined<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** A body that is not ARM's error JSON (a proxy's or gateway's HTML page): one line, bounded. */
function bodyExcerpt(text: string | null | undefined): string {
  const line = (text ?? '').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

async function collect<T>(iter: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iter) out.push(item);
  return out;
}

function toState(id: string, a: ApiContract & { eTag?: string }): ApiState {
  return {
    id,
    etag: a.eTag,
    displayName: a.displayName,
    path: a.path,
    serviceUrl: a.serviceUrl,
    protocols: a.protocols,
    subscriptionRequired: a.subscriptionRequired,
    subscriptionKeyHeaderName: a.subscriptionKeyParameterNames?.header,
    subscriptionKeyQueryName: a.subscriptionKeyParameterNames?.query,
    description: a.description,
    apiRevision: a.apiRevision,
    isCurrent: a.isCurrent,
    apiVersion: a.apiVersion,
    apiVersionSetId: a.apiVersionSetId,
    apiType: a.apiType,
  };
}

function toNamedValueState(n: NamedValueContract & { eTag?: string }): NamedValueState {
  return {
    etag: n.eTag,
    displayName: n.displayName ?? n.name ?? '',
    secret: n.secret === true,
    tags: n.tags ?? [],
    value: n.secret ? undefined : (n.value ?? undefined),
    keyVault: n.keyVault?.secretIdentifier ? { secretIdentifier: n.keyVault.secretIdentifier, identityClientId: n.keyVault.identityClientId ?? undefined } : undefined,
  };
}

function toBackendState(b: BackendContract & { eTag?: string }): BackendState {
  return {
    etag: b.eTag,
    url: b.url,
    protocol: b.protocol,
    title: b.title ?? undefined,
    description: b.description ?? undefined,
    resourceId: b.resourceId ?? undefined,
    tls: b.tls,
    credentials: b.credentials,
  };
}

/**
 * ApimGateway over @azure/arm-apimanagement (api-version 2024-05-01). The SDK pipeline retries
 * 429/5xx honouring Retry-After and polls long-running operations; this adds the bound on the
 * polling and turns every failure into a message that names what was being done.
 */
export function createArmGateway(o: ArmGatewayOptions): ApimGateway {
  const { client, resourceGroup: rg, serviceName: svc } = o;
  const serviceId = `/subscriptions/${o.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.ApiManagement/service/${svc}`;
  const requestTimeoutMs = o.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  if (client.pipeline && !client.pipeline.getOrderedPolicies().some((p) => p.name === REQUEST_TIMEOUT_POLICY)) {
    client.pipeline.addPolicy({
      name: REQUEST_TIMEOUT_POLICY,
      sendRequest: (request, next) => {
        if (!request.timeout) request.timeout = requestTimeoutMs;
        return next(request);
      },
    });
  }

  /** An attempt cut off by the request timeout (the SDK reports it only as "The operation was aborted"). */
  function timedOut(err: unknown, doing: string): RemoteError | undefined {
    if ((err as Error)?.name !== 'AbortError') return undefined;
    const bound = requestTimeoutMs >= 60_000 ? `${Math.round(requestTimeoutMs / 60_000)} minute(s)` : `${Math.ceil(requestTimeoutMs / 1000)} second(s)`;
    return new RemoteError(`${doing} failed: Azure Resource Manager did not answer within ${bound}; check the agent's network and proxy, then run the task again.`);
  }

  async function call<T>(doing: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw timedOut(err, doing) ?? explainApimError(err, doing);
    }
  }

  /** Runs a long-running operation with an abort after the bound, so a stuck import cannot hang the job. */
  async function bounded<T>(doing: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), o.lroTimeoutMs);
    try {
      return await fn(controller.signal);
    } catch (err) {
      if (controller.signal.aborted) {
        throw new RemoteError(`${doing} did not finish within ${Math.round(o.lroTimeoutMs / 60000)} minute(s); APIM may still complete it. Raise the timeout for large definitions.`);
      }
      const cutOff = timedOut(err, doing);
      if (cutOff) throw cutOff;
      const name = (err as Error)?.name;
      if (name !== 'RestError' && /long running operation|polling|failed|canceled/i.test((err as Error)?.message ?? '')) {
        throw new RemoteError(`${doing} failed while APIM processed it: ${(err as Error).message}`);
      }
      throw explainApimError(err, doing);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A request through the client's own pipeline (credential, retries, proxy) for what the SDK model gets wrong. */
  async function raw(method: 'GET' | 'PATCH', relative: string, query: string, headers: Record<string, string> = {}, body?: unknown) {
    const url = `${o.resourceManagerUrl}${serviceId.slice(1)}/${relative}?api-version=${API_VERSION}${query}`;
    const request = createPipelineRequest({
      url,
      method,
      headers: createHttpHeaders({ Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const response = await client.sendRequest(request);
    if (response.status >= 400) {
      let parsed: { error?: { code?: string; message?: string } } | undefined;
      try {
        parsed = JSON.parse(response.bodyAsText ?? '') as typeof parsed;
      } catch {
        parsed = undefined;
      }
      const e = new RemoteError(
        `Azure Resource Manager (${method} /${relative}) answered HTTP ${response.status}${parsed?.error?.code ? ` ${parsed.error.code}` : ''}: ${parsed?.error?.message ?? bodyExcerpt(response.bodyAsText)}`.trim(),
        response.status,
        parsed?.error?.code,
      );
      throw Object.assign(e, { statusCode: response.status });
    }
    return response;
  }

  function policyCall(scope: PolicyScope) {
    switch (scope.kind) {
      case 'global':
        return {
          what: 'the global policy',
          get: () => client.policy.get(rg, svc, 'policy', { format: 'rawxml' }),
          put: (value: string) => client.policy.createOrUpdate(rg, svc, 'policy', { format: 'rawxml', value }),
        };
      case 'product':
        return {
          what: `the policy of product '${scope.productId}'`,
          get: () => client.productPolicy.get(rg, svc, scope.productId, 'policy', { format: 'rawxml' }),
          put: (value: string) => client.productPolicy.createOrUpdate(rg, svc, scope.productId, 'policy', { format: 'rawxml', value }),
        };
      case 'api':
        return {
          what: `the policy of API '${scope.apiId}'`,
          // apiPolicy.get in SDK 10.0.0 is generated with isXML and loses `value` from the JSON answer;
          // read it directly instead.
          get: async () => {
            const r = await raw('GET', `apis/${encodeURIComponent(scope.apiId)}/policies/policy`, '&format=rawxml');
            return JSON.parse(r.bodyAsText ?? '{}').properties as { value?: string };
          },
          put: (value: string) => client.apiPolicy.createOrUpdate(rg, svc, scope.apiId, 'policy', { format: 'rawxml', value }),
        };
      case 'operation':
        return {
          what: `the policy of operation '${scope.operationId}' of API '${scope.apiId}'`,
          get: () => client.apiOperationPolicy.get(rg, svc, scope.apiId, scope.operationId, 'policy', { format: 'rawxml' }),
          put: (value: string) => client.apiOperationPolicy.createOrUpdate(rg, svc, scope.apiId, scope.operationId, 'policy', { format: 'rawxml', value }),
        };
    }
  }

  return {
    getService: () =>
      call(`Reading API Management service '${svc}' in resource group '${rg}'`, async () => {
        const s = await client.apiManagementService.get(rg, svc);
        return { sku: s.sku?.name ?? 'Developer', gatewayUrl: s.gatewayUrl };
      }),

    resourceId: (relative) => `${serviceId}/${relative}`,

    getApi: (apiId) => call(`Reading API '${apiId}'`, async () => {
      const a = await orUndefined(() => client.api.get(rg, svc, apiId));
      return a ? toState(apiId, a) : undefined;
    }),

    listRevisions: (apiId) =>
      call(`Listing revisions of API '${apiId}'`, async () => {
        const list = (await orUndefined(() => collect(client.apiRevision.listByService(rg, svc, apiId)))) ?? [];
        return list.map(
          (r): RevisionInfo => ({ revision: Number(r.apiRevision), isCurrent: r.isCurrent === true, isOnline: r.isOnline !== false, created: r.createdDateTime }),
        );
      }),

    putApi: (apiId, body: ApiPut) =>
      bounded(`Creating or updating API '${apiId}'`, async (abortSignal) => {
        const a = await client.api.beginCreateOrUpdateAndWait(rg, svc, apiId, body, { abortSignal });
        return toState(apiId, a);
      }),

    patchApi: (apiId, etag, patch: ApiPatch) => call(`Updating API '${apiId}'`, async () => void (await client.api.update(rg, svc, apiId, etag, patch))),

    // isOnline is read-only in the SDK model, so the PATCH is sent as raw JSON through the client's
    // own pipeline (same credential, retries and proxy).
    takeRevisionOffline: (apiId, etag) =>
      call(`Taking revision '${apiId}' offline`, async () => void (await raw('PATCH', `apis/${encodeURIComponent(apiId)}`, '', { 'If-Match': etag }, { properties: { isOnline: false } }))),

    deleteRevision: (apiId, etag) => bounded(`Deleting revision '${apiId}'`, async (abortSignal) => void (await client.api.beginDeleteAndWait(rg, svc, apiId, etag, { abortSignal }))),

    listOperations: (apiId) =>
      call(`Listing operations of API '${apiId}'`, async () =>
        (await collect(client.apiOperation.listByApi(rg, svc, apiId))).map((op) => ({ name: op.name ?? '', displayName: op.displayName, method: op.method, urlTemplate: op.urlTemplate })),
      ),

    putGraphQlSchema: (apiId, sdl) =>
      bounded(`Uploading the GraphQL schema of API '${apiId}'`, async (abortSignal) => {
        await client.apiSchema.beginCreateOrUpdateAndWait(rg, svc, apiId, 'graphql', { contentType: 'application/vnd.ms-azure-apim.graphql.schema', value: sdl }, { abortSignal });
      }),

    createRelease: (apiId, releaseId, revisionApiId, notes) =>
      call(`Releasing '${revisionApiId.split('/').pop()}'`, async () => void (await client.apiRelease.createOrUpdate(rg, svc, apiId, releaseId, { apiId: revisionApiId, notes }))),

    getVersionSet: (id) =>
      call(`Reading version set '${id}'`, async () => {
        const v = await orUndefined(() => client.apiVersionSet.get(rg, svc, id));
        return v ? ({ displayName: v.displayName, scheme: v.versioningScheme, headerName: v.versionHeaderName ?? undefined, queryName: v.versionQueryName ?? undefined } satisfies VersionSetState) : undefined;
      }),

    putVersionSet: (id, state) =>
      call(`Writing version set '${id}'`, async () =>
        void (await client.apiVersionSet.createOrUpdate(rg, svc, id, { displayName: state.displayName, versioningScheme: state.scheme, versionHeaderName: state.headerName, versionQueryName: state.queryName })),
      ),

    listApiTags: (apiId) =>
      call(`Listing tags of API '${apiId}'`, async () => {
        const tags = (await orUndefined(() => collect(client.tag.listByApi(rg, svc, apiId)))) ?? [];
        return new Map(tags.map((t) => [(t.name ?? '').toLowerCase(), t.displayName ?? '']));
      }),

    getTag: (tagId) => call(`Reading tag '${tagId}'`, async () => (await orUndefined(() => client.tag.get(rg, svc, tagId)))?.displayName),

    putTag: (tagId, displayName) => call(`Writing tag '${tagId}'`, async () => void (await client.tag.createOrUpdate(rg, svc, tagId, { displayName }))),

    assignTagToApi: (apiId, tagId) => call(`Tagging API '${apiId}' with '${tagId}'`, async () => void (await client.tag.assignToApi(rg, svc, apiId, tagId))),

    getPolicy: (scope) => {
      const p = policyCall(scope);
      return call(`Reading ${p.what}`, async () => (await orUndefined(p.get))?.value);
    },

    putPolicy: (scope, rawXml) => {
      const p = policyCall(scope);
      return call(`Writing ${p.what}`, async () => void (await p.put(rawXml)));
    },

    listNamedValues: () =>
      call('Listing named values', async () => (await collect(client.namedValue.listByService(rg, svc))).map((n) => ({ name: n.name ?? '', displayName: n.displayName }))),

    getNamedValue: (id) =>
      call(`Reading named value '${id}'`, async () => {
        const n = await orUndefined(() => client.namedValue.get(rg, svc, id));
        return n ? toNamedValueState(n) : undefined;
      }),

    readNamedValueSecret: (id) =>
      call(`Reading the value of named value '${id}'`, async () => {
        const value = (await client.namedValue.listValue(rg, svc, id)).value ?? '';
        o.onSecretRead?.(value);
        return value;
      }),

    putNamedValue: (id, body, etag) =>
      bounded(`Writing named value '${id}'`, async (abortSignal) => {
        await client.namedValue.beginCreateOrUpdateAndWait(rg, svc, id, { ...body }, { ifMatch: etag, abortSignal });
      }),

    getBackend: (id) =>
      call(`Reading backend '${id}'`, async () => {
        const b = await orUndefined(() => client.backend.get(rg, svc, id));
        // Every credential the service holds (header and query values too, e.g. x-functions-key or
        // code=) is a secret from here on: the PATCH sends them back and an error may echo them.
        const c = b?.credentials;
        const held = [...Object.values(c?.header ?? {}).flat(), ...Object.values(c?.query ?? {}).flat(), ...(c?.authorization?.parameter ? [c.authorization.parameter] : [])];
        for (const value of held) if (!onlyNamedValueReferences(value)) o.onSecretRead?.(value);
        return b ? toBackendState(b) : undefined;
      }),

    createBackend: (id, body) => call(`Creating backend '${id}'`, async () => void (await client.backend.createOrUpdate(rg, svc, id, { ...body }))),

    updateBackend: (id, etag, patch) => call(`Updating backend '${id}'`, async () => void (await client.backend.update(rg, svc, id, etag, { ...patch }))),

    getProduct: (productId) =>
      call(`Reading product '${productId}'`, async () => {
        const p = await orUndefined(() => client.product.get(rg, svc, productId));
        if (!p) return undefined;
        return {
          etag: p.eTag,
          displayName: p.displayName,
          description: p.description ?? undefined,
          terms: p.terms ?? undefined,
          subscriptionRequired: p.subscriptionRequired ?? undefined,
          approvalRequired: p.approvalRequired ?? undefined,
          subscriptionsLimit: p.subscriptionsLimit ?? undefined,
          state: p.state,
        } satisfies ProductState;
      }),

    putProduct: (productId, state) =>
      call(`Writing product '${productId}'`, async () => {
        const { etag: _etag, ...body } = state;
        await client.product.createOrUpdate(rg, svc, productId, { ...body, displayName: body.displayName ?? productId, state: body.state as 'published' | 'notPublished' | undefined });
      }),

    isApiInProduct: (productId, apiId) =>
      call(`Checking whether API '${apiId}' is in product '${productId}'`, async () => (await orUndefined(() => client.productApi.checkEntityExists(rg, svc, productId, apiId)))?.body === true),

    addApiToProduct: (productId, apiId) => call(`Adding API '${apiId}' to product '${productId}'`, async () => void (await client.productApi.createOrUpdate(rg, svc, productId, apiId))),

    listProductGroups: (productId) =>
      call(`Listing groups of product '${productId}'`, async () => (await collect(client.productGroup.listByProduct(rg, svc, productId))).map((g) => g.name ?? '')),

    listGroups: () => call('Listing groups', async () => (await collect(client.group.listByService(rg, svc))).map((g) => g.name ?? '')),

    addGroupToProduct: (productId, groupId) => call(`Adding group '${groupId}' to product '${productId}'`, async () => void (await client.productGroup.createOrUpdate(rg, svc, productId, groupId))),

    removeGroupFromProduct: (productId, groupId) =>
      call(`Removing group '${groupId}' from product '${productId}'`, async () => void (await client.productGroup.delete(rg, svc, productId, groupId))),
  };
}
