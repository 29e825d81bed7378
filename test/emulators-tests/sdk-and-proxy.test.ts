import * as assert from 'assert';
import * as crypto from 'crypto';
import * as http from 'http';
import * as https from 'https';
import { AzurePipelinesCredential, ClientSecretCredential } from '@azure/identity';
import { ApiManagementClient } from '@azure/arm-apimanagement';
import { WebSiteManagementClient } from '@azure/arm-appservice';
import { Emulators, startEmulators } from '../emulators';
import { CaTrustingProxyAgent, request, SUBSCRIPTION, TENANT } from './helpers';

const CLIENT = '22222222-2222-4222-8222-222222222222';
const WIF_CLIENT = '44444444-4444-4444-8444-444444444444';
const SECRET = 'emulator-secret-value';

describe('emulators: forward proxy', () => {
  let emu: Emulators;
  let ca: string;

  before(async () => {
    emu = await startEmulators({ proxyAuth: { username: 'agent', password: 'p@ss word' } });
    ca = emu.ca.ca.certPem;
  });

  after(() => emu.close());

  it('answers CONNECT without credentials with 407 Proxy-Authenticate', async () => {
    // https-proxy-agent replays a refused CONNECT's answer as the response.
    const res = await request(`${emu.arm.url}/subscriptions`, { ca, agent: new CaTrustingProxyAgent(emu.proxy.url, ca) });
    assert.strictEqual(res.status, 407);
    assert.match(String(res.headers['proxy-authenticate']), /^Basic /);
    assert.strictEqual(emu.proxy.records[emu.proxy.records.length - 1].status, 407);
    assert.strictEqual(emu.proxy.tunnelCount(), 0);
  });

  it('tunnels HTTPS with Basic credentials and counts tunnels per target', async () => {
    const agent = new CaTrustingProxyAgent(emu.proxy.urlWithCredentials, ca);
    const res = await request(`${emu.arm.url}/subscriptions`, { agent });
    assert.strictEqual(res.status, 401, 'reached ARM through the tunnel');
    await request(`${emu.entra.url}/x/v2.0/.well-known/openid-configuration`, { agent });
    assert.strictEqual(emu.proxy.tunnelCount(`127.0.0.1:${emu.arm.port}`), 1);
    assert.strictEqual(emu.proxy.tunnelCount(`127.0.0.1:${emu.entra.port}`), 1);
    assert.strictEqual(emu.arm.countRequests('GET', '/subscriptions'), 1);
  });

  it('forwards plain HTTP requests and refuses non-loopback targets', async () => {
    const auth = `Basic ${Buffer.from('agent:p@ss word').toString('base64')}`;
    const target = `${emu.msi.url}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x`;
    const viaProxy = await request(`${emu.proxy.url}/`, { headers: { 'Proxy-Authorization': auth } }).catch((e: Error) => e);
    assert.ok(!(viaProxy instanceof Error) && viaProxy.status === 400, 'origin-form request is not proxied');
    const forwarded = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: emu.proxy.port, path: target, headers: { 'Proxy-Authorization': auth, Metadata: 'true' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
      req.on('error', reject);
      req.end();
    });
    assert.strictEqual(forwarded, 200);
    assert.strictEqual(emu.proxy.requestCount(`127.0.0.1:${emu.msi.port}`), 1);
    const refused = await request('https://example.com/', { agent: new CaTrustingProxyAgent(emu.proxy.urlWithCredentials, ca) });
    assert.strictEqual(refused.status, 403);
    assert.deepStrictEqual(emu.proxy.refused.map((r) => r.target), ['example.com:443']);
  });
});

