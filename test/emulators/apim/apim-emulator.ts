import * as http from 'http';
import * as https from 'https';
import * as tls from 'tls';
import { ArmContext, ArmEmulator, armError } from '../arm';
import { getTestCa } from '../ca';
import { isObject } from '../jwt';
import { Reply } from '../server';
import { ApimError, validationError } from './errors';
import { registerApiRoutes } from './routes-apis';
import { registerConfigRoutes } from './routes-config';
import { registerProductRoutes } from './routes-products';
import { masterSubscription, registerSubscriptionRoutes } from './routes-subscriptions';
import { checkRequest, type SpecFinding } from './spec-check';
import { ApimServiceState, Entity, key, newEtag, now, stableJson } from './state';

/** Every api-version the service answers; older ones were retired (minimum 2021-08-01). */
export const SUPPORTED_API_VERSIONS = [
  '2021-08-01', '2021-12-01-preview', '2022-04-01-preview', '2022-08-01', '2022-09-01-preview', '2023-03-01-preview',
  '2023-05-01-preview', '2023-09-01-preview', '2024-05-01', '2024-06-01-preview',
];

/** The user-assigned identity every emulated service has unless a test gives it others. */
export const DEFAULT_USER_ASSIGNED_IDENTITY: { resourceId: string; clientId: string; principalId?: string } = {
  resourceId: '/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/rg-identities/providers/Microsoft.ManagedIdentity/userAssignedIdentities/apim-kv-reader',
  clientId: '0f0e0d0c-0000-4000-8000-000000000001',
};

export interface ApimServiceOptions {
  /** Developer (default), Basic, Standard, Premium, Consumption, BasicV2, StandardV2... Consumption has no groups. */
  sku?: string;
  capacity?: number;
  /** Default https://{name}.azure-api.net */
  gatewayUrl?: string;
  location?: string;
  /** apiVersionConstraint.minApiVersion: older api-versions get MissingOrIncorrectVersionParameter. */
  minApiVersion?: string;
  /** Newest api-version this instance accepts (e.g. '2022-08-01' to mimic a tier that lags behind). */
  maxApiVersion?: string;
  /**
   * `isOnline` is read-only in the 2024-05-01 specification, and a service ignores read-only
   * properties it is sent: by default (`ignore`) a PATCH of it answers 200 and changes nothing.
   * `apply` is a service that takes the revision offline anyway (what the Suite relied on at
   * 2018-06-01-preview), so both outcomes can be tested.
   */
  isOnlinePatch?: 'ignore' | 'apply';
  /**
   * The service's managed identities, which is what reads Key Vault secrets for named values.
   * Default: a system-assigned identity and the user-assigned identity DEFAULT_USER_ASSIGNED_IDENTITY.
   * A Key Vault named value whose identity the service does not have is refused, as the service
   * refuses it.
   */
  identity?: { systemAssigned?: boolean; userAssigned?: Array<{ resourceId: string; clientId: string; principalId?: string }> };
}

/** What a handler sees. `props` is `body.properties` (or {}). */
export interface ApimCall {
  method: string;
  /** Path below the service, e.g. /apis/echo;rev=2 */
  subPath: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: Record<string, unknown> | undefined;
  props: Record<string, unknown>;
  svc: ApimServiceState;
  apiVersion: string;
}

export type ApimHandler = (c: ApimCall) => Reply | Promise<Reply>;

interface ApimRoute {
  method: string;
  segments: string[];
  handler: ApimHandler;
}

/** Registers handlers for paths below a service; segment matching is case-insensitive. */
export class ApimRouter {
  readonly routes: ApimRoute[] = [];

  add(method: string, pattern: string, handler: ApimHandler): void {
    this.routes.push({ method: method.toUpperCase(), segments: pattern.split('/').filter(Boolean), handler });
  }

  match(method: string, segments: string[]): { route: ApimRoute; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== segments.length) {
        continue;
      }
      const params: Record<string, string> = {};
      const ok = route.segments.every((p, i) => {
        if (p.startsWith(':')) {
          params[p.slice(1)] = segments[i];
          return true;
        }
        return p.toLowerCase() === segments[i].toLowerCase();
      });
      if (ok) {
        return { route, params };
      }
    }
    return undefined;
  }
}

export interface ApiPutFailure {
  error: { code: string; message: string };
}

/**
 * Azure API Management (Microsoft.ApiManagement, api-version 2024-05-01 shapes) on top of the ARM
 * emulator: services, APIs with spec import, revisions, releases, version sets, operations,
 * products, groups, policies, named values, tags, backends. Writes are counted in `writes`.
 */
