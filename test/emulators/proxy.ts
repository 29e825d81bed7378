import * as http from 'http';
import * as net from 'net';
import { closeServer, listenOnLoopback, safeHeaders } from './server';

export interface ProxyOptions {
  /** Require Basic proxy authentication with these credentials (407 otherwise). */
  auth?: { username: string; password: string };
}

export interface ProxyRecord {
  kind: 'connect' | 'http';
  /** host:port of the target. */
  target: string;
  /** Full URL for plain HTTP requests. */
  url?: string;
  method: string;
  headers: Record<string, string>;
  time: number;
  /** 200 tunnel established / forwarded status; 407 auth refused; 403 non-loopback target refused; 502 target unreachable. */
  status: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Forward proxy on 127.0.0.1: CONNECT tunnels (how HTTPS crosses a proxy) and absolute-URI plain
 * HTTP forwarding. Only loopback targets are reached; others are refused with 403 and recorded,
 * which also shows a client trying to reach the internet (e.g. MSAL instance discovery).
 */
export class ProxyEmulator {
  readonly records: ProxyRecord[] = [];
  private readonly server: http.Server;
  private readonly sockets = new Set<net.Socket>();
  private boundPort = 0;

  constructor(private readonly options: ProxyOptions = {}) {
    this.server = http.createServer((req, res) => this.forward(req, res));
    this.server.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => this.tunnel(req, socket, head));
    this.server.on('connection', (socket: net.Socket) => this.track(socket));
  }

  get port(): number {
    return this.boundPort;
  }

  /** http://127.0.0.1:<port> (no credentials). */
  get url(): string {
    return `http://127.0.0.1:${this.boundPort}`;
  }

  /** Proxy URL with the configured credentials embedded, for clients that take them that way. */
  get urlWithCredentials(): string {
    if (!this.options.auth) {
      return this.url;
    }
    const { username, password } = this.options.auth;
    return `http://${encodeURIComponent(username)}:${encodeURIComponent(password)}@127.0.0.1:${this.boundPort}`;
  }

  /** Basic credentials the proxy requires, if any. */
  get credentials(): { username: string; password: string } | undefined {
    return this.options.auth ? { ...this.options.auth } : undefined;
  }

  /** Tunnels established (status 200) to host:port. */
  tunnelCount(target?: string): number {
    return this.records.filter((r) => r.kind === 'connect' && r.status === 200 && (!target || r.target === target)).length;
  }

  /** Plain HTTP requests forwarded to host:port. */
  requestCount(target?: string): number {
    return this.records.filter((r) => r.kind === 'http' && r.status !== 407 && r.status !== 403 && (!target || r.target === target)).length;
  }

  /** Attempts refused because the target was not loopback. */
  get refused(): ProxyRecord[] {
    return this.records.filter((r) => r.status === 403);
  }

  async start(): Promise<this> {
    this.boundPort = await listenOnLoopback(this.server);
    return this;
  }

  close(): Promise<void> {
    return closeServer(this.server, this.sockets);
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private authorised(req: http.IncomingMessage): boolean {
    if (!this.options.auth) {
      return true;
    }
    const header = req.headers['proxy-authorization'] ?? '';
    const expected = Buffer.from(`${this.options.auth.username}:${this.options.auth.password}`).toString('base64');
    return header === `Basic ${expected}`;
  }

  private tunnel(req: http.IncomingMessage, socket: net.Socket, head: Buffer): void {
    this.track(socket);
    const target = req.url ?? '';
    const record: ProxyRecord = { kind: 'connect', target, method: 'CONNECT', headers: safeHeaders(req.headers), time: Date.now(), status: 0 };
    this.records.push(record);
    socket.on('error', () => socket.destroy());
    if (!this.authorised(req)) {
      record.status = 407;
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="srk-emulator"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const { host, port } = splitHostPort(target, 443);
    if (!LOOPBACK.has(host)) {
      record.status = 403;
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = net.connect(port, host === 'localhost' ? '127.0.0.1' : host.replace(/^\[|\]$/g, ''));
    this.track(upstream);
    upstream.on('connect', () => {
      record.status = 200;
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) {
        upstream.write(head);
      }
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => {
      if (record.status === 0) {
        record.status = 502;
        socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      } else {
        socket.destroy();
      }
    });
    socket.on('close', () => upstream.destroy());
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const record: ProxyRecord = { kind: 'http', target: '', url: req.url, method: req.method ?? 'GET', headers: safeHeaders(req.headers), time: Date.now(), status: 0 };
    this.records.push(record);
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      record.status = 400;
      res.writeHead(400).end('proxy expects an absolute URI');
      return;
    }
    record.target = `${url.hostname}:${url.port || '80'}`;
    if (!this.authorised(req)) {
      record.status = 407;
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="srk-emulator"' }).end();
      return;
    }
    if (!LOOPBACK.has(url.hostname) || url.protocol !== 'http:') {
      record.status = 403;
      res.writeHead(403).end();
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = http.request({
      host: '127.0.0.1',
      port: Number(url.port || 80),
      method: req.method,
      path: `${url.pathname}${url.search}`,
      headers,
    }, (up) => {
      record.status = up.statusCode ?? 0;
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => {
      record.status = 502;
      if (!res.headersSent) {
        res.writeHead(502).end();
      } else {
        res.destroy();
      }
    });
    req.pipe(upstream);
  }
}

function splitHostPort(target: string, defaultPort: number): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(target);
  if (!m) {
    return { host: target, port: defaultPort };
  }
  return { host: m[1].toLowerCase(), port: m[2] ? Number(m[2]) : defaultPort };
}