describe('emulators: real Azure SDK clients against the emulators', () => {
  let emu: Emulators;
  let ca: string;
  let agent: CaTrustingProxyAgent;

  before(async () => {
    emu = await startEmulators();
    ca = emu.ca.ca.certPem;
    agent = new CaTrustingProxyAgent(emu.proxy.url, ca);
    emu.entra.registerClient({ tenantId: TENANT, clientId: CLIENT, secret: SECRET });
    emu.arm.addSubscription({ subscriptionId: SUBSCRIPTION, tenantId: TENANT });
    emu.arm.addResourceGroup(SUBSCRIPTION, 'rg1');
  });

  after(() => emu.close());

  function apimClient(credential: ClientSecretCredential | AzurePipelinesCredential): ApiManagementClient {
    // Track-2 ARM clients build URLs from $host; endpoint only feeds the default scope.
    return new ApiManagementClient(credential, SUBSCRIPTION, {
      $host: emu.arm.url,
      endpoint: emu.arm.url,
      credentialScopes: [`${emu.arm.url}/.default`],
      agent,
      retryOptions: { maxRetries: 3, retryDelayInMs: 1, maxRetryDelayInMs: 5 },
    });
  }

  it('ApiManagementClient + ClientSecretCredential through the proxy with the CA: get, 429 retry, LRO create', async () => {
    const credential = new ClientSecretCredential(TENANT, CLIENT, SECRET, { authorityHost: emu.entra.authorityHost, disableInstanceDiscovery: true, agent });
    const client = apimClient(credential);
    emu.arm.seed(`/subscriptions/${SUBSCRIPTION}/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apim1`, {
      location: 'westeurope', sku: { name: 'Developer', capacity: 1 }, properties: { publisherEmail: 'a@b.c', publisherName: 'x' },
    });
    emu.arm.faults.add({ method: 'GET', path: '/service/apim1', status: 429, retryAfterSeconds: 0, times: 1 });
    const service = await client.apiManagementService.get('rg1', 'apim1');
    assert.strictEqual(service.name, 'apim1');
    assert.strictEqual(emu.arm.findRequests('GET', '/service/apim1').map((r) => r.status).join(','), '429,200');

    emu.arm.addLroRule({ method: 'PUT', path: '/service/apim2', polls: 2 });
    const created = await client.apiManagementService.beginCreateOrUpdateAndWait('rg1', 'apim2', {
      location: 'westeurope', sku: { name: 'Developer', capacity: 1 }, publisherEmail: 'a@b.c', publisherName: 'x',
    }, { updateIntervalInMs: 1 });
    assert.strictEqual(created.provisioningState, 'Succeeded');
    assert.strictEqual(emu.arm.countRequests('GET', '/operationStatuses/'), 3);

    assert.ok(emu.proxy.tunnelCount(`127.0.0.1:${emu.entra.port}`) >= 1, 'token requests went through the proxy');
    assert.ok(emu.proxy.tunnelCount(`127.0.0.1:${emu.arm.port}`) >= 1, 'ARM requests went through the proxy');
    assert.deepStrictEqual(emu.proxy.refused, [], 'nothing tried to reach the internet (no instance discovery)');
  });

  it('WebSiteManagementClient (modular client) needs credentials.scopes for a non-public cloud', async () => {
    const credential = new ClientSecretCredential(TENANT, CLIENT, SECRET, { authorityHost: emu.entra.authorityHost, disableInstanceDiscovery: true, tlsOptions: { ca } });
    emu.arm.seed(`/subscriptions/${SUBSCRIPTION}/resourceGroups/rg1/providers/Microsoft.Web/sites/web1`, { location: 'westeurope', kind: 'app', properties: {} });
    const client = new WebSiteManagementClient(credential, SUBSCRIPTION, {
      endpoint: emu.arm.url,
      credentials: { scopes: [`${emu.arm.url}/.default`] },
      tlsOptions: { ca },
      retryOptions: { maxRetries: 0 },
    });
    const site = await client.webApps.get('rg1', 'web1');
    assert.strictEqual(site.name, 'web1');
    const audiences = emu.entra.issuances.map((i) => i.resource);
    assert.ok(audiences.includes(`${emu.arm.url}/`));
  });

  it('AzurePipelinesCredential (workload identity) gets OIDC then Entra tokens; ARM accepts them', async () => {
    const connectionId = crypto.randomUUID();
    const subject = emu.oidc.registerServiceConnection({ id: connectionId, name: 'wif-conn' });
    emu.entra.registerClient({ tenantId: TENANT, clientId: WIF_CLIENT, federatedSubject: subject });
    const saved = process.env.SYSTEM_OIDCREQUESTURI;
    process.env.SYSTEM_OIDCREQUESTURI = emu.oidc.requestUri;
    try {
      const credential = new AzurePipelinesCredential(TENANT, WIF_CLIENT, connectionId, emu.oidc.systemAccessToken, {
        authorityHost: emu.entra.authorityHost, disableInstanceDiscovery: true, agent,
      });
      const token = await credential.getToken(`${emu.arm.url}/.default`);
      assert.strictEqual(emu.tokens.lookup(token.token)?.source, 'federated');
      const sub = await request(`${emu.arm.url}/subscriptions/${SUBSCRIPTION}?api-version=2022-12-01`, { ca, headers: { Authorization: `Bearer ${token.token}` } });
      assert.strictEqual(sub.status, 200);
      await credential.getToken('https://vault.emulator/.default');
      const issuances = emu.entra.issuances.filter((i) => i.clientId === WIF_CLIENT);
      assert.strictEqual(issuances.length, 2);
      assert.notStrictEqual(issuances[0].assertionHash, issuances[1].assertionHash, 'fresh OIDC assertion per access token');
      assert.ok(emu.oidc.tokenRequestCount(connectionId) >= 2);
    } finally {
      if (saved === undefined) {
        delete process.env.SYSTEM_OIDCREQUESTURI;
      } else {
        process.env.SYSTEM_OIDCREQUESTURI = saved;
      }
    }
  });

  it('an https.Agent with the CA is enough without a proxy', async () => {
    const credential = new ClientSecretCredential(TENANT, CLIENT, SECRET, {
      authorityHost: emu.entra.authorityHost, disableInstanceDiscovery: true, agent: new https.Agent({ ca }),
    });
    const token = await credential.getToken(`${emu.arm.url}/.default`);
    assert.ok(emu.tokens.lookup(token.token));
  });
});
