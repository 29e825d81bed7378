import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import forge from 'node-forge';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createDefaultHttpClient, createPipelineFromOptions, createPipelineRequest } from '@azure/core-rest-pipeline';
import { createHttpClient, createHttpClients } from '../../tasks/common/http/http-client';
import { azurePipelineOptions, compiledTls, type NetworkSettings } from '../../tasks/common/http/network';
import { RemoteError } from '../../tasks/common/errors';
import { SecretRegistry } from '../../tasks/common/log/secrets';
import { getTestCa, ProxyEmulator, startEmulators, type Emulators } from '../emulators';

describe('common/http/createHttpClient (against the emulators)', () => {
  let emu: Emulators;
  let trusted: NetworkSettings;
  const logs: string[] = [];
  const logger = {
    debug: (m: string) => logs.push(`debug ${m}`),
    info: (m: string) => logs.push(m),
    warning: (m: string) => logs.push(`warning ${m}`),
    error: (m: string) => logs.push(`error ${m}`),
  };

  before(async () => {
    emu = await startEmulators({ proxyAuth: { username: 'agent', password: 'proxy-pass-77' } });
    trusted = { extraCaPem: [fs.readFileSync(emu.caFile, 'utf8')] };
  });
  after(() => emu.close());

  function client(network: NetworkSettings, waits: number[] = [], secrets = new SecretRegistry()) {
    return createHttpClient({ network, secrets, logger, sleep: async (ms) => void waits.push(ms) });
  }

  it('trusts the agent CA and rejects the same server without it', async () => {
    const ok = await client(trusted).get(`${emu.arm.url}/subscriptions?api-version=2022-12-01`, { validateStatus: () => true });
    assert.equal(ok.status, 401, 'reached the server (no token, so 401)');
    await assert.rejects(client({ extraCaPem: [] }).get(`${emu.arm.url}/subscriptions?api-version=2022-12-01`), (err: unknown) => {
      assert.ok(err instanceof RemoteError);
      assert.match(err.message, /TLS certificate is not trusted/);
      return true;
    });
  });

  it('retries 429 and 503 on GET, waiting what Retry-After says, then succeeds', async () => {
    emu.arm.faults.add({ method: 'GET', path: '/subscriptions', status: 429, retryAfterSeconds: 7, times: 1 });
    emu.arm.faults.add({ method: 'GET', path: '/subscriptions', status: 503, retryAfterSeconds: 2, times: 1 });
    const waits: number[] = [];
    const res = await client(trusted, waits).get(`${emu.arm.url}/subscriptions?api-version=2022-12-01`, {
      validateStatus: (s) => s < 400 || s === 401,
    });
    assert.equal(res.status, 401);
    assert.deepEqual(waits, [7000, 2000]);
  });

  it('gives up after the configured number of retries', async () => {
    emu.arm.faults.add({ method: 'GET', path: '/subscriptions', status: 503, times: 10 });
    const waits: number[] = [];
    await assert.rejects(client(trusted, waits).get(`${emu.arm.url}/subscriptions?api-version=2022-12-01`), /HTTP 503/);
    assert.equal(waits.length, 4);
    emu.arm.faults.clear();
  });

  it('never retries a POST', async () => {
    emu.arm.faults.add({ method: 'POST', path: '/subscriptions', status: 503, times: 1 });
    const waits: number[] = [];
    await assert.rejects(client(trusted, waits).post(`${emu.arm.url}/subscriptions?api-version=2022-12-01`, {}), /HTTP 503/);
    assert.deepEqual(waits, []);
  });

  it('tunnels through the agent proxy with its credentials, and bypasses it for listed hosts', async () => {
    const proxy = { proxyUrl: emu.proxy.url, proxyUsername: 'agent', proxyPassword: 'proxy-pass-77', proxyBypassHosts: [] as string[] };
    const target = `127.0.0.1:${emu.arm.port}`;
    const before = emu.proxy.tunnelCount(target);
    await client({ ...trusted, proxy }).get(`${emu.arm.url}/subscriptions?api-version=2022-12-01`, { validateStatus: () => true });
    assert.equal(emu.proxy.tunnelCount(target), before + 1);
    await client({ ...trusted, proxy: { ...proxy, proxyBypassHosts: ['127\\.0\\.0\\.1'] } }).get(`${emu.arm.url}/subscriptions?api-version=2022-12-01`, {
      validateStatus: () => true,
    });
    assert.equal(emu.proxy.tunnelCount(target), before + 1);
  });

  it('SDK pipeline options apply the bypass list per request: one agent tunnels one host and reaches a listed one directly, trusting the agent CA both ways', async () => {
    const proxy = { proxyUrl: emu.proxy.url, proxyUsername: 'agent', proxyPassword: 'proxy-pass-77', proxyBypassHosts: [`127\\.0\\.0\\.1:${emu.oidc.port}`] };
    const { agent } = azurePipelineOptions({ ...trusted, proxy });
    assert.ok(agent, 'a proxy agent for the SDK');
    const get = (url: string) =>
      new Promise<number>((resolve, reject) => {
        https.get(url, { agent }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', reject);
      });
    const armTarget = `127.0.0.1:${emu.arm.port}`;
    const oidcTarget = `127.0.0.1:${emu.oidc.port}`;
    const arm = emu.proxy.tunnelCount(armTarget);
    const oidc = emu.proxy.tunnelCount(oidcTarget);
    assert.ok((await get(`${emu.arm.url}/subscriptions?api-version=2022-12-01`)) > 0);
    assert.ok((await get(`${emu.oidc.url}/`)) > 0);
    assert.equal(emu.proxy.tunnelCount(armTarget), arm + 1, 'the proxied host went through the proxy');
    assert.equal(emu.proxy.tunnelCount(oidcTarget), oidc, 'the listed host was reached directly');
  });

  it('keeps secrets out of error messages and debug lines', async () => {
    const secrets = new SecretRegistry();
    secrets.register('very-secret-token-123');
    logs.length = 0;
    await assert.rejects(
      client(trusted, [], secrets).get(`${emu.arm.url}/nowhere?api-version=1&sig=very-secret-token-123`, {
        headers: { Authorization: 'Bearer very-secret-token-123' },
      }),
      (err: unknown) => {
        assert.ok(err instanceof RemoteError);
        assert.ok(!err.message.includes('very-secret-token-123'), err.message);
        return true;
      },
    );
    assert.ok(logs.length > 0);
    assert.ok(!logs.some((l) => l.includes('very-secret-token-123')), logs.join('\n'));
  });

  it('SDK pipeline options carry one compiled TLS context (no PEMs) that the SDK agent trusts the agent CA with', async () => {
    const network: NetworkSettings = { extraCaPem: [...trusted.extraCaPem] };
    const { tlsOptions } = azurePipelineOptions(network);
    assert.ok(tlsOptions?.secureContext, 'a compiled context');
    assert.equal(tlsOptions.ca, undefined, 'no PEM list for Node to compile per connection');
    assert.equal(azurePipelineOptions(network).tlsOptions?.secureContext, tlsOptions.secureContext, 'compiled once per agent settings');
    const send = (options: ReturnType<typeof azurePipelineOptions>) =>
      createPipelineFromOptions({ ...options, retryOptions: { maxRetries: 0 } }).sendRequest(
        createDefaultHttpClient(),
        createPipelineRequest({ url: `${emu.arm.url}/subscriptions?api-version=2022-12-01` }),
      );
    assert.equal((await send(azurePipelineOptions(network))).status, 401, 'reached the server through the SDK (no token, so 401)');
    await assert.rejects(send(azurePipelineOptions({ extraCaPem: [] })), /self[- ]signed|unable to verify|certificate/i);
  });

  it('warns when a connection turns certificate checks off, and then connects', async () => {
    logs.length = 0;
    const c = createHttpClient({ network: { extraCaPem: [] }, secrets: new SecretRegistry(), logger, tls: { allowUntrusted: true } });
    const res = await c.get(`${emu.arm.url}/subscriptions?api-version=2022-12-01`, { validateStatus: () => true });
    assert.equal(res.status, 401);
    assert.ok(logs.some((l) => l.startsWith('warning') && /verification is turned off/.test(l)));
  });
});

describe('common/http/createHttpClient with an endpoint client certificate (mutual TLS)', () => {
  let server: https.Server;
  let url: string;
  const ca = getTestCa();
  const logger = { debug() {}, info() {}, warning() {}, error() {} };

  before(async () => {
    server = https.createServer(
      { cert: ca.server.certPem, key: ca.server.keyPem, ca: ca.ca.certPem, requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        res.end(JSON.stringify({ subject: peer.subject?.CN }));
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('presents the endpoint certificate when the server asks for one', async () => {
    const client = ca.issueClientCertificate('srk-mtls-client');
    const http = createHttpClient({
      network: { extraCaPem: [ca.ca.certPem] },
      secrets: new SecretRegistry(),
      logger,
      tls: { certPem: client.certPem, keyPem: client.keyPem },
      retry: { retries: 0 },
    });
    const res = await http.get(url);
    assert.deepEqual(res.data, { subject: 'srk-mtls-client' });
  });

  it("an endpoint PFX wins over the agent's client certificate, with its own passphrase", async () => {
    const endpoint = ca.issueClientCertificate('srk-endpoint-pfx');
    const agentCert = ca.issueClientCertificate('srk-agent-cert');
    const p12 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(endpoint.keyPem), [forge.pki.certificateFromPem(endpoint.certPem)], 'pfx-pass-5', { algorithm: '3des' });
    const pfx = Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
    const http = createHttpClient({
      network: { extraCaPem: [ca.ca.certPem], clientCert: { certPem: agentCert.certPem, keyPem: agentCert.keyPem, passphrase: 'agent-pass-6' } },
      secrets: new SecretRegistry(),
      logger,
      tls: { pfx, passphrase: 'pfx-pass-5' },
      retry: { retries: 0 },
    });
    const res = await http.get(url);
    assert.deepEqual(res.data, { subject: 'srk-endpoint-pfx' });
  });

  it("presents the agent's client certificate from the one compiled context, through createHttpClient and through an SDK pipeline", async () => {
    const agentCert = ca.issueClientCertificate('srk-agent-shared');
    const network: NetworkSettings = { extraCaPem: [ca.ca.certPem], clientCert: { certPem: agentCert.certPem, keyPem: agentCert.keyPem } };
    const http = createHttpClient({ network, secrets: new SecretRegistry(), logger, retry: { retries: 0 } });
    assert.deepEqual((await http.get(url)).data, { subject: 'srk-agent-shared' });
    assert.ok(compiledTls(network).secureContext);
    const res = await createPipelineFromOptions({ ...azurePipelineOptions(network), retryOptions: { maxRetries: 0 } }).sendRequest(createDefaultHttpClient(), createPipelineRequest({ url }));
    assert.deepEqual(JSON.parse(res.bodyAsText ?? '{}'), { subject: 'srk-agent-shared' });
  });

  it('is refused by the server without one', async () => {
    const http = createHttpClient({ network: { extraCaPem: [ca.ca.certPem] }, secrets: new SecretRegistry(), logger, retry: { retries: 0 } });
    await assert.rejects(http.get(url), RemoteError);
  });
});

describe('common/http/createHttpClient redirects', () => {
  const ca = getTestCa();
  let secure: https.Server;
  let plain: http.Server;
  let secureUrl: string;
  let plainUrl: string;
  let plainHits = 0;

  before(async () => {
    plain = http.createServer((_req, res) => {
      plainHits++;
      res.end('plain');
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
    secure = https.createServer({ cert: ca.server.certPem, key: ca.server.keyPem }, (req, res) => {
      if (req.url === '/ok') return void res.end('secure');
      const to = req.url === '/to-https' ? `${secureUrl}/ok` : `${plainUrl}/spec.json?sig=secret-sig-123`;
      res.writeHead(302, { location: to }).end();
    });
    await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
    secureUrl = `https://127.0.0.1:${(secure.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((resolve) => secure.close(() => resolve()));
    await new Promise<void>((resolve) => plain.close(() => resolve()));
  });

  const client = () => createHttpClient({ network: { extraCaPem: [ca.ca.certPem] }, secrets: new SecretRegistry(), logger: { debug() {}, info() {}, warning() {}, error() {} } });

  it('follows a redirect that stays on https', async () => {
    assert.equal((await client().get(`${secureUrl}/to-https`, { responseType: 'text' })).data, 'secure');
  });

  it('refuses a redirect from https to plain http, naming the target without its secrets, and never reaches it', async () => {
    await assert.rejects(client().get(`${secureUrl}/to-http`), (err: unknown) => {
      assert.ok(err instanceof RemoteError, String(err));
      assert.match(err.message, /refused to follow a redirect from https to plain http/);
      assert.ok(!err.message.includes('secret-sig-123'), err.message);
      return true;
    });
    assert.equal(plainHits, 0);
  });

  it('still follows redirects of a request made over plain http', async () => {
    const r = await client().get(`${plainUrl}/anything`, { responseType: 'text' });
    assert.equal(r.data, 'plain');
  });
});

describe('common/http/createHttpClients: the streaming GET (same agents, retries and errors as the axios client)', () => {
  const ca = getTestCa();
  let server: https.Server;
  let plain: http.Server;
  let url: string;
  let plainUrl: string;
  let proxy: ProxyEmulator;
  const answers: Array<{ status: number; headers?: Record<string, string>; body?: string; reset?: boolean }> = [];
  const seen: Array<{ url?: string; auth?: string }> = [];
  const logs: string[] = [];
  const logger = { debug: (m: string) => logs.push(m), info() {}, warning() {}, error() {} };
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    seen.push({ url: req.url, auth: req.headers.authorization });
    const a = answers.shift() ?? { status: 200, body: 'payload' };
    if (a.reset) return void req.socket.destroy();
    res.writeHead(a.status, a.headers).end(a.body ?? '');
  };

  before(async () => {
    server = https.createServer({ cert: ca.server.certPem, key: ca.server.keyPem }, handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    plain = http.createServer(handler);
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
    proxy = await new ProxyEmulator({ auth: { username: 'agent', password: 'proxy-pass-9' } }).start();
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await new Promise<void>((resolve) => plain.close(() => resolve()));
    await proxy.close();
  });
  beforeEach(() => {
    answers.length = 0;
    seen.length = 0;
    logs.length = 0;
  });

  const clients = (network: NetworkSettings = { extraCaPem: [ca.ca.certPem] }, waits: number[] = [], secrets = new SecretRegistry()) =>
    createHttpClients({ network, secrets, logger, sleep: async (ms) => void waits.push(ms) });
  const text = async (body: NodeJS.ReadableStream) => {
    let out = '';
    for await (const c of body) out += String(c);
    return out;
  };

  it('streams the body with the headers given, and retries 503 and a reset connection, waiting what Retry-After says', async () => {
    answers.push({ status: 503, headers: { 'Retry-After': '3' } }, { status: 0, reset: true }, { status: 200, body: 'artifact bytes' });
    const waits: number[] = [];
    const res = await clients(undefined, waits).streamGet(`${url}/a.bin`, { headers: { Authorization: 'Basic abc' } });
    assert.equal(res.status, 200);
    assert.equal(await text(res.body), 'artifact bytes');
    assert.equal(seen.length, 3);
    assert.ok(seen.every((s) => s.auth === 'Basic abc'));
    assert.equal(waits.length, 2);
    assert.equal(waits[0], 3000);
  });

  it('hands the statuses the caller accepts back unread, and fails others with a redacted message naming the status and what the server said', async () => {
    answers.push({ status: 302, headers: { Location: '/elsewhere' } });
    const redirect = await clients().streamGet(`${url}/r`, { accept: (s) => s === 302 });
    assert.equal(redirect.headers.location, '/elsewhere');
    redirect.body.resume();
    const secrets = new SecretRegistry();
    secrets.register('tok-secret-42');
    answers.push({ status: 404, body: 'no such artifact tok-secret-42' });
    await assert.rejects(clients(undefined, [], secrets).streamGet(`${url}/x?token=tok-secret-42`), (err: unknown) => {
      assert.ok(err instanceof RemoteError);
      assert.equal(err.status, 404);
      assert.match(err.message, /^GET https:\/\/127\.0\.0\.1:\d+\/x\?token=\*\*\* failed: HTTP 404 Not Found: no such artifact \*\*\*$/);
      return true;
    });
    assert.ok(!logs.some((l) => l.includes('tok-secret-42')), logs.join('\n'));
  });

  it("refuses a server the agent does not trust, saying how to fix it", async () => {
    await assert.rejects(clients({ extraCaPem: [] }).streamGet(`${url}/a.bin`), /TLS certificate is not trusted.*Agent\.CAInfo/);
    assert.equal(seen.length, 0);
  });

  it("goes through the agent's proxy: https tunnelled, plain http forwarded with the proxy's credentials", async () => {
    const network: NetworkSettings = { extraCaPem: [ca.ca.certPem], proxy: { proxyUrl: proxy.url, proxyUsername: 'agent', proxyPassword: 'proxy-pass-9', proxyBypassHosts: [] } };
    const { streamGet } = clients(network);
    const tunnels = proxy.tunnelCount();
    const secure = await streamGet(`${url}/via-tunnel`);
    assert.equal(await text(secure.body), 'payload');
    assert.equal(proxy.tunnelCount(), tunnels + 1);
    const forwarded = proxy.requestCount();
    const res = await streamGet(`${plainUrl}/via-proxy`);
    assert.equal(await text(res.body), 'payload');
    assert.equal(proxy.requestCount(), forwarded + 1);
    assert.deepEqual(seen.map((s) => s.url), ['/via-tunnel', '/via-proxy']);
  });
});
