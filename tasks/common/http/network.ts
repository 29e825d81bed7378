import * as fs from 'node:fs';
import * as tls from 'node:tls';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { InputError } from '../errors';
import type { AgentProxy, TaskHost } from '../host/task-host';
import type { SecretRegistry } from '../log/secrets';

/**
 * How this agent reaches the network: its proxy (with bypass list) and the extra CA
 * certificates and client certificate it was configured with. Handed both to axios and
 * to the Azure SDK clients, which ignore task-lib's globals.
 */
export interface NetworkSettings {
  proxy?: AgentProxy;
  /** Extra trusted CAs (PEM), added to Node's built-in roots, never replacing them. */
  extraCaPem: string[];
  clientCert?: { certPem: string; keyPem: string; passphrase?: string };
}

export function readNetworkSettings(host: TaskHost, secrets: SecretRegistry): NetworkSettings {
  const proxy = host.getProxy();
  if (proxy?.proxyPassword) secrets.register(proxy.proxyPassword);
  const certs = host.getCertificates();
  const extraCaPem: string[] = [];
  let clientCert: NetworkSettings['clientCert'];
  if (certs?.caFile) extraCaPem.push(readPem(certs.caFile, 'Agent.CAInfo'));
  if (certs?.certFile && certs.keyFile) {
    if (certs.passphrase) secrets.register(certs.passphrase);
    clientCert = {
      certPem: readPem(certs.certFile, 'Agent.ClientCert'),
      keyPem: readPem(certs.keyFile, 'Agent.ClientCertKey'),
      passphrase: certs.passphrase,
    };
  }
  return { proxy, extraCaPem, clientCert };
}

function readPem(file: string, variable: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(variable, `cannot read '${file}': ${(err as Error).message}`);
  }
}

/** The trust store to use: Node's roots plus the agent's and the endpoint's CAs. */
export function trustedCas(settings: NetworkSettings, extra: string[] = []): string[] | undefined {
  if (settings.extraCaPem.length === 0 && extra.length === 0) return undefined;
  return [...tls.rootCertificates, ...settings.extraCaPem, ...extra];
}

/** The proxy for a URL, or undefined when there is none or the URL matches the agent's bypass list. */
export function proxyFor(settings: NetworkSettings, url: string): AgentProxy | undefined {
  const proxy = settings.proxy;
  if (!proxy) return undefined;
  for (const pattern of proxy.proxyBypassHosts) {
    try {
      if (new RegExp(pattern, 'i').test(url)) return undefined;
    } catch {
      // An invalid bypass entry cannot match; the agent ignores it the same way.
    }
  }
  return proxy;
}

/**
 * Pipeline options for an @azure SDK client or credential talking to `targetUrl`. Through a proxy
 * the SDK ignores `tlsOptions`, so the proxy agent itself carries the trust store and client
 * certificate; without one, `tlsOptions` does.
 */
export function azurePipelineOptions(settings: NetworkSettings, targetUrl: string): AzurePipelineOptions {
  const ca = trustedCas(settings);
  const tlsOptions = {
    ...(ca ? { ca } : {}),
    ...(settings.clientCert
      ? { cert: settings.clientCert.certPem, key: settings.clientCert.keyPem, passphrase: settings.clientCert.passphrase }
      : {}),
  };
  const proxy = proxyFor(settings, targetUrl);
  if (proxy) return { agent: new TrustingProxyAgent(proxyUrlWithCredentials(proxy), tlsOptions) };
  return Object.keys(tlsOptions).length > 0 ? { tlsOptions } : {};
}

/**
 * https-proxy-agent applies its constructor options to the proxy connection only; the TLS session
 * with the target takes the request's options. This agent adds our trust store and client
 * certificate to every target connection made through the tunnel.
 */
export class TrustingProxyAgent extends HttpsProxyAgent<string> {
  constructor(
    proxyUrl: string,
    private readonly targetTls: tls.ConnectionOptions,
  ) {
    super(proxyUrl, { keepAlive: true });
  }

  override connect(req: Parameters<HttpsProxyAgent<string>['connect']>[0], opts: Parameters<HttpsProxyAgent<string>['connect']>[1]) {
    return super.connect(req, { ...opts, ...this.targetTls } as typeof opts);
  }
}

export interface AzurePipelineOptions {
  agent?: TrustingProxyAgent;
  tlsOptions?: { ca?: string[]; cert?: string; key?: string; passphrase?: string };
}

/** The proxy URL with its credentials, for agents that take one URL. Never log it. */
export function proxyUrlWithCredentials(proxy: AgentProxy): string {
  const url = new URL(proxy.proxyUrl);
  if (proxy.proxyUsername) {
    url.username = encodeURIComponent(proxy.proxyUsername);
    url.password = encodeURIComponent(proxy.proxyPassword ?? '');
  }
  return url.toString();
}
