/**
 * checkApi with a fake transport through to the gate's reporters: the verdict follows the severity
 * threshold and unknown policy, attestations in the gate's format cover API findings, and every
 * report renders (SARIF valid against the 2.1.0 schema) speaking of the API, not of templates.
 */
import * as assert from 'node:assert/strict';
import { checkApi, defaultPlainHttpUrl, type ApiCheckOptions } from '../../tasks/ApiSecurityCheck/core/check-api';
import type { HttpProbe } from '../../tasks/ApiSecurityCheck/core/model';
import { renderReport } from '../../tasks/ApiSecurityCheck/core/report';
import { FileError } from '../../tasks/common/errors';
import { sarifProblems } from '../ArmTemplateSecurityGate/sarif-validator';
import { BASE, FakeTransport, NOW, quietLog, response, STRICT_HEADERS, tlsRefused } from './fakes';

const DEFINITION = `openapi: 3.0.0
info: { title: t, version: '1' }
paths:
  /orders:
    get: { responses: { '200': { description: ok } } }
  /orders/{id}:
    get:
      parameters: [ { name: id, in: path, required: true, schema: { type: integer } } ]
      responses: { '200': { description: ok } }
`;

/** A secure API: mutual TLS at the handshake, subscription key by 401. */
function secure(probe: HttpProbe) {
  if (probe.url.startsWith('http:')) return response(301, { location: BASE });
  switch (probe.identity) {
    case 'full':
      return response(200);
    case 'certOnly':
      return response(401, STRICT_HEADERS);
    default:
      return tlsRefused;
  }
}

function options(changes: Partial<ApiCheckOptions> = {}): ApiCheckOptions {
  return {
    baseUrl: BASE,
    definition: { text: DEFINITION, displayPath: 'api/orders.yaml' },
    credentials: { clientCertificate: true, subscriptionKey: true },
    expectClientCertificate: true,
    expectSubscriptionKey: true,
    certificateExpiryDays: 30,
    probeUnsafeMethods: false,
    maxRequests: 200,
    maxConcurrency: 4,
    severityThreshold: 'low',
    unknownPolicy: 'warn',
    skipControls: [],
    root: '/work',
    ...changes,
  };
}

const run = (answer = secure, changes: Partial<ApiCheckOptions> = {}) => checkApi(options(changes), { transport: new FakeTransport(answer), clock: { now: () => NOW }, log: quietLog });

/** The API also serves GET /orders/{id} without the subscription key. */
function keylessDetail(probe: HttpProbe) {
  return probe.identity === 'certOnly' && probe.url.endsWith('/orders/1') ? response(200) : secure(probe);
}

