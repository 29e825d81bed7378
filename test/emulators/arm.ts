import * as crypto from 'crypto';
import { pathMatches } from './faults';
import { isObject, nowSeconds } from './jwt';
import { EmulatorServer, parseJsonBody, Reply, RequestContext, TlsMaterial } from './server';
import { IssuedToken, sameAudience, TokenRegistry } from './tokens';

export interface ArmContext extends RequestContext {
  /** Values of `:name` segments of the route pattern (and `*` for a trailing wildcard). */
  params: Record<string, string>;
  /** Parsed JSON body (undefined when empty). */
  json: unknown;
  /** The caller's token (already validated). */
  token: IssuedToken;
  apiVersion: string;
  arm: ArmEmulator;
}

/** Return undefined to fall through to the next matching route (and finally the generic store). */
export type ArmHandler = (ctx: ArmContext) => Reply | undefined | Promise<Reply | undefined>;

export interface RouteOptions {
  /** Default true: answer 400 MissingApiVersionParameter when api-version is absent. */
  requireApiVersion?: boolean;
}

interface RouteEntry {
  method: string;
  segments: string[];
  handler: ArmHandler;
  requireApiVersion: boolean;
}

export interface ArmResource {
  id: string;
  name: string;
  type: string;
  location?: string;
  tags?: Record<string, string>;
  properties?: Record<string, unknown>;
  etag?: string;
  [key: string]: unknown;
}

export interface Subscription {
  subscriptionId: string;
  displayName?: string;
  /** When set, tokens from other tenants get 401 InvalidAuthenticationTokenTenant. */
  tenantId?: string;
}

export interface ResourceGroup {
  id: string;
  name: string;
  type: string;
  location: string;
  tags?: Record<string, string>;
  properties: { provisioningState: string };
}

export type LroStyle = 'azure-async-operation' | 'location' | 'both';

/** Makes matching generic-store writes long-running. */
export interface LroRule {
  method?: 'PUT' | 'PATCH' | 'DELETE' | 'POST';
  path?: RegExp | string;
  /** Status polls answered InProgress before the terminal state. */
  polls: number;
  outcome?: 'Succeeded' | 'Failed' | 'Canceled';
  style?: LroStyle;
  error?: { code: string; message: string };
  /** How many operations this rule applies to (default: unlimited). */
  times?: number;
  /** Retry-After seconds on the initial and polling answers (default 0). */
  retryAfterSeconds?: number;
}

export interface OperationOptions {
  subscriptionId: string;
  namespace: string;
  location?: string;
  polls: number;
  outcome?: 'Succeeded' | 'Failed' | 'Canceled';
  error?: { code: string; message: string };
  retryAfterSeconds?: number;
  /** Body for the Location URL's final 200 (e.g. the resource); 204 when absent. */
  result?: () => unknown;
  /** Runs once when the operation reaches its terminal state. */
  onDone?: (outcome: 'Succeeded' | 'Failed' | 'Canceled') => void;
}

export interface ArmOperation {
  id: string;
  asyncOperationUrl: string;
  locationUrl: string;
  /** Polls answered so far (either URL). */
  polls: number;
  done: boolean;
  /** Headers announcing the operation, for a 201/202 answer. */
  headers(style?: LroStyle): Record<string, string>;
}

interface OperationState extends ArmOperation {
  options: OperationOptions;
  remaining: number;
  outcome: 'Succeeded' | 'Failed' | 'Canceled';
}

interface ParsedResourcePath {
  subscriptionId: string;
  resourceGroup?: string;
  namespace: string;
  types: string[];
  names: string[];
  /** The path as an id (no trailing slash). */
  id: string;
}

const OPERATION_API_VERSION = '2023-01-01';

/**
 * Azure Resource Manager: bearer-token check against tokens our identity emulators issued,
 * subscriptions, resource groups, a generic provider resource store (ETag / If-Match, paging),
 * long-running operations, provider routes for task-specific emulators, faults and a request log.
 */
