import * as assert from 'node:assert/strict';
import { deployBackend } from '../../tasks/ApimDeploy/core/deploy-backend';
import { deployNamedValue } from '../../tasks/ApimDeploy/core/deploy-named-value';
import { settingsSecrets } from '../../tasks/ApimDeploy/core/deploy';
import type { BackendSettings, NamedValueSettings } from '../../tasks/ApimDeploy/core/model';
import { apiSettings, fakeDeps } from './helpers';

const SECRET = 'nv-s3cret-Value-91f0';
const KV = 'https://contoso-kv.vault.azure.net/secrets/orders-key';

function nv(over: Partial<NamedValueSettings> = {}): NamedValueSettings {
  return { namedValueId: 'orders-key', displayName: 'orders-key', source: { kind: 'value', value: SECRET }, secret: true, ...over };
}

function backend(over: Partial<BackendSettings> = {}): BackendSettings {
  return { backendId: 'orders-func', url: 'https://orders-func.azurewebsites.net/api', protocol: 'http', validateCertificateChain: true, validateCertificateName: true, ...over };
}

describe('ApimDeploy core: named values', () => {
  it('creates a secret named value, then a re-run reads the secret (listValue) and writes nothing', async () => {
    const { deps, apim, logger } = fakeDeps({});
    const out = await deployNamedValue(nv({ tags: ['orders'] }), deps);
    assert.deepEqual(out, { namedValueId: 'orders-key', writes: 1 });
    assert.deepEqual(apim.writes, ['PUT /namedValues/orders-key']);
    const stored = apim.namedValue('orders-key')!;
    assert.equal(stored.secret, true);
    assert.equal(stored.value, SECRET);
    assert.deepEqual(stored.tags, ['orders']);

    apim.resetWrites();
    const again = await deployNamedValue(nv({ tags: ['orders'] }), deps);
    assert.equal(again.writes, 0);
    assert.deepEqual(apim.writes, []);
    assert.deepEqual(apim.secretReads, ['orders-key'], 'the secret value was compared through listValue');
    assert.ok(logger.lines.includes("info: Named value 'orders-key': unchanged, nothing written."));
    assert.ok(!logger.lines.some((l) => l.includes(SECRET)), 'the value is never logged');
  });

  it('a changed secret value is one conditional write (If-Match with the ETag read)', async () => {
    const { deps, apim, logger } = fakeDeps({});
    await deployNamedValue(nv(), deps);
    const etag = apim.state.namedValues['orders-key'].etag;
    apim.resetWrites();
    const put = apim.gateway.putNamedValue.bind(apim.gateway);
    const etags: Array<string | undefined> = [];
    apim.gateway.putNamedValue = (id, body, e) => (etags.push(e), put(id, body, e));
    const out = await deployNamedValue(nv({ source: { kind: 'value', value: 'rotated-Value-2' } }), deps);
    assert.equal(out.writes, 1);
    assert.deepEqual(etags, [etag]);
    assert.equal(apim.namedValue('orders-key')!.value, 'rotated-Value-2');
    assert.ok(logger.lines.some((l) => /Update named value 'orders-key' \(secret value\): value changed/.test(l)));
  });

  it('plain values compare without listValue; tags left empty keep the current ones; a tag change is a write', async () => {
    const { deps, apim } = fakeDeps({});
    await deployNamedValue(nv({ namedValueId: 'region', displayName: 'region', source: { kind: 'value', value: 'westeurope' }, secret: false, tags: ['geo'] }), deps);
    apim.resetWrites();
    assert.equal((await deployNamedValue(nv({ namedValueId: 'region', displayName: 'region', source: { kind: 'value', value: 'westeurope' }, secret: false }), deps)).writes, 0);
    assert.deepEqual(apim.secretReads, []);
    assert.equal((await deployNamedValue(nv({ namedValueId: 'region', displayName: 'region', source: { kind: 'value', value: 'westeurope' }, secret: false, tags: ['geo', 'eu'] }), deps)).writes, 1);
    assert.deepEqual(apim.namedValue('region')!.tags, ['geo', 'eu']);
  });

  it('turning a plain value secret is a write without reading anything secret', async () => {
    const { deps, apim } = fakeDeps({});
    await deployNamedValue(nv({ secret: false }), deps);
    apim.resetWrites();
    assert.equal((await deployNamedValue(nv({ secret: true }), deps)).writes, 1);
    assert.equal(apim.namedValue('orders-key')!.secret, true);
    assert.deepEqual(apim.secretReads, []);
  });

  it('Key Vault reference: created secret with the identity; unchanged on re-run (case, trailing slash); a new identity is a write', async () => {
    const { deps, apim } = fakeDeps({});
    const s = nv({ source: { kind: 'keyVault', secretIdentifier: KV, identityClientId: '0f0e0d0c-0000-4000-8000-000000000001' }, secret: false });
    await deployNamedValue(s, deps);
    const stored = apim.namedValue('orders-key')!;
    assert.deepEqual({ secretIdentifier: stored.keyVault?.secretIdentifier, identityClientId: stored.keyVault?.identityClientId }, { secretIdentifier: KV, identityClientId: '0f0e0d0c-0000-4000-8000-000000000001' });
    assert.equal(stored.secret, true, 'Key Vault named values are always secret');
    assert.equal(stored.value, undefined);
    apim.resetWrites();
    const same = nv({ source: { kind: 'keyVault', secretIdentifier: `${KV.toUpperCase()}/`, identityClientId: '0F0E0D0C-0000-4000-8000-000000000001' } });
    assert.equal((await deployNamedValue(same, deps)).writes, 0);
    assert.deepEqual(apim.secretReads, [], 'a Key Vault reference is compared by reference, not by value');
    assert.equal((await deployNamedValue(nv({ source: { kind: 'keyVault', secretIdentifier: KV } }), deps)).writes, 1);
    assert.equal(apim.namedValue('orders-key')!.keyVault?.identityClientId, undefined);
  });

  it('switching between a value and a Key Vault reference is a write', async () => {
    const { deps, apim } = fakeDeps({});
    await deployNamedValue(nv({ source: { kind: 'keyVault', secretIdentifier: KV } }), deps);
    apim.resetWrites();
    assert.equal((await deployNamedValue(nv(), deps)).writes, 1);
    assert.equal(apim.namedValue('orders-key')!.keyVault, undefined);
    assert.equal(apim.namedValue('orders-key')!.value, SECRET);
  });

  it('a versioned Key Vault secret is accepted with a note that APIM will not refresh it', async () => {
    const { deps, logger } = fakeDeps({});
    await deployNamedValue(nv({ source: { kind: 'keyVault', secretIdentifier: `${KV}/0123456789abcdef0123456789abcdef` } }), deps);
    assert.ok(logger.lines.some((l) => /names a version, so APIM will not pick up newer versions/.test(l)));
  });

  it('a display name another named value already uses fails before any write', async () => {
    const { deps, apim } = fakeDeps({});
    await apim.put('/namedValues/legacy', { displayName: 'Orders-Key', value: 'legacy-value' });
    await assert.rejects(deployNamedValue(nv(), deps), /Named value 'legacy' already uses the name 'orders-key'/);
    assert.deepEqual(apim.writes, []);
  });

  it('secret values are what the task registers; plain ones and Key Vault references are not', () => {
    assert.deepEqual(settingsSecrets({ action: 'namedValue', namedValue: nv() }), [SECRET]);
    assert.deepEqual(settingsSecrets({ action: 'namedValue', namedValue: nv({ secret: false }) }), []);
    assert.deepEqual(settingsSecrets({ action: 'namedValue', namedValue: nv({ source: { kind: 'keyVault', secretIdentifier: KV } }) }), []);
  });
});