export class ApimEmulator {
  private readonly services = new Map<string, ApimServiceState>();
  private readonly router = new ApimRouter();
  private readonly apiPutFailures: ApiPutFailure[] = [];
  /** Successful PUT/PATCH/DELETE/POST requests that changed stored state. */
  writes = 0;
  /** Successful mutating requests, changed or not (an unchanged PUT is still an ARM call). */
  writeRequests = 0;
  /** Method and path of each counted write, oldest first. */
  readonly writeLog: { method: string; path: string }[] = [];
  /** Status polls answered InProgress before an API PUT completes. */
  apiPutPolls = 1;
  /** Status polls answered InProgress before a named value PUT/PATCH completes. */
  configPutPolls = 1;
  /** List page size; defaults to the ARM emulator's. */
  pageSize?: number;
  /**
   * Requests from clients (not `invoke`) that do not match the 2024-05-01 specification kept in
   * test/emulators/specs (see spec-check.ts), oldest first. test/ApimDeploy/spec-watch.ts fails
   * a test that leaves any here; tests of the emulator's own refusals send such requests on purpose.
   */
  readonly invalidRequests: SpecFinding[] = [];

  constructor(readonly arm: ArmEmulator) {
    registerApiRoutes(this.router, this);
    registerProductRoutes(this.router, this);
    registerConfigRoutes(this.router, this);
    registerSubscriptionRoutes(this.router, this);
    const base = '/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.ApiManagement/service';
    arm.route('*', `${base}/:service/*`, (ctx) => this.dispatch(ctx));
    arm.route('*', `${base}/:service`, (ctx) => this.versionGate(ctx, ctx.params.service));
    arm.route('GET', base, (ctx) => this.versionGate(ctx));
  }

  /** Register a service (also stored as an ARM resource, so GET and list-by-resource-group work). */
  addService(subscriptionId: string, resourceGroup: string, name: string, options: ApimServiceOptions = {}): ApimServiceState {
    const id = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ApiManagement/service/${name}`;
    const sku = options.sku ?? 'Developer';
    const gatewayUrl = options.gatewayUrl ?? `https://${name}.azure-api.net`;
    const identity = options.identity ?? { systemAssigned: true, userAssigned: [DEFAULT_USER_ASSIGNED_IDENTITY] };
    const users = identity.userAssigned ?? [];
    const identityType = [identity.systemAssigned ? 'SystemAssigned' : '', users.length ? 'UserAssigned' : ''].filter(Boolean).join(', ') || 'None';
    this.arm.seed(id, {
      location: options.location ?? 'westeurope',
      identity: {
        type: identityType,
        ...(identity.systemAssigned ? { principalId: '5c0a1f9e-0000-4000-8000-00000000a000', tenantId: '72f988bf-0000-4000-8000-000000000000' } : {}),
        ...(users.length ? { userAssignedIdentities: Object.fromEntries(users.map((u) => [u.resourceId, { clientId: u.clientId, principalId: u.principalId ?? '00000000-0000-4000-8000-0000000000a1' }])) } : {}),
      },
      sku: { name: sku, capacity: options.capacity ?? (sku === 'Consumption' ? 0 : 1) },
      properties: {
        publisherEmail: 'apim@contoso.example',
        publisherName: 'Contoso',
        gatewayUrl,
        managementApiUrl: `https://${name}.management.azure-api.net`,
        developerPortalUrl: sku === 'Consumption' ? undefined : `https://${name}.developer.azure-api.net`,
        apiVersionConstraint: options.minApiVersion ? { minApiVersion: options.minApiVersion } : {},
        provisioningState: 'Succeeded',
        targetProvisioningState: '',
        createdAtUtc: now(),
        platformVersion: sku === 'Consumption' ? 'mtv1' : 'stv2',
      },
    });
    const state = this.newState(subscriptionId, resourceGroup, name, id, sku, gatewayUrl);
    state.minApiVersion = options.minApiVersion;
    state.maxApiVersion = options.maxApiVersion;
    state.isOnlinePatch = options.isOnlinePatch;
    state.identity = { systemAssigned: identity.systemAssigned === true, userAssignedClientIds: users.map((u) => u.clientId.toLowerCase()) };
    this.services.set(serviceKey(subscriptionId, resourceGroup, name), state);
    return state;
  }

  /** The state of a service, by name (unique across subscriptions in tests) or sub/rg/name. */
  service(name: string, subscriptionId?: string, resourceGroup?: string): ApimServiceState {
    const found = subscriptionId && resourceGroup
      ? this.services.get(serviceKey(subscriptionId, resourceGroup, name))
      : [...this.services.values()].find((s) => s.name.toLowerCase() === name.toLowerCase());
    if (!found) {
      throw new Error(`APIM emulator: no service '${name}'`);
    }
    return found;
  }

