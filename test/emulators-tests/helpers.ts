import * as http from 'http';
import * as https from 'https';
import { HttpsProxyAgent } from 'https-proxy-agent';

export interface SimpleResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any;
}

export interface SimpleRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | object;
  /** CA PEM to trust (https only); the process-wide trust store is never touched. */
  ca?: string;
  agent?: http.Agent;
}

/** Minimal client for emulator tests: per-request CA, no retries, no global TLS settings. */
export function request(url: string, opts: SimpleRequest = {}): Promise<SimpleResponse> {
  const u = new URL(url);
  const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = typeof opts.body === 'string' ? 'application/x-www-form-urlencoded' : 'application/json';
  }
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(u, { method: opts.method ?? 'GET', headers, ca: opts.ca, agent: opts.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * HttpsProxyAgent whose TLS to the target trusts `ca`. https-proxy-agent applies its constructor
 * options only to the proxy connection, so the CA has to be added to each connect call.
 */
export class CaTrustingProxyAgent extends HttpsProxyAgent<string> {
  constructor(proxyUrl: string, private readonly ca: string) {
    super(proxyUrl);
  }

  override connect(req: http.ClientRequest, opts: Parameters<HttpsProxyAgent<string>['connect']>[1]): ReturnType<HttpsProxyAgent<string>['connect']> {
    return super.connect(req, { ...opts, ca: this.ca } as typeof opts);
  }
}

export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

export const TENANT = '11111111-1111-4111-8111-111111111111';
export const SUBSCRIPTION = '99999999-9999-4999-8999-999999999999';