export class ArmEmulator extends EmulatorServer {
  private readonly routes: RouteEntry[] = [];
  private readonly builtins: RouteEntry[] = [];
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly groups = new Map<string, ResourceGroup>();
  private readonly store = new Map<string, ArmResource>();
  private readonly operations = new Map<string, OperationState>();
  readonly lroRules: (LroRule & { used: number })[] = [];
  /** Default page size for list results. */
  pageSize = 100;
  /** Extra audiences accepted besides this server's URL. */
  readonly acceptedAudiences: string[] = [];
  /** authorization_uri in WWW-Authenticate; set to the Entra emulator's URL by startEmulators(). */
  authorityHint = 'https://login.microsoftonline.com/common';

  constructor(tls: TlsMaterial, readonly tokens: TokenRegistry) {
    super(tls);
    this.registerBuiltins();
  }

  /** Resource Manager URL with trailing slash, as an AzureRM endpoint's URL holds it; also the token audience. */
  get endpoint(): string {
    return `${this.url}/`;
  }

  /** Add a provider route; later routes win over earlier ones, all win over the built-ins. */
  route(method: string, pattern: string, handler: ArmHandler, options: RouteOptions = {}): void {
    this.routes.unshift({ method: method.toUpperCase(), segments: splitPath(pattern), handler, requireApiVersion: options.requireApiVersion ?? true });
  }

  addSubscription(sub: Subscription): void {
    this.subscriptions.set(sub.subscriptionId.toLowerCase(), { ...sub });
  }

  getSubscription(subscriptionId: string): Subscription | undefined {
    return this.subscriptions.get(subscriptionId.toLowerCase());
  }

  addResourceGroup(subscriptionId: string, name: string, location = 'westeurope', tags?: Record<string, string>): ResourceGroup {
    if (!this.subscriptions.has(subscriptionId.toLowerCase())) {
      this.addSubscription({ subscriptionId });
    }
    const rg: ResourceGroup = {
      id: `/subscriptions/${subscriptionId}/resourceGroups/${name}`,
      name,
      type: 'Microsoft.Resources/resourceGroups',
      location,
      tags,
      properties: { provisioningState: 'Succeeded' },
    };
    this.groups.set(rgKey(subscriptionId, name), rg);
    return rg;
  }

  getResourceGroup(subscriptionId: string, name: string): ResourceGroup | undefined {
    return this.groups.get(rgKey(subscriptionId, name));
  }

  /** Put a resource straight into the store (creating its subscription and resource group). */
  seed(id: string, resource: Partial<ArmResource> = {}): ArmResource {
    const parsed = parseResourcePath(splitPath(id));
    if (!parsed || parsed.types.length !== parsed.names.length) {
      throw new Error(`seed: '${id}' is not a provider resource id`);
    }
    if (!this.subscriptions.has(parsed.subscriptionId.toLowerCase())) {
      this.addSubscription({ subscriptionId: parsed.subscriptionId });
    }
    if (parsed.resourceGroup && !this.getResourceGroup(parsed.subscriptionId, parsed.resourceGroup)) {
      this.addResourceGroup(parsed.subscriptionId, parsed.resourceGroup);
    }
    const stored = this.buildResource(parsed, resource, undefined);
    this.store.set(parsed.id.toLowerCase(), stored);
    return stored;
  }

  getResource(id: string): ArmResource | undefined {
    return this.store.get(trimSlash(id).toLowerCase());
  }

  putResource(resource: ArmResource): void {
    this.store.set(trimSlash(resource.id).toLowerCase(), resource);
  }

  deleteResource(id: string): boolean {
    const key = trimSlash(id).toLowerCase();
    const existed = this.store.delete(key);
    for (const k of [...this.store.keys()]) {
      if (k.startsWith(`${key}/`)) {
        this.store.delete(k);
      }
    }
    return existed;
  }

