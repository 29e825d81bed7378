import * as assert from 'assert';
import { Emulators, startEmulators } from '../emulators';
import { request, SimpleRequest, SimpleResponse, SUBSCRIPTION, TENANT } from './helpers';

const CLIENT = '22222222-2222-4222-8222-222222222222';
const API = 'api-version=2022-08-01';
const RG_PATH = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg1`;
const APIM = `${RG_PATH}/providers/Microsoft.ApiManagement/service`;

describe('emulators: Azure Resource Manager', () => {
  let emu: Emulators;
  let ca: string;
  let token: string;

  before(async () => {
    emu = await startEmulators({ pageSize: 2 });
    ca = emu.ca.ca.certPem;
    emu.arm.addSubscription({ subscriptionId: SUBSCRIPTION, tenantId: TENANT, displayName: 'Test sub' });
    emu.arm.addResourceGroup(SUBSCRIPTION, 'rg1');
    token = emu.tokens.issue({ audience: emu.arm.endpoint, tenantId: TENANT, appId: CLIENT, source: 'client-secret', lifetimeSeconds: 3600 }).token;
  });

  after(() => emu.close());

  beforeEach(() => emu.arm.faults.clear());

  function arm(path: string, opts: SimpleRequest = {}): Promise<SimpleResponse> {
    const url = path.startsWith('https://') ? path : `${emu.arm.url}${path}`;
    return request(url, { ca, ...opts, headers: { Authorization: `Bearer ${token}`, ...(opts.headers ?? {}) } });
  }

  describe('authentication', () => {
    it('401 with WWW-Authenticate and ARM error JSON without a token', async () => {
      const res = await request(`${emu.arm.url}/subscriptions/${SUBSCRIPTION}?${API}`, { ca });
      assert.strictEqual(res.status, 401);
      assert.match(String(res.headers['www-authenticate']), /^Bearer authorization_uri="https:\/\/127\.0\.0\.1:\d+\/common"/);
      assert.strictEqual(res.json.error.code, 'AuthenticationFailed');
    });

    it('401 for a JWT the identity emulators never issued', async () => {
      const forged = token.split('.').slice(0, 2).join('.') + '.AAAA';
      const res = await arm(`/subscriptions/${SUBSCRIPTION}?${API}`, { headers: { Authorization: `Bearer ${forged}` } });
      assert.strictEqual(res.json.error.code, 'InvalidAuthenticationToken');
    });

    it('401 for the wrong audience, an expired token, or another tenant', async () => {
      const other = emu.tokens.issue({ audience: 'https://management.azure.com/', tenantId: TENANT, appId: CLIENT, source: 'client-secret', lifetimeSeconds: 60 }).token;
      assert.strictEqual((await arm(`/subscriptions/${SUBSCRIPTION}?${API}`, { headers: { Authorization: `Bearer ${other}` } })).json.error.code, 'InvalidAuthenticationTokenAudience');
      const expired = emu.tokens.issue({ audience: emu.arm.endpoint, tenantId: TENANT, appId: CLIENT, source: 'client-secret', lifetimeSeconds: 60 }).token;
      emu.tokens.expire(expired);
      assert.strictEqual((await arm(`/subscriptions/${SUBSCRIPTION}?${API}`, { headers: { Authorization: `Bearer ${expired}` } })).json.error.code, 'ExpiredAuthenticationToken');
      const foreign = emu.tokens.issue({ audience: emu.arm.endpoint, tenantId: 'another-tenant', appId: CLIENT, source: 'client-secret', lifetimeSeconds: 60 }).token;
      assert.strictEqual((await arm(`/subscriptions/${SUBSCRIPTION}?${API}`, { headers: { Authorization: `Bearer ${foreign}` } })).json.error.code, 'InvalidAuthenticationTokenTenant');
    });

    it('accepts the audience with or without a trailing slash', async () => {
      const noSlash = emu.tokens.issue({ audience: emu.arm.url, tenantId: TENANT, appId: CLIENT, source: 'client-secret', lifetimeSeconds: 60 }).token;
      assert.strictEqual((await arm(`/subscriptions/${SUBSCRIPTION}?${API}`, { headers: { Authorization: `Bearer ${noSlash}` } })).status, 200);
      assert.strictEqual((await arm(`/subscriptions/${SUBSCRIPTION}?${API}`)).status, 200);
    });

    it('keeps the bearer token out of the request log', async () => {
      await arm(`/subscriptions/${SUBSCRIPTION}?${API}`);
      const last = emu.arm.requests[emu.arm.requests.length - 1];
      assert.strictEqual(last.headers.authorization, undefined);
      assert.ok(!JSON.stringify(emu.arm.requests).includes(token));
      assert.strictEqual(last.status, 200);
    });
  });

  describe('subscriptions and resource groups', () => {
    it('requires api-version', async () => {
      const res = await arm(`/subscriptions/${SUBSCRIPTION}`);
      assert.strictEqual(res.status, 400);
      assert.strictEqual(res.json.error.code, 'MissingApiVersionParameter');
    });

    it('gets a subscription and 404s an unknown one', async () => {
      const res = await arm(`/subscriptions/${SUBSCRIPTION}?${API}`);
      assert.strictEqual(res.json.tenantId, TENANT);
      assert.strictEqual(res.json.state, 'Enabled');
      assert.strictEqual((await arm(`/subscriptions/00000000-0000-0000-0000-000000000000?${API}`)).json.error.code, 'SubscriptionNotFound');
    });

    it('creates (201), updates (200), gets and lists resource groups case-insensitively', async () => {
      const put = await arm(`/subscriptions/${SUBSCRIPTION}/resourcegroups/rg-new?${API}`, { method: 'PUT', body: { location: 'northeurope' } });
      assert.strictEqual(put.status, 201);
      assert.strictEqual((await arm(`/subscriptions/${SUBSCRIPTION}/resourceGroups/RG-NEW?${API}`, { method: 'PUT', body: { location: 'northeurope', tags: { a: 'b' } } })).status, 200);
      const get = await arm(`/SUBSCRIPTIONS/${SUBSCRIPTION}/RESOURCEGROUPS/rg-new?${API}`);
      assert.deepStrictEqual([get.json.name, get.json.location, get.json.tags], ['rg-new', 'northeurope', { a: 'b' }]);
      assert.strictEqual((await arm(`/subscriptions/${SUBSCRIPTION}/resourceGroups/missing?${API}`)).json.error.code, 'ResourceGroupNotFound');
      const list = await arm(`/subscriptions/${SUBSCRIPTION}/resourcegroups?${API}`);
      assert.deepStrictEqual(list.json.value.map((g: { name: string }) => g.name), ['rg1', 'rg-new']);
    });
  });

  describe('generic resource store', () => {
    it('PUT creates with 201 and ETag, GET returns it, PUT again 200 with a new ETag', async () => {
      const put = await arm(`${APIM}/apim1?${API}`, { method: 'PUT', body: { location: 'westeurope', sku: { name: 'Developer', capacity: 1 }, properties: { publisherEmail: 'a@b.c' } } });
      assert.strictEqual(put.status, 201, put.text);
      assert.strictEqual(put.json.type, 'Microsoft.ApiManagement/service');
      assert.strictEqual(put.json.properties.provisioningState, 'Succeeded');
      assert.ok(put.headers.etag);
      const get = await arm(`${APIM.toLowerCase()}/APIM1?${API}`);
      assert.strictEqual(get.json.id, `${APIM}/apim1`);
      assert.strictEqual(get.headers.etag, put.headers.etag);
      const again = await arm(`${APIM}/apim1?${API}`, { method: 'PUT', body: { location: 'westeurope' } });
      assert.strictEqual(again.status, 200);
      assert.notStrictEqual(again.headers.etag, put.headers.etag);
    });

    it('If-Match with a stale ETag gives 412; the current one succeeds', async () => {
      const current = await arm(`${APIM}/apim1?${API}`);
      const stale = await arm(`${APIM}/apim1?${API}`, { method: 'PATCH', headers: { 'If-Match': '"stale"' }, body: { tags: { x: '1' } } });
      assert.strictEqual(stale.status, 412);
      assert.strictEqual(stale.json.error.code, 'PreconditionFailed');
      const ok = await arm(`${APIM}/apim1?${API}`, { method: 'PATCH', headers: { 'If-Match': String(current.headers.etag) }, body: { tags: { x: '1' } } });
      assert.strictEqual(ok.status, 200);
      assert.deepStrictEqual(ok.json.tags, { x: '1' });
      const noneMatch = await arm(`${APIM}/apim1?${API}`, { method: 'PUT', headers: { 'If-None-Match': '*' }, body: {} });
      assert.strictEqual(noneMatch.status, 412);
    });

    it('child resources need their parent; DELETE removes children too', async () => {
      const orphan = await arm(`${APIM}/nope/apis/echo?${API}`, { method: 'PUT', body: { properties: {} } });
      assert.strictEqual(orphan.json.error.code, 'ParentResourceNotFound');
      assert.strictEqual((await arm(`${APIM}/apim1/apis/echo?${API}`, { method: 'PUT', body: { properties: { path: 'echo' } } })).status, 201);
      assert.strictEqual((await arm(`${APIM}/apim1/apis?${API}`)).json.value.length, 1);
      assert.strictEqual((await arm(`${APIM}/apim1?${API}`, { method: 'DELETE' })).status, 200);
      assert.strictEqual((await arm(`${APIM}/apim1/apis/echo?${API}`)).status, 404);
      assert.strictEqual((await arm(`${APIM}/apim1?${API}`, { method: 'DELETE' })).status, 204);
    });

    it('lists with nextLink pagination (page size option)', async () => {
      for (const name of ['s1', 's2', 's3', 's4', 's5']) {
        emu.arm.seed(`${RG_PATH}/providers/Microsoft.Web/sites/${name}`, { location: 'westeurope' });
      }
      const names: string[] = [];
      let url: string | undefined = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg1/providers/Microsoft.Web/sites?${API}`;
      let pages = 0;
      while (url) {
        const page: SimpleResponse = await arm(url);
        assert.strictEqual(page.status, 200, page.text);
        names.push(...page.json.value.map((s: { name: string }) => s.name));
        url = page.json.nextLink;
        pages++;
      }
      assert.deepStrictEqual(names, ['s1', 's2', 's3', 's4', 's5']);
      assert.strictEqual(pages, 3);
      const subLevel = await arm(`/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Web/sites?${API}`);
      assert.strictEqual(subLevel.json.value.length, 2);
      assert.ok(subLevel.json.nextLink.includes('api-version=2022-08-01'));
    });
  });

  describe('long-running operations', () => {
    it('PUT answers 201 + Azure-AsyncOperation; status is InProgress N times then Succeeded', async () => {
      emu.arm.addLroRule({ method: 'PUT', path: '/service/lro1', polls: 2 });
      const put = await arm(`${APIM}/lro1?${API}`, { method: 'PUT', body: { location: 'westeurope' } });
      assert.strictEqual(put.status, 201);
      assert.strictEqual(put.json.properties.provisioningState, 'Creating');
      assert.strictEqual(put.headers['retry-after'], '0');
      const statusUrl = String(put.headers['azure-asyncoperation']);
      const states: string[] = [];
      for (let i = 0; i < 3; i++) {
        states.push((await arm(statusUrl)).json.status);
      }
      assert.deepStrictEqual(states, ['InProgress', 'InProgress', 'Succeeded']);
      assert.strictEqual((await arm(`${APIM}/lro1?${API}`)).json.properties.provisioningState, 'Succeeded');
    });

    it('Location polling answers 202 until done, then the resource; a Failed outcome reports the error', async () => {
      emu.arm.addLroRule({ method: 'PUT', path: '/service/lro2', polls: 1, style: 'location' });
      const put = await arm(`${APIM}/lro2?${API}`, { method: 'PUT', body: { location: 'westeurope' } });
      assert.strictEqual(put.headers['azure-asyncoperation'], undefined);
      const location = String(put.headers.location);
      assert.strictEqual((await arm(location)).status, 202);
      const done = await arm(location);
      assert.strictEqual(done.status, 200);
      assert.strictEqual(done.json.name, 'lro2');

      emu.arm.addLroRule({ method: 'DELETE', path: '/service/lro2', polls: 0, outcome: 'Failed', error: { code: 'Conflict', message: 'busy' } });
      const del = await arm(`${APIM}/lro2?${API}`, { method: 'DELETE' });
      assert.strictEqual(del.status, 202);
      const status = await arm(String(del.headers['azure-asyncoperation']));
      assert.deepStrictEqual([status.json.status, status.json.error.code], ['Failed', 'Conflict']);
      assert.strictEqual((await arm(`${APIM}/lro2?${API}`)).status, 200, 'failed delete keeps the resource');
    });
  });

  describe('provider routes', () => {
    it('custom routes match segments case-insensitively, win over the store, and can fall through', async () => {
      emu.arm.route('POST', '/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.ApiManagement/service/:name/backup', (ctx) => {
        if (ctx.params.name === 'fallthrough') {
          return undefined;
        }
        const op = ctx.arm.beginOperation({ subscriptionId: ctx.params.sub, namespace: 'Microsoft.ApiManagement', polls: 1, result: () => ({ backedUp: ctx.params.name }) });
        return { status: 202, headers: op.headers('location') };
      });
      const res = await arm(`/SUBSCRIPTIONS/${SUBSCRIPTION}/resourcegroups/rg1/providers/microsoft.apimanagement/SERVICE/Contoso/backup?${API}`, { method: 'POST', body: {} });
      assert.strictEqual(res.status, 202);
      const location = String(res.headers.location);
      await arm(location);
      assert.deepStrictEqual((await arm(location)).json, { backedUp: 'Contoso' });
      const fell = await arm(`${APIM}/fallthrough/backup?${API}`, { method: 'POST', body: {} });
      assert.strictEqual(fell.status, 405, 'generic store refuses POST on a resource');
    });
  });

  describe('fault injection', () => {
    it('429 with Retry-After, then normal answers once the fault is used up', async () => {
      const fault = emu.arm.faults.add({ method: 'GET', path: /\/subscriptions\/[^/]+$/, status: 429, retryAfterSeconds: 7, times: 2 });
      const first = await arm(`/subscriptions/${SUBSCRIPTION}?${API}`);
      assert.deepStrictEqual([first.status, first.headers['retry-after'], first.json.error.code], [429, '7', 'TooManyRequests']);
      assert.strictEqual((await arm(`/subscriptions/${SUBSCRIPTION}?${API}`)).status, 429);
      assert.strictEqual((await arm(`/subscriptions/${SUBSCRIPTION}?${API}`)).status, 200);
      assert.strictEqual(fault.hits, 2);
      assert.strictEqual(emu.arm.requests.filter((r) => r.faultId === fault.id).length, 2);
    });

    it('500 and 503 only for the matching method', async () => {
      emu.arm.faults.add({ method: 'PUT', path: 'resourcegroups/rg-f', status: 500, times: 1 });
      emu.arm.faults.add({ method: 'PUT', path: 'resourcegroups/rg-f', status: 503, times: 1 });
      assert.strictEqual((await arm(`/subscriptions/${SUBSCRIPTION}/resourcegroups/rg-f?${API}`)).status, 404);
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        statuses.push((await arm(`/subscriptions/${SUBSCRIPTION}/resourcegroups/rg-f?${API}`, { method: 'PUT', body: { location: 'x' } })).status);
      }
      assert.deepStrictEqual(statuses, [500, 503, 201]);
    });

    it('connection reset destroys the socket without an answer', async () => {
      emu.arm.faults.add({ path: '/resourcegroups/rg1', resetConnection: true, times: 1 });
      await assert.rejects(arm(`/subscriptions/${SUBSCRIPTION}/resourcegroups/rg1?${API}`), /ECONNRESET|socket hang up/);
      assert.strictEqual((await arm(`/subscriptions/${SUBSCRIPTION}/resourcegroups/rg1?${API}`)).status, 200);
      assert.strictEqual(emu.arm.countRequests('GET', '/resourcegroups/rg1'), emu.arm.findRequests('GET', '/resourcegroups/rg1').length);
      assert.ok(emu.arm.findRequests('GET', '/resourcegroups/rg1').some((r) => r.status === 0));
    });

    it('slow response: delayMs holds the answer, then handles it normally', async () => {
      const fault = emu.arm.faults.add({ path: `/subscriptions/${SUBSCRIPTION}`, delayMs: 50, times: 1 });
      const res = await arm(`/subscriptions/${SUBSCRIPTION}?${API}`);
      assert.strictEqual(res.status, 200);
      assert.strictEqual(fault.hits, 1);
      assert.strictEqual(emu.arm.faults.pending.length, 0);
    });
  });
});
