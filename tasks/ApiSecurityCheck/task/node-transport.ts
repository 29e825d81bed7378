/**
 * The probes on the real network. HTTP probes go through the one HTTP client (the agent's proxy
 * and CAs, the connection's certificate and CA bundle, the subscription key as a secret header),
 * one client per identity. TLS probes (legacy versions, the server certificate) need the raw
 * handshake, so they use node:tls, through the agent's proxy with a CONNECT tunnel when it applies.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { AxiosInstance } from 'axios';
import { RemoteError } from '../../common/errors';
import { createHttpClient, type EndpointTls } from '../../common/http/http-client';
import { proxyFor, proxyUrlWithCredentials, trustedCas, type NetworkSettings } from '../../common/http/network';
import { redactUrl } from '../../common/http/redact';
import { isClientCertificateRefusal, isUntrustedCertificate } from '../../common/http/tls-trust';
import type { Logger } from '../../common/log/logger';
import type { SecretRegistry } from '../../common/log/secrets';
import type { CertificateOutcome, HandshakeOutcome, HttpOutcome, HttpProbe, IdentityName, LegacyTlsVersion, ProbeTransport } from '../core/model';
import { createThrowawayCertificate } from './throwaway-certificate';

export interface NodeTransportOptions {
  network: NetworkSettings;
  secrets: SecretRegistry;
  log: Logger;
  /** What the connection gives: its TLS material and the headers that carry its subscription key. */
  endpoint?: { tls: EndpointTls; headers: Record<string, string>; commonName?: string };
  timeoutMs: number;
}

/** Node error codes for "nothing answered". */
const NETWORK_CODES = new Map([
  ['ECONNREFUSED', 'connection refused'],
  ['ENOTFOUND', 'host name not found'],
  ['EAI_AGAIN', 'host name lookup failed'],
  ['ETIMEDOUT', 'timed out'],
  ['ECONNABORTED', 'timed out'],
  ['EHOSTUNREACH', 'host unreachable'],
  ['ENETUNREACH', 'network unreachable'],
]);

/** A TLS alert code in words: ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED is "alert 'certificate required'". */
export function alertWords(code: string): string | undefined {
  const m = /_ALERT_([A-Z_]+)$/.exec(code);
  return m ? `alert '${m[1]!.toLowerCase().replace(/_/g, ' ')}'` : undefined;
}

/** How a probe failed, in words (the code kept for whoever debugs it). */
export function classifyFailure(code: string | undefined): HttpOutcome {
  const c = code ?? 'unknown error';
  const network = NETWORK_CODES.get(c);
  if (network) return { kind: 'network', reason: `${network} (${c})`, refused: c === 'ECONNREFUSED' };
  if (isUntrustedCertificate(c)) return { kind: 'network', reason: `the server's certificate is not trusted (${c}), so nothing was sent`, refused: false };
  const alert = alertWords(c);
  if (alert || isClientCertificateRefusal(c)) return { kind: 'tls-refused', reason: `${alert ?? 'alert'}, ${c}` };
  if (c === 'ECONNRESET' || c === 'EPIPE') return { kind: 'tls-refused', reason: `connection reset, ${c}` };
  if (c === 'EPROTO' || /^ERR_SSL_/.test(c)) return { kind: 'tls-refused', reason: `TLS error, ${c}` };
  return { kind: 'network', reason: c, refused: false };
}

const UNKNOWN_ISSUER = 'is issued by a CA this agent does not trust (or the server does not send its intermediate certificates)';
const CERT_ERRORS = new Map([
  ['CERT_HAS_EXPIRED', 'has expired'],
  ['CERT_NOT_YET_VALID', 'is not valid yet'],
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 'is self-signed'],
  ['SELF_SIGNED_CERT_IN_CHAIN', 'chains to a self-signed root this agent does not trust'],
  ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', UNKNOWN_ISSUER],
  ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', UNKNOWN_ISSUER],
  ['CERT_REVOKED', 'is revoked'],
]);

/** Errors the local TLS library raises before anything is sent: nothing is learnt about the server. */
const LOCAL_TLS_CODES = new Set(['ERR_SSL_NO_PROTOCOLS_AVAILABLE', 'ERR_SSL_LEGACY_SIGALG_DISALLOWED_OR_UNSUPPORTED', 'ERR_SSL_NO_CIPHERS_AVAILABLE', 'ERR_SSL_NO_SUITABLE_SIGNATURE_ALGORITHM']);