  /** All stored resources (copies are not made; mutate with care). */
  listResources(): ArmResource[] {
    return [...this.store.values()];
  }

  /** Make generic-store writes matching this rule long-running. */
  addLroRule(rule: LroRule): void {
    this.lroRules.push({ ...rule, used: 0 });
  }

  /** Start a long-running operation whose status URLs live on this server. */
  beginOperation(options: OperationOptions): ArmOperation {
    const id = crypto.randomUUID();
    const location = options.location ?? 'westeurope';
    const base = `${this.url}/subscriptions/${options.subscriptionId}/providers/${options.namespace}/locations/${location}`;
    const retryAfter = String(options.retryAfterSeconds ?? 0);
    const op: OperationState = {
      id,
      asyncOperationUrl: `${base}/operationStatuses/${id}?api-version=${OPERATION_API_VERSION}`,
      locationUrl: `${base}/operationResults/${id}?api-version=${OPERATION_API_VERSION}`,
      polls: 0,
      done: false,
      options,
      remaining: options.polls,
      outcome: options.outcome ?? 'Succeeded',
      headers(style: LroStyle = 'both'): Record<string, string> {
        const h: Record<string, string> = { 'Retry-After': retryAfter };
        if (style !== 'location') {
          h['Azure-AsyncOperation'] = op.asyncOperationUrl;
        }
        if (style !== 'azure-async-operation') {
          h.Location = op.locationUrl;
        }
        return h;
      },
    };
    this.operations.set(id, op);
    return op;
  }

  getOperation(id: string): ArmOperation | undefined {
    return this.operations.get(id);
  }

  /** A list page of `items` for this request: `$skiptoken` offset, nextLink to the same path. */
  paginate(ctx: RequestContext, items: unknown[], pageSize = this.pageSize): { value: unknown[]; nextLink?: string } {
    const start = Number.parseInt(ctx.query.get('$skiptoken') ?? '0', 10) || 0;
    const value = items.slice(start, start + pageSize);
    if (start + pageSize >= items.length) {
      return { value };
    }
    const next = new URL(`${this.url}${ctx.path}`);
    ctx.query.forEach((v, k) => {
      if (k !== '$skiptoken') {
        next.searchParams.set(k, v);
      }
    });
    next.searchParams.set('$skiptoken', String(start + pageSize));
    return { value, nextLink: next.toString() };
  }

  protected async handle(ctx: RequestContext): Promise<Reply> {
    const reply = await this.handleArm(ctx);
    const requestId = crypto.randomUUID();
    reply.headers = {
      'x-ms-request-id': requestId,
      'x-ms-correlation-request-id': (ctx.headers['x-ms-correlation-request-id'] as string | undefined) ?? requestId,
      ...(reply.headers ?? {}),
    };
    return reply;
  }

  private async handleArm(ctx: RequestContext): Promise<Reply> {
    const auth = this.authenticate(ctx);
    if ('status' in auth) {
      return auth;
    }
    const token = auth.token;
    const segments = splitPath(ctx.path);
    const json = safeJson(ctx.body);
    if (json === INVALID_JSON) {
      return armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
    }
    const subId = segments[0]?.toLowerCase() === 'subscriptions' ? segments[1] : undefined;
    const sub = subId ? this.subscriptions.get(subId.toLowerCase()) : undefined;
    if (sub?.tenantId && sub.tenantId.toLowerCase() !== token.tenantId.toLowerCase()) {
      return {
        ...armError(401, 'InvalidAuthenticationTokenTenant', `The access token is from the wrong issuer 'https://sts.windows.net/${token.tenantId}/'. It must match the tenant 'https://sts.windows.net/${sub.tenantId}/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${sub.tenantId}' to get the token.`),
        headers: { 'WWW-Authenticate': `Bearer authorization_uri="${this.authorityHint}", error="invalid_token", error_description="The access token is from the wrong issuer."` },
      };
    }
    for (const entry of [...this.routes, ...this.builtins]) {
      if (entry.method !== '*' && entry.method !== ctx.method) {
        continue;
      }
      const params = matchSegments(entry.segments, segments);
      if (!params) {
        continue;
      }
      const apiVersion = ctx.query.get('api-version') ?? '';
      if (entry.requireApiVersion && !apiVersion) {
        return armError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
      }
      const reply = await entry.handler({ ...ctx, params, json, token, apiVersion, arm: this });
      if (reply) {
        return reply;
      }
    }
    return armError(404, 'NotFound', `The emulator has no route for ${ctx.method} ${ctx.path}.`);
  }

