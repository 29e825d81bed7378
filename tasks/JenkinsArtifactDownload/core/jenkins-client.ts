import type { Readable } from 'node:stream';
import type { AxiosInstance, AxiosResponse } from 'axios';
import type { JenkinsEndpoint } from '../../common/endpoints/jenkins';
import type { StreamGet } from '../../common/http/http-client';
import { RemoteError } from '../../common/errors';
import { oneLine } from '../../common/log/safe-text';

export interface StreamResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  body: Readable;
}

/**
 * axios' timeout ends when the headers arrive; a body that stalls would hang the task. The socket's
 * byte counter shows progress without adding a reader to the stream.
 */
function watchIdle(body: Readable, idleMs: number): void {
  const socket = (body as Readable & { socket?: { bytesRead: number } }).socket;
  if (!socket) return;
  let seen = socket.bytesRead;
  let quietSince = Date.now();
  const timer = setInterval(() => {
    if (socket.bytesRead !== seen) {
      seen = socket.bytesRead;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= idleMs) {
      body.destroy(Object.assign(new Error(`no data for ${idleMs >= 1000 ? `${Math.round(idleMs / 1000)} s` : `${idleMs} ms`}`), { code: 'ETIMEDOUT' }));
    }
  }, Math.min(1000, idleMs));
  timer.unref();
  body.once('close', () => clearInterval(timer));
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

interface Crumb {
  field: string;
  value: string;
}

/**
 * Jenkins' remote API over the one HTTP client (agent proxy and CA, retries): Basic credentials
 * sent with every request (Jenkins answers an anonymous request 403, never a 401 challenge), the
 * session cookie kept, and a crumb fetched within that session before a POST (a crumb is bound
 * to the session that asked for it).
 */
export class JenkinsClient {
  private readonly cookies = new Map<string, string>();
  private crumb?: Crumb | null;
  readonly base: string;

  /** @param idleMs a body that brings no byte for this long is dropped (and resumed by the caller). */
  constructor(
    private readonly http: AxiosInstance,
    private readonly get: StreamGet,
    private readonly endpoint: JenkinsEndpoint,
    private readonly idleMs = 60_000,
  ) {
    this.base = endpoint.url;
  }

  /** An absolute URL of a path relative to the server URL (the path already percent-encoded). */
  url(path: string): string {
    return `${this.base}${path.replace(/^\/+/, '')}`;
  }

  /** GET `<path>api/json?tree=…`; undefined on 404 when `missingOk`. */
  async getJson<T>(path: string, tree: string | undefined, what: string, missingOk: true): Promise<T | undefined>;
  async getJson<T>(path: string, tree: string | undefined, what: string, missingOk?: false): Promise<T>;
  async getJson<T>(path: string, tree: string | undefined, what: string, missingOk = false): Promise<T | undefined> {
    const query = tree ? `?tree=${encodeURIComponent(tree)}` : '';
    const url = this.url(`${path}api/json${query}`);
    let res: AxiosResponse;
    try {
      res = await this.http.get(url, { headers: this.headers({ Accept: 'application/json' }), responseType: 'json' });
    } catch (err) {
      if (missingOk && err instanceof RemoteError && err.status === 404) return undefined;
      throw this.explain(err, what);
    }
    this.keepCookies(res.headers['set-cookie']);
    if (typeof res.data !== 'object' || res.data === null) {
      throw new RemoteError(`Jenkins answered ${what} with something that is not JSON (is the service connection URL the Jenkins root, with its context path?)`, res.status);
    }
    return res.data as T;
  }

  /**
   * A streamed GET of an artifact or archive, from `start` on (HTTP Range) when start > 0, through
   * the HTTP client's lean streaming GET (same agents, proxy, trust and retries, without axios'
   * per-request work, which costs more than a small artifact takes to arrive). Redirects (an
   * external artifact manager, a resource root URL) are followed here: the credentials and the
   * session cookie go only to the connection's own origin, and https is never followed to plain http.
   */
  async stream(url: string, start = 0, what = 'the download'): Promise<StreamResponse> {
    let target = url;
    for (let hop = 0; ; hop++) {
      const own = new URL(target).origin === new URL(this.base).origin;
      const headers: Record<string, string> = { 'Accept-Encoding': 'identity', ...(start > 0 ? { Range: `bytes=${start}-` } : {}) };
      let res: Awaited<ReturnType<StreamGet>>;
      try {
        res = await this.get(target, { headers: own ? this.headers(headers) : headers, accept: (s) => (s >= 200 && s < 300) || REDIRECTS.has(s) });
      } catch (err) {
        throw this.explain(err, what);
      }
      if (own) this.keepCookies(res.headers['set-cookie']);
      const body: Readable = res.body;
      if (res.status >= 300) {
        body.destroy();
        const location = res.headers.location;
        if (typeof location !== 'string' || hop >= 5) throw new RemoteError(`Jenkins answered ${what} with HTTP ${res.status} and ${hop >= 5 ? 'too many redirects' : 'no Location'}`, res.status);
        const next = new URL(location, target);
        if (next.protocol !== 'https:' && (next.protocol !== 'http:' || target.startsWith('https:'))) {
          throw new RemoteError(`Jenkins redirected ${what} to ${next.protocol}//${next.host}, which is not followed from https`, res.status);
        }
        target = next.toString();
        continue;
      }
      // Header names come from the server: fromEntries makes each an own key, whatever its name.
      const out: Record<string, string | undefined> = Object.fromEntries(
        Object.entries(res.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : v]),
      );
      watchIdle(body, this.idleMs);
      return { status: res.status, headers: out, body };
    }
  }

  /**
   * POST with the crumb Jenkins issues for this session (fetched once, with the session cookie it
   * answers kept). Jenkins skips the crumb check for requests authenticated by an API token, but
   * a connection may hold a password, so the crumb is always sent when the server has an issuer.
   */
  async post(path: string, what: string, body = ''): Promise<AxiosResponse> {
    const crumb = await this.getCrumb();
    const headers = this.headers({ 'Content-Type': 'application/x-www-form-urlencoded', ...(crumb ? { [crumb.field]: crumb.value } : {}) });
    try {
      const res = await this.http.post(this.url(path), body, { headers, maxRedirects: 0, validateStatus: (s) => s >= 200 && s < 400 });
      this.keepCookies(res.headers['set-cookie']);
      return res;
    } catch (err) {
      throw this.explain(err, what);
    }
  }

  private async getCrumb(): Promise<Crumb | undefined> {
    if (this.crumb === undefined) {
      const data = await this.getJson<{ crumb?: string; crumbRequestField?: string }>('crumbIssuer/', undefined, 'the crumb issuer', true);
      this.crumb = data?.crumb && data.crumbRequestField ? { field: data.crumbRequestField, value: data.crumb } : null;
    }
    return this.crumb ?? undefined;
  }

  private headers(extra: Record<string, string>): Record<string, string> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return { Authorization: this.endpoint.authorization, ...(cookie ? { Cookie: cookie } : {}), ...extra };
  }

  private keepCookies(setCookie: unknown): void {
    const list = Array.isArray(setCookie) ? setCookie : typeof setCookie === 'string' ? [setCookie] : [];
    for (const line of list) {
      const pair = String(line).split(';', 1)[0];
      const at = pair.indexOf('=');
      if (at > 0) this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
  }

  /** The few statuses that have a clear cause get a message that says what to fix. */
  private explain(err: unknown, what: string): unknown {
    if (!(err instanceof RemoteError)) return err;
    const who = oneLine(this.endpoint.username);
    switch (err.status) {
      case 401:
        return new RemoteError(`Jenkins refused the credentials of user '${who}' while reading ${what} (HTTP 401): the API token in service connection '${this.endpoint.id}' is wrong or was revoked`, 401);
      case 403:
        return new RemoteError(`Jenkins denied user '${who}' access to ${what} (HTTP 403): give the user Overall/Read, Job/Read and Run/Artifacts permissions (${err.message})`, 403);
      default:
        return err;
    }
  }
}
