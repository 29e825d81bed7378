import * as assert from 'assert';
import * as crypto from 'crypto';
import { ClientCertificateCredential, ClientSecretCredential } from '@azure/identity';
import { createServicePrincipalCertificate, decodeJwt, Emulators, signJwt, startEmulators } from '../emulators';
import { signingKey } from '../emulators/jwt';
import { formBody, request, TENANT } from './helpers';

const CLIENT = '22222222-2222-4222-8222-222222222222';
const CERT_CLIENT = '33333333-3333-4333-8333-333333333333';
const FED_CLIENT = '44444444-4444-4444-8444-444444444444';
const SECRET = 'emulator-secret-value';

describe('emulators: Entra ID', () => {
  let emu: Emulators;
  let ca: string;
  const spn = createServicePrincipalCertificate();
  let tokenUrl: string;
  let scope: string;

  before(async () => {
    emu = await startEmulators();
    ca = emu.ca.ca.certPem;
    emu.entra.registerClient({ tenantId: TENANT, clientId: CLIENT, secret: SECRET });
    emu.entra.registerClient({ tenantId: TENANT, clientId: CERT_CLIENT, certificatePem: spn.certPem });
    tokenUrl = `${emu.entra.url}/${TENANT}/oauth2/v2.0/token`;
    scope = `${emu.arm.endpoint}.default`;
  });

  after(() => emu.close());

  function certAssertion(opts: { key?: string; alg?: 'RS256' | 'PS256'; aud?: string; exp?: number; iss?: string } = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const thumb = Buffer.from(opts.alg === 'PS256' ? spn.thumbprintSha256 : spn.thumbprintSha1, 'hex').toString('base64url');
    const header = opts.alg === 'PS256' ? { alg: 'PS256', 'x5t#S256': thumb } : { alg: 'RS256', x5t: thumb };
    return signJwt(header, {
      aud: opts.aud ?? tokenUrl, iss: opts.iss ?? CERT_CLIENT, sub: opts.iss ?? CERT_CLIENT,
      exp: opts.exp ?? now + 600, nbf: now, jti: crypto.randomUUID(),
    }, opts.key ?? spn.keyPem);
  }

  function assertionRequest(assertion: string, clientId = CERT_CLIENT): ReturnType<typeof request> {
    return request(tokenUrl, {
      method: 'POST', ca,
      body: formBody({
        grant_type: 'client_credentials', client_id: clientId, scope,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion,
      }),
    });
  }

  it('serves OpenID metadata whose issuer matches the authority (MSAL validates it)', async () => {
    const res = await request(`${emu.entra.url}/${TENANT}/v2.0/.well-known/openid-configuration`, { ca });
    assert.strictEqual(res.status, 200);
    assert.strictEqual(res.json.token_endpoint, tokenUrl);
    assert.strictEqual(res.json.issuer, `${emu.entra.url}/${TENANT}/v2.0`);
  });

  it('answers an unknown tenant with AADSTS90002', async () => {
    const res = await request(`${emu.entra.url}/no-such-tenant/v2.0/.well-known/openid-configuration`, { ca });
    assert.strictEqual(res.status, 400);
    assert.strictEqual(res.json.error, 'invalid_tenant');
    assert.deepStrictEqual(res.json.error_codes, [90002]);
  });

  it('issues a JWT-shaped token for a client secret, audience from the scope', async () => {
    const res = await request(tokenUrl, { method: 'POST', ca, body: formBody({ grant_type: 'client_credentials', client_id: CLIENT, client_secret: SECRET, scope }) });
    assert.strictEqual(res.status, 200, res.text);
    assert.strictEqual(res.json.token_type, 'Bearer');
    const jwt = decodeJwt(res.json.access_token);
    assert.ok(jwt);
    assert.strictEqual(jwt.payload.aud, emu.arm.endpoint);
    assert.strictEqual(jwt.payload.tid, TENANT);
    assert.strictEqual(jwt.payload.appid, CLIENT);
    assert.ok((jwt.payload.exp as number) > Date.now() / 1000);
    assert.ok(emu.tokens.lookup(res.json.access_token));
  });

  it('rejects a bad secret with AADSTS7000215 (401 invalid_client)', async () => {
    const before = emu.entra.tokenCount(CLIENT);
    const res = await request(tokenUrl, { method: 'POST', ca, body: formBody({ grant_type: 'client_credentials', client_id: CLIENT, client_secret: 'wrong', scope }) });
    assert.strictEqual(res.status, 401);
    assert.strictEqual(res.json.error, 'invalid_client');
    assert.match(res.json.error_description, /^AADSTS7000215: /);
    assert.deepStrictEqual(res.json.error_codes, [7000215]);
    assert.strictEqual(emu.entra.tokenCount(CLIENT), before);
  });

  it('rejects an unknown client with AADSTS700016', async () => {
    const res = await request(tokenUrl, { method: 'POST', ca, body: formBody({ grant_type: 'client_credentials', client_id: crypto.randomUUID(), client_secret: SECRET, scope }) });
    assert.strictEqual(res.status, 400);
    assert.strictEqual(res.json.error, 'unauthorized_client');
    assert.deepStrictEqual(res.json.error_codes, [700016]);
  });

  it('rejects a scope without /.default for client credentials', async () => {
    const res = await request(tokenUrl, { method: 'POST', ca, body: formBody({ grant_type: 'client_credentials', client_id: CLIENT, client_secret: SECRET, scope: emu.arm.url }) });
    assert.strictEqual(res.status, 400);
    assert.strictEqual(res.json.error, 'invalid_scope');
  });

  it('accepts certificate assertions signed RS256 (x5t) and PS256 (x5t#S256)', async () => {
    for (const alg of ['RS256', 'PS256'] as const) {
      const res = await assertionRequest(certAssertion({ alg }));
      assert.strictEqual(res.status, 200, `${alg}: ${res.text}`);
    }
    assert.deepStrictEqual(emu.entra.issuances.filter((i) => i.clientId === CERT_CLIENT).map((i) => i.method), ['client-certificate', 'client-certificate']);
  });

  it('rejects a forged certificate assertion (right thumbprint, other key)', async () => {
    const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const res = await assertionRequest(certAssertion({ key: other }));
    assert.strictEqual(res.status, 401);
    assert.match(res.json.error_description, /^AADSTS700027: Client assertion failed signature validation/);
  });

  it('rejects certificate assertions with a wrong audience, issuer or an expired time', async () => {
    const wrongAud = await assertionRequest(certAssertion({ aud: 'https://login.microsoftonline.com/x/oauth2/v2.0/token' }));
    assert.strictEqual(wrongAud.status, 401);
    const wrongIss = await assertionRequest(certAssertion({ iss: CLIENT }));
    assert.deepStrictEqual(wrongIss.json.error_codes, [700021]);
    const expired = await assertionRequest(certAssertion({ exp: Math.floor(Date.now() / 1000) - 3600 }));
    assert.deepStrictEqual(expired.json.error_codes, [700024]);
  });

  it('accepts a federated assertion issued by the OIDC emulator and records its hash', async () => {
    const conn = crypto.randomUUID();
    const subject = emu.oidc.registerServiceConnection({ id: conn, name: 'fed-conn' });
    emu.entra.registerClient({ tenantId: TENANT, clientId: FED_CLIENT, federatedSubject: subject });
    const oidc = await request(`${emu.oidc.requestUri}?api-version=7.1&serviceConnectionId=${conn}`, {
      method: 'POST', ca, headers: { Authorization: `Bearer ${emu.oidc.systemAccessToken}` }, body: {},
    });
    assert.strictEqual(oidc.status, 200, oidc.text);
    const res = await assertionRequest(oidc.json.oidcToken, FED_CLIENT);
    assert.strictEqual(res.status, 200, res.text);
    const issuance = emu.entra.issuances.find((i) => i.clientId === FED_CLIENT);
    assert.strictEqual(issuance?.method, 'federated');
    assert.strictEqual(issuance?.assertionHash, crypto.createHash('sha256').update(oidc.json.oidcToken).digest('hex'));
  });

  it('rejects federated assertions from an untrusted signer or with another subject', async () => {
    const now = Math.floor(Date.now() / 1000);
    const fakeKey = signingKey('not-azure-devops');
    const payload = { iss: emu.oidc.issuer, sub: emu.oidc.subjectOf({ id: 'x', name: 'fed-conn' }), aud: 'api://AzureADTokenExchange', exp: now + 600, nbf: now, iat: now };
    const forged = await assertionRequest(signJwt({ alg: 'RS256' }, payload, fakeKey.privatePem), FED_CLIENT);
    assert.strictEqual(forged.status, 401);
    assert.deepStrictEqual(forged.json.error_codes, [700027]);
    const otherSubject = await assertionRequest(signJwt({ alg: 'RS256' }, { ...payload, sub: 'sc://srk-org/srk-project/other' }, signingKey('azure-devops-oidc').privatePem), FED_CLIENT);
    assert.deepStrictEqual(otherSubject.json.error_codes, [700213]);
  });

  it('serves @azure/identity ClientSecretCredential with authorityHost + tlsOptions.ca (no global TLS change)', async () => {
    const cred = new ClientSecretCredential(TENANT, CLIENT, SECRET, {
      authorityHost: emu.entra.authorityHost, disableInstanceDiscovery: true, tlsOptions: { ca }, retryOptions: { maxRetries: 0 },
    });
    const token = await cred.getToken(scope);
    assert.ok(emu.tokens.lookup(token.token), 'token issued by the emulator');
    assert.strictEqual(emu.entra.countRequests('GET', '/v2.0/.well-known/openid-configuration') > 0, true);
  });

  it('makes @azure/identity fail when the CA is not trusted (TLS verification stays on)', async () => {
    const cred = new ClientSecretCredential(TENANT, CLIENT, SECRET, {
      authorityHost: emu.entra.authorityHost, disableInstanceDiscovery: true, retryOptions: { maxRetries: 0 },
    });
    await assert.rejects(cred.getToken(scope));
  });

  it('serves @azure/identity ClientCertificateCredential from a combined PEM (x5t#S256, PS256)', async () => {
    const before = emu.entra.tokenCount(CERT_CLIENT);
    const cred = new ClientCertificateCredential(TENANT, CERT_CLIENT, { certificate: spn.combinedPem }, {
      authorityHost: emu.entra.authorityHost, disableInstanceDiscovery: true, tlsOptions: { ca },
    });
    const token = await cred.getToken(scope);
    assert.strictEqual(emu.tokens.lookup(token.token)?.source, 'client-certificate');
    assert.strictEqual(emu.entra.tokenCount(CERT_CLIENT), before + 1);
  });
});
