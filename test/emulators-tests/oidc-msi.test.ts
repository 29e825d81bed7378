import * as assert from 'assert';
import { execFile } from 'child_process';
import * as crypto from 'crypto';
import * as path from 'path';
import { decodeJwt, Emulators, startEmulators } from '../emulators';
import { request } from './helpers';

/**
 * msal-node caches the managed identity source and tokens per process, so the real credential runs
 * in a child process with only the variables under test (as a task would).
 */
function managedIdentityInChild(env: Record<string, string>, scope: string, clientId?: string): Promise<{ token?: string; error?: string }> {
  const identity = require.resolve('@azure/identity');
  const script = `
    const { ManagedIdentityCredential } = require(${JSON.stringify(identity)});
    const cred = process.env.MI_CLIENT_ID ? new ManagedIdentityCredential(process.env.MI_CLIENT_ID) : new ManagedIdentityCredential();
    cred.getToken(process.env.MI_SCOPE).then(
      (t) => process.stdout.write(JSON.stringify({ token: t.token })),
      (e) => process.stdout.write(JSON.stringify({ error: e.message })));`;
  const childEnv: Record<string, string> = { PATH: process.env.PATH ?? '', MI_SCOPE: scope, ...env };
  if (clientId) {
    childEnv.MI_CLIENT_ID = clientId;
  }
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script], { env: childEnv, cwd: path.resolve(__dirname), timeout: 30000 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`${err.message}\n${stderr}`));
        return;
      }
      resolve(JSON.parse(stdout) as { token?: string; error?: string });
    });
  });
}

describe('emulators: Azure DevOps OIDC', () => {
  let emu: Emulators;
  let ca: string;
  const conn = crypto.randomUUID();

  before(async () => {
    emu = await startEmulators({ organization: 'contoso', project: 'web' });
    ca = emu.ca.ca.certPem;
    emu.oidc.registerServiceConnection({ id: conn, name: 'prod-arm' });
  });

  after(() => emu.close());

  const call = (token: string, id: string): ReturnType<typeof request> =>
    request(`${emu.oidc.requestUri}?api-version=7.1&serviceConnectionId=${id}`, { method: 'POST', ca, headers: { Authorization: `Bearer ${token}` }, body: {} });

  it('issues a short-lived JWT for the job token, subject sc://org/project/connection', async () => {
    const res = await call(emu.oidc.systemAccessToken, conn);
    assert.strictEqual(res.status, 200, res.text);
    const jwt = decodeJwt(res.json.oidcToken);
    assert.ok(jwt);
    assert.strictEqual(jwt.payload.sub, 'sc://contoso/web/prod-arm');
    assert.strictEqual(jwt.payload.aud, 'api://AzureADTokenExchange');
    assert.strictEqual(jwt.payload.iss, `https://vstoken.dev.azure.com/${emu.oidc.organizationId}`);
    assert.strictEqual((jwt.payload.exp as number) - (jwt.payload.iat as number), 600);
    assert.ok(crypto.verify('sha256', Buffer.from(jwt.signingInput), emu.oidc.publicKeyPem, jwt.signature));
  });

  it('rejects a wrong bearer with 401 and an unknown connection with 404, counting requests', async () => {
    const before = emu.oidc.tokenRequestCount(conn);
    assert.strictEqual((await call('not-the-job-token', conn)).status, 401);
    assert.strictEqual((await call(emu.oidc.systemAccessToken, crypto.randomUUID())).status, 404);
    assert.strictEqual(emu.oidc.tokenRequestCount(conn), before + 1);
    assert.strictEqual(emu.oidc.issued.length, 1);
  });
});