export function createNodeTransport(options: NodeTransportOptions): ProbeTransport {
  const { network, secrets, log, endpoint, timeoutMs } = options;
  const caPem = endpoint?.tls.caPem;
  const noCert: EndpointTls = { caPem, noClientCertificate: true };
  let throwaway: EndpointTls | undefined;
  const material = (identity: IdentityName): { tls: EndpointTls | undefined; headers: Record<string, string> } => {
    const headers = endpoint?.headers ?? {};
    switch (identity) {
      case 'full':
        return { tls: endpoint?.tls, headers };
      case 'certOnly':
        return { tls: endpoint?.tls, headers: {} };
      case 'keyOnly':
        return { tls: noCert, headers };
      case 'none':
        return { tls: noCert, headers: {} };
      case 'untrusted': {
        throwaway ??= { caPem, ...toTls(createThrowawayCertificate(endpoint?.commonName ?? 'api-security-check probe')) };
        return { tls: throwaway, headers };
      }
    }
  };
  const clients = new Map<IdentityName, AxiosInstance>();
  const client = (identity: IdentityName) => {
    let c = clients.get(identity);
    if (!c) {
      const m = material(identity);
      c = createHttpClient({ network, secrets, logger: log, tls: m.tls, secretHeaders: m.headers, retry: { retries: 0 }, timeoutMs });
      clients.set(identity, c);
    }
    return c;
  };
  // The TLS probes present the connection's certificate, so a server that demands one still completes the handshake.
  const fullTls = endpoint?.tls ?? (network.clientCert ? { certPem: network.clientCert.certPem, keyPem: network.clientCert.keyPem, passphrase: network.clientCert.passphrase } : {});
  const clientTls: tls.ConnectionOptions = { cert: fullTls.certPem, key: fullTls.keyPem, pfx: fullTls.pfx, passphrase: fullTls.passphrase };

  return {
    async http(probe: HttpProbe): Promise<HttpOutcome> {
      try {
        const res = await client(probe.identity).request({
          method: probe.method,
          url: probe.url,
          headers: probe.headers,
          validateStatus: () => true,
          maxRedirects: 0,
          responseType: 'stream',
        });
        // Only the status and headers matter; the body is not read.
        (res.data as { destroy?: () => void } | undefined)?.destroy?.();
        const headers = Object.fromEntries(
          Object.entries(res.headers ?? {})
            .filter(([, v]) => v !== undefined && v !== null)
            .map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : String(v)]),
        );
        log.debug(`probe ${probe.identity} ${probe.method} ${redactUrl(probe.url)}: HTTP ${res.status}`);
        return { kind: 'response', status: res.status, headers };
      } catch (err) {
        const code = err instanceof RemoteError ? err.code : (err as { code?: string }).code;
        const outcome = classifyFailure(code);
        log.debug(`probe ${probe.identity} ${probe.method} ${redactUrl(probe.url)}: ${outcome.kind === 'response' ? '' : outcome.reason}`);
        return outcome;
      }
    },

    async handshake(url: string, version: LegacyTlsVersion): Promise<HandshakeOutcome> {
      // OpenSSL 3 offers TLS 1.0/1.1 only at security level 0; the probe must be able to ask.
      const result = await connectTls(network, url, timeoutMs, { ...clientTls, minVersion: version, maxVersion: version, ciphers: 'DEFAULT:@SECLEVEL=0', rejectUnauthorized: false });
      if (result.kind === 'connected') {
        const protocol = result.socket.getProtocol() ?? version;
        result.socket.destroy();
        return { kind: 'accepted', protocol };
      }
      if (result.kind === 'local') return { kind: 'untestable', reason: result.reason };
      if (result.kind === 'network') return { kind: 'network', reason: result.reason };
      return { kind: 'refused', reason: result.reason };
    },

    async serverCertificate(url: string): Promise<CertificateOutcome> {
      const host = hostOf(url);
      // The chain is judged by the handshake, the host name on its own below, so each is reported apart.
      const result = await connectTls(network, url, timeoutMs, { ...clientTls, ca: trustedCas(network, caPem), rejectUnauthorized: false, checkServerIdentity: () => undefined });
      if (result.kind !== 'connected') return { kind: 'network', reason: result.reason };
      const socket = result.socket;
      try {
        const peer = socket.getPeerCertificate();
        if (!peer || !peer.valid_to) return { kind: 'network', reason: 'the server presented no certificate' };
        const hostError = tls.checkServerIdentity(host, peer);
        const code = socket.authorizationError ? String(socket.authorizationError) : undefined;
        return {
          kind: 'certificate',
          subject: nameOf(peer.subject),
          issuer: nameOf(peer.issuer),
          validFrom: new Date(peer.valid_from),
          validTo: new Date(peer.valid_to),
          trusted: socket.authorized,
          trustError: code ? `${CERT_ERRORS.get(code) ?? 'is not trusted'} (${code})` : undefined,
          hostMatches: hostError === undefined,
          hostError: hostError ? `does not name ${host} (it names ${peer.subjectaltname ? peer.subjectaltname : nameOf(peer.subject)})` : undefined,
        };
      } finally {
        socket.destroy();
      }
    },
  };
}

