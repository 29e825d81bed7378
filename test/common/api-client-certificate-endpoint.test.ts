import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ConnectionFieldError,
  readApiClientCertificateEndpoint,
  SUBSCRIPTION_KEY_HEADER,
} from '../../tasks/common/endpoints/api-client-certificate';
import { EndpointError } from '../../tasks/common/errors';
import { SecretRegistry } from '../../tasks/common/log/secrets';
import { createCertificateAuthority, getTestCa } from '../emulators';
import { toPfx } from '../emulators/target-api/pfx';
import { FakeHost } from '../helpers/fake-host';

const ID = '0c6f9d7a-5e1b-4c3a-8f2e-6a7b8c9d0e1f';
const REPO = path.resolve(__dirname, '..', '..', '..');
const DAY = 86_400_000;

function read(parameters: Record<string, string>, url = 'https://api.contoso.test/orders', data: Record<string, string> = {}) {
  const host = new FakeHost({ endpoints: { [ID]: { url, scheme: 'Certificate', parameters, data } } });
  const secrets = new SecretRegistry(host);
  const run = () => readApiClientCertificateEndpoint(host, ID, secrets);
  return { host, secrets, run };
}

/** Runs a read that must fail on one field; returns the error after checking it leaks nothing. */
function failure(parameters: Record<string, string>, field: string, pattern: RegExp, url?: string): ConnectionFieldError {
  const { run } = read(parameters, url);
  let caught: unknown;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ConnectionFieldError, `expected a ConnectionFieldError, got ${String(caught)}`);
  assert.equal(caught.field, field);
  assert.match(caught.message, pattern);
  assert.match(caught.message, new RegExp(`^Service connection '${ID}': field '${field}': `));
  // Never a bare OpenSSL code, never a secret.
  assert.doesNotMatch(caught.message, /error:[0-9A-F]{8}|ERR_OSSL|ERR_SSL|mac verify/);
  for (const key of ['clientKey', 'pfx', 'pfxPassword', 'subscriptionKey']) {
    const value = parameters[key];
    if (!value) continue;
    for (const line of value.split('\n').map((l) => l.trim()).filter((l) => l.length > 8 && !l.startsWith('-----'))) {
      assert.ok(!caught.message.includes(line), `the message quotes ${key}`);
    }
  }
  return caught;
}