  private authenticate(ctx: RequestContext): { token: IssuedToken } | Reply {
    const header = ctx.headers.authorization;
    const challenge = (description: string): Record<string, string> => ({
      'WWW-Authenticate': `Bearer authorization_uri="${this.authorityHint}", error="invalid_token", error_description="${description}"`,
    });
    if (!header) {
      const msg = "The authentication failed because of missing 'Authorization' header.";
      return { ...armError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing."), headers: challenge(msg) };
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      const msg = "The authentication failed because of invalid 'Authorization' header.";
      return { ...armError(401, 'AuthenticationFailedInvalidHeader', "Authentication failed. The 'Authorization' header is provided in an invalid format."), headers: challenge(msg) };
    }
    const token = this.tokens.lookup(match[1]);
    if (!token) {
      return { ...armError(401, 'InvalidAuthenticationToken', 'The access token is invalid.'), headers: challenge('The access token is invalid.') };
    }
    if (token.expiresOn <= nowSeconds()) {
      return {
        ...armError(401, 'ExpiredAuthenticationToken', 'The access token expiry UTC time is earlier than current UTC time.'),
        headers: challenge('The access token expiry UTC time is earlier than current UTC time.'),
      };
    }
    const audiences = [this.url, ...this.acceptedAudiences];
    if (!audiences.some((a) => sameAudience(a, token.audience))) {
      return {
        ...armError(401, 'InvalidAuthenticationTokenAudience', `The access token has been obtained for wrong audience or resource '${token.audience}'. It should exactly match with one of the allowed audiences '${audiences.join("','")}'.`),
        headers: challenge('The access token has been obtained for wrong audience or resource.'),
      };
    }
    return { token };
  }

  private builtin(method: string, pattern: string, handler: ArmHandler, requireApiVersion = true): void {
    this.builtins.push({ method, segments: splitPath(pattern), handler, requireApiVersion });
  }

  private registerBuiltins(): void {
    this.builtin('GET', '/subscriptions', (ctx) => ({
      status: 200,
      body: this.paginate(ctx, [...this.subscriptions.values()].filter((s) => !s.tenantId || s.tenantId === ctx.token.tenantId).map(subscriptionBody)),
    }));
    this.builtin('GET', '/subscriptions/:sub', (ctx) => {
      const sub = this.subscriptions.get(ctx.params.sub.toLowerCase());
      return sub ? { status: 200, body: subscriptionBody(sub) } : subscriptionNotFound(ctx.params.sub);
    });
    this.builtin('GET', '/subscriptions/:sub/providers/:ns/locations/:loc/operationStatuses/:id', (ctx) => this.pollStatus(ctx.params.id));
    this.builtin('GET', '/subscriptions/:sub/providers/:ns/locations/:loc/operationResults/:id', (ctx) => this.pollResult(ctx.params.id));
    this.builtin('GET', '/subscriptions/:sub/resourcegroups', (ctx) => {
      if (!this.subscriptions.has(ctx.params.sub.toLowerCase())) {
        return subscriptionNotFound(ctx.params.sub);
      }
      const prefix = `${ctx.params.sub.toLowerCase()}|`;
      const groups = [...this.groups.entries()].filter(([k]) => k.startsWith(prefix)).map(([, g]) => g);
      return { status: 200, body: this.paginate(ctx, groups) };
    });
    this.builtin('GET', '/subscriptions/:sub/resourcegroups/:rg', (ctx) => {
      const rg = this.getResourceGroup(ctx.params.sub, ctx.params.rg);
      return rg ? { status: 200, body: rg } : resourceGroupNotFound(ctx.params.rg);
    });
    this.builtin('HEAD', '/subscriptions/:sub/resourcegroups/:rg', (ctx) =>
      ({ status: this.getResourceGroup(ctx.params.sub, ctx.params.rg) ? 204 : 404 }));
    this.builtin('PUT', '/subscriptions/:sub/resourcegroups/:rg', (ctx) => {
      if (!this.subscriptions.has(ctx.params.sub.toLowerCase())) {
        return subscriptionNotFound(ctx.params.sub);
      }
      const body = isObject(ctx.json) ? ctx.json : {};
      if (typeof body.location !== 'string' || !body.location) {
        return armError(400, 'LocationRequired', 'The location property is required for this definition.');
      }
      const existed = this.getResourceGroup(ctx.params.sub, ctx.params.rg);
      const rg = this.addResourceGroup(ctx.params.sub, existed?.name ?? ctx.params.rg, body.location, body.tags as Record<string, string> | undefined);
      return { status: existed ? 200 : 201, body: rg };
    });
    this.builtin('DELETE', '/subscriptions/:sub/resourcegroups/:rg', (ctx) => {
      const key = rgKey(ctx.params.sub, ctx.params.rg);
      if (!this.groups.delete(key)) {
        return { status: 204 };
      }
      const prefix = `/subscriptions/${ctx.params.sub}/resourcegroups/${ctx.params.rg}/`.toLowerCase();
      for (const k of [...this.store.keys()]) {
        if (k.startsWith(prefix)) {
          this.store.delete(k);
        }
      }
      return { status: 200 };
    });
    this.builtin('*', '/subscriptions/*', (ctx) => this.genericResource(ctx));
  }

  private pollStatus(id: string): Reply {
    const op = this.operations.get(id);
    if (!op) {
      return armError(404, 'OperationNotFound', `Operation '${id}' was not found.`);
    }
    const retry = { 'Retry-After': String(op.options.retryAfterSeconds ?? 0) };
    if (this.advance(op)) {
      return { status: 200, headers: retry, body: { id: op.asyncOperationUrl.split('?')[0], name: op.id, status: 'InProgress', startTime: new Date().toISOString() } };
    }
    const body: Record<string, unknown> = { id: op.asyncOperationUrl.split('?')[0], name: op.id, status: op.outcome, endTime: new Date().toISOString() };
    if (op.outcome !== 'Succeeded') {
      body.error = op.options.error ?? { code: 'OperationFailed', message: `The operation ${op.outcome.toLowerCase()}.` };
    }
    return { status: 200, body };
  }

  private pollResult(id: string): Reply {
    const op = this.operations.get(id);
    if (!op) {
      return armError(404, 'OperationNotFound', `Operation '${id}' was not found.`);
    }
    if (this.advance(op)) {
      return { status: 202, headers: { Location: op.locationUrl, 'Retry-After': String(op.options.retryAfterSeconds ?? 0) } };
    }
    if (op.outcome !== 'Succeeded') {
      const error = op.options.error ?? { code: 'OperationFailed', message: `The operation ${op.outcome.toLowerCase()}.` };
      return { status: 400, body: { error } };
    }
    const result = op.options.result?.();
    return result === undefined ? { status: 204 } : { status: 200, body: result };
  }

  /** Counts a poll; true while the operation is still in progress. */
  private advance(op: OperationState): boolean {
    op.polls++;
    if (op.remaining > 0) {
      op.remaining--;
      return true;
    }
    if (!op.done) {
      op.done = true;
      op.options.onDone?.(op.outcome);
    }
    return false;
  }

  private takeLroRule(method: string, path: string): (LroRule & { used: number }) | undefined {
    const rule = this.lroRules.find((r) => (!r.method || r.method === method) && (r.path === undefined || pathMatches(r.path, path))
      && (r.times === undefined || r.used < r.times));
    if (rule) {
      rule.used++;
    }
    return rule;
  }

  private genericResource(ctx: ArmContext): Reply {
    const parsed = parseResourcePath(splitPath(ctx.path));
    if (!parsed) {
      return armError(404, 'NotFound', `The emulator has no route for ${ctx.method} ${ctx.path}.`);
    }
    if (!this.subscriptions.has(parsed.subscriptionId.toLowerCase())) {
      return subscriptionNotFound(parsed.subscriptionId);
    }
    if (parsed.resourceGroup && !this.getResourceGroup(parsed.subscriptionId, parsed.resourceGroup)) {
      return resourceGroupNotFound(parsed.resourceGroup);
    }
    const isCollection = parsed.types.length === parsed.names.length + 1;
    if (isCollection) {
      if (ctx.method !== 'GET') {
        return armError(405, 'MethodNotAllowed', `${ctx.method} is not allowed on a collection.`);
      }
      return { status: 200, body: this.paginate(ctx, this.listCollection(parsed)) };
    }
    const key = parsed.id.toLowerCase();
    const existing = this.store.get(key);
    const precondition = checkPreconditions(ctx, existing);
    if (precondition) {
      return precondition;
    }
    switch (ctx.method) {
      case 'GET':
        return existing ? withEtag(200, existing) : resourceNotFound(parsed);
      case 'PUT':
        return this.putGeneric(ctx, parsed, existing);
      case 'PATCH':
        if (!existing) {
          return resourceNotFound(parsed);
        }
        return this.patchGeneric(ctx, parsed, existing);
      case 'DELETE':
        return this.deleteGeneric(ctx, parsed, existing);
      default:
        return armError(405, 'MethodNotAllowed', `${ctx.method} is not supported by the generic resource store.`);
    }
  }

  private listCollection(parsed: ParsedResourcePath): ArmResource[] {
    const type = `${parsed.namespace}/${parsed.types.join('/')}`.toLowerCase();
    // A member's id is the collection path plus its name.
    const collectionId = parsed.id.toLowerCase();
    const atSubscription = !parsed.resourceGroup && parsed.types.length === 1;
    const subPrefix = `/subscriptions/${parsed.subscriptionId}/`.toLowerCase();
    return [...this.store.entries()]
      .filter(([k, r]) => r.type.toLowerCase() === type
        && (atSubscription ? k.startsWith(subPrefix) : k.split('/').slice(0, -1).join('/') === collectionId))
      .map(([, r]) => r);
  }

  private checkParent(parsed: ParsedResourcePath): Reply | undefined {
    if (parsed.types.length < 2) {
      return undefined;
    }
    const parentId = parsed.id.split('/').slice(0, -2).join('/');
    if (!this.store.has(parentId.toLowerCase())) {
      return armError(404, 'ParentResourceNotFound', `Can not perform requested operation on nested resource. Parent resource '${parsed.names.slice(0, -1).join('/')}' not found.`);
    }
    return undefined;
  }

  private buildResource(parsed: ParsedResourcePath, body: Record<string, unknown>, existing: ArmResource | undefined): ArmResource {
    const properties = isObject(body.properties) ? { ...body.properties } : {};
    if (properties.provisioningState === undefined) {
      properties.provisioningState = 'Succeeded';
    }
    return {
      ...body,
      id: existing?.id ?? parsed.id,
      name: existing?.name ?? parsed.names[parsed.names.length - 1],
      type: `${parsed.namespace}/${parsed.types.join('/')}`,
      properties,
      etag: newEtag(),
    };
  }

  private putGeneric(ctx: ArmContext, parsed: ParsedResourcePath, existing: ArmResource | undefined): Reply {
    const parentError = this.checkParent(parsed);
    if (parentError) {
      return parentError;
    }
    if (ctx.json !== undefined && !isObject(ctx.json)) {
      return armError(400, 'InvalidRequestContent', 'The request content must be a JSON object.');
    }
    const resource = this.buildResource(parsed, ctx.json ?? {}, existing);
    const rule = this.takeLroRule('PUT', ctx.path);
    if (!rule) {
      this.store.set(parsed.id.toLowerCase(), resource);
      return withEtag(existing ? 200 : 201, resource);
    }
    (resource.properties as Record<string, unknown>).provisioningState = existing ? 'Updating' : 'Creating';
    this.store.set(parsed.id.toLowerCase(), resource);
    const op = this.beginOperation({
      subscriptionId: parsed.subscriptionId,
      namespace: parsed.namespace,
      location: typeof resource.location === 'string' ? resource.location : undefined,
      polls: rule.polls,
      outcome: rule.outcome,
      error: rule.error,
      retryAfterSeconds: rule.retryAfterSeconds,
      result: () => this.store.get(parsed.id.toLowerCase()),
      onDone: (outcome) => {
        const current = this.store.get(parsed.id.toLowerCase());
        if (current?.properties) {
          current.properties.provisioningState = outcome;
          current.etag = newEtag();
        }
      },
    });
    return { status: existing ? 200 : 201, body: resource, headers: { ...op.headers(rule.style ?? 'both'), ETag: resource.etag as string } };
  }

  private patchGeneric(ctx: ArmContext, parsed: ParsedResourcePath, existing: ArmResource): Reply {
    if (!isObject(ctx.json)) {
      return armError(400, 'InvalidRequestContent', 'The request content must be a JSON object.');
    }
    const patch = ctx.json;
    const merged: ArmResource = { ...existing, ...patch, id: existing.id, name: existing.name, type: existing.type };
    if (isObject(patch.properties)) {
      merged.properties = { ...(existing.properties ?? {}), ...patch.properties };
    }
    if (isObject(patch.tags)) {
      merged.tags = patch.tags as Record<string, string>;
    }
    merged.etag = newEtag();
    this.store.set(parsed.id.toLowerCase(), merged);
    const rule = this.takeLroRule('PATCH', ctx.path);
    if (!rule) {
      return withEtag(200, merged);
    }
    const op = this.beginOperation({
      subscriptionId: parsed.subscriptionId, namespace: parsed.namespace, polls: rule.polls, outcome: rule.outcome, error: rule.error,
      retryAfterSeconds: rule.retryAfterSeconds, result: () => this.store.get(parsed.id.toLowerCase()),
    });
    return { status: 202, headers: op.headers(rule.style ?? 'both') };
  }

  private deleteGeneric(ctx: ArmContext, parsed: ParsedResourcePath, existing: ArmResource | undefined): Reply {
    if (!existing) {
      return { status: 204 };
    }
    const rule = this.takeLroRule('DELETE', ctx.path);
    if (!rule) {
      this.deleteResource(parsed.id);
      return { status: 200 };
    }
    if (existing.properties) {
      existing.properties.provisioningState = 'Deleting';
    }
    const op = this.beginOperation({
      subscriptionId: parsed.subscriptionId, namespace: parsed.namespace, polls: rule.polls, outcome: rule.outcome, error: rule.error,
      retryAfterSeconds: rule.retryAfterSeconds,
      onDone: (outcome) => {
        if (outcome === 'Succeeded') {
          this.deleteResource(parsed.id);
        }
      },
    });
    return { status: 202, headers: op.headers(rule.style ?? 'both') };
  }
}

const INVALID_JSON = Symbol('invalid-json');

function safeJson(body: Buffer): unknown {
  try {
    return parseJsonBody(body);
  } catch {
    return INVALID_JSON;
  }
}

export function armError(status: number, code: string, message: string): Reply {
  return { status, body: { error: { code, message } } };
}

function splitPath(path: string): string[] {
  return path.split('?')[0].split('/').filter(Boolean);
}

function trimSlash(s: string): string {
  return s.replace(/\/+$/, '');
}

function rgKey(sub: string, rg: string): string {
  return `${sub.toLowerCase()}|${rg.toLowerCase()}`;
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p === '*' && i === pattern.length - 1) {
      if (actual.length <= i) {
        return undefined;
      }
      params['*'] = actual.slice(i).map(decodeURIComponent).join('/');
      return params;
    }
    if (i >= actual.length) {
      return undefined;
    }
    if (p.startsWith(':')) {
      params[p.slice(1)] = decodeURIComponent(actual[i]);
    } else if (p.toLowerCase() !== actual[i].toLowerCase()) {
      return undefined;
    }
  }
  return pattern.length === actual.length ? params : undefined;
}

