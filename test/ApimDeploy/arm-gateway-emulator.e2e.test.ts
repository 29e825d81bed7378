/**
 * The ARM gateway's named value and backend methods through the real @azure/arm-apimanagement
 * client against the APIM emulator: the long-running named value PUT, hidden secrets and
 * listValue, Key Vault references, backend PUT/PATCH with ETags, and explained failures.
 */
import * as assert from 'node:assert/strict';
import * as tls from 'node:tls';
import { ApiManagementClient } from '@azure/arm-apimanagement';
import { ClientSecretCredential } from '@azure/identity';
import { createArmGateway } from '../../tasks/ApimDeploy/core/arm-gateway';
import type { ApimGateway } from '../../tasks/ApimDeploy/core/gateway';
import { startEmulators, type Emulators } from '../emulators';
import { stopWatching, watchRequests } from './spec-watch';

const TENANT = '72f988bf-0000-4000-8000-00000000b001';
const SUB = '11111111-2222-4333-8444-55555555b001';
const CLIENT = 'b1b1b1b1-0000-4000-8000-00000000b001';
const SECRET = 'gateway-test-spn-secret';
const SVC = 'apim-gw';

describe('ApimDeploy ARM gateway against the APIM emulator: named values and backends', function () {
  this.timeout(30_000);
  let emu: Emulators;
  let gw: ApimGateway;
  const secretsRead: string[] = [];

  before(async () => {
    emu = await startEmulators({ apim: true });
    emu.arm.addSubscription({ subscriptionId: SUB, tenantId: TENANT });
    emu.arm.addResourceGroup(SUB, 'rg');
    emu.apim!.addService(SUB, 'rg', SVC);
    watchRequests(emu.apim!, 'suite');
    emu.apim!.configPutPolls = 2;
    emu.entra.registerClient({ tenantId: TENANT, clientId: CLIENT, secret: SECRET });
    const ca = [...tls.rootCertificates, emu.ca.ca.certPem].join('\n');
    const credential = new ClientSecretCredential(TENANT, CLIENT, SECRET, { authorityHost: emu.entra.authorityHost, disableInstanceDiscovery: true, tlsOptions: { ca } });
    const client = new ApiManagementClient(credential, SUB, {
      $host: emu.arm.url,
      endpoint: emu.arm.url,
      credentialScopes: [`${emu.arm.url}/.default`],
      tlsOptions: { ca },
      retryOptions: { maxRetries: 1, retryDelayInMs: 1, maxRetryDelayInMs: 5 },
    });
    gw = createArmGateway({
      client,
      subscriptionId: SUB,
      resourceGroup: 'rg',
      serviceName: SVC,
      resourceManagerUrl: `${emu.arm.url}/`,
      lroTimeoutMs: 20_000,
      onSecretRead: (v) => secretsRead.push(v),
    });
  });

  after(async () => {
    if (emu?.apim) stopWatching(emu.apim);
    await emu?.close();
  });

  it('a request ARM never answers is cut off by the request timeout and fails naming what was being done', async () => {
    const ca = [...tls.rootCertificates, emu.ca.ca.certPem].join('\n');
    const credential = new ClientSecretCredential(TENANT, CLIENT, SECRET, { authorityHost: emu.entra.authorityHost, disableInstanceDiscovery: true, tlsOptions: { ca } });
    const client = new ApiManagementClient(credential, SUB, { $host: emu.arm.url, endpoint: emu.arm.url, credentialScopes: [`${emu.arm.url}/.default`], tlsOptions: { ca } });
    const slow = createArmGateway({ client, subscriptionId: SUB, resourceGroup: 'rg', serviceName: SVC, resourceManagerUrl: `${emu.arm.url}/`, lroTimeoutMs: 20_000, requestTimeoutMs: 200 });
    await slow.getApi('warm-up');
    const fault = emu.arm.faults.add({ method: 'GET', path: '/apis/stuck', delayMs: 2_000, times: 1 });
    await assert.rejects(slow.getApi('stuck'), /^RemoteError: Reading API 'stuck' failed: Azure Resource Manager did not answer within 1 second\(s\); check the agent's network and proxy/);
    assert.equal(fault.hits, 1);
    createArmGateway({ client, subscriptionId: SUB, resourceGroup: 'rg', serviceName: SVC, resourceManagerUrl: `${emu.arm.url}/`, lroTimeoutMs: 20_000 });
    assert.equal(client.pipeline.getOrderedPolicies().filter((p) => p.name === 'srkRequestTimeout').length, 1, 'a second gateway over the same client adds no second policy');
  });

  it('named value PUT is awaited as a long-running operation; GET hides a secret, listValue reads it (and reports it read)', async () => {
    const start = emu.arm.requests.length;
    await gw.putNamedValue('nv-secret', { displayName: 'nv-secret', secret: true, tags: ['a'], value: 'sEcret-1' });
    const polls = emu.arm.requests.slice(start).filter((q) => /\/operationStatuses\//.test(q.path));
    assert.ok(polls.length >= 2, `status polled until done (${polls.length} polls)`);
    const state = await gw.getNamedValue('nv-secret');
    assert.equal(state?.secret, true);
    assert.equal(state?.value, undefined);
    assert.deepEqual(state?.tags, ['a']);
    assert.ok(state?.etag);
    assert.equal(await gw.readNamedValueSecret('nv-secret'), 'sEcret-1');
    assert.deepEqual(secretsRead, ['sEcret-1']);
    assert.equal(await gw.getNamedValue('nope'), undefined);
  });

  it('a Key Vault reference round-trips; a PUT with a stale ETag is refused with an explained 412', async () => {
    const keyVault = { secretIdentifier: 'https://kv.vault.azure.net/secrets/s1', identityClientId: '0f0e0d0c-0000-4000-8000-000000000001' };
    await gw.putNamedValue('nv-kv', { displayName: 'nv-kv', secret: true, tags: [], keyVault });
    const state = await gw.getNamedValue('nv-kv');
    assert.deepEqual(state?.keyVault, keyVault);
    assert.equal(state?.value, undefined);
    await assert.rejects(
      gw.putNamedValue('nv-kv', { displayName: 'nv-kv', secret: true, tags: [], value: 'x-value' }, '"stale"'),
      /Writing named value 'nv-kv' failed: .*412.*ETag mismatch/s,
    );
    await gw.putNamedValue('nv-kv', { displayName: 'nv-kv', secret: false, tags: [], value: 'plain-1' }, state?.etag);
    const plain = await gw.getNamedValue('nv-kv');
    assert.equal(plain?.keyVault, undefined, 'a value replaces the Key Vault reference');
    assert.equal(plain?.value, 'plain-1', 'a plain value is shown by GET');
  });

  it('backend: create, read (credentials and TLS), PATCH with the ETag; a stale ETag and an invalid scheme are explained failures', async () => {
    await gw.createBackend('be1', {
      url: 'https://be1.example/api',
      protocol: 'http',
      title: 'Backend one',
      tls: { validateCertificateChain: true, validateCertificateName: true },
      credentials: { header: { 'x-key': ['{{nv-secret}}'], 'x-functions-key': ['hdr-secret-41'] }, query: { code: ['qry-secret-42'] }, authorization: { scheme: 'Basic', parameter: 'cDpx' } },
    });
    const b = await gw.getBackend('be1');
    assert.equal(b?.url, 'https://be1.example/api');
    assert.equal(b?.title, 'Backend one');
    assert.deepEqual(b?.tls, { validateCertificateChain: true, validateCertificateName: true });
    assert.deepEqual(b?.credentials?.header, { 'x-key': ['{{nv-secret}}'], 'x-functions-key': ['hdr-secret-41'] });
    assert.ok(secretsRead.includes('cDpx'), 'the authorization parameter read back is reported as a secret');
    assert.ok(secretsRead.includes('hdr-secret-41') && secretsRead.includes('qry-secret-42'), 'header and query credential values read back are reported as secrets');
    assert.ok(!secretsRead.includes('{{nv-secret}}'), 'a value that only references a named value is not');

    await gw.updateBackend('be1', b.etag!, { url: 'https://be1-v2.example/api', tls: { validateCertificateChain: false, validateCertificateName: true } });
    const after = await gw.getBackend('be1');
    assert.equal(after?.url, 'https://be1-v2.example/api');
    assert.equal(after?.title, 'Backend one', 'PATCH leaves other fields');
    assert.deepEqual(after?.credentials?.authorization, { scheme: 'Basic', parameter: 'cDpx' });
    assert.deepEqual(after?.tls, { validateCertificateChain: false, validateCertificateName: true });

    await assert.rejects(gw.updateBackend('be1', b.etag!, { title: 'x' }), /Updating backend 'be1' failed: .*ETag mismatch/s);
    await assert.rejects(
      gw.createBackend('be2', { url: 'https://be2.example', protocol: 'http', credentials: { authorization: { scheme: 'Two words', parameter: 'p' } } }),
      /Creating backend 'be2' failed: .*scheme/s,
    );
    assert.equal(await gw.getBackend('be2'), undefined);
  });
});
