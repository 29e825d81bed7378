import * as http from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';
import axios, { AxiosError, type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import { RemoteError } from '../errors';
import type { Logger } from '../log/logger';
import type { SecretRegistry } from '../log/secrets';
import { compiledTls, proxyFor, proxyUrlWithCredentials, trustedCas, TrustingProxyAgent, type NetworkSettings } from './network';
import { redactText, redactUrl } from './redact';
import { DEFAULT_RETRY, isRetriable, retryDelayMs, type RetryOptions } from './retry';
import { isClientCertificateRefusal, isUntrustedCertificate } from './tls-trust';

/** TLS material of one service endpoint (e.g. a Jenkins server's CA, an mTLS client certificate). */
export interface EndpointTls {
  caPem?: string[];
  certPem?: string;
  keyPem?: string;
  pfx?: Buffer;
  passphrase?: string;
  /** Only when the service connection explicitly allows untrusted certificates. */
  allowUntrusted?: boolean;
  /** Present no client certificate at all, not even the agent's (what an anonymous client would send). */
  noClientCertificate?: boolean;
}

export interface HttpClientOptions {
  network: NetworkSettings;
  secrets: SecretRegistry;
  logger: Logger;
  tls?: EndpointTls;
  /**
   * Headers sent with every request whose values are credentials (an API Management subscription
   * key): registered as secrets before the first request, never logged.
   */
  secretHeaders?: Record<string, string>;
  retry?: Partial<RetryOptions>;
  timeoutMs?: number;
  /** Injected so tests can observe waits without sleeping them. */
  sleep?: (ms: number) => Promise<void>;
}

interface RetryState {
  attempt: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The one axios factory for non-ARM calls (Kudu, Jenkins, probes): the agent's proxy and CAs,
 * an endpoint's client certificate, retries with backoff that honour Retry-After, and errors
 * that never carry a secret.
 */
export function createHttpClient(options: HttpClientOptions): AxiosInstance {
  return createHttpClients(options).http;
}

/** A response whose body has not been read: the caller streams it (and must consume or destroy it). */
export interface StreamResponse {
  status: number;
  statusText: string;
  headers: http.IncomingHttpHeaders;
  body: http.IncomingMessage;
}

export interface StreamGetOptions {
  headers?: Record<string, string>;
  /** Statuses handed to the caller; any other fails with a RemoteError (after retries). Default 2xx. */
  accept?: (status: number) => boolean;
}

/**
 * A GET whose body is streamed, over the same agents as the axios client (proxy and bypass list,
 * trust store, client certificate, keep-alive pool) with the same retries and redacted errors,
 * but none of axios' per-request work: no config merging, no transforms, no redirect layer (the
 * caller follows redirects it accepts). Made for thousands of small downloads, where that work
 * costs more than the bytes.
 */
export type StreamGet = (url: string, options?: StreamGetOptions) => Promise<StreamResponse>;

export interface HttpClients {
  http: AxiosInstance;
  streamGet: StreamGet;
}

/** The axios client and the streaming GET of one set of options, sharing agents and retry policy. */
export function createHttpClients(options: HttpClientOptions): HttpClients {
  const retry: RetryOptions = { ...DEFAULT_RETRY, ...options.retry };
  const sleep = options.sleep ?? realSleep;
  const { network, secrets, logger } = options;
  const tls = options.tls ?? {};
  if (tls.passphrase) secrets.register(tls.passphrase);
  for (const value of Object.values(options.secretHeaders ?? {})) secrets.register(value);
  if (tls.allowUntrusted) {
    logger.warning('TLS certificate verification is turned off for this service connection (it allows untrusted certificates).');
  }

  // The endpoint's own client certificate (PEM pair or PFX) wins over the agent's, whole: mixing the
  // agent's key and passphrase with the endpoint's PFX would present the wrong identity or fail to open it.
  const endpointCert = !tls.noClientCertificate && Boolean((tls.certPem && tls.keyPem) || tls.pfx);
  const clientCert = endpointCert || tls.noClientCertificate ? undefined : network.clientCert;
  const tlsOptions: https.AgentOptions = {
    keepAlive: true,
    ca: trustedCas(network, tls.caPem),
    cert: endpointCert ? tls.certPem : clientCert?.certPem,
    key: endpointCert ? tls.keyPem : clientCert?.keyPem,
    pfx: endpointCert ? tls.pfx : undefined,
    passphrase: endpointCert ? tls.passphrase : clientCert?.passphrase,
    rejectUnauthorized: !tls.allowUntrusted,
  };
  // Without TLS material of its own, a client trusts exactly what the agent's SDK clients trust:
  // the one context compiled for this agent's settings is shared rather than compiled again.
  const agentTlsOnly = !tls.caPem?.length && !endpointCert && !tls.noClientCertificate;
  const shared = agentTlsOnly ? compiledTls(network).secureContext : undefined;
  const directOptions = shared ? { keepAlive: true, rejectUnauthorized: tlsOptions.rejectUnauthorized, secureContext: shared } : withSecureContext(tlsOptions);
  const directHttps = new https.Agent(directOptions);
  const directHttp = new http.Agent({ keepAlive: true });
  const proxyAgents = new Map<string, TrustingProxyAgent>();
  const makeProxyAgent = (key: string): TrustingProxyAgent => {
    // The tunnelled connections use the same compiled context as the direct ones.
    const { ca, cert, key: privateKey, pfx, passphrase, rejectUnauthorized, secureContext } = directOptions;
    const agent = new TrustingProxyAgent(key, secureContext ? { secureContext, rejectUnauthorized } : { ca, cert, key: privateKey, pfx, passphrase, rejectUnauthorized });
    proxyAgents.set(key, agent);
    return agent;
  };

  const instance = axios.create({ timeout: options.timeoutMs ?? 100_000, maxRedirects: 5, headers: { ...options.secretHeaders } });

  instance.interceptors.request.use((config) => {
    const url = instance.getUri(config);
    const proxy = proxyFor(network, url);
    if (proxy) {
      const proxyUrl = new URL(proxyUrlWithCredentials(proxy));
      if (url.startsWith('https:')) {
        const key = proxyUrl.toString();
        config.httpsAgent = proxyAgents.get(key) ?? makeProxyAgent(key);
        config.proxy = false;
      } else {
        config.httpAgent = directHttp;
        config.proxy = {
          protocol: proxyUrl.protocol.replace(':', ''),
          host: proxyUrl.hostname,
          port: Number(proxyUrl.port || 80),
          ...(proxy.proxyUsername ? { auth: { username: proxy.proxyUsername, password: proxy.proxyPassword ?? '' } } : {}),
        };
      }
    } else {
      config.httpsAgent = directHttps;
      config.httpAgent = directHttp;
      config.proxy = false;
    }
    // A request made over https is not followed to plain http by a redirect.
    if (url.startsWith('https:')) config.beforeRedirect = refuseDowngrade;
    logger.debug(`HTTP ${config.method?.toUpperCase()} ${redactUrl(url)}`);
    return config;
  });

  instance.interceptors.response.use(undefined, async (error: unknown) => {
    if (!axios.isAxiosError(error) || !error.config) throw error;
    const config = error.config as InternalAxiosRequestConfig & { retryState?: RetryState };
    const state = (config.retryState ??= { attempt: 0 });
    const method = (config.method ?? 'get').toUpperCase();
    const status = error.response?.status;
    if (state.attempt < retry.retries && isRetriable(method, status, error.code)) {
      state.attempt += 1;
      const retryAfter = headerValue(error.response?.headers?.['retry-after']);
      const wait = retryDelayMs(state.attempt, retryAfter, retry);
      logger.debug(
        `HTTP ${method} ${redactUrl(instance.getUri(config))} failed (${status ?? error.code}); retry ${state.attempt}/${retry.retries} in ${wait} ms`,
      );
      await sleep(wait);
      return instance.request(config);
    }
    throw toRemoteError(error, instance, secrets);
  });

  const timeoutMs = options.timeoutMs ?? 100_000;
  /** One attempt: the request through the agent the axios client would use for this URL. */
  const attempt = (url: URL, headers: Record<string, string>): Promise<http.IncomingMessage> =>
    new Promise((resolve, reject) => {
      const href = url.toString();
      const proxy = proxyFor(network, href);
      const secure = url.protocol === 'https:';
      let req: http.ClientRequest;
      const all = { ...options.secretHeaders, ...headers };
      if (proxy && !secure) {
        // Plain http through the proxy: the absolute URL goes to the proxy, as axios sends it.
        const p = new URL(proxyUrlWithCredentials(proxy));
        const auth = proxy.proxyUsername ? { 'Proxy-Authorization': `Basic ${Buffer.from(`${proxy.proxyUsername}:${proxy.proxyPassword ?? ''}`).toString('base64')}` } : {};
        req = http.request({ host: p.hostname, port: Number(p.port || 80), path: href, method: 'GET', agent: directHttp, headers: { ...all, Host: url.host, ...auth } });
      } else {
        let agent: http.Agent = secure ? directHttps : directHttp;
        if (proxy) {
          const key = new URL(proxyUrlWithCredentials(proxy)).toString();
          agent = proxyAgents.get(key) ?? makeProxyAgent(key);
        }
        req = (secure ? https : http).request(url, { method: 'GET', agent, headers: all });
      }
      const timer = setTimeout(() => req.destroy(Object.assign(new Error(`timeout of ${timeoutMs}ms exceeded`), { code: 'ECONNABORTED' })), timeoutMs);
      req.once('response', (res) => {
        clearTimeout(timer);
        resolve(res);
      });
      req.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end();
    });

  const streamGet: StreamGet = async (raw, o = {}) => {
    const url = new URL(raw);
    const shown = redactUrl(raw);
    const accept = o.accept ?? ((s: number) => s >= 200 && s < 300);
    for (let n = 0; ; n++) {
      logger.debug(`HTTP GET ${shown}`);
      let res: http.IncomingMessage;
      try {
        res = await attempt(url, { ...o.headers });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (n < retry.retries && isRetriable('GET', undefined, code)) {
          const wait = retryDelayMs(n + 1, undefined, retry);
          logger.debug(`HTTP GET ${shown} failed (${code}); retry ${n + 1}/${retry.retries} in ${wait} ms`);
          await sleep(wait);
          continue;
        }
        throw new RemoteError(redactText(`GET ${shown} failed: ${describeFailure(undefined, undefined, code, (err as Error).message)}`, secrets), undefined, code);
      }
      const status = res.statusCode ?? 0;
      if (accept(status)) return { status, statusText: res.statusMessage ?? '', headers: res.headers, body: res };
      const detail = await readExcerpt(res);
      if (n < retry.retries && isRetriable('GET', status, undefined)) {
        const wait = retryDelayMs(n + 1, headerValue(res.headers['retry-after']), retry);
        logger.debug(`HTTP GET ${shown} failed (${status}); retry ${n + 1}/${retry.retries} in ${wait} ms`);
        await sleep(wait);
        continue;
      }
      const what = describeFailure(status, res.statusMessage, undefined, '');
      throw new RemoteError(redactText(`GET ${shown} failed: ${what}${detail ? `: ${detail}` : ''}`, secrets), status);
    }
  };

  return { http: instance, streamGet };
}

/** What an error answer said, bounded: enough to explain it, never a whole page held in memory. */
async function readExcerpt(res: http.IncomingMessage): Promise<string> {
  let text = '';
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      text += chunk.toString('utf8');
      if (text.length > 500) {
        res.destroy();
        break;
      }
    }
  } catch {
    // The answer's status says enough.
  }
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

/**
 * The trust store (Node's roots plus ours) and client certificate compiled once into one TLS
 * context for every connection. Given as `ca`/`cert` options instead, Node would compile them again
 * for each new connection and fold every PEM into the pool key of each request (measurable per
 * request when a task downloads thousands of files). Material Node cannot compile is left as
 * options, so the failure shows on the request that needs it, as before.
 */
function withSecureContext(options: https.AgentOptions): https.AgentOptions {
  const { ca, cert, key, pfx, passphrase, ...rest } = options;
  if (!ca && !cert && !key && !pfx) return options;
  try {
    return { ...rest, secureContext: tls.createSecureContext({ ca, cert, key, pfx, passphrase }) };
  } catch {
    return options;
  }
}

/** follow-redirects wraps what went wrong (our refusal, a bad Location) in its own error. */
function redirectFailure(error: AxiosError): string {
  const cause = (error as { cause?: { message?: string; cause?: { message?: string } } }).cause;
  return cause?.cause?.message ?? cause?.message ?? error.message;
}

function refuseDowngrade(next: Record<string, unknown>): void {
  if (next.protocol !== 'http:') return;
  const target = typeof next.href === 'string' ? next.href : `http://${String(next.host ?? '')}${String(next.path ?? '')}`;
  throw new Error(`refused to follow a redirect from https to plain http (${redactUrl(target)})`);
}

function headerValue(value: unknown): string | undefined {
  if (Array.isArray(value)) return value[0] === undefined ? undefined : String(value[0]);
  return value === undefined || value === null ? undefined : String(value);
}

/** An HTTP failure as one redacted line: method, URL, status and what the server said. */
export function toRemoteError(error: AxiosError, instance: AxiosInstance, secrets: SecretRegistry): RemoteError {
  const config = error.config;
  const method = (config?.method ?? 'get').toUpperCase();
  const url = config ? redactUrl(instance.getUri(config)) : '(unknown URL)';
  const status = error.response?.status;
  let detail = '';
  const data = error.response?.data;
  if (data !== undefined && data !== null && typeof data !== 'object') detail = String(data);
  else if (data && typeof data === 'object' && !(data as { pipe?: unknown }).pipe) detail = JSON.stringify(data);
  if (detail.length > 500) detail = `${detail.slice(0, 500)}…`;
  const what = error.code === 'ERR_FR_REDIRECTION_FAILURE' && !status ? redirectFailure(error) : describeFailure(status, error.response?.statusText, error.code, error.message);
  const message = `${method} ${url} failed: ${what}${detail ? `: ${detail}` : ''}`;
  return new RemoteError(redactText(message, secrets), status, error.code);
}

/** The cause of a failed request in words: its status, or what went wrong with the connection. */
function describeFailure(status: number | undefined, statusText: string | undefined, code: string | undefined, message: string): string {
  if (status) return `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  if (isUntrustedCertificate(code)) {
    return `the server's TLS certificate is not trusted (${code}); if a private CA issued it, give the agent that CA (Agent.CAInfo) or the service connection its certificate`;
  }
  if (isClientCertificateRefusal(code)) {
    return `the server refused the TLS handshake (${code}): it wants a client certificate it trusts; check the service connection's client certificate and that the server trusts its issuer`;
  }
  return code ?? message;
}