function toTls(c: { certPem: string; keyPem: string }): EndpointTls {
  return { certPem: c.certPem, keyPem: c.keyPem };
}

function nameOf(name: tls.PeerCertificate['subject'] | undefined): string {
  if (!name) return '(no name)';
  return Object.entries(name)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}

function hostOf(url: string): string {
  return new URL(url).hostname.replace(/^\[|\]$/g, '');
}

type TlsAttempt = { kind: 'connected'; socket: tls.TLSSocket } | { kind: 'refused' | 'local' | 'network'; reason: string };

/** One TLS handshake with the URL's host, direct or through the agent's proxy (CONNECT). */
async function connectTls(network: NetworkSettings, url: string, timeoutMs: number, options: tls.ConnectionOptions): Promise<TlsAttempt> {
  const parsed = new URL(url);
  const host = hostOf(url);
  const port = Number(parsed.port || 443);
  let tunnel: net.Socket | undefined;
  try {
    tunnel = await openTunnel(network, url, host, port, timeoutMs);
  } catch (err) {
    return { kind: 'network', reason: (err as Error).message };
  }
  return new Promise<TlsAttempt>((resolve) => {
    let socket: tls.TLSSocket;
    try {
      socket = tls.connect({ ...options, host, port, socket: tunnel, servername: net.isIP(host) ? undefined : host, timeout: timeoutMs });
    } catch (err) {
      resolve({ kind: 'local', reason: (err as Error).message.replace(/error:[0-9A-F]+:[^:]*:[^:]*:/gi, '') });
      return;
    }
    const done = (attempt: TlsAttempt) => {
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      if (attempt.kind !== 'connected') socket.destroy();
      resolve(attempt);
    };
    socket.once('secureConnect', () => done({ kind: 'connected', socket }));
    socket.once('timeout', () => done({ kind: 'network', reason: `timed out after ${timeoutMs} ms` }));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? '';
      if (LOCAL_TLS_CODES.has(code)) done({ kind: 'local', reason: `the local TLS library refused to offer it (${code})` });
      else if (NETWORK_CODES.has(code)) done({ kind: 'network', reason: `${NETWORK_CODES.get(code)} (${code})` });
      else done({ kind: 'refused', reason: code ? `${alertWords(code) ?? 'TLS error'}, ${code}` : 'the connection ended' });
    });
  });
}

/** A CONNECT tunnel through the agent's proxy, or undefined when the URL goes direct. */
function openTunnel(network: NetworkSettings, url: string, host: string, port: number, timeoutMs: number): Promise<net.Socket | undefined> {
  const proxy = proxyFor(network, url);
  if (!proxy) return Promise.resolve(undefined);
  const proxyUrl = new URL(proxyUrlWithCredentials(proxy));
  const target = `${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
  const headers: Record<string, string> = { Host: target };
  if (proxy.proxyUsername) headers['Proxy-Authorization'] = `Basic ${Buffer.from(`${proxy.proxyUsername}:${proxy.proxyPassword ?? ''}`).toString('base64')}`;
  const secure = proxyUrl.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request({
      host: proxyUrl.hostname.replace(/^\[|\]$/g, ''),
      port: Number(proxyUrl.port || (secure ? 443 : 80)),
      method: 'CONNECT',
      path: target,
      headers,
      timeout: timeoutMs,
      ...(secure ? { ca: trustedCas(network) } : {}),
    });
    req.once('connect', (res, socket) => {
      if (res.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        reject(new Error(`the agent's proxy refused the tunnel to ${target} (HTTP ${res.statusCode})`));
      }
    });
    req.once('timeout', () => req.destroy(new Error(`the agent's proxy did not answer within ${timeoutMs} ms`)));
    req.once('error', (err) => reject(new Error(`the agent's proxy could not be reached (${(err as NodeJS.ErrnoException).code ?? err.message})`)));
    req.end();
  });
}
