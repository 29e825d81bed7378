/**
 * A deployed API behind an API Management-like gateway, on 127.0.0.1 over HTTPS, where each
 * misconfiguration the ApiSecurityCheck task looks for can be switched on. The gateway behaves
 * as API Management does: CORS preflights are answered by the global cors policy before any
 * check; a missing or wrong subscription key is a 401 with APIM's message; a client certificate
 * is either demanded in the TLS handshake (as Application Gateway's mutual authentication or an
 * APIM host name with negotiateClientCertificate and a strict policy do) or checked by a policy
 * that answers 403 (validate-client-certificate).
 */
import * as http from 'node:http';
import * as net from 'node:net';
import type { TLSSocket } from 'node:tls';
import { getTestCa, type KeyedCertificate } from '../ca';
import { closeServer, EmulatorServer, listenOnLoopback, send, type Reply, type RequestContext } from '../server';

export type ClientCertificateMode =
  /** No certificate is asked for. */
  | 'off'
  /** The handshake fails without a certificate the server trusts. */
  | 'handshake'
  /** A certificate is asked for; a policy answers 403 unless it is present and trusted. */
  | 'policy'
  /** Misconfiguration: a certificate is asked for but never checked (requests without one pass). */
  | 'negotiate-only'
  /** Misconfiguration: a certificate must be present, but its issuer is not checked (a self-signed one passes). */
  | 'presence-only';

export type CorsMode = 'none' | 'allow-list' | 'wildcard-with-credentials' | 'reflect-with-credentials';
export type PlainHttpMode = 'closed' | 'redirect' | 'refuse' | 'serve';

export interface TargetApiOptions {
  /** Lowest TLS version the server accepts; TLSv1 turns TLS 1.0 and 1.1 on (OpenSSL security level 0). */
  minTlsVersion?: 'TLSv1' | 'TLSv1.2';
  /** Default: the per-run server certificate for 127.0.0.1. */
  serverCertificate?: KeyedCertificate;
  clientCertificates?: ClientCertificateMode;
  /** CAs client certificates must chain to. Default: the per-run root CA. */
  clientCaPem?: string[];
  /** Path prefix of the API on the gateway, e.g. /petstore. */
  basePath?: string;
}

export interface TargetApiBehaviour {
  /** Required on every operation when set (header Ocp-Apim-Subscription-Key or query subscription-key). */
  subscriptionKey?: string;
  /** Operations ("GET /pets") published without a subscription key requirement (a misconfiguration). */
  keylessOperations: string[];
  /** Operations served without any check at all, client certificate included (a misconfiguration). */
  openOperations: string[];
  /** Strict-Transport-Security value; undefined sends none. */
  hsts?: string;
  serverHeader?: string;
  poweredBy?: string;
  cors: CorsMode;
  /** Origins the allow-list mode trusts. */
  allowedOrigins: string[];
  plainHttp: PlainHttpMode;
}

export interface TargetCall {
  method: string;
  path: string;
  /** Common name of the client certificate presented, if any. */
  clientCertificate?: string;
  certificateTrusted: boolean;
  subscriptionKey: 'none' | 'valid' | 'invalid';
  status: number;
  /** An operation that changes state ran. */
  executed: boolean;
}

const DEFAULT_BEHAVIOUR: TargetApiBehaviour = {
  keylessOperations: [],
  openOperations: [],
  hsts: 'max-age=31536000; includeSubDomains',
  cors: 'allow-list',
  allowedOrigins: ['https://app.contoso.test'],
  plainHttp: 'redirect',
};

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  handle: (m: RegExpMatchArray) => Reply;
}

export class TargetApiEmulator extends EmulatorServer {
  readonly calls: TargetCall[] = [];
  behaviour: TargetApiBehaviour = { ...DEFAULT_BEHAVIOUR };
  readonly basePath: string;
  readonly clientCertificates: ClientCertificateMode;
  private readonly plain: http.Server;
  private readonly plainSockets = new Set<net.Socket>();
  private plainPort = 0;
  private readonly pets = new Map<string, { id: string; name: string }>([['p-1', { id: 'p-1', name: 'Rex' }]]);
  private readonly routes: Route[];

