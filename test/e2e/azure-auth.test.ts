/**
 * The shared auth/HTTP library end to end: a bundled task (test/fixtures/azure-probe) runs as an
 * agent runs it, signs in through the real @azure/identity with each AzureRM scheme and makes a
 * real @azure/arm-apimanagement call. Emulator URLs reach it only through the service connection's
 * data, the agent's CA file and proxy variables.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleEntry } from '../../scripts/build';
import { runTask, type RunTaskOptions, type RunTaskResult } from '../../scripts/task-runner';
import { createServicePrincipalCertificate, startEmulators, type Emulators } from '../emulators';

const REPO = path.resolve(__dirname, '..', '..', '..');
const TENANT = '72f988bf-0000-4000-8000-000000000001';
const SUB = '11111111-2222-4333-8444-555555555555';
const CONN = '5b1d1f7e-8f3c-4d1a-9a55-0d6a2f4c9e01';
const SECRET = 'spn-secret-3f9c2a7b51';
const SERVICE_ID = `/subscriptions/${SUB}/resourceGroups/rg-apim/providers/Microsoft.ApiManagement/service/apim-contoso`;

describe('e2e: AzureRM connections through the shared library (bundled task, emulators)', function () {
  this.timeout(120_000);
  let emu: Emulators;
  let taskDir: string;

  before(async () => {
    taskDir = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-probe-'));
    const fixture = path.join(REPO, 'test', 'fixtures', 'azure-probe');
    fs.copyFileSync(path.join(fixture, 'task.json'), path.join(taskDir, 'task.json'));
    const report = await bundleEntry(path.join(fixture, 'index.ts'), path.join(taskDir, 'index.js'), { minify: false });
    assert.deepEqual(report.problems, []);
    emu = await startEmulators();
    emu.arm.addSubscription({ subscriptionId: SUB, tenantId: TENANT });
    emu.arm.addResourceGroup(SUB, 'rg-apim');
    emu.arm.seed(SERVICE_ID, { location: 'westeurope', properties: { gatewayUrl: 'https://apim-contoso.azure-api.net' } });
  });

  after(async () => {
    await emu?.close();
    fs.rmSync(taskDir, { recursive: true, force: true });
  });

  function endpointData(extra: Record<string, string> = {}) {
    return {
      environment: 'AzureCloud',
      subscriptionId: SUB,
      subscriptionName: 'Contoso',
      activeDirectoryAuthority: `${emu.entra.url}/`,
      ...extra,
    };
  }

  function run(auth: { scheme: string; parameters: Record<string, string> }, more: Partial<RunTaskOptions> = {}, data = endpointData()) {
    return runTask({
      taskDir,
      inputs: { azureSubscription: CONN, resourceGroup: 'rg-apim', serviceName: 'apim-contoso' },
      endpoints: [{ id: CONN, url: `${emu.arm.url}/`, scheme: auth.scheme, parameters: auth.parameters, data }],
      certificates: { caInfo: emu.caFile },
      ...more,
    });
  }

  function assertServiceRead(r: RunTaskResult) {
    assert.equal(r.effectiveResult, 'Succeeded', `${r.resultMessage}\n${r.stdout}\n${r.stderr}`);
    const out = r.variables.find((v) => v.name === 'serviceId');
    assert.equal(out?.value.toLowerCase(), SERVICE_ID.toLowerCase());
  }

  /** The secret may appear only inside the setsecret command that asks the agent to mask it. */
  function assertNotLeaked(r: RunTaskResult, secret: string) {
    const lines = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => !l.startsWith('##vso[task.setsecret]'));
    assert.ok(!lines.some((l) => l.includes(secret)), 'secret printed outside task.setsecret');
    assert.ok(r.secrets.includes(secret), 'secret was registered with the agent');
  }

  const spnKey = { scheme: 'ServicePrincipal', parameters: { tenantid: TENANT, serviceprincipalid: 'a1a1a1a1-0000-4000-8000-000000000001', serviceprincipalkey: SECRET, authenticationType: 'spnKey' } };

  it('service principal with a secret', async () => {
    emu.entra.registerClient({ tenantId: TENANT, clientId: spnKey.parameters.serviceprincipalid, secret: SECRET });
    const before = emu.arm.countRequests('GET', /apim-contoso$/);
    const r = await run(spnKey);
    assertServiceRead(r);
    assert.equal(emu.arm.countRequests('GET', /apim-contoso$/) - before, 1);
    assertNotLeaked(r, SECRET);
  });

  it('service principal with a certificate (PEM from the connection)', async () => {
    const cert = createServicePrincipalCertificate('srk-e2e');
    const clientId = 'a1a1a1a1-0000-4000-8000-000000000002';
    emu.entra.registerClient({ tenantId: TENANT, clientId, certificatePem: cert.certPem });
    const pem = `${cert.certPem}\n${cert.keyPem}`;
    const r = await run({
      scheme: 'ServicePrincipal',
      parameters: { tenantid: TENANT, serviceprincipalid: clientId, authenticationType: 'spnCertificate', servicePrincipalCertificate: pem },
    });
    assertServiceRead(r);
    const keyLine = cert.keyPem.split('\n')[1];
    assertNotLeaked(r, keyLine);
  });

  it('managed identity, user-assigned (the agent machine’s identity endpoint)', async () => {
    const clientId = 'a1a1a1a1-0000-4000-8000-000000000004';
    emu.msi.addUserAssigned({ clientId, tenantId: TENANT });
    const r = await run(
      { scheme: 'ManagedServiceIdentity', parameters: { tenantid: TENANT } },
      { env: emu.msi.appServiceEnv },
      endpointData({ msiclientId: clientId }),
    );
    assertServiceRead(r);
  });

  it('workload identity federation: a fresh OIDC assertion from the job, exchanged at Entra', async () => {
    const clientId = 'a1a1a1a1-0000-4000-8000-000000000003';
    const subject = emu.oidc.registerServiceConnection({ id: CONN, name: 'contoso-wif' });
    emu.entra.registerClient({ tenantId: TENANT, clientId, federatedSubject: subject });
    const oidcBefore = emu.oidc.tokenRequestCount(CONN);
    const r = await run(
      { scheme: 'WorkloadIdentityFederation', parameters: { tenantid: TENANT, serviceprincipalid: clientId } },
      {
        systemConnection: { collectionUri: emu.oidc.collectionUri, accessToken: emu.oidc.systemAccessToken },
        variables: { 'System.OidcRequestUri': emu.oidc.requestUri },
      },
    );
    assertServiceRead(r);
    assert.ok(emu.oidc.tokenRequestCount(CONN) > oidcBefore, 'the OIDC endpoint was asked for an assertion');
    assertNotLeaked(r, emu.oidc.systemAccessToken);
  });

  it('a sovereign-cloud connection takes authority and Resource Manager from its own data', async () => {
    const r = await run(spnKey, {}, endpointData({ environment: 'AzureUSGovernment' }));
    assertServiceRead(r);
  });

  it('goes through the agent proxy (Agent.ProxyUrl) for Entra and ARM', async () => {
    const before = emu.proxy.tunnelCount(`127.0.0.1:${emu.arm.port}`);
    const r = await run(spnKey, { proxy: { url: emu.proxy.url } });
    assertServiceRead(r);
    assert.ok(emu.proxy.tunnelCount(`127.0.0.1:${emu.arm.port}`) > before, 'ARM traffic tunnelled through the proxy');
    assert.ok(emu.proxy.tunnelCount(`127.0.0.1:${emu.entra.port}`) > 0, 'Entra traffic tunnelled through the proxy');
  });

  it('bypasses the proxy for hosts on the agent bypass list', async () => {
    const before = emu.proxy.tunnelCount();
    const r = await run(spnKey, { proxy: { url: emu.proxy.url, bypass: ['127\\.0\\.0\\.1'] } });
    assertServiceRead(r);
    assert.equal(emu.proxy.tunnelCount(), before);
  });

  it('workload identity federation behind the proxy: the bypass list decides for the OIDC request and the Entra request separately', async () => {
    const clientId = 'a1a1a1a1-0000-4000-8000-000000000005';
    const subject = emu.oidc.registerServiceConnection({ id: CONN, name: 'contoso-wif' });
    emu.entra.registerClient({ tenantId: TENANT, clientId, federatedSubject: subject });
    const oidcTarget = `127.0.0.1:${emu.oidc.port}`;
    const entraTarget = `127.0.0.1:${emu.entra.port}`;
    const oidcTunnels = emu.proxy.tunnelCount(oidcTarget);
    const entraTunnels = emu.proxy.tunnelCount(entraTarget);
    const oidcBefore = emu.oidc.tokenRequestCount(CONN);
    const r = await run(
      { scheme: 'WorkloadIdentityFederation', parameters: { tenantid: TENANT, serviceprincipalid: clientId } },
      {
        systemConnection: { collectionUri: emu.oidc.collectionUri, accessToken: emu.oidc.systemAccessToken },
        variables: { 'System.OidcRequestUri': emu.oidc.requestUri },
        proxy: { url: emu.proxy.url, bypass: [`127\\.0\\.0\\.1:${emu.oidc.port}`] },
      },
    );
    assertServiceRead(r);
    assert.ok(emu.oidc.tokenRequestCount(CONN) > oidcBefore, 'the OIDC endpoint was asked for an assertion');
    assert.equal(emu.proxy.tunnelCount(oidcTarget), oidcTunnels, 'the OIDC endpoint (on the bypass list) was reached directly');
    assert.ok(emu.proxy.tunnelCount(entraTarget) > entraTunnels, 'Entra (not on the list) through the proxy');
  });

  it('rejects the emulator certificate when the agent has not been given its CA', async () => {
    const r = await run(spnKey, { certificates: {} });
    assert.equal(r.effectiveResult, 'Failed');
    assert.match(r.resultMessage ?? '', /certificate/i);
    assertNotLeaked(r, SECRET);
  });

  it('retries ARM throttling (429) and outages (503), waiting as Retry-After says', async () => {
    emu.arm.faults.add({ method: 'GET', path: /apim-contoso$/, status: 429, retryAfterSeconds: 1, times: 1 });
    emu.arm.faults.add({ method: 'GET', path: /apim-contoso$/, status: 503, times: 1 });
    const start = emu.arm.requests.length;
    const r = await run(spnKey);
    assertServiceRead(r);
    const gets = emu.arm.requests.slice(start).filter((q) => q.method === 'GET' && /apim-contoso$/.test(q.path));
    assert.deepEqual(gets.map((g) => g.status), [429, 503, 200]);
    assert.ok(gets[1].time - gets[0].time >= 950, `waited ${gets[1].time - gets[0].time} ms after Retry-After: 1`);
  });

  it('fails with Entra’s explanation, not the secret, when the secret is wrong', async () => {
    const wrong = 'wrong-secret-8c1e5d';
    const r = await run({ ...spnKey, parameters: { ...spnKey.parameters, serviceprincipalkey: wrong } });
    assert.equal(r.effectiveResult, 'Failed');
    assert.match(r.resultMessage ?? '', /AADSTS7000215/);
    assertNotLeaked(r, wrong);
  });
});