describe('ApimDeploy core: backends', () => {
  const creds = { headers: { 'x-functions-key': ['{{orders-func-key}}'] }, authorization: { scheme: 'Basic', parameter: 'b3JkZXJzOnBhc3M=' } };

  it('creates a backend with TLS checks on and credentials; a re-run writes nothing', async () => {
    const { deps, apim, logger } = fakeDeps({});
    await apim.put('/namedValues/orders-func-key', { displayName: 'orders-func-key', value: 'fn-key', secret: true });
    const s = backend({ title: 'Orders', resourceId: 'https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/orders-func', ...creds });
    assert.deepEqual(await deployBackend(s, deps), { backendId: 'orders-func', writes: 1 });
    const b = apim.backend('orders-func')!;
    assert.equal(b.url, 'https://orders-func.azurewebsites.net/api');
    assert.deepEqual(b.tls, { validateCertificateChain: true, validateCertificateName: true });
    assert.deepEqual(b.credentials, { header: { 'x-functions-key': ['{{orders-func-key}}'] }, authorization: { scheme: 'Basic', parameter: 'b3JkZXJzOnBhc3M=' } });
    apim.resetWrites();
    assert.equal((await deployBackend(s, deps)).writes, 0);
    assert.deepEqual(apim.writes, []);
    assert.ok(logger.lines.includes("info: Backend 'orders-func': unchanged, nothing written."));
    assert.ok(!logger.lines.some((l) => l.startsWith('warning:')), 'no warning with TLS checks on and https');
  });

  it('compares only the fields given: title/description/credentials left empty are kept; a URL change is one PATCH of the given fields', async () => {
    const { deps, apim, logger } = fakeDeps({});
    await apim.put('/namedValues/orders-func-key', { displayName: 'orders-func-key', value: 'fn-key', secret: true });
    await deployBackend(backend({ title: 'Orders', description: 'Functions', query: { code: ['abc1'] }, ...creds }), deps);
    apim.resetWrites();
    assert.equal((await deployBackend(backend(), deps)).writes, 0, 'nothing given that differs');
    await deployBackend(backend({ url: 'https://orders-func-v2.azurewebsites.net/api', headers: { 'x-functions-key': ['{{orders-func-key}}'], 'x-env': ['prod'] } }), deps);
    assert.deepEqual(apim.writes, ['PATCH /backends/orders-func']);
    const b = apim.backend('orders-func')!;
    assert.equal(b.url, 'https://orders-func-v2.azurewebsites.net/api');
    assert.equal(b.title, 'Orders');
    assert.equal(b.description, 'Functions');
    assert.deepEqual(b.credentials?.query, { code: ['abc1'] }, 'query credentials not given: kept');
    assert.deepEqual(b.credentials?.authorization, creds.authorization, 'authorization not given: kept');
    assert.deepEqual(b.credentials?.header, { 'x-functions-key': ['{{orders-func-key}}'], 'x-env': ['prod'] });
    assert.ok(logger.lines.some((l) => /Update backend 'orders-func': url, credentials\.header changed/.test(l)));
  });

  it('a PATCH carries the ETag read, so a concurrent change is refused (412) instead of overwritten', async () => {
    const { deps, apim } = fakeDeps({});
    await deployBackend(backend(), deps);
    const get = apim.gateway.getBackend.bind(apim.gateway);
    apim.gateway.getBackend = async (id) => ({ ...(await get(id))!, etag: '"stale"' });
    await assert.rejects(deployBackend(backend({ title: 'New' }), deps), /412/);
  });

  it('turning TLS validation off warns and is a write; certificates compare without order or case', async () => {
    const { deps, apim, logger } = fakeDeps({});
    const thumb = 'ab'.repeat(20);
    await deployBackend(backend({ certificateThumbprints: [thumb, 'CD'.repeat(20)] }), deps);
    apim.resetWrites();
    assert.equal((await deployBackend(backend({ certificateThumbprints: ['cd'.repeat(20), thumb.toUpperCase()] }), deps)).writes, 0);
    await deployBackend(backend({ validateCertificateChain: false }), deps);
    assert.deepEqual(apim.backend('orders-func')!.tls, { validateCertificateChain: false, validateCertificateName: true });
    assert.ok(logger.lines.some((l) => /^warning: Backend 'orders-func': validateCertificateChain turned off/.test(l)));
    assert.deepEqual(apim.writes, ['PATCH /backends/orders-func']);
  });

  it('a backend with no tls block is taken as both checks on (APIM defaults)', async () => {
    const { deps, apim } = fakeDeps({});
    await apim.put('/backends/legacy', { url: 'https://legacy.example', protocol: 'http' });
    assert.equal((await deployBackend(backend({ backendId: 'legacy', url: 'https://legacy.example' }), deps)).writes, 0);
  });

  it('plain http warns (settings allowed it explicitly)', async () => {
    const { deps, logger } = fakeDeps({});
    await deployBackend(backend({ url: 'http://10.0.0.4:8080' }), deps);
    assert.ok(logger.lines.some((l) => /^warning: Backend 'orders-func' uses plain http/.test(l)));
  });

  it('a named value the credentials reference but the service lacks fails clearly before any read of the backend or write', async () => {
    const { deps, apim } = fakeDeps({});
    await apim.put('/namedValues/nv1', { displayName: 'other', value: 'x' });
    const s = backend({ headers: { 'x-functions-key': ['{{orders-func-key}}'] }, query: { sig: ['{{Other}}'] }, authorization: { scheme: 'Bearer', parameter: '{{token}}' } });
    await assert.rejects(
      deployBackend(s, deps),
      /Backend 'orders-func' references named values that do not exist in the service: \{\{orders-func-key\}\} \(backendHeaders 'x-functions-key'\), \{\{token\}\} \(backendAuthParameter\)\. Create them first/,
    );
    assert.deepEqual(apim.writes, []);
    assert.deepEqual(Object.keys(apim.state.backends), []);
  });

  it('credential values are registered as secrets unless they only reference named values', () => {
    const s = backend({ headers: { a: ['{{nv}}', 'literal-key-1'] }, query: { code: ['q-secret-2'] }, authorization: { scheme: 'Basic', parameter: 'p-secret-3' } });
    assert.deepEqual(settingsSecrets({ action: 'backend', backend: s }), ['literal-key-1', 'q-secret-2', 'p-secret-3']);
  });

  it('a key in the backend URL, a SAS definition URL and a key in the service URL are registered as secrets', () => {
    assert.deepEqual(settingsSecrets({ action: 'backend', backend: backend({ url: 'https://fn.example/api?code=fn-key-7' }) }), ['fn-key-7']);
    const api = apiSettings({ spec: { kind: 'url', url: 'https://st.example/a.yaml?sv=2022-11-02&sig=sas-sig-8' }, serviceUrl: 'https://fn.example/api?code=fn-key-9' });
    assert.deepEqual(settingsSecrets({ action: 'api', api }), ['sas-sig-8', 'fn-key-9']);
    assert.deepEqual(settingsSecrets({ action: 'api', api: apiSettings() }), []);
  });
});
