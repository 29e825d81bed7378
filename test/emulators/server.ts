import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import { ActiveFault, defaultErrorCode, FaultInjector, pathMatches } from './faults';

/** What every emulator records about each request it received. */
export interface RequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-cased header names; credentials (authorization, identity header, cookies) removed. */
  headers: Record<string, string>;
  time: number;
  /** Status sent; 0 when the connection was reset on purpose or closed before an answer. */
  status: number;
  /** Id of the injected fault that shaped the answer, if any. */
  faultId?: number;
}

export interface Reply {
  status: number;
  /** JSON-serialised unless `raw` is given. */
  body?: unknown;
  raw?: string | Buffer;
  headers?: Record<string, string | string[]>;
  /** Writes the body itself after the headers are sent (large or unbounded bodies); `body`/`raw` are ignored. */
  stream?: (res: http.ServerResponse) => Promise<void>;
}

export interface RequestContext {
  req: http.IncomingMessage;
  method: string;
  url: URL;
  /** Path with duplicate slashes collapsed (clients concatenate base URLs with and without one). */
  path: string;
  query: URLSearchParams;
  body: Buffer;
  headers: http.IncomingHttpHeaders;
}

export interface TlsMaterial {
  certPem: string;
  keyPem: string;
  /** For mutual TLS: CA PEM that client certificates must chain to. */
  clientCaPem?: string;
  /** Further TLS server settings (versions, ciphers, client certificate policy); they win over the above. */
  serverOptions?: https.ServerOptions;
}

const REDACTED_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-identity-header', 'secret']);

/** HTTP(S) server on 127.0.0.1 with a request log, fault injection and socket tracking for clean shutdown. */
export abstract class EmulatorServer {
  readonly faults = new FaultInjector();
  readonly requests: RequestRecord[] = [];
  private readonly sockets = new Set<net.Socket>();
  private readonly server: http.Server;
  private boundPort = 0;

  protected constructor(private readonly tls?: TlsMaterial) {
    const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      void this.dispatch(req, res);
    };
    this.server = tls
      ? https.createServer({
        cert: tls.certPem,
        key: tls.keyPem,
        ca: tls.clientCaPem,
        requestCert: !!tls.clientCaPem,
        rejectUnauthorized: false,
        ...tls.serverOptions,
      }, listener)
      : http.createServer(listener);
    // Tests kill tasks mid-request; keep-alive sockets must not keep mocha alive.
    this.server.keepAliveTimeout = 1000;
    this.server.on('connection', (socket: net.Socket) => this.track(socket));
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  /** How long an idle kept-alive connection stays open (1 s unless an emulator needs its clients to reuse connections). */
  protected set keepAliveTimeoutMs(ms: number) {
    this.server.keepAliveTimeout = ms;
  }

  get port(): number {
    return this.boundPort;
  }

  /** Base URL without trailing slash, e.g. https://127.0.0.1:43123 */
  get url(): string {
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.boundPort}`;
  }

  async start(): Promise<this> {
    this.boundPort = await listenOnLoopback(this.server);
    return this;
  }

  close(): Promise<void> {
    return closeServer(this.server, this.sockets);
  }

  /** Requests matching method (any when empty) and path (RegExp, or case-insensitive substring). */
  findRequests(method?: string, path?: RegExp | string): RequestRecord[] {
    return this.requests.filter((r) =>
      (!method || r.method === method.toUpperCase()) && (path === undefined || pathMatches(path, r.path)));
  }

  countRequests(method?: string, path?: RegExp | string): number {
    return this.findRequests(method, path).length;
  }

  /** The subclass's routing. Throwing answers 500 with the message, which shows emulator bugs in test output. */
  protected abstract handle(ctx: RequestContext): Promise<Reply> | Reply;

  /** Body of an injected error status; subclasses give it their service's error shape. */
  protected faultBody(status: number, code: string): unknown {
    return { error: { code, message: `Injected fault: HTTP ${status}.` } };
  }

  private async dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const path = url.pathname.replace(/\/{2,}/g, '/');
    const method = (req.method ?? 'GET').toUpperCase();
    const record: RequestRecord = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: safeHeaders(req.headers),
      time: Date.now(),
      status: 0,
    };
    this.requests.push(record);
    res.on('finish', () => {
      record.status = res.statusCode;
    });
    try {
      const body = await readBody(req);
      const fault = this.faults.take(method, path);
      if (fault) {
        record.faultId = fault.id;
        if (await this.applyFault(fault, req, res)) {
          return;
        }
      }
      const reply = await this.handle({ req, method, url, path, query: url.searchParams, body, headers: req.headers });
      if (reply.stream) {
        res.writeHead(reply.status, reply.headers ?? {});
        await reply.stream(res);
        return;
      }
      send(res, reply);
    } catch (err) {
      if (!res.headersSent && !res.destroyed) {
        send(res, { status: 500, body: { error: { code: 'EmulatorError', message: err instanceof Error ? err.stack ?? err.message : String(err) } } });
      }
    }
  }

  /** True when the fault fully answered (or killed) the request. */
  private async applyFault(fault: ActiveFault, req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
    if (fault.delayMs) {
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    }
    if (fault.resetConnection) {
      req.socket.destroy();
      return true;
    }
    if (fault.status) {
      const headers: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined) {
        headers['Retry-After'] = String(fault.retryAfterSeconds);
      }
      send(res, { status: fault.status, headers, body: this.faultBody(fault.status, fault.code ?? defaultErrorCode(fault.status)) });
      return true;
    }
    return false;
  }
}

export function safeHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || REDACTED_HEADERS.has(name)) {
      continue;
    }
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function send(res: http.ServerResponse, reply: Reply): void {
  if (res.destroyed) {
    return;
  }
  const headers: Record<string, string | string[]> = { ...(reply.headers ?? {}) };
  let payload: Buffer | undefined;
  if (reply.raw !== undefined) {
    payload = Buffer.from(reply.raw);
  } else if (reply.body !== undefined && reply.status !== 204) {
    payload = Buffer.from(JSON.stringify(reply.body));
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = 'application/json; charset=utf-8';
    }
  }
  headers['Content-Length'] = String(payload?.length ?? 0);
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** Parse a JSON body; undefined for an empty body; throws a 400-worthy message for bad JSON. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) {
    return undefined;
  }
  return JSON.parse(body.toString('utf8')) as unknown;
}

/** Listens on 127.0.0.1 at a free port (emulators never listen beyond loopback) and returns the port. */
export async function listenOnLoopback(server: net.Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as net.AddressInfo).port;
}

/** Stops listening and ends every open connection, kept-alive ones and tunnels included. */
export async function closeServer(server: http.Server, sockets: Iterable<net.Socket>): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  for (const socket of sockets) socket.destroy();
  await closed;
}