describe('common/endpoints/api-client-certificate (the "API with client certificate" connection)', () => {
  const ca = getTestCa();
  const intermediate = ca.authority.issueIntermediate('SRK Test Issuing CA');
  const leaf = intermediate.issueClientCertificate('pipeline-client', { days: 365 });
  const chainPem = leaf.certPem + intermediate.certPem;

  it('reads a PEM chain and key: the whole chain is kept for the handshake, the key and subscription key are secrets', () => {
    const { host, secrets, run } = read({ clientCertificate: chainPem, clientKey: leaf.keyPem, subscriptionKey: 'sub-key-0123456789' });
    const e = run();
    assert.equal(e.url, 'https://api.contoso.test/orders');
    assert.equal(e.tls.certPem?.match(/BEGIN CERTIFICATE/g)?.length, 2, 'leaf and intermediate');
    assert.equal(e.tls.keyPem, leaf.keyPem);
    assert.equal(e.chainLength, 1);
    assert.match(e.clientCertificate.subject, /CN=pipeline-client/);
    assert.deepEqual(e.headers, { [SUBSCRIPTION_KEY_HEADER]: 'sub-key-0123456789' });
    assert.deepEqual(e.warnings, []);
    assert.ok(host.secrets.includes('sub-key-0123456789'));
    const keyBody = leaf.keyPem.split('\n')[1];
    assert.ok(host.secrets.includes(keyBody), 'each line of the PEM key is registered');
    assert.equal(secrets.redact(`x ${keyBody} y`), 'x *** y');
  });

  it('takes parameter names in any case, as the agent may hand them', () => {
    const { run } = read({ CLIENTCERTIFICATE: leaf.certPem, clientkey: leaf.keyPem });
    assert.equal(run().chainLength, 0);
  });

  it('reads a base64 PFX with its password (AES-256 and 3DES exports), registering both as secrets', () => {
    for (const algorithm of ['aes256', '3des'] as const) {
      const pfx = toPfx(leaf, 'pfx-pass-2718', { chain: [intermediate.certPem], algorithm }).toString('base64');
      const { host, run } = read({ pfx, pfxPassword: 'pfx-pass-2718' });
      const e = run();
      assert.ok(Buffer.isBuffer(e.tls.pfx));
      assert.equal(e.tls.passphrase, 'pfx-pass-2718');
      assert.equal(e.tls.certPem, undefined);
      assert.match(e.clientCertificate.subject, /CN=pipeline-client/);
      assert.ok(host.secrets.includes('pfx-pass-2718'));
      assert.ok(host.secrets.includes(pfx));
    }
  });

  it('accepts a PFX pasted with line breaks', () => {
    const pfx = toPfx(leaf, 'pw-pw-pw').toString('base64').replace(/(.{76})/g, '$1\n');
    assert.ok(read({ pfx, pfxPassword: 'pw-pw-pw' }).run().tls.pfx);
  });

  it('a wrong PFX password names pfxPassword', () => {
    const pfx = toPfx(leaf, 'right-password').toString('base64');
    failure({ pfx, pfxPassword: 'wrong-password' }, 'pfxPassword', /is not the password of the PFX in 'pfx'/);
    failure({ pfx }, 'pfxPassword', /is missing: the PFX in 'pfx' is protected by a password/);
  });

  it('a PFX that is not base64, or not a PFX, names pfx', () => {
    failure({ pfx: 'this is not base64!', pfxPassword: 'x' }, 'pfx', /is not base64 text/);
    failure({ pfx: Buffer.from('just some bytes, not PKCS#12').toString('base64'), pfxPassword: 'x' }, 'pfx', /is not a PKCS#12 \(PFX\) file/);
  });

  it('a PFX exported with RC2 (older Windows) names pfx and says how to export it again', () => {
    // Made once with `openssl pkcs12 -export -legacy` (pbeWithSHA1And40BitRC2-CBC); see fixtures/README.md.
    const pfx = fs.readFileSync(path.join(REPO, 'test', 'ApiSecurityCheck', 'fixtures', 'legacy-rc2.pfx.b64'), 'utf8');
    failure({ pfx, pfxPassword: 'legacy-pass' }, 'pfx', /legacy algorithm .* AES-256/);
  });

  it('a key that does not match the certificate names clientKey', () => {
    const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    failure({ clientCertificate: chainPem, clientKey: other }, 'clientKey', /does not match the client certificate in 'clientCertificate' \(subject .*CN=pipeline-client/);
  });

  it('an expired client certificate (or intermediate) names clientCertificate and the date', () => {
    const expired = intermediate.issueClientCertificate('old-client', { notBefore: new Date(Date.now() - 60 * DAY), notAfter: new Date(Date.now() - 2 * DAY) });
    const e = failure({ clientCertificate: expired.certPem + intermediate.certPem, clientKey: expired.keyPem }, 'clientCertificate', /the client certificate \(subject CN=old-client[^)]*\) expired on \d{4}-\d{2}-\d{2}/);
    assert.ok(e instanceof EndpointError);
    const pfx = toPfx(expired, 'pw-expired').toString('base64');
    failure({ pfx, pfxPassword: 'pw-expired' }, 'pfx', /the client certificate in the PFX .* expired on/);
  });

  it('a certificate expiring soon is a warning, not an error', () => {
    const soon = intermediate.issueClientCertificate('soon-client', { days: 5 });
    const e = read({ clientCertificate: soon.certPem + intermediate.certPem, clientKey: soon.keyPem }).run();
    assert.equal(e.warnings.length, 1);
    assert.match(e.warnings[0], /expires in [45] day\(s\)/);
  });

  it('malformed PEM names the field and the position of the bad block', () => {
    failure({ clientCertificate: 'hello', clientKey: leaf.keyPem }, 'clientCertificate', /holds no PEM certificate/);
    const broken = leaf.certPem + '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    failure({ clientCertificate: broken, clientKey: leaf.keyPem }, 'clientCertificate', /certificate 2 of 2 is not a valid X\.509 certificate/);
    failure({ clientCertificate: leaf.certPem, clientKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----' }, 'clientKey', /is not a valid PEM private key/);
    failure({ clientCertificate: leaf.certPem, clientKey: 'not a key' }, 'clientKey', /holds no PEM private key/);
  });

  it('an encrypted PEM key is refused with the way out', () => {
    const encrypted = crypto.createPrivateKey(leaf.keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'k' }).toString();
    failure({ clientCertificate: leaf.certPem, clientKey: encrypted }, 'clientKey', /is encrypted; .*'pfx' and 'pfxPassword'/);
  });

  it('the certificate that matches the key must come first; a chain out of order is a warning', () => {
    failure({ clientCertificate: intermediate.certPem + leaf.certPem, clientKey: leaf.keyPem }, 'clientCertificate', /must come first/);
    const stranger = createCertificateAuthority('Unrelated CA');
    const e = read({ clientCertificate: leaf.certPem + stranger.certPem, clientKey: leaf.keyPem }).run();
    assert.match(e.warnings.join('\n'), /did not issue certificate 1/);
  });

  it('a key pasted into clientCertificate, PEM and PFX together, or nothing at all name the field to fix', () => {
    failure({ clientCertificate: leaf.certPem + leaf.keyPem, clientKey: leaf.keyPem }, 'clientCertificate', /holds a private key/);
    failure({ clientCertificate: leaf.certPem, clientKey: leaf.keyPem, pfx: 'AAAA' }, 'clientCertificate', /not both/);
    failure({ clientCertificate: leaf.certPem }, 'clientKey', /is missing/);
    failure({ subscriptionKey: 'only-a-key-1234' }, 'clientCertificate', /is missing/);
  });

  it('reads a CA bundle of several certificates, from the parameter or the endpoint data', () => {
    const other = createCertificateAuthority('Other Root');
    const bundle = other.certPem + '\n' + ca.ca.certPem;
    const fromParam = read({ clientCertificate: leaf.certPem, clientKey: leaf.keyPem, caCertificate: bundle }).run();
    assert.equal(fromParam.tls.caPem?.length, 2);
    const fromData = read({ clientCertificate: leaf.certPem, clientKey: leaf.keyPem }, undefined, { caCertificate: bundle }).run();
    assert.equal(fromData.tls.caPem?.length, 2);
    failure({ clientCertificate: leaf.certPem, clientKey: leaf.keyPem, caCertificate: 'nope' }, 'caCertificate', /holds no PEM certificate/);
  });

  it('the URL must be https without credentials', () => {
    failure({ clientCertificate: leaf.certPem, clientKey: leaf.keyPem }, 'url', /is not an https URL/, 'http://api.contoso.test');
    failure({ clientCertificate: leaf.certPem, clientKey: leaf.keyPem }, 'url', /not an absolute URL/, 'api.contoso.test');
    failure({ clientCertificate: leaf.certPem, clientKey: leaf.keyPem }, 'url', /user name or password/, 'https://u:p@api.contoso.test');
  });

  it('a connection that does not exist says so', () => {
    const host = new FakeHost();
    assert.throws(() => readApiClientCertificateEndpoint(host, ID, new SecretRegistry(host)), /not found; is it an 'API with client certificate' connection/);
  });

  it('another type of connection (an Azure Resource Manager or Jenkins one) is named as the wrong type, not as a missing field', () => {
    for (const [scheme, parameters] of [
      ['ServicePrincipal', { tenantid: 't', serviceprincipalid: 'c', serviceprincipalkey: 'spn-secret-5c1d9e' }],
      ['UsernamePassword', { username: 'u', password: 'jenkins-token-77aa21' }],
    ] as const) {
      const host = new FakeHost({ endpoints: { [ID]: { url: 'https://api.contoso.test/', scheme, parameters } } });
      assert.throws(
        () => readApiClientCertificateEndpoint(host, ID, new SecretRegistry(host)),
        (err: Error) => {
          assert.ok(err instanceof EndpointError);
          assert.equal(err.message, `Service connection '${ID}': authentication scheme '${scheme}' is not supported; expected an 'API with client certificate' connection (scheme Certificate)`);
          return true;
        },
      );
    }
  });
});