  /** Make the next `times` API PUTs fail through their long-running operation (nothing is stored). */
  failApiPuts(times = 1, error: ApiPutFailure['error'] = { code: 'ValidationError', message: 'Injected failure: the API import failed.' }): void {
    for (let i = 0; i < times; i++) {
      this.apiPutFailures.push({ error });
    }
  }

  takeApiPutFailure(): ApiPutFailure | undefined {
    return this.apiPutFailures.shift();
  }

  /**
   * Run a request against a service without HTTP or a token (seeding and inspection). Writes made
   * this way are not counted. `subPath` is below the service, e.g. `/namedValues/nv1`.
   */
  async invoke(serviceName: string, method: string, subPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const svc = this.service(serviceName);
    const url = new URL(`http://x${subPath}`);
    if (!url.searchParams.has('api-version')) {
      url.searchParams.set('api-version', '2024-05-01');
    }
    const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    return this.run(svc, method.toUpperCase(), segments, url.searchParams, lower(headers), isObject(body) ? body : undefined, false)
      ?? { status: 404, body: { error: { code: 'NotFound', message: `No APIM emulator route for ${method} ${subPath}` } } };
  }

  /** Lists one page of `items` with a $skiptoken nextLink, honouring $top as the page size. */
  page(c: ApimCall, items: unknown[]): Reply {
    const top = Number.parseInt(c.query.get('$top') ?? '', 10);
    const skip = Number.parseInt(c.query.get('$skip') ?? '', 10) || 0;
    const size = top > 0 ? top : this.pageSize ?? this.arm.pageSize;
    const start = skip + (Number.parseInt(c.query.get('$skiptoken') ?? '0', 10) || 0);
    const value = items.slice(start, start + size);
    if (start + size >= items.length) {
      return { status: 200, body: { value, count: items.length } };
    }
    const next = new URL(`${this.arm.url}${c.svc.id}${c.subPath}`);
    c.query.forEach((v, k) => {
      if (k !== '$skiptoken' && k !== '$skip') {
        next.searchParams.set(k, v);
      }
    });
    next.searchParams.set('$skiptoken', String(start + size));
    return { status: 200, body: { value, count: items.length, nextLink: next.toString() } };
  }

