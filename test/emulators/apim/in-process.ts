/**
 * The APIM emulator without a socket: the real @azure/arm-apimanagement client sends its requests
 * through an in-process HttpClient straight into the ARM emulator's routing, so unit tests of the
 * ApimDeploy core run against the one emulator (the 2024-05-01 behaviour, what it rejects, ETags,
 * long-running operations, paging) in milliseconds, with no server, port, TLS or token endpoint.
 *
 * The bearer token is real (issued by the emulators' token registry and checked by ARM), the URL
 * is https (the SDK refuses a bearer token over http) but never resolved: every request, nextLink
 * and Azure-AsyncOperation poll lands in the same process.
 */
import type * as http from 'http';
import { ApiManagementClient } from '@azure/arm-apimanagement';
import type { TokenCredential } from '@azure/core-auth';
import { createHttpHeaders, type HttpClient, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { ArmEmulator } from '../arm';
import type { Reply, RequestContext, TlsMaterial } from '../server';
import { TokenRegistry } from '../tokens';
import type { ArmGatewayOptions } from '../../../tasks/ApimDeploy/core/arm/context';
import { ApimEmulator, type ApimServiceOptions } from './apim-emulator';
import type { ApimServiceState } from './state';

const TENANT = '72f988bf-0000-4000-8000-0000000000a1';
const SUBSCRIPTION = '11111111-2222-4333-8444-5555555500a1';
const CLIENT = 'a1a1a1a1-0000-4000-8000-0000000000a1';
/** Never resolved: the in-process HttpClient answers every request. */
const ARM_URL = 'https://arm.in-process.invalid';

/** An ARM emulator that is never started: its routing is reached by method call. */
class InProcessArm extends ArmEmulator {
  constructor(tokens: TokenRegistry) {
    // No TLS material: there is no server to secure (the base class then builds an unused http one).
    super(undefined as unknown as TlsMaterial, tokens);
  }

  override get url(): string {
    return ARM_URL;
  }

  async serve(method: string, url: URL, headers: http.IncomingHttpHeaders, body: Buffer): Promise<Reply> {
    const path = url.pathname.replace(/\/{2,}/g, '/');
    this.requests.push({ method, path, query: Object.fromEntries(url.searchParams), headers: {}, time: Date.now(), status: 0 });
    const record = this.requests[this.requests.length - 1];
    const fault = this.faults.take(method, path);
    // A slow answer (delayMs) lets a test show that one job waits for another.
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.status) {
      record.faultId = fault.id;
      record.status = fault.status;
      return { status: fault.status, headers: fault.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(fault.retryAfterSeconds) }, body: { error: { code: fault.code ?? 'InjectedFault', message: `Injected fault: HTTP ${fault.status}.` } } };
    }
    // Only the routing reads the context; the IncomingMessage of a socket is never looked at.
    const ctx: RequestContext = { req: undefined as unknown as http.IncomingMessage, method, url, path, query: url.searchParams, body, headers };
    const reply = await this.handle(ctx);
    record.status = reply.status;
    return reply;
  }
}

function bodyOf(request: PipelineRequest): Buffer {
  const b = request.body;
  if (b === undefined || b === null) return Buffer.alloc(0);
  if (typeof b === 'string') return Buffer.from(b);
  if (Buffer.isBuffer(b) || b instanceof Uint8Array) return Buffer.from(b);
  throw new Error(`in-process APIM: a ${typeof b} request body is not supported`);
}

export interface InProcessApim {
  arm: ArmEmulator;
  apim: ApimEmulator;
  subscriptionId: string;
  resourceGroup: string;
  serviceName: string;
  /** Resource Manager URL with a trailing slash, as a service connection holds it. */
  resourceManagerUrl: string;
  /** The real SDK client, its requests answered in process. */
  client: ApiManagementClient;
  /** The emulator's stored state of the service (keys are lower-case ids). */
  state(): ApimServiceState;
  /** Requests ARM received, oldest first, as `METHOD /path below the service`. */
  requests(): string[];
  /** What ApimDeploy's gateways (v1's and v2's) take to reach this service; long-running operations bounded to 20 s. */
  gatewayOptions(): ArmGatewayOptions;
}

/** One APIM service ('svc' in 'rg') in a fresh emulator, and an SDK client reaching it in process. */
export function createInProcessApim(options: ApimServiceOptions & { serviceName?: string; pageSize?: number } = {}): InProcessApim {
  const tokens = new TokenRegistry();
  const arm = new InProcessArm(tokens);
  const apim = new ApimEmulator(arm);
  if (options.pageSize) arm.pageSize = options.pageSize;
  // The SDK polls long-running operations; the emulator's default of one InProgress answer keeps that path exercised.
  const resourceGroup = 'rg';
  const serviceName = options.serviceName ?? 'svc';
  arm.addSubscription({ subscriptionId: SUBSCRIPTION, tenantId: TENANT });
  arm.addResourceGroup(SUBSCRIPTION, resourceGroup);
  const service = apim.addService(SUBSCRIPTION, resourceGroup, serviceName, options);

  const credential: TokenCredential = {
    getToken: async () => {
      const t = tokens.issue({ audience: ARM_URL, tenantId: TENANT, appId: CLIENT, source: 'client-secret', lifetimeSeconds: 3600 });
      return { token: t.token, expiresOnTimestamp: t.expiresOn * 1000 };
    },
  };
  const httpClient: HttpClient = {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const headers: http.IncomingHttpHeaders = {};
      for (const [name, value] of request.headers) headers[name.toLowerCase()] = value;
      const reply = await arm.serve(request.method, new URL(request.url), headers, bodyOf(request));
      const out = createHttpHeaders();
      for (const [name, value] of Object.entries(reply.headers ?? {})) out.set(name, Array.isArray(value) ? value.join(', ') : value);
      let text: string | undefined;
      if (reply.raw !== undefined) text = Buffer.from(reply.raw).toString('utf8');
      else if (reply.body !== undefined && reply.status !== 204) {
        text = JSON.stringify(reply.body);
        if (!out.has('content-type')) out.set('content-type', 'application/json; charset=utf-8');
      }
      return { request, status: reply.status, headers: out, bodyAsText: text };
    },
  };
  const client = new ApiManagementClient(credential, SUBSCRIPTION, {
    endpoint: ARM_URL,
    credentialScopes: [`${ARM_URL}/.default`],
    httpClient,
    retryOptions: { maxRetries: 2, retryDelayInMs: 1, maxRetryDelayInMs: 5 },
  });
  const below = service.id.toLowerCase();
  return {
    arm,
    apim,
    subscriptionId: SUBSCRIPTION,
    resourceGroup,
    serviceName,
    resourceManagerUrl: `${ARM_URL}/`,
    client,
    gatewayOptions: () => ({ client, subscriptionId: SUBSCRIPTION, resourceGroup, serviceName, resourceManagerUrl: `${ARM_URL}/`, lroTimeoutMs: 20_000 }),
    state: () => apim.service(serviceName),
    requests: () =>
      arm.requests.map((r) => {
        const at = r.path.toLowerCase().indexOf(below);
        return `${r.method} ${at >= 0 ? r.path.slice(at + below.length) || '/' : r.path}`;
      }),
  };
}
