/**
 * Every control against evidence that should pass, fail and stay unknown, plus the catalogue rules:
 * one file per control named by its id, an explicit index, a doc page per control.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { controls } from '../../tasks/ApiSecurityCheck/core/controls';
import type { ApiCheckResult, ApiControl, Evidence, HttpOutcome, IdentityName } from '../../tasks/ApiSecurityCheck/core/model';
import { context, evidence, goodCertificate, NOW, operation, PROBE_ORIGIN, response, secureOperation, STRICT_HEADERS, tlsRefused } from './fakes';

const REPO = path.resolve(__dirname, '..', '..', '..');
const DAY = 86_400_000;

function control(id: string): ApiControl {
  const c = controls.find((x) => x.meta.id === id);
  assert.ok(c, `control ${id} is in the catalogue`);
  return c;
}

function outcomes(id: string, ev: Evidence): ApiCheckResult[] {
  return control(id).check(ev);
}

function only(id: string, ev: Evidence): ApiCheckResult {
  const results = outcomes(id, ev);
  assert.equal(results.length, 1, JSON.stringify(results));
  return results[0];
}

describe('ApiSecurityCheck controls', () => {
  describe('catalogue', () => {
    const dir = path.join(REPO, 'tasks', 'ApiSecurityCheck', 'core', 'controls');

    it('one file per control, named by its id, every file listed in the index', () => {
      const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !['index.ts', 'helpers.ts'].includes(f)).map((f) => f.replace(/\.ts$/, ''));
      assert.deepEqual([...files].sort(), controls.map((c) => c.meta.id).sort());
      for (const c of controls) assert.match(fs.readFileSync(path.join(dir, `${c.meta.id}.ts`), 'utf8'), new RegExp(`id: '${c.meta.id}'`));
    });

    it('ids are unique kebab-case; every control has a rationale, a remediation, references and a date', () => {
      assert.equal(new Set(controls.map((c) => c.meta.id)).size, controls.length);
      for (const c of controls) {
        assert.match(c.meta.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
        assert.ok(c.meta.rationale.length > 80, `${c.meta.id} rationale`);
        assert.ok(c.meta.remediation.text && c.meta.remediation.snippet, `${c.meta.id} remediation`);
        assert.ok(Object.values(c.meta.references).some((r) => r && r.length > 0), `${c.meta.id} references`);
        assert.match(c.meta.since, /^\d{4}-\d{2}-\d{2}$/);
      }
    });

    it('every control has a doc page that names its id, title and severity, and the task doc lists them all', () => {
      const overview = fs.readFileSync(path.join(REPO, 'docs', 'api-security-check.md'), 'utf8');
      for (const c of controls) {
        const page = path.join(REPO, 'docs', 'checks', `${c.meta.id}.md`);
        assert.ok(fs.existsSync(page), `docs/checks/${c.meta.id}.md`);
        const text = fs.readFileSync(page, 'utf8');
        assert.ok(text.includes(`\`${c.meta.id}\``), `${c.meta.id}: the page names the id`);
        assert.ok(text.includes(c.meta.title), `${c.meta.id}: the page names the title`);
        assert.match(text, new RegExp(`Severity: \\*\\*${c.meta.severity}\\*\\*`), `${c.meta.id}: the page names the severity`);
        assert.ok(overview.includes(`checks/${c.meta.id}.md`), `docs/api-security-check.md links ${c.meta.id}`);
      }
    });

    it('the expectations switch the controls they concern', () => {
      const applying = (ctx: ReturnType<typeof context>) => controls.filter((c) => c.applies(ctx)).map((c) => c.meta.id);
      const none = applying(context({ expectClientCertificate: false, expectSubscriptionKey: false }));
      assert.ok(!none.includes('subscription-key-required') && !none.includes('mtls-client-certificate-required') && !none.includes('mtls-untrusted-certificate-rejected'));
      assert.equal(none.length, controls.length - 3);
      assert.equal(applying(context()).length, controls.length);
    });
  });

  describe('plain-http-refused', () => {
    const at = (outcome: Evidence['plainHttp']['outcome']) => only('plain-http-refused', evidence({ plainHttp: { url: 'http://api.contoso.test/', outcome } }));
    it('passes when nothing listens, on a redirect to https, or a refusal', () => {
      assert.equal(at({ kind: 'network', reason: 'connection refused', refused: true }).outcome, 'pass');
      assert.equal(at(response(301, { location: 'https://api.contoso.test/' })).outcome, 'pass');
      assert.equal(at(response(308, { location: 'https://login.contoso.test/' })).outcome, 'pass');
      assert.equal(at(response(403, {})).outcome, 'pass');
      assert.equal(at(response(404, {})).outcome, 'pass');
    });
    it('fails when plain HTTP is served, asks for credentials, or redirects to http', () => {
      assert.match(at(response(200, {})).message, /is served: HTTP 200/);
      assert.equal(at(response(200, {})).outcome, 'fail');
      assert.match(at(response(401, {})).message, /clear text/);
      assert.equal(at(response(302, { location: 'http://api.contoso.test/login' })).outcome, 'fail');
      assert.equal(at(response(302, {})).outcome, 'fail');
    });
    it('is unknown on a timeout or a server error', () => {
      assert.equal(at({ kind: 'network', reason: 'timed out', refused: false }).outcome, 'unknown');
      assert.equal(at(response(503, {})).outcome, 'unknown');
      assert.equal(at({ kind: 'skipped', reason: 'budget' }).outcome, 'unknown');
    });
    it('never lets a Location header add a line or a pipeline command', () => {
      const r = at(response(302, { location: 'http://x/\n##vso[task.complete result=Succeeded]' }));
      assert.ok(!r.message.includes('\n'));
      assert.ok(!r.message.includes('##vso['));
    });
  });

  describe('tls-legacy-versions-refused', () => {
    it('one result per version: accepted fails, refused passes, untestable is unknown', () => {
      const results = outcomes(
        'tls-legacy-versions-refused',
        evidence({ legacyTls: { TLSv1: { kind: 'accepted', protocol: 'TLSv1' }, 'TLSv1.1': { kind: 'untestable', reason: 'no protocols available' } } }),
      );
      assert.deepEqual(results.map((r) => [r.aspect, r.outcome]), [['TLS 1.0', 'fail'], ['TLS 1.1', 'unknown']]);
      assert.match(results[1].message, /this agent cannot offer TLS 1\.1/);
      assert.deepEqual(outcomes('tls-legacy-versions-refused', evidence()).map((r) => r.outcome), ['pass', 'pass']);
    });
  });

  describe('tls-certificate-valid and tls-certificate-not-expiring', () => {
    it('pass for a trusted, current certificate naming the host', () => {
      assert.equal(only('tls-certificate-valid', evidence()).outcome, 'pass');
      assert.equal(only('tls-certificate-not-expiring', evidence()).outcome, 'pass');
    });
    it('fail for an untrusted, expired or mismatched certificate, saying why', () => {
      const untrusted = only('tls-certificate-valid', evidence({ certificate: { ...goodCertificate, trusted: false, trustError: 'is self-signed (DEPTH_ZERO_SELF_SIGNED_CERT)' } }));
      assert.equal(untrusted.outcome, 'fail');
      assert.match(untrusted.message, /is self-signed/);
      const expired = { ...goodCertificate, validTo: new Date(NOW.getTime() - DAY), trusted: false, trustError: 'has expired' };
      assert.match(only('tls-certificate-valid', evidence({ certificate: expired })).message, /expired on 2026-12-06/);
      assert.match(only('tls-certificate-not-expiring', evidence({ certificate: expired })).message, /expired on/);
      const wrongHost = only('tls-certificate-valid', evidence({ certificate: { ...goodCertificate, hostMatches: false, hostError: 'does not name api.contoso.test' } }));
      assert.match(wrongHost.message, /does not name api\.contoso\.test/);
    });
    it('not-expiring fails inside the window the pipeline asks for', () => {
      const soon = { ...goodCertificate, validTo: new Date(NOW.getTime() + 10 * DAY + 1000) };
      assert.match(only('tls-certificate-not-expiring', evidence({ certificate: soon })).message, /expires in 10 day\(s\).*at least 30/);
      assert.equal(only('tls-certificate-not-expiring', evidence({ certificate: soon }, context({ certificateExpiryDays: 7 }))).outcome, 'pass');
    });
    it('unknown when the certificate could not be read', () => {
      assert.equal(only('tls-certificate-valid', evidence({ certificate: { kind: 'network', reason: 'timed out' } })).outcome, 'unknown');
      assert.equal(only('tls-certificate-not-expiring', evidence({ certificate: { kind: 'skipped', reason: 'budget' } })).outcome, 'unknown');
    });
  });

  describe('hsts-enabled', () => {
    const withFull = (headers: Record<string, string>) => evidence({ operations: [secureOperation(operation(), { full: response(200, headers) })] });
    it('passes with max-age of 180 days or more', () => {
      assert.equal(only('hsts-enabled', withFull({ 'strict-transport-security': 'max-age=15552000' })).outcome, 'pass');
      assert.equal(only('hsts-enabled', withFull({ 'strict-transport-security': 'includeSubDomains; max-age="31536000"' })).outcome, 'pass');
    });
    it('fails without the header, without max-age or with a short one', () => {
      assert.match(only('hsts-enabled', withFull({})).message, /has no Strict-Transport-Security header/);
      assert.match(only('hsts-enabled', withFull({ 'strict-transport-security': 'includeSubDomains' })).message, /without max-age/);
      assert.match(only('hsts-enabled', withFull({ 'strict-transport-security': 'max-age=3600' })).message, /max-age=3600, under 180 days/);
    });
    it('is unknown when no credentialed request was answered', () => {
      assert.equal(only('hsts-enabled', evidence({ operations: [secureOperation(operation(), { full: tlsRefused })] })).outcome, 'unknown');
    });
  });

  describe('no-version-disclosure', () => {
    const withHeaders = (headers: Record<string, string>, identity: 'full' | 'none' = 'none') =>
      evidence({ operations: [secureOperation(operation(), { [identity]: response(identity === 'full' ? 200 : 401, headers) })] });
    it('fails on a version in Server or X-Powered-By, or any X-AspNet-Version, error responses included', () => {
      assert.match(only('no-version-disclosure', withHeaders({ server: 'nginx/1.25.3' })).message, /'server: nginx\/1\.25\.3' in the response to GET \/orders\/\{id\} \(HTTP 401\)/);
      assert.equal(only('no-version-disclosure', withHeaders({ 'x-powered-by': 'PHP/8.2.1' }, 'full')).outcome, 'fail');
      assert.equal(only('no-version-disclosure', withHeaders({ 'x-aspnet-version': '4.0.30319' })).outcome, 'fail');
      assert.equal(only('no-version-disclosure', withHeaders({ server: 'Microsoft-IIS/10.0' })).outcome, 'fail');
    });
    it('passes for product names without versions', () => {
      assert.equal(only('no-version-disclosure', withHeaders({ server: 'Kestrel', 'x-powered-by': 'ASP.NET' })).outcome, 'pass');
      assert.equal(only('no-version-disclosure', evidence()).outcome, 'pass');
    });
  });

  describe('unauthenticated-requests-rejected', () => {
    const judge = (none: HttpOutcome, changes: Partial<Record<IdentityName, HttpOutcome>> = {}, ctx = context()) =>
      only('unauthenticated-requests-rejected', evidence({ operations: [secureOperation(operation(), { none, ...changes })] }, ctx));
    it('passes on 401, 403 or a refused handshake', () => {
      assert.equal(judge(response(401)).outcome, 'pass');
      assert.equal(judge(response(403)).outcome, 'pass');
      assert.match(judge(tlsRefused).message, /refused at the TLS handshake \(alert 'certificate required'/);
    });
    it('fails when served without credentials', () => {
      const r = judge(response(200));
      assert.equal(r.outcome, 'fail');
      assert.equal(r.operation?.pathTemplate, '/orders/{id}');
      assert.match(r.message, /without any credentials was served: HTTP 200/);
    });
    it('is unknown on another status, no answer, or when the real credentials were rejected too', () => {
      assert.match(judge(response(404)).message, /HTTP 404, not 401 or 403/);
      assert.equal(judge(response(302, { location: 'https://login' })).outcome, 'unknown');
      assert.equal(judge({ kind: 'network', reason: 'timed out', refused: false }).outcome, 'unknown');
      const vacuous = judge(response(401), { full: response(401) });
      assert.equal(vacuous.outcome, 'unknown');
      assert.match(vacuous.message, /with the connection's credentials was not accepted either \(HTTP 401\)/);
    });
    it('without any credentials to compare with, a 401 is a pass', () => {
      assert.equal(judge(response(401), { full: response(401) }, context({ credentials: { clientCertificate: false, subscriptionKey: false } })).outcome, 'pass');
    });
    it('an unsafe operation (never sent with credentials) is judged against the host', () => {
      const post = secureOperation(operation('POST', '/orders'), { none: response(401) });
      const results = outcomes('unauthenticated-requests-rejected', evidence({ operations: [secureOperation(), post] }));
      assert.deepEqual(results.map((r) => r.outcome), ['pass', 'pass']);
      const alone = outcomes('unauthenticated-requests-rejected', evidence({ operations: [post] }));
      assert.match(alone[0].message, /no request with the connection's credentials was accepted/);
    });
    it('a probe cut by the request budget is unknown', () => {
      assert.match(judge({ kind: 'skipped', reason: 'the request budget was spent' }).message, /not probed: the request budget/);
    });
  });

  describe('subscription-key-required', () => {
    const judge = (certOnly: HttpOutcome, ctx = context()) =>
      only('subscription-key-required', evidence({ operations: [secureOperation(operation(), { certOnly })] }, ctx));
    it('passes on 401, fails when served without the key', () => {
      assert.equal(judge(response(401)).outcome, 'pass');
      assert.match(judge(response(200)).message, /without the subscription key was served/);
    });
    it('a refused handshake is not about the key while the probe keeps the client certificate', () => {
      assert.equal(judge(tlsRefused).outcome, 'unknown');
      assert.equal(judge(tlsRefused, context({ credentials: { clientCertificate: false, subscriptionKey: true } })).outcome, 'pass');
    });
  });

  describe('mtls-client-certificate-required and mtls-untrusted-certificate-rejected', () => {
    it('pass on a refused handshake or a policy 403', () => {
      assert.equal(only('mtls-client-certificate-required', evidence()).outcome, 'pass');
      assert.equal(only('mtls-untrusted-certificate-rejected', evidence()).outcome, 'pass');
      const policy = evidence({ operations: [secureOperation(operation(), { keyOnly: response(403), untrusted: response(403) })] });
      assert.match(only('mtls-client-certificate-required', policy).message, /without a client certificate got HTTP 403/);
      assert.match(only('mtls-untrusted-certificate-rejected', policy).message, /untrusted \(self-signed\) client certificate got HTTP 403/);
    });
    it('fail when the request is served', () => {
      const open = evidence({ operations: [secureOperation(operation(), { keyOnly: response(200), untrusted: response(200) })] });
      assert.equal(only('mtls-client-certificate-required', open).outcome, 'fail');
      assert.equal(only('mtls-untrusted-certificate-rejected', open).outcome, 'fail');
    });
    it('a rejection proves nothing when the real certificate is rejected as well', () => {
      const broken = evidence({ operations: [secureOperation(operation(), { full: tlsRefused })] });
      assert.equal(only('mtls-client-certificate-required', broken).outcome, 'unknown');
      assert.equal(only('mtls-untrusted-certificate-rejected', broken).outcome, 'unknown');
    });
  });

  describe('cors-no-any-origin-with-credentials', () => {
    const judge = (preflight: HttpOutcome, full = response(200)) =>
      only('cors-no-any-origin-with-credentials', evidence({ operations: [secureOperation(operation(), { full }, preflight)] }));
    it('fails for * or an echoed origin together with credentials, in a preflight or a response', () => {
      assert.match(judge(response(200, { 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' })).message, /the preflight .* allows any origin/);
      assert.match(judge(response(200, { 'access-control-allow-origin': PROBE_ORIGIN, 'access-control-allow-credentials': 'true' })).message, /echoes an arbitrary origin/);
      const inResponse = judge(response(204, {}), response(200, { ...STRICT_HEADERS, 'access-control-allow-origin': PROBE_ORIGIN, 'access-control-allow-credentials': 'TRUE' }));
      assert.match(inResponse.message, /^the response/);
    });
    it('passes for an allow-list, for * without credentials, or no CORS at all', () => {
      assert.equal(judge(response(200, { 'access-control-allow-origin': 'https://app.contoso.com', 'access-control-allow-credentials': 'true' })).outcome, 'pass');
      assert.equal(judge(response(200, { 'access-control-allow-origin': '*' })).outcome, 'pass');
      assert.equal(judge(response(200, {})).outcome, 'pass');
    });
    it('is unknown when neither was answered', () => {
      assert.equal(judge(tlsRefused, tlsRefused).outcome, 'unknown');
    });
  });
});
