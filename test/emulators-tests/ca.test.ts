import * as assert from 'assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as tls from 'tls';
import { certificateThumbprints, createServicePrincipalCertificate, getTestCa } from '../emulators/ca';

function handshake(port: number, host: string, ca?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername: net(host) ? undefined : host, ca, checkServerIdentity: (_h, cert) => tls.checkServerIdentity(host, cert) }, () => {
      socket.end();
      resolve();
    });
    socket.on('error', reject);
  });
}

function net(host: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(host);
}

describe('emulators: test CA', () => {
  const ca = getTestCa();
  let server: tls.Server;
  let port = 0;

  before(async () => {
    server = tls.createServer({ cert: ca.server.certPem, key: ca.server.keyPem }, (s) => s.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('writes the CA PEM to a file for AGENT_CAINFO', () => {
    assert.strictEqual(fs.readFileSync(ca.caFile, 'utf8'), ca.ca.certPem);
    assert.ok(new crypto.X509Certificate(ca.ca.certPem).ca);
  });

  it('is cached per process', () => {
    assert.strictEqual(getTestCa(), ca);
  });

  it('server certificate verifies for 127.0.0.1 and localhost against the CA', async () => {
    await handshake(port, '127.0.0.1', ca.ca.certPem);
    await handshake(port, 'localhost', ca.ca.certPem);
  });

  it('server certificate is rejected without the CA and for other names', async () => {
    await assert.rejects(handshake(port, '127.0.0.1'), /self[- ]signed|unable to (get|verify)/i);
    await assert.rejects(handshake(port, 'example.com', ca.ca.certPem), /altnames|does not match/i);
  });

  it('issues client certificates signed by the CA', () => {
    const client = ca.issueClientCertificate('agent-client');
    const x509 = new crypto.X509Certificate(client.certPem);
    assert.ok(x509.verify(new crypto.X509Certificate(ca.ca.certPem).publicKey));
    assert.match(x509.subject, /CN=agent-client/);
    assert.ok(x509.checkPrivateKey(crypto.createPrivateKey(client.keyPem)));
  });

  it('service principal certificate PEM holds certificate then RSA key, with thumbprints', () => {
    const spn = createServicePrincipalCertificate();
    assert.match(spn.combinedPem, /^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*-----BEGIN RSA PRIVATE KEY-----/);
    const x509 = new crypto.X509Certificate(spn.certPem);
    assert.strictEqual(x509.subject, x509.issuer, 'self-signed');
    assert.deepStrictEqual(certificateThumbprints(spn.combinedPem), { sha1: spn.thumbprintSha1, sha256: spn.thumbprintSha256 });
    assert.strictEqual(x509.fingerprint.replace(/:/g, ''), spn.thumbprintSha1);
  });
});