  constructor(options: TargetApiOptions = {}) {
    const ca = getTestCa();
    const cert = options.serverCertificate ?? ca.server;
    const mode = options.clientCertificates ?? 'off';
    const legacy = options.minTlsVersion === 'TLSv1';
    super({
      certPem: cert.certPem,
      keyPem: cert.keyPem,
      serverOptions: {
        ca: options.clientCaPem ?? [ca.ca.certPem],
        requestCert: mode !== 'off',
        rejectUnauthorized: mode === 'handshake',
        minVersion: options.minTlsVersion ?? 'TLSv1.2',
        // OpenSSL 3 negotiates TLS 1.0/1.1 only at security level 0.
        ...(legacy ? { ciphers: 'DEFAULT:@SECLEVEL=0' } : {}),
      },
    });
    this.basePath = (options.basePath ?? '').replace(/\/+$/, '');
    this.clientCertificates = mode;
    this.plain = http.createServer((req, res) => this.plainHttp(req, res));
    this.plain.on('connection', (s: net.Socket) => {
      this.plainSockets.add(s);
      s.on('close', () => this.plainSockets.delete(s));
    });
    const route = (method: string, template: string, handle: Route['handle']): Route => ({
      method,
      template,
      pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '([^/]+)')}$`),
      handle,
    });
    this.routes = [
      route('GET', '/', () => ({ status: 200, body: { name: 'Swagger Petstore (emulated)' } })),
      route('GET', '/pets', () => ({ status: 200, body: [...this.pets.values()] })),
      route('POST', '/pets', () => {
        const id = `p-${this.pets.size + 1}`;
        this.pets.set(id, { id, name: 'created by a probe' });
        return { status: 201, body: this.pets.get(id) };
      }),
      route('GET', '/pets/{petId}', (m) => {
        const pet = this.pets.get(decodeURIComponent(m[1]));
        return pet ? { status: 200, body: pet } : { status: 404, body: { statusCode: 404, message: 'Pet not found' } };
      }),
      route('DELETE', '/pets/{petId}', (m) => {
        this.pets.delete(decodeURIComponent(m[1]));
        return { status: 204 };
      }),
      route('GET', '/health', () => ({ status: 200, body: { status: 'healthy' } })),
      route('GET', '/reports/{year}', (m) => ({ status: 200, body: { year: m[1] } })),
    ];
  }

  /** The API's base URL (https, with the base path). */
  get baseUrl(): string {
    return `${this.url}${this.basePath}`;
  }

  /** Where plain HTTP is probed: a listener in every mode but 'closed', a port nothing listens on then. */
  get plainHttpUrl(): string {
    return `http://127.0.0.1:${this.plainPort}${this.basePath}`;
  }

  get petCount(): number {
    return this.pets.size;
  }

  configure(changes: Partial<TargetApiBehaviour>): this {
    this.behaviour = { ...this.behaviour, ...changes };
    return this;
  }

  override async start(): Promise<this> {
    await super.start();
    this.plainPort = await listenOnLoopback(this.plain);
    return this;
  }

  override async close(): Promise<void> {
    await Promise.all([super.close(), closeServer(this.plain, this.plainSockets)]);
  }

  private common(ctx: Pick<RequestContext, 'headers'>): Record<string, string> {
    const b = this.behaviour;
    const headers: Record<string, string> = {};
    if (b.hsts) headers['Strict-Transport-Security'] = b.hsts;
    if (b.serverHeader) headers.Server = b.serverHeader;
    if (b.poweredBy) headers['X-Powered-By'] = b.poweredBy;
    const origin = ctx.headers.origin;
    if (typeof origin === 'string') Object.assign(headers, this.corsHeaders(origin));
    return headers;
  }

