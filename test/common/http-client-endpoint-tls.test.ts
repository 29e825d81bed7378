/**
 * The one HTTP client with what an "API with client certificate" connection gives it: the whole
 * client chain (servers often trust only the root), a CA bundle, a subscription key header, and
 * "no client certificate at all" for probes.
 */
import * as assert from 'node:assert/strict';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createHttpClient } from '../../tasks/common/http/http-client';
import { RemoteError } from '../../tasks/common/errors';
import { SecretRegistry } from '../../tasks/common/log/secrets';
import { createCertificateAuthority, getTestCa } from '../emulators';

describe('common/http/createHttpClient with an API connection (chain, CA bundle, subscription key)', () => {
  const ca = getTestCa();
  const issuing = ca.authority.issueIntermediate('SRK Issuing CA 1');
  const leaf = issuing.issueClientCertificate('chain-client', { days: 365 });
  const otherRoot = createCertificateAuthority('SRK Other Root');
  const serverCert = otherRoot.issueServerCertificate();
  const logs: string[] = [];
  const logger = { debug: (m: string) => logs.push(m), info: (m: string) => logs.push(m), warning: (m: string) => logs.push(m), error: (m: string) => logs.push(m) };
  let server: https.Server;
  let url: string;
  const seen: Array<{ subject?: string; key?: string }> = [];

  before(async () => {
    // Trusts only the per-run root: a client that sends its leaf without the intermediate fails.
    server = https.createServer({ cert: serverCert.certPem, key: serverCert.keyPem, ca: ca.ca.certPem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      seen.push({ subject: peer.subject?.CN as string | undefined, key: req.headers['ocp-apim-subscription-key'] as string | undefined });
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends the whole client chain and trusts a server through a CA bundle of several certificates', async () => {
    const secrets = new SecretRegistry();
    const http = createHttpClient({
      network: { extraCaPem: [] },
      secrets,
      logger,
      retry: { retries: 0 },
      tls: { certPem: leaf.certPem + issuing.certPem, keyPem: leaf.keyPem, caPem: [createCertificateAuthority('Unrelated').certPem, otherRoot.certPem] },
      secretHeaders: { 'Ocp-Apim-Subscription-Key': 'sub-key-4242-abcd' },
    });
    const res = await http.get(url);
    assert.equal(res.data, 'ok');
    assert.deepEqual(seen.at(-1), { subject: 'chain-client', key: 'sub-key-4242-abcd' });
    assert.equal(secrets.redact('key sub-key-4242-abcd'), 'key ***');
    assert.ok(!logs.join('\n').includes('sub-key-4242-abcd'));
  });

  it('without the intermediate the server cannot build the chain, and the error says what to check', async () => {
    const http = createHttpClient({ network: { extraCaPem: [] }, secrets: new SecretRegistry(), logger, retry: { retries: 0 }, tls: { certPem: leaf.certPem, keyPem: leaf.keyPem, caPem: [otherRoot.certPem] } });
    await assert.rejects(http.get(url), (err: unknown) => {
      assert.ok(err instanceof RemoteError);
      // TLS 1.3: the server's "unknown CA" alert comes after the client finished; the client sees it or the reset.
      assert.match(err.message, /failed: (ECONNRESET|the server refused the TLS handshake)/);
      return true;
    });
  });

  it("noClientCertificate sends no certificate at all, not even the agent's", async () => {
    const agentCert = ca.issueClientCertificate('agent-machine', { days: 365 });
    const http = createHttpClient({
      network: { extraCaPem: [otherRoot.certPem], clientCert: { certPem: agentCert.certPem, keyPem: agentCert.keyPem } },
      secrets: new SecretRegistry(),
      logger,
      retry: { retries: 0 },
      tls: { noClientCertificate: true },
    });
    await assert.rejects(http.get(url), (err: unknown) => {
      assert.ok(err instanceof RemoteError);
      assert.match(err.message, /refused the TLS handshake \(ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED\): it wants a client certificate/);
      return true;
    });
    const withAgent = createHttpClient({ network: { extraCaPem: [otherRoot.certPem], clientCert: { certPem: agentCert.certPem, keyPem: agentCert.keyPem } }, secrets: new SecretRegistry(), logger, retry: { retries: 0 } });
    assert.equal((await withAgent.get(url)).data, 'ok');
    assert.equal(seen.at(-1)?.subject, 'agent-machine');
  });
});
