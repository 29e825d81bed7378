/**
 * What every ARM entity module of the gateway shares: the SDK client scoped to one service, the
 * bound on each request and on each long-running operation, and the one way a failure becomes a
 * message naming what was being done.
 */
import type { ApiManagementClient } from '@azure/arm-apimanagement';
import { createHttpHeaders, createPipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { RemoteError } from '../../../common/errors';
import { explainApimError } from '../apim-errors';

export const API_VERSION = '2024-05-01';
export const DEFAULT_REQUEST_TIMEOUT_MS = 5 * 60_000;
const REQUEST_TIMEOUT_POLICY = 'srkRequestTimeout';

export interface ArmGatewayOptions {
  client: ApiManagementClient;
  subscriptionId: string;
  resourceGroup: string;
  serviceName: string;
  /** Resource Manager URL with a trailing slash (for the raw requests the SDK model cannot express). */
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

export interface ArmContext {
  client: ApiManagementClient;
  /** Resource group and service name, the first two arguments of every SDK call. */
  rg: string;
  svc: string;
  /** `/subscriptions/…/service/<name>`. */
  serviceId: string;
  onSecretRead(value: string): void;
  /** Runs one request; a failure becomes a RemoteError that starts with `doing`. */
  call<T>(doing: string, fn: () => Promise<T>): Promise<T>;
  /** Runs a long-running operation, aborted after the bound so a stuck operation cannot hang the job. */
  bounded<T>(doing: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** A request through the client's own pipeline (credential, retries, proxy) for what the SDK model gets wrong. */
  raw(method: 'GET' | 'PATCH', relative: string, query: string, headers?: Record<string, string>, body?: unknown): Promise<PipelineResponse>;
}

function isNotFound(err: unknown): boolean {
  return (err as { statusCode?: number } | undefined)?.statusCode === 404;
}

/** A read where "not found" is an answer, not a failure. */
export async function orUndefined<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export async function collect<T>(iter: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iter) out.push(item);
  return out;
}

/** A body that is not ARM's error JSON (a proxy's or gateway's HTML page): one line, bounded. */
function bodyExcerpt(text: string | null | undefined): string {
  const line = (text ?? '').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

export function createArmContext(o: ArmGatewayOptions): ArmContext {
  const { client, resourceGroup: rg, serviceName: svc } = o;
  const serviceId = `/subscriptions/${o.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.ApiManagement/service/${svc}`;
  const requestTimeoutMs = o.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  // The client may be shared by several gateways (v2 builds one per entity kind): one policy is enough.
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
    if ((err as Error | undefined)?.name !== 'AbortError') return undefined;
    const bound = requestTimeoutMs >= 60_000 ? `${Math.round(requestTimeoutMs / 60_000)} minute(s)` : `${Math.ceil(requestTimeoutMs / 1000)} second(s)`;
    return new RemoteError(`${doing} failed: Azure Resource Manager did not answer within ${bound}; check the agent's network and proxy, then run the task again.`);
  }

  return {
    client,
    rg,
    svc,
    serviceId,
    onSecretRead: (value) => o.onSecretRead?.(value),

    async call(doing, fn) {
      try {
        return await fn();
      } catch (err) {
        throw timedOut(err, doing) ?? explainApimError(err, doing);
      }
    },

    async bounded(doing, fn) {
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
        const e = err as Error | undefined;
        if (e?.name !== 'RestError' && /long running operation|polling|failed|canceled/i.test(e?.message ?? '')) {
          throw new RemoteError(`${doing} failed while APIM processed it: ${e?.message ?? ''}`);
        }
        throw explainApimError(err, doing);
      } finally {
        clearTimeout(timer);
      }
    },

    async raw(method, relative, query, headers = {}, body) {
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
    },
  };
}