describe('emulators: managed identity', () => {
  let emu: Emulators;
  let ca: string;
  const userAssigned = crypto.randomUUID();

  before(async () => {
    emu = await startEmulators();
    ca = emu.ca.ca.certPem;
    emu.msi.addUserAssigned({ clientId: userAssigned, tenantId: emu.msi.systemAssigned.tenantId });
  });

  after(() => emu.close());

  async function armAccepts(token: string): Promise<number> {
    return (await request(`${emu.arm.url}/subscriptions?api-version=2022-12-01`, { ca, headers: { Authorization: `Bearer ${token}` } })).status;
  }

  it('App Service endpoint checks X-IDENTITY-HEADER and api-version 2019-08-01', async () => {
    const url = `${emu.msi.appServiceEnv.IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=${encodeURIComponent(emu.arm.endpoint)}`;
    assert.strictEqual((await request(url)).status, 401);
    assert.strictEqual((await request(url.replace('2019-08-01', '2017-09-01'), { headers: { 'X-IDENTITY-HEADER': emu.msi.identityHeader } })).status, 400);
    const ok = await request(url, { headers: { 'X-IDENTITY-HEADER': emu.msi.identityHeader } });
    assert.strictEqual(ok.status, 200, ok.text);
    assert.match(ok.json.expires_on, /^\d+$/);
    assert.strictEqual(await armAccepts(ok.json.access_token), 200);
  });

  it('IMDS endpoint requires Metadata: true and knows user-assigned identities', async () => {
    const url = `${emu.msi.url}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${encodeURIComponent(emu.arm.endpoint)}`;
    assert.strictEqual((await request(url)).status, 400);
    assert.strictEqual((await request(`${url}&client_id=${crypto.randomUUID()}`, { headers: { Metadata: 'true' } })).json.error_description, 'Identity not found');
    const ok = await request(`${url}&client_id=${userAssigned}`, { headers: { Metadata: 'true' } });
    assert.strictEqual(ok.status, 200, ok.text);
    assert.strictEqual(ok.json.client_id, userAssigned);
    assert.strictEqual(decodeJwt(ok.json.access_token)?.payload.appid, userAssigned);
    assert.strictEqual(await armAccepts(ok.json.access_token), 200);
  });

  it('system-assigned identity lives in msiTenantId; ARM checks the subscription tenant', async () => {
    const tenant = crypto.randomUUID();
    const other = await startEmulators({ msiTenantId: tenant });
    try {
      other.arm.addSubscription({ subscriptionId: 'sub-a', tenantId: tenant });
      other.arm.addSubscription({ subscriptionId: 'sub-b', tenantId: crypto.randomUUID() });
      const url = `${other.msi.url}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${encodeURIComponent(other.arm.endpoint)}`;
      const res = await request(url, { headers: { Metadata: 'true' } });
      assert.strictEqual(decodeJwt(res.json.access_token)?.payload.tid, tenant);
      const get = (sub: string): ReturnType<typeof request> =>
        request(`${other.arm.url}/subscriptions/${sub}?api-version=2022-12-01`, { ca, headers: { Authorization: `Bearer ${res.json.access_token}` } });
      assert.strictEqual((await get('sub-a')).status, 200);
      assert.strictEqual((await get('sub-b')).json.error.code, 'InvalidAuthenticationTokenTenant');
    } finally {
      await other.close();
    }
  });

  it('real ManagedIdentityCredential reaches the IMDS emulator through AZURE_POD_IDENTITY_AUTHORITY_HOST', async () => {
    const result = await managedIdentityInChild(emu.msi.imdsEnv, `${emu.arm.endpoint}.default`, userAssigned);
    assert.ok(result.token, result.error);
    assert.strictEqual(emu.tokens.lookup(result.token)?.appId, userAssigned);
    assert.strictEqual(await armAccepts(result.token), 200);
  });

  it('real ManagedIdentityCredential reaches the App Service emulator through IDENTITY_ENDPOINT + IDENTITY_HEADER', async () => {
    const before = emu.msi.countRequests('GET', '/msi/token');
    const result = await managedIdentityInChild(emu.msi.appServiceEnv, `${emu.arm.endpoint}.default`);
    assert.ok(result.token, result.error);
    assert.strictEqual(emu.tokens.lookup(result.token)?.appId, emu.msi.systemAssigned.clientId);
    assert.strictEqual(emu.msi.countRequests('GET', '/msi/token'), before + 1);
  });
});
