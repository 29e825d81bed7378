import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
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
 * Pipeline options for an @azure SDK client or credential. Through a proxy the SDK ignores
 * `tlsOptions`, so the proxy agent itself carries the trust store and client certificate (for the
 * tunnelled and the bypassed connections alike); without one, `tlsOptions` does.
 */
export function azurePipelineOptions(settings: NetworkSettings): AzurePipelineOptions {
  const tlsOptions = compiledTls(settings);
  const proxy = settings.proxy;
  // One client can reach more than its main host (a workload identity credential asks the job's
  // OIDC endpoint, then Entra ID), so the bypass list is applied per request, not once per client.
  if (proxy) return { agent: new TrustingProxyAgent(proxyUrlWithCredentials(proxy), tlsOptions, (url) => proxyFor(settings, url) === undefined) };
  return Object.keys(tlsOptions).length > 0 ? { tlsOptions } : {};
}

const compiled = new WeakMap<NetworkSettings, AzurePipelineOptions['tlsOptions'] & object>();

/**
 * The agent's trust store (Node's roots plus its CAs) and client certificate compiled once into one
 * TLS context, shared by every SDK client and credential of this task. Handed over as `ca`/`cert`
 * options instead, Node compiles the ~150 root certificates again for every new connection (tens of
 * milliseconds of CPU each: five targets deployed in parallel open dozens of connections at once)
 * and the SDK's agent folds every PEM into the pool key of each request. The SDK spreads these
 * settings into its https.Agent, which hands `secureContext` to tls.connect. Material Node cannot
 * compile stays as options, so the failure shows on the request that needs it.
 */
export function compiledTls(settings: NetworkSettings): NonNullable<AzurePipelineOptions['tlsOptions']> {
  const known = compiled.get(settings);
  if (known) return known;
  const ca = trustedCas(settings);
  const cert = settings.clientCert;
  let out: NonNullable<AzurePipelineOptions['tlsOptions']> = {
    ...(ca ? { ca } : {}),
    ...(cert ? { cert: cert.certPem, key: cert.keyPem, passphrase: cert.passphrase } : {}),
  };
  if (ca || cert) {
    try {
      out = { secureContext: tls.createSecureContext({ ca, cert: cert?.certPem, key: cert?.keyPem, passphrase: cert?.passphrase }) };
    } catch {
      // Left as options: the request that uses them reports what is wrong with them.
    }
  }
  compiled.set(settings, out);
  return out;
}

/**
 * https-proxy-agent applies its constructor options to the proxy connection only; the TLS session
 * with the target takes the request's options. This agent adds our trust store and client
 * certificate to every target connection made through the tunnel.
 */
export class TrustingProxyAgent extends HttpsProxyAgent<string> {
  private direct?: { https: https.Agent; http: http.Agent };

  /** @param bypass true for a request URL the agent's bypass list sends direct (same TLS settings, no proxy). */
  constructor(
    proxyUrl: string,
    private readonly targetTls: tls.ConnectionOptions,
    private readonly bypass?: (url: string) => boolean,
  ) {
    super(proxyUrl, { keepAlive: true });
  }

  override connect(req: Parameters<HttpsProxyAgent<string>['connect']>[0], opts: Parameters<HttpsProxyAgent<string>['connect']>[1]) {
    if (this.bypass) {
      const scheme = opts.secureEndpoint ? 'https' : 'http';
      const port = opts.port && Number(opts.port) !== (opts.secureEndpoint ? 443 : 80) ? `:${opts.port}` : '';
      if (this.bypass(`${scheme}://${opts.host ?? ''}${port}${req.path ?? '/'}`)) {
        this.direct ??= { https: new https.Agent({ ...(this.targetTls as https.AgentOptions), keepAlive: true }), http: new http.Agent({ keepAlive: true }) };
        // agent-base hands the request to an Agent returned here.
        return Promise.resolve(opts.secureEndpoint ? this.direct.https : this.direct.http) as unknown as ReturnType<HttpsProxyAgent<string>['connect']>;
      }
    }
    return super.connect(req, { ...opts, ...this.targetTls });
  }
}

export interface AzurePipelineOptions {
  agent?: TrustingProxyAgent;
  /** The SDK's TlsSettings; `secureContext` is not in its type but reaches its https.Agent (see compiledTls). */
  tlsOptions?: { ca?: string[]; cert?: string; key?: string; passphrase?: string; secureContext?: tls.SecureContext };
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
