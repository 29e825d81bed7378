import * as assert from 'assert';
import * as https from 'https';
import axios from 'axios';
import * as tls from 'tls';
import { WebSiteManagementClient } from '@azure/arm-appservice';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { Emulators, startEmulators, WEB_API_VERSION } from '../emulators';
import { writeZip } from '../AppServiceMultiRegionDeploy/fixture';
import { request, SimpleRequest, SimpleResponse, SUBSCRIPTION, TENANT } from './helpers';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const CLIENT = '33333333-2222-4222-8222-222222222222';
const SITE = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-web/providers/Microsoft.Web/sites/web1`;
const V = `api-version=${WEB_API_VERSION}`;

describe('emulators: App Service (Microsoft.Web 2023-12-01, Kudu, app hosts)', () => {
  let emu: Emulators;
  let ca: string;
  let token: string;
  let zip: Buffer;

  before(async () => {
    emu = await startEmulators({ web: true });
    ca = emu.ca.ca.certPem;
    emu.arm.addSubscription({ subscriptionId: SUBSCRIPTION, tenantId: TENANT });
    await emu.web!.addSite({ subscriptionId: SUBSCRIPTION, resourceGroup: 'rg-web', name: 'web1', slots: ['staging'], appSettings: { A: '1' } });
    await emu.web!.addSite({ subscriptionId: SUBSCRIPTION, resourceGroup: 'rg-web', name: 'locked', scmBasicAuth: false });
    token = emu.tokens.issue({ audience: emu.arm.endpoint, tenantId: TENANT, appId: CLIENT, source: 'client-secret', lifetimeSeconds: 3600 }).token;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-web-emu-'));
    await writeZip(path.join(dir, 'p.zip'), { 'version.txt': 'v9' });
    zip = fs.readFileSync(path.join(dir, 'p.zip'));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  after(() => emu.close());

  function arm(p: string, opts: SimpleRequest = {}): Promise<SimpleResponse> {
    return request(`${emu.arm.url}${p}`, { ca, ...opts, headers: { Authorization: `Bearer ${token}`, ...(opts.headers ?? {}) } });
  }

  function sdk(apiVersion?: string): WebSiteManagementClient {
    const credential: TokenCredential = { getToken: async (): Promise<AccessToken> => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
    return new WebSiteManagementClient(credential, SUBSCRIPTION, {
      endpoint: emu.arm.url,
      credentials: { scopes: [`${emu.arm.endpoint}.default`] },
      tlsOptions: { ca: [...tls.rootCertificates, ca] },
      retryOptions: { maxRetries: 0 },
      ...(apiVersion ? { apiVersion } : {}),
    });
  }

  describe('Resource Manager', () => {
    it('answers the SDK pinned to 2023-12-01 and refuses its default api-version', async () => {
      const count = emu.web!.specLog.length;
      const site = await sdk(WEB_API_VERSION).webApps.get('rg-web', 'web1');
      assert.strictEqual(site.hostNameSslStates?.find((h) => h.hostType === 'Repository')?.name, emu.web!.slot(SUBSCRIPTION, 'rg-web', 'web1').kudu.hostName);
      await assert.rejects(sdk().webApps.get('rg-web', 'web1'), (err: Error & { statusCode?: number; code?: string }) => {
        assert.strictEqual(err.statusCode, 400);
        assert.strictEqual(err.code, 'NoRegisteredProviderFound');
        return true;
      });
      const versions = emu.web!.specLog.slice(count).map((e) => e.apiVersion);
      assert.strictEqual(versions[0], WEB_API_VERSION);
      assert.notStrictEqual(versions[1], WEB_API_VERSION, 'the SDK default differs, which is why tasks pin it');
    });

    it('slotsswap needs targetSlot and preserveVnet (CsmSlotEntity), and is a long-running operation', async () => {
      const missing = await arm(`${SITE}/slotsswap?${V}`, { method: 'POST', body: { targetSlot: 'staging' } });
      assert.strictEqual(missing.status, 400);
      assert.strictEqual(missing.json.error.code, 'BadRequest');
      assert.match(missing.json.error.message, /slotSwapEntity\.preserveVnet: the property is required/);
      const ok = await arm(`${SITE}/slotsswap?${V}`, { method: 'POST', body: { targetSlot: 'staging', preserveVnet: true } });
      assert.strictEqual(ok.status, 202);
      assert.match(String(ok.headers.location), /\/providers\/Microsoft\.Web\/locations\/westeurope\/operationResults\//);
    });

    it('refuses read-only properties and non-string settings in an app settings write', async () => {
      const readOnly = await arm(`${SITE}/slots/staging/config/appsettings?${V}`, { method: 'PUT', body: { id: 'x', properties: { A: '2' } } });
      assert.strictEqual(readOnly.status, 400);
      assert.match(readOnly.json.error.message, /appSettings\.id: the property is read-only/);
      const wrongType = await arm(`${SITE}/slots/staging/config/appsettings?${V}`, { method: 'PUT', body: { properties: { A: 2 } } });
      assert.strictEqual(wrongType.status, 400);
      assert.match(wrongType.json.error.message, /appSettings\.properties\.A: expected string, got integer/);
    });

    it('the site app settings write is long-running, the slot one is not', async () => {
      const siteWrite = await arm(`${SITE}/config/appsettings?${V}`, { method: 'PUT', body: { properties: { A: '3' } } });
      assert.strictEqual(siteWrite.status, 202);
      assert.strictEqual(emu.web!.slot(SUBSCRIPTION, 'rg-web', 'web1').appSettings.A, '1', 'applied when the operation completes');
      let poll = await request(String(siteWrite.headers.location), { ca, headers: { Authorization: `Bearer ${token}` } });
      while (poll.status === 202) poll = await request(String(siteWrite.headers.location), { ca, headers: { Authorization: `Bearer ${token}` } });
      assert.strictEqual(poll.status, 200);
      assert.strictEqual(emu.web!.slot(SUBSCRIPTION, 'rg-web', 'web1').appSettings.A, '3');
      const slotWrite = await arm(`${SITE}/slots/staging/config/appsettings?${V}`, { method: 'PUT', body: { properties: { B: 'x' } } });
      assert.strictEqual(slotWrite.status, 200);
    });

    it('has no slot variant of extensions/onedeploy, and logs what matched no operation', async () => {
      const res = await arm(`${SITE}/slots/staging/extensions/onedeploy?${V}`, { method: 'PUT', body: {} });
      assert.strictEqual(res.status, 404);
      const last = emu.web!.specLog[emu.web!.specLog.length - 1];
      assert.strictEqual(last.operationId, undefined);
      assert.ok(emu.web!.specViolations.includes(last));
    });
  });

  describe('Kudu', () => {
    const kudu = (slot = 'production', name = 'web1') => emu.web!.slot(SUBSCRIPTION, 'rg-web', name, slot).kudu;
    const basic = (slot = 'production', name = 'web1') => {
      const s = emu.web!.slot(SUBSCRIPTION, 'rg-web', name, slot);
      return `Basic ${Buffer.from(`${s.publishingUserName}:${s.publishingPassword}`).toString('base64')}`;
    };
    const post = async (url: string, auth: string, body: Buffer): Promise<SimpleResponse> => {
      const r = await axios.post(url, body, {
        httpsAgent: new https.Agent({ ca }),
        headers: { Authorization: auth, 'Content-Type': 'application/octet-stream' },
        validateStatus: () => true,
        responseType: 'text',
        transformResponse: (x: string) => x,
      });
      let json: unknown;
      try {
        json = JSON.parse(r.data);
      } catch {
        json = undefined;
      }
      return { status: r.status, headers: r.headers as SimpleResponse['headers'], text: r.data, json };
    };

    it('deploys asynchronously: 202 with Location, Pending → … → Success, then serves the version', async () => {
      const k = kudu('staging');
      k.buildMs = 1500;
      const res = await post(`https://${k.hostName}/api/publish?type=zip&async=true`, basic('staging'), zip);
      assert.strictEqual(res.status, 202);
      const first = await request(String(res.headers.location), { ca, headers: { Authorization: basic('staging') } });
      assert.strictEqual(first.status, 202);
      assert.ok([0, 1, 2].includes(first.json.status));
      await new Promise((r) => setTimeout(r, 1600));
      const done = await request(String(res.headers.location), { ca, headers: { Authorization: basic('staging') } });
      assert.strictEqual(done.status, 200);
      assert.strictEqual(done.json.status, 4);
      assert.match(done.json.log_url, /\/api\/deployments\/[0-9a-f]{32}\/log$/);
      const app = emu.web!.slot(SUBSCRIPTION, 'rg-web', 'web1', 'staging').app;
      const page = await request(`https://${app.hostName}/`, { ca });
      assert.strictEqual(page.json.version, 'v9');
      k.buildMs = 40;
    });

    it('409 while another deployment runs; 400 for a body that is not a zip or a missing type', async () => {
      kudu().occupy(1);
      const busy = await post(`https://${kudu().hostName}/api/zipdeploy?isAsync=true`, basic(), zip);
      assert.strictEqual(busy.status, 409);
      assert.match(busy.text, /deployment currently in progress/);
      const notZip = await post(`https://${kudu().hostName}/api/zipdeploy?isAsync=true`, basic(), Buffer.from('hello'));
      assert.strictEqual(notZip.status, 400);
      const noType = await post(`https://${kudu().hostName}/api/publish?async=true`, basic(), zip);
      assert.strictEqual(noType.status, 400);
    });

    it('refuses basic credentials when the SCM policy disallows them and accepts an ARM token', async () => {
      const k = kudu('production', 'locked');
      const refused = await post(`https://${k.hostName}/api/zipdeploy?isAsync=true`, basic('production', 'locked'), zip);
      assert.strictEqual(refused.status, 401);
      const ok = await post(`https://${k.hostName}/api/zipdeploy?isAsync=true`, `Bearer ${token}`, zip);
      assert.strictEqual(ok.status, 202);
      const foreign = emu.tokens.issue({ audience: 'https://graph.microsoft.com', tenantId: TENANT, appId: CLIENT, source: 'client-secret', lifetimeSeconds: 60 }).token;
      assert.strictEqual((await request(`https://${k.hostName}/api/deployments/latest`, { ca, headers: { Authorization: `Bearer ${foreign}` } })).status, 401);
    });
  });
});