describe('ApiSecurityCheck checkApi and reports', () => {
  it('a secure API passes every control on every operation', async () => {
    const { report: result } = await run();
    assert.equal(result.verdict.result, 'pass', result.verdict.reasons.join('; '));
    assert.equal(result.counts.fail + result.counts.unknown + result.counts.error, 0);
    // 7 host results (one per TLS version) + 5 per operation x 2
    assert.equal(result.counts.pass, 17);
    assert.equal(result.tool.name, 'api-security-check');
  });

  it('an operation served without the key fails subscription-key-required at its line in the definition', async () => {
    const { report: result } = await run(keylessDetail);
    assert.equal(result.verdict.result, 'fail');
    const f = result.findings.filter((x) => x.outcome === 'fail');
    assert.equal(f.length, 1);
    assert.equal(f[0].ruleId, 'subscription-key-required');
    assert.deepEqual(f[0].subject, { type: 'API operation', name: 'GET /orders/{id}' });
    assert.deepEqual(f[0].place, { file: 'api/orders.yaml', line: 7, column: 1 });
    assert.ok(f[0].blocking);
  });

  it('the severity threshold and the unknown policy decide as in the gate', async () => {
    const noHsts = (p: HttpProbe) => (p.identity === 'full' ? response(200, {}) : secure(p));
    assert.equal((await run(noHsts)).report.verdict.result, 'fail');
    const high = (await run(noHsts, { severityThreshold: 'high' })).report;
    assert.equal(high.verdict.result, 'warn');
    const warned = (await run((p: HttpProbe) => (p.identity === 'none' ? response(503) : secure(p)))).report;
    assert.match(warned.verdict.reasons.join(';'), /unknown result\(s\) \(the probes could not tell\)/);
    assert.match(high.verdict.reasons.join(';'), /1 control failure\(s\) below the severity threshold/);
    const flaky = (p: HttpProbe) => (p.identity === 'none' ? response(503) : secure(p));
    assert.equal((await run(flaky)).report.verdict.result, 'warn');
    assert.equal((await run(flaky, { unknownPolicy: 'fail' })).report.verdict.result, 'fail');
    assert.equal((await run(flaky, { unknownPolicy: 'pass' })).report.verdict.result, 'pass');
  });

  it('skipControls and the expectations leave controls out', async () => {
    const { report: result } = await run(keylessDetail, { skipControls: ['subscription-key-required'] });
    assert.equal(result.verdict.result, 'pass');
    const relaxed = (await run(secure, { expectClientCertificate: false, expectSubscriptionKey: false })).report;
    assert.ok(!relaxed.findings.some((f) => f.ruleId.startsWith('mtls-') || f.ruleId === 'subscription-key-required'));
  });

  it('attestations in the gate format cover API findings; expired ones fail, unused ones warn', async () => {
    const valid = `attestations:
  - control: subscription-key-required
    resource: { type: API operation, name: "GET /orders/*" }
    justification: Public read model until CHG-1.
    approvedBy: security@contoso.com
    expiresOn: 2027-01-31
`;
    const attested = (await run(keylessDetail, { attestations: { text: valid, displayPath: 'attest.yml' } })).report;
    assert.equal(attested.verdict.result, 'pass');
    assert.equal(attested.counts.attested, 1);
    const expired = (await run(keylessDetail, { attestations: { text: valid.replace('2027-01-31', '2026-12-01'), displayPath: 'attest.yml' } })).report;
    assert.equal(expired.verdict.result, 'fail');
    assert.match(expired.verdict.reasons.join(';'), /1 expired attestation/);
    const unused = (await run(secure, { attestations: { text: valid, displayPath: 'attest.yml' } })).report;
    assert.equal(unused.verdict.result, 'warn');
    const hostWide = `attestations:
  - control: hsts-enabled
    resource: { type: API host, name: "https://api.contoso.test" }
    justification: x
    expiresOn: 2027-01-01
`;
    const noHsts = (p: HttpProbe) => (p.identity === 'full' ? response(200, {}) : secure(p));
    assert.equal((await run(noHsts, { attestations: { text: hostWide, displayPath: 'a.yml' } })).report.verdict.result, 'pass');
    await assert.rejects(run(secure, { attestations: { text: 'attestations:\n  - control: x\n', displayPath: 'bad.yml' } }), (e: unknown) => e instanceof FileError && /bad\.yml:2: 'justification' is required/.test(e.message));
  });

  it('an API nothing answers for is an error that fails the check', async () => {
    const down = () => ({ kind: 'network' as const, reason: 'connection refused (ECONNREFUSED)', refused: true });
    const transport = new FakeTransport(down, () => ({ kind: 'network', reason: 'refused' }), { kind: 'network', reason: 'connection refused (ECONNREFUSED)' });
    const { report: result } = await checkApi(options(), { transport, clock: { now: () => NOW }, log: quietLog });
    assert.equal(result.verdict.result, 'fail');
    const error = result.findings.find((f) => f.outcome === 'error')!;
    assert.equal(error.ruleId, 'api-unreachable');
    assert.match(error.message, /could not be reached over https \(connection refused/);
  });

  it('a definition without operations is an error naming the file', async () => {
    await assert.rejects(run(secure, { definition: { text: 'openapi: 3.0.0\npaths: {}\n', displayPath: 'empty.yaml' } }), /empty\.yaml: declares no operation to probe/);
  });

  it('every report renders; SARIF is valid 2.1.0; console and summary speak of the API', async () => {
    const { report: result } = await run(keylessDetail);
    const sarif = JSON.parse(renderReport(result, 'sarif'));
    assert.deepEqual(sarifProblems(sarif), []);
    assert.equal(sarif.runs[0].tool.driver.name, 'api-security-check');
    assert.equal(sarif.runs[0].results.length, 1);
    assert.equal(sarif.runs[0].results[0].ruleId, 'subscription-key-required');
    const console = renderReport(result, 'console');
    assert.match(console, /2 operation\(s\) of https:\/\/api\.contoso\.test\/orders, \d+ request\(s\): /);
    assert.match(console, /^API security check FAILED: 1 control failure\(s\) at or above severity 'low'$/m);
    assert.doesNotMatch(console, /template/);
    const md = renderReport(result, 'markdown');
    assert.match(md, /^## API security check: Failed/);
    assert.doesNotMatch(md, /template/i);
    const junit = renderReport(result, 'junit');
    assert.match(junit, /<testsuites name="api-security-check" tests="\d+" failures="1"/);
    const json = JSON.parse(renderReport(result, 'json'));
    assert.equal(json.verdict.result, 'fail');
    assert.deepEqual(json.results.find((r: any) => r.outcome === 'fail'), {
      ruleId: 'subscription-key-required',
      outcome: 'fail',
      severity: 'high',
      subject: { type: 'API operation', name: 'GET /orders/{id}' },
      file: 'api/orders.yaml',
      line: 7,
      message: 'a request without the subscription key was served: HTTP 200',
      title: 'A subscription key is required on every operation',
      blocking: true,
    });
    const host = json.results.find((r: any) => r.ruleId === 'hsts-enabled');
    assert.deepEqual([host.subject, host.url], [{ type: 'API host', name: 'https://api.contoso.test' }, BASE]);
  });

  it('the plain-HTTP twin of a base URL is port 80 on the same host and path', () => {
    assert.equal(defaultPlainHttpUrl('https://api.contoso.com:8443/orders?x=1'), 'http://api.contoso.com/orders?x=1');
  });
});