/** /subscriptions/{s}[/resourceGroups/{rg}]/providers/{ns}/{type}/{name}[/{type}/{name}...][/{type}] */
function parseResourcePath(segments: string[]): ParsedResourcePath | undefined {
  if (segments.length < 5 || segments[0].toLowerCase() !== 'subscriptions') {
    return undefined;
  }
  let i = 2;
  let resourceGroup: string | undefined;
  if (segments[i]?.toLowerCase() === 'resourcegroups') {
    resourceGroup = segments[i + 1];
    i += 2;
  }
  if (segments[i]?.toLowerCase() !== 'providers' || !segments[i + 1] || !segments[i + 2]) {
    return undefined;
  }
  const namespace = segments[i + 1];
  const rest = segments.slice(i + 2);
  const types = rest.filter((_, k) => k % 2 === 0);
  const names = rest.filter((_, k) => k % 2 === 1);
  return { subscriptionId: segments[1], resourceGroup, namespace, types, names, id: `/${segments.join('/')}` };
}

function subscriptionBody(sub: Subscription): Record<string, unknown> {
  return {
    id: `/subscriptions/${sub.subscriptionId}`,
    authorizationSource: 'RoleBased',
    subscriptionId: sub.subscriptionId,
    tenantId: sub.tenantId,
    displayName: sub.displayName ?? `Subscription ${sub.subscriptionId.slice(0, 8)}`,
    state: 'Enabled',
    subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
  };
}