  private corsHeaders(origin: string): Record<string, string> {
    switch (this.behaviour.cors) {
      case 'none':
        return {};
      case 'allow-list':
        return this.behaviour.allowedOrigins.includes(origin) ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' } : {};
      case 'wildcard-with-credentials':
        return { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Credentials': 'true' };
      case 'reflect-with-credentials':
        return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' };
    }
  }

  protected handle(ctx: RequestContext): Reply {
    const reply = this.route(ctx);
    return { ...reply, headers: { ...this.common(ctx), ...reply.headers } };
  }

  private route(ctx: RequestContext): Reply {
    const socket = ctx.req.socket as TLSSocket;
    const peer = socket.getPeerCertificate?.();
    const cn = peer && peer.subject ? String(peer.subject.CN) : undefined;
    // Node calls a TLS 1.3 session resumed without a certificate "authorized"; trust needs the certificate itself.
    const key = ctx.headers['ocp-apim-subscription-key'] ?? ctx.query.get('subscription-key') ?? undefined;
    const b = this.behaviour;
    const call: TargetCall = {
      method: ctx.method,
      path: ctx.path,
      clientCertificate: cn,
      certificateTrusted: socket.authorized && cn !== undefined,
      subscriptionKey: key === undefined ? 'none' : key === b.subscriptionKey ? 'valid' : 'invalid',
      status: 0,
      executed: false,
    };
    this.calls.push(call);
    const done = (r: Reply) => {
      call.status = r.status;
      return r;
    };

    // The global cors policy answers preflights before anything else.
    if (ctx.method === 'OPTIONS' && ctx.headers.origin && ctx.headers['access-control-request-method']) {
      const cors = this.corsHeaders(String(ctx.headers.origin));
      return done({ status: 200, headers: cors['Access-Control-Allow-Origin'] ? { ...cors, 'Access-Control-Allow-Methods': 'GET, POST, DELETE' } : {} });
    }
    if (!ctx.path.startsWith(`${this.basePath}/`) && ctx.path !== this.basePath) return done({ status: 404, body: { statusCode: 404, message: 'Resource not found' } });
    const sub = ctx.path.slice(this.basePath.length) || '/';
    const found = this.routes.map((r) => ({ r, m: r.method === ctx.method ? r.pattern.exec(sub) : null })).find((x) => x.m);
    if (!found) return done({ status: 404, body: { statusCode: 404, message: 'Resource not found' } });
    const operation = `${found.r.method} ${found.r.template}`;

    if (!b.openOperations.includes(operation)) {
      const mode = this.clientCertificates;
      if ((mode === 'policy' && !call.certificateTrusted) || (mode === 'presence-only' && !cn)) {
        return done({ status: 403, body: { statusCode: 403, message: 'Invalid client certificate' } });
      }
      if (b.subscriptionKey && !b.keylessOperations.includes(operation)) {
        if (key === undefined) return done({ status: 401, body: { statusCode: 401, message: 'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.' } });
        if (key !== b.subscriptionKey) return done({ status: 401, body: { statusCode: 401, message: 'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.' } });
      }
    }
    call.executed = found.r.method !== 'GET';
    return done(found.r.handle(found.m!));
  }

  private plainHttp(req: http.IncomingMessage, res: http.ServerResponse): void {
    const b = this.behaviour;
    switch (b.plainHttp) {
      case 'redirect':
        send(res, { status: 301, headers: { Location: `${this.url}${req.url ?? '/'}` } });
        return;
      case 'refuse':
        send(res, { status: 403, body: { statusCode: 403, message: 'HTTPS is required' } });
        return;
      case 'serve':
        send(res, { status: 200, body: [...this.pets.values()], headers: b.serverHeader ? { Server: b.serverHeader } : {} });
        return;
      case 'closed':
        req.socket.destroy();
        return;
    }
  }

  /** Stops the plain-HTTP listener so its port refuses connections ('closed' mode as nothing listening). */
  async closePlainHttp(): Promise<void> {
    await closeServer(this.plain, this.plainSockets);
  }
}
