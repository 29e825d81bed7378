/**
 * The real transport against the target-API emulator: how handshakes, certificates and HTTP probes
 * end on the wire, TLS 1.0/1.1 included (the local OpenSSL offers them at security level 0), and
 * through the agent's proxy.
 */
import * as assert from 'node:assert/strict';
import { alertWords, classifyFailure, createNodeTransport, type NodeTransportOptions } from '../../tasks/ApiSecurityCheck/task/node-transport';
import { SecretRegistry } from '../../tasks/common/log/secrets';
import { createCertificateAuthority, getTestCa, ProxyEmulator } from '../emulators';
import { TargetApiEmulator } from '../emulators/target-api';
import { quietLog } from './fakes';

const DAY = 86_400_000;

describe('ApiSecurityCheck node transport (against the target-API emulator)', function () {
  this.timeout(60_000);
  const ca = getTestCa();
  const client = ca.issueClientCertificate('pipeline-client', { days: 365 });
  const servers: Array<{ close(): Promise<void> }> = [];
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  async function target(options: ConstructorParameters<typeof TargetApiEmulator>[0] = {}) {
    const emu = await new TargetApiEmulator({ basePath: '/petstore', ...options }).start();
    servers.push(emu);
    return emu;
  }

  function transport(changes: Partial<NodeTransportOptions> = {}) {
    return createNodeTransport({
      network: { extraCaPem: [] },
      secrets: new SecretRegistry(),
      log: quietLog,
      endpoint: { tls: { certPem: client.certPem, keyPem: client.keyPem, caPem: [ca.ca.certPem] }, headers: { 'Ocp-Apim-Subscription-Key': 'k-1234567' }, commonName: 'pipeline-client' },
      timeoutMs: 5000,
      ...changes,
    });
  }

  it('TLS 1.0 and 1.1: accepted by a server that allows them, refused by one that does not', async () => {
    const legacy = await target({ minTlsVersion: 'TLSv1', clientCertificates: 'handshake' });
    const modern = await target({ clientCertificates: 'handshake' });
    const t = transport();
    assert.deepEqual(await t.handshake(legacy.baseUrl, 'TLSv1'), { kind: 'accepted', protocol: 'TLSv1' });
    assert.deepEqual(await t.handshake(legacy.baseUrl, 'TLSv1.1'), { kind: 'accepted', protocol: 'TLSv1.1' });
    const refused = await t.handshake(modern.baseUrl, 'TLSv1');
    assert.equal(refused.kind, 'refused');
    assert.match((refused as { reason: string }).reason, /alert 'protocol version'/);
    assert.equal((await t.handshake(modern.baseUrl, 'TLSv1.1')).kind, 'refused');
  });

  it('reads the server certificate: trusted and matching, or why not', async () => {
    const t = transport();
    const good = await t.serverCertificate((await target()).baseUrl);
    assert.equal(good.kind, 'certificate');
    if (good.kind !== 'certificate') return;
    assert.equal(good.trusted, true);
    assert.equal(good.hostMatches, true);

    const expiredCert = ca.authority.issueServerCertificate(['127.0.0.1'], { notBefore: new Date(Date.now() - 40 * DAY), notAfter: new Date(Date.now() - DAY) });
    const expired = await t.serverCertificate((await target({ serverCertificate: expiredCert })).baseUrl);
    assert.ok(expired.kind === 'certificate' && !expired.trusted && /has expired \(CERT_HAS_EXPIRED\)/.test(expired.trustError ?? ''));

    const wrongHost = await t.serverCertificate((await target({ serverCertificate: ca.authority.issueServerCertificate(['api.contoso.test']) })).baseUrl);
    assert.ok(wrongHost.kind === 'certificate' && wrongHost.trusted && !wrongHost.hostMatches);
    assert.match(wrongHost.hostError ?? '', /does not name 127\.0\.0\.1 \(it names DNS:api\.contoso\.test\)/);

    const stranger = createCertificateAuthority('Stranger Root').issueServerCertificate();
    const untrusted = await t.serverCertificate((await target({ serverCertificate: stranger })).baseUrl);
    assert.ok(untrusted.kind === 'certificate' && !untrusted.trusted);
    assert.match((untrusted as { trustError?: string }).trustError ?? '', /issued by a CA this agent does not trust/);
  });

  it('HTTP probes: each identity presents what it should, and a refused handshake reads as such', async () => {
    const emu = await target({ clientCertificates: 'handshake' });
    emu.configure({ subscriptionKey: 'k-1234567' });
    const t = transport();
    const url = `${emu.baseUrl}/pets`;
    const full = await t.http({ identity: 'full', method: 'GET', url, headers: {} });
    assert.equal(full.kind === 'response' && full.status, 200);
    assert.equal(full.kind === 'response' && full.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
    const certOnly = await t.http({ identity: 'certOnly', method: 'GET', url, headers: {} });
    assert.equal(certOnly.kind === 'response' && certOnly.status, 401);
    for (const identity of ['none', 'keyOnly', 'untrusted'] as const) {
      const r = await t.http({ identity, method: 'GET', url, headers: {} });
      assert.equal(r.kind, 'tls-refused', `${identity}: ${JSON.stringify(r)}`);
    }
    assert.deepEqual(emu.calls.map((c) => [c.clientCertificate, c.subscriptionKey]), [['pipeline-client', 'valid'], ['pipeline-client', 'none']]);
  });

  it('the untrusted certificate bears the real common name, self-signed, and a policy sees it untrusted', async () => {
    const emu = await target({ clientCertificates: 'policy' });
    const r = await transport().http({ identity: 'untrusted', method: 'GET', url: `${emu.baseUrl}/pets`, headers: {} });
    assert.equal(r.kind === 'response' && r.status, 403);
    assert.deepEqual([emu.calls[0].clientCertificate, emu.calls[0].certificateTrusted], ['pipeline-client', false]);
  });

  it('nothing listening is a refused connection; a slow server a timeout', async () => {
    const emu = await target();
    await emu.closePlainHttp();
    const closed = await transport().http({ identity: 'none', method: 'GET', url: emu.plainHttpUrl, headers: {} });
    assert.deepEqual(closed, { kind: 'network', reason: 'connection refused (ECONNREFUSED)', refused: true });
    emu.faults.add({ path: '/pets', delayMs: 1500, times: 1 });
    const slow = await transport({ timeoutMs: 300 }).http({ identity: 'full', method: 'GET', url: `${emu.baseUrl}/pets`, headers: {} });
    assert.equal(slow.kind, 'network');
    assert.match((slow as { reason: string }).reason, /timed out/);
  });

  it("goes through the agent's proxy for handshakes, certificates and requests, with its credentials", async () => {
    const proxy = await new ProxyEmulator({ auth: { username: 'agent', password: 'proxy-pw-99' } }).start();
    servers.push(proxy);
    const emu = await target({ minTlsVersion: 'TLSv1' });
    const t = transport({ network: { extraCaPem: [], proxy: { proxyUrl: proxy.url, proxyUsername: 'agent', proxyPassword: 'proxy-pw-99', proxyBypassHosts: [] } } });
    const hostPort = `127.0.0.1:${emu.port}`;
    assert.equal((await t.handshake(emu.baseUrl, 'TLSv1')).kind, 'accepted');
    assert.equal((await t.serverCertificate(emu.baseUrl)).kind, 'certificate');
    const r = await t.http({ identity: 'full', method: 'GET', url: `${emu.baseUrl}/pets`, headers: {} });
    assert.equal(r.kind === 'response' && r.status, 200);
    assert.ok(proxy.tunnelCount(hostPort) >= 3, `tunnels: ${proxy.tunnelCount(hostPort)}`);
    const wrong = transport({ network: { extraCaPem: [], proxy: { proxyUrl: proxy.url, proxyBypassHosts: [] } } });
    const refused = await wrong.handshake(emu.baseUrl, 'TLSv1');
    assert.deepEqual(refused, { kind: 'network', reason: `the agent's proxy refused the tunnel to ${hostPort} (HTTP 407)` });
  });

  it('classifies failure codes in words, keeping the code', () => {
    assert.equal(alertWords('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'), "alert 'certificate required'");
    assert.deepEqual(classifyFailure('ECONNRESET'), { kind: 'tls-refused', reason: 'connection reset, ECONNRESET' });
    assert.deepEqual(classifyFailure('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'), { kind: 'tls-refused', reason: "alert 'handshake failure', ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE" });
    assert.equal(classifyFailure('ENOTFOUND').kind, 'network');
    const untrusted = classifyFailure('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    assert.ok(untrusted.kind === 'network' && /certificate is not trusted .* nothing was sent/.test(untrusted.reason));
  });
});