function subscriptionNotFound(id: string): Reply {
  return armError(404, 'SubscriptionNotFound', `The subscription '${id}' could not be found.`);
}

function resourceGroupNotFound(name: string): Reply {
  return armError(404, 'ResourceGroupNotFound', `Resource group '${name}' could not be found.`);
}

function resourceNotFound(parsed: ParsedResourcePath): Reply {
  return armError(404, 'ResourceNotFound', `The Resource '${parsed.namespace}/${parsed.types.map((t, i) => `${t}/${parsed.names[i]}`).join('/')}' under resource group '${parsed.resourceGroup ?? ''}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
}

function newEtag(): string {
  return `"${crypto.randomUUID()}"`;
}

function withEtag(status: number, resource: ArmResource): Reply {
  return { status, body: resource, headers: resource.etag ? { ETag: resource.etag } : {} };
}

function normaliseEtag(tag: string): string {
  return tag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
}

function checkPreconditions(ctx: RequestContext, existing: ArmResource | undefined): Reply | undefined {
  const ifMatch = ctx.headers['if-match'];
  const ifNoneMatch = ctx.headers['if-none-match'];
  const failed = armError(412, 'PreconditionFailed', 'The operation was not performed because the resource has been modified or does not match the If-Match / If-None-Match condition.');
  if (ifMatch && ctx.method !== 'GET') {
    if (!existing) {
      return failed;
    }
    const wanted = ifMatch.split(',').map(normaliseEtag);
    if (!wanted.includes('*') && !wanted.includes(normaliseEtag(existing.etag ?? ''))) {
      return failed;
    }
  }
  if (ifNoneMatch?.trim() === '*' && ctx.method === 'PUT' && existing) {
    return failed;
  }
  return undefined;
}