  /** `*-link` formats: the emulator fetches only loopback URLs (tests never reach the internet). */
  async fetchLink(url: string, target: string): Promise<string> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw validationError({ target, message: `'${url}' is not an absolute URL.` });
    }
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname) || !/^https?:$/.test(parsed.protocol)) {
      throw validationError({ target, message: `Failed to download '${url}': the APIM emulator only fetches http(s) links on 127.0.0.1.` });
    }
    const lib = parsed.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.get(parsed, { ca: [...tls.rootCertificates, getTestCa().ca.certPem], agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if ((res.statusCode ?? 0) >= 400) {
            reject(validationError({ target, message: `Failed to download '${url}': HTTP ${res.statusCode}.` }));
          } else {
            resolve(Buffer.concat(chunks).toString('utf8'));
          }
        });
      });
      req.on('error', (err) => reject(validationError({ target, message: `Failed to download '${url}': ${err.message}` })));
    });
  }

  armId(svc: ApimServiceState, subPath: string): string {
    return `${svc.id}${subPath}`;
  }

  entityContract(svc: ApimServiceState, collection: string, e: Entity, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { id: `${svc.id}/${collection}/${e.name}`, type: `Microsoft.ApiManagement/service/${collection}`, name: e.name, properties: { ...e.properties, ...extra } };
  }

  /** Returns and forgets what `invalidRequests` holds. */
  takeInvalidRequests(): SpecFinding[] {
    return this.invalidRequests.splice(0);
  }

  private recordSpecIssues(ctx: ArmContext, segments: string[], headers: Record<string, string | undefined>): void {
    const finding = checkRequest(ctx.method, segments, ctx.query, headers, ctx.json);
    if (finding.issues.length > 0) {
      this.invalidRequests.push(finding);
    }
  }

  private versionGate(ctx: ArmContext, serviceName?: string): Reply | undefined {
    const svc = serviceName ? this.services.get(serviceKey(ctx.params.sub, ctx.params.rg, serviceName)) : undefined;
    if (serviceName && ctx.method === 'GET') {
      this.recordSpecIssues(ctx, [], {});
    }
    const rejected = checkApiVersion(ctx.apiVersion, svc);
    // Undefined falls through to the generic ARM store, which holds the service resources.
    return rejected;
  }

  private async dispatch(ctx: ArmContext): Promise<Reply | undefined> {
    const sub = ctx.params.sub;
    const rg = ctx.params.rg;
    let svc = this.services.get(serviceKey(sub, rg, ctx.params.service));
    if (!svc) {
      // A service created through the generic ARM store (e.g. the SDK's service PUT) is adopted.
      const resource = this.arm.getResource(`/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ApiManagement/service/${ctx.params.service}`);
      if (!resource) {
        return armError(404, 'ResourceNotFound', `The Resource 'Microsoft.ApiManagement/service/${ctx.params.service}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
      }
      const sku = isObject(resource.sku) && typeof resource.sku.name === 'string' ? resource.sku.name : 'Developer';
      svc = this.newState(sub, rg, resource.name, resource.id, sku, `https://${resource.name}.azure-api.net`);
      this.services.set(serviceKey(sub, rg, resource.name), svc);
    }
    const segments = ctx.path.split('/').filter(Boolean).slice(8).map(decodeURIComponent);
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(ctx.headers)) {
      headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    this.recordSpecIssues(ctx, segments, headers);
    const rejected = checkApiVersion(ctx.apiVersion, svc);
    if (rejected) {
      return rejected;
    }
    return this.run(svc, ctx.method, segments, ctx.query, headers, isObject(ctx.json) ? ctx.json : undefined, true, ctx.json);
  }

  private run(svc: ApimServiceState, method: string, segments: string[], query: URLSearchParams, headers: Record<string, string | undefined>,
    body: Record<string, unknown> | undefined, count: boolean, rawJson?: unknown): Promise<Reply> | undefined {
    const found = this.router.match(method, segments);
    if (!found) {
      return undefined;
    }
    const call: ApimCall = {
      method,
      subPath: `/${segments.map(encodeURIComponent).join('/')}`,
      params: found.params,
      query,
      headers,
      body,
      props: body && isObject(body.properties) ? body.properties : {},
      svc,
      apiVersion: query.get('api-version') ?? '',
    };
    return (async () => {
      if (rawJson !== undefined && !isObject(rawJson)) {
        return validationError({ target: 'body', message: 'The request body must be a JSON object.' }).toReply();
      }
      if (body && body.properties !== undefined && !isObject(body.properties)) {
        return validationError({ target: 'properties', message: "'properties' must be an object." }).toReply();
      }
      // POST …/listValue, …/listSecrets read secrets: POST by ARM convention, not writes.
      const mutating = method !== 'GET' && method !== 'HEAD' && !(method === 'POST' && /^list/i.test(segments[segments.length - 1] ?? ''));
      const before = mutating ? stableJson(svc) : '';
      let reply: Reply;
      try {
        reply = await found.route.handler(call);
      } catch (err) {
        if (err instanceof ApimError) {
          return err.toReply();
        }
        throw err;
      }
      if (mutating && count && reply.status < 300) {
        this.writeRequests++;
        if (stableJson(svc) !== before) {
          this.writes++;
          this.writeLog.push({ method, path: `${svc.id}${call.subPath}` });
        }
      }
      return reply;
    })();
  }

  private newState(subscriptionId: string, resourceGroup: string, name: string, id: string, sku: string, gatewayUrl: string): ApimServiceState {
    const state: ApimServiceState = {
      subscriptionId, resourceGroup, name, id, sku, gatewayUrl,
      apis: {}, products: {}, groups: {}, versionSets: {}, namedValues: {}, policyFragments: {}, tags: {}, backends: {},
      subscriptions: { master: masterSubscription() },
    };
    if (sku.toLowerCase() !== 'consumption') {
      const t = now();
      for (const [g, displayName, description] of [
        ['administrators', 'Administrators', 'Administrators is a built-in group containing the admin email account provided at the time of service creation. Its membership is managed by the system.'],
        ['developers', 'Developers', 'Developers is a built-in group. Its membership is managed by the system. Signed-in users fall into this group.'],
        ['guests', 'Guests', 'Guests is a built-in group. Its membership is managed by the system. Unauthenticated users visiting the developer portal fall into this group.'],
      ]) {
        state.groups[key(g)] = { name: g, properties: { displayName, description, builtIn: true, type: 'system' }, etag: newEtag(), createdDateTime: t, updatedDateTime: t };
      }
    }
    return state;
  }
}

function checkApiVersion(apiVersion: string, svc: ApimServiceState | undefined): Reply | undefined {
  const allowed = SUPPORTED_API_VERSIONS.filter((v) => (!svc?.minApiVersion || v >= svc.minApiVersion) && (!svc?.maxApiVersion || v <= svc.maxApiVersion));
  if (allowed.includes(apiVersion)) {
    return undefined;
  }
  return {
    status: 400,
    body: {
      error: {
        code: 'MissingOrIncorrectVersionParameter',
        message: `API version query parameter is not specified or was specified incorrectly.  Supported versions: ${allowed.join(',')}  Example query param format: api-version=SupportedVersion`,
        details: null,
      },
    },
  };
}

function serviceKey(sub: string, rg: string, name: string): string {
  return `${sub}|${rg}|${name}`.toLowerCase();
}

function lower(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}
