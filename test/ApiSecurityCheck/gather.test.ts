import * as assert from 'node:assert/strict';
import { gatherEvidence, mapBounded } from '../../tasks/ApiSecurityCheck/core/gather';
import { context, FakeTransport, operation, quietLog, response } from './fakes';

const ops = [operation('GET', '/a'), operation('GET', '/b'), operation('POST', '/c'), operation('TRACE', '/d')];

function gather(transport: FakeTransport, changes: Partial<Parameters<typeof gatherEvidence>[0]> = {}) {
  return gatherEvidence({ context: context(), operations: ops, plainHttpUrl: 'http://api.contoso.test/', maxRequests: 200, maxConcurrency: 3, probeUnsafeMethods: false, ...changes }, transport, quietLog);
}

describe('ApiSecurityCheck gatherEvidence (the probe plan)', () => {
  it('probes safe operations with every identity and a preflight; unsafe ones and TRACE not at all by default', async () => {
    const t = new FakeTransport();
    const ev = await gather(t);
    assert.deepEqual(ev.operations.map((o) => o.operation.pathTemplate), ['/a', '/b']);
    assert.deepEqual(Object.keys(ev.operations[0].probes).sort(), ['certOnly', 'full', 'keyOnly', 'none', 'untrusted']);
    assert.deepEqual(ev.notProbed.map((n) => [n.operation.method, n.reason]), [['POST', 'changes state; probeUnsafeMethods is off'], ['TRACE', 'TRACE is never sent']]);
    assert.ok(!t.sent.some((p) => p.method === 'POST' || p.method === 'TRACE'));
    assert.equal(t.certificateReads, 1);
    assert.deepEqual(t.handshakes.sort(), ['TLSv1', 'TLSv1.1']);
    // 2 operations x (5 identities + preflight) + plain HTTP
    assert.equal(t.sent.length, 13);
    assert.equal(ev.requestsSent, 16);
    const full = t.sent.find((p) => p.identity === 'full' && p.method === 'GET')!;
    assert.equal(full.headers.Origin, context().probeOrigin, 'the credentialed request carries the probe origin for the CORS check');
    const preflight = t.sent.find((p) => p.method === 'OPTIONS')!;
    assert.equal(preflight.headers['Access-Control-Request-Method'], 'GET');
  });

  it('with probeUnsafeMethods, unsafe operations get only requests without the real credentials, and never a body', async () => {
    const t = new FakeTransport();
    const ev = await gather(t, { probeUnsafeMethods: true });
    const post = t.sent.filter((p) => p.method === 'POST');
    assert.deepEqual(post.map((p) => p.identity).sort(), ['certOnly', 'keyOnly', 'none', 'untrusted']);
    assert.ok(!ev.operations.find((o) => o.operation.method === 'POST')!.probes.full);
    assert.ok(!t.sent.some((p) => p.method === 'TRACE'), 'TRACE is never sent');
  });

  it('sends identical requests once: no key and no certificate make most identities the same', async () => {
    const t = new FakeTransport();
    const ctx = context({ credentials: { clientCertificate: false, subscriptionKey: false } });
    const ev = await gather(t, { context: ctx, operations: [operation('GET', '/a')] });
    // full (with Origin), none (= certOnly = keyOnly), untrusted, preflight, plain HTTP
    assert.equal(t.sent.length, 5);
    const probes = ev.operations[0].probes;
    assert.equal(probes.none, probes.certOnly);
    assert.equal(probes.none, probes.keyOnly);
  });

  it('stops at the request budget; what was not sent is reported as skipped', async () => {
    const t = new FakeTransport();
    const warnings: string[] = [];
    const ev = await gatherEvidence(
      { context: context(), operations: ops, plainHttpUrl: 'http://x/', maxRequests: 10, maxConcurrency: 2, probeUnsafeMethods: false },
      t,
      { ...quietLog, warning: (m: string) => warnings.push(m) },
    );
    assert.equal(t.sent.length + t.handshakes.length + t.certificateReads, 10);
    assert.equal(ev.requestsSent, 10);
    assert.equal(ev.operations[1].probes.untrusted?.kind, 'skipped');
    assert.match(warnings.join('\n'), /6 of 16 probe\(s\) were not sent: the request budget \(maxRequests = 10\) was spent/);
  });

  it('never has more than maxConcurrency probes in flight', async () => {
    const t = new FakeTransport(() => response(401));
    await gather(t, { maxConcurrency: 2 });
    assert.equal(t.maxInFlight, 2);
    const one = new FakeTransport(() => response(401));
    await gather(one, { maxConcurrency: 1 });
    assert.equal(one.maxInFlight, 1);
  });

  it('mapBounded keeps the order of its results', async () => {
    const out = await mapBounded([30, 10, 20], 2, async (ms) => {
      await new Promise((r) => setTimeout(r, ms));
      return ms;
    });
    assert.deepEqual(out, [30, 10, 20]);
  });
});
