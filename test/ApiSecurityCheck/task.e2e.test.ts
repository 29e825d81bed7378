/**
 * ApiSecurityCheck end to end: the bundled task (what the vsix ships) runs as the agent runs it,
 * through an "API with client certificate" connection given with exactly the contract's input and
 * field names, against a mutual-TLS target API on 127.0.0.1. A correctly secured API passes; each
 * misconfiguration fails the control that looks for it; bad connection fields fail naming the
 * field; no secret reaches any output.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { agentNode24 } from '../../scripts/agent-node';
import { bundleEntry } from '../../scripts/build';
import { runTask, type RunTaskOptions, type RunTaskResult } from '../../scripts/task-runner';
import { carriesCommand } from '../../tasks/common/log/safe-text';
import { createCertificateAuthority, getTestCa, ProxyEmulator, type KeyedCertificate } from '../emulators';
import { TargetApiEmulator, type TargetApiBehaviour, type TargetApiOptions } from '../emulators/target-api';
import { toPfx } from '../emulators/target-api/pfx';

const REPO = path.resolve(__dirname, '..', '..', '..');
const CONN = '7d3c1e55-2b8a-4f0e-9c61-5a4b3c2d1e0f';
const KEY = 'apim-sub-key-5f0c2a9e81b34d77';
const PFX_PASSWORD = 'pfx-pass-Qm8#v2';
const DAY = 86_400_000;

interface Outcome {
  run: RunTaskResult;
  /** Failing results as "<ruleId> <subject>". */
  failing: string[];
  reportsDir: string;
}

describe('e2e: ApiSecurityCheck (bundled task, target API behind mutual TLS)', function () {
  this.timeout(240_000);
  const ca = getTestCa();
  const issuing = ca.authority.issueIntermediate('Contoso Client Issuing CA');
  const client = issuing.issueClientCertificate('pipeline-client', { days: 365 });
  const chainPem = client.certPem + issuing.certPem;
  const otherRoot = createCertificateAuthority('Contoso Unrelated Root');
  const pfxWithChain = toPfx(client, PFX_PASSWORD, { chain: [issuing.certPem] }).toString('base64');
  const pfxPlain = toPfx(client, PFX_PASSWORD).toString('base64');
  const WRONG_PASSWORD = 'not-the-password-77';
  const serverCert = ca.authority.issueServerCertificate(undefined, { days: 365 });
  let taskDir: string;
  let work: string;
  const emulators: TargetApiEmulator[] = [];
  /** Every output of every run, checked for secrets at the end. */
  const outputs: Array<{ what: string; text: string }> = [];

  before(async () => {
    taskDir = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-apicheck-'));
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-apicheck-work-'));
    const v1 = path.join(REPO, 'tasks', 'ApiSecurityCheck', 'v1');
    fs.copyFileSync(path.join(v1, 'task.json'), path.join(taskDir, 'task.json'));
    const report = await bundleEntry(path.join(v1, 'index.ts'), path.join(taskDir, 'index.js'), { minify: false });
    assert.deepEqual(report.problems, []);
    fs.mkdirSync(path.join(work, 'api'));
    fs.copyFileSync(path.join(REPO, 'test', 'ApiSecurityCheck', 'fixtures', 'petstore.yaml'), path.join(work, 'api', 'petstore.yaml'));
  });

  after(async () => {
    await Promise.all(emulators.map((e) => e.close()));
    for (const d of [taskDir, work]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  /** A correctly secured API: mutual TLS in the handshake (trusting only the root), a subscription key, HSTS, an origin allow-list, HTTP redirected. */
  async function api(options: TargetApiOptions = {}, behaviour: Partial<TargetApiBehaviour> = {}): Promise<TargetApiEmulator> {
    const emu = await new TargetApiEmulator({ basePath: '/petstore', clientCertificates: 'handshake', clientCaPem: [ca.ca.certPem], serverCertificate: serverCert, ...options }).start();
    emulators.push(emu);
    emu.configure({ subscriptionKey: KEY, ...behaviour });
    return emu;
  }

  function pemConnection(_emu: TargetApiEmulator, changes: Record<string, string> = {}): Record<string, string> {
    // The server's CA arrives only through the connection's CA bundle (with an unrelated CA first).
    return { clientCertificate: chainPem, clientKey: client.keyPem, caCertificate: otherRoot.certPem + ca.ca.certPem, subscriptionKey: KEY, ...changes };
  }

  async function check(emu: TargetApiEmulator, parameters: Record<string, string>, inputs: Record<string, string> = {}, more: Partial<RunTaskOptions> = {}): Promise<Outcome> {
    const reportsDir = fs.mkdtempSync(path.join(work, 'reports-'));
    const run = await runTask({
      taskDir,
      cwd: work,
      inputs: {
        apiConnection: CONN,
        openApiSpec: 'api/petstore.yaml',
        expectClientCertificate: 'true',
        expectSubscriptionKey: 'true',
        plainHttpUrl: emu.plainHttpUrl,
        reportsFolder: reportsDir,
        reports: 'sarif,junit,json,markdown',
        ...inputs,
      },
      endpoints: [{ id: CONN, url: emu.baseUrl, scheme: 'Certificate', parameters }],
      timeoutMs: 120_000,
      ...more,
    });
    outputs.push({ what: 'stdout', text: run.stdout }, { what: 'stderr', text: run.stderr });
    for (const f of fs.readdirSync(reportsDir, { recursive: true }) as string[]) {
      const file = path.join(reportsDir, f);
      if (fs.statSync(file).isFile()) outputs.push({ what: `report ${f}`, text: fs.readFileSync(file, 'utf8') });
    }
    const jsonFile = path.join(reportsDir, 'api-security-check-results.json');
    const results = fs.existsSync(jsonFile) ? (JSON.parse(fs.readFileSync(jsonFile, 'utf8')).results as Array<{ ruleId: string; outcome: string; subject: { name: string } }>) : [];
    const failing = results.filter((r) => r.outcome === 'fail').map((r) => `${r.ruleId} ${r.subject.name}`).sort();
    return { run, failing, reportsDir };
  }

  function output(r: RunTaskResult, name: string): string | undefined {
    return r.variables.find((v) => v.name === name)?.value;
  }

  function failedRules(o: Outcome): string[] {
    return [...new Set(o.failing.map((f) => f.split(' ')[0]))].sort();
  }

  it('a correctly secured mTLS API passes, through a PEM chain whose intermediate the server needs', async () => {
    const emu = await api();
    const o = await check(emu, pemConnection(emu));
    const r = o.run;
    assert.equal(r.effectiveResult, 'Succeeded', `${r.resultMessage}\n${r.stdout}\n${r.stderr}`);
    assert.deepEqual(o.failing, []);
    assert.equal(output(r, 'verdict'), 'pass');
    assert.equal(output(r, 'failCount'), '0');
    assert.equal(output(r, 'unknownCount'), '0');
    assert.equal(output(r, 'operationCount'), '4');
    assert.equal(Number(output(r, 'passCount')), 7 + 5 * 4);
    assert.match(r.resultMessage ?? '', /^API security check passed\. 4 operation\(s\): 27 passed, 0 failed/);
    // What the API saw: the pipeline's certificate with its key, and never a state-changing method.
    assert.ok(emu.calls.some((c) => c.clientCertificate === 'pipeline-client' && c.certificateTrusted && c.subscriptionKey === 'valid'));
    assert.ok(!emu.calls.some((c) => c.method !== 'GET' && c.method !== 'OPTIONS'), 'only GET and OPTIONS by default');
    assert.equal(emu.petCount, 1, 'nothing was created or deleted');
    // Reports published the way the gate publishes them.
    assert.equal(r.summaries.length, 1);
    assert.match(fs.readFileSync(r.summaries[0], 'utf8'), /^## API security check: Passed/);
    assert.deepEqual(r.artifacts.map((a) => a.artifactName), ['CodeAnalysisLogs']);
    assert.ok(fs.existsSync(path.join(o.reportsDir, 'CodeAnalysisLogs', 'api-security-check.sarif')));
    assert.ok(r.commands.some((c) => c.command === 'results.publish' && c.properties.type === 'JUnit'));
    assert.match(r.stdout, /Client certificate: CN=pipeline-client, O=Secure Release Kit test, issued by CN=Contoso Client Issuing CA/);
    assert.match(r.stdout, /^4 operation\(s\) of https:\/\/127\.0\.0\.1:\d+\/petstore, 28 request\(s\): 27 passed, 0 failed/m);
    assert.match(r.stdout, /^API security check PASSED/m);
    assert.ok(!r.stdout.split('\n').some((l) => carriesCommand(l) && /API security check PASSED/.test(l)), 'the verdict line is printed, never sent as a command');
  });

  it('the same API through a base64 PFX (AES-256, with the chain) and its password', async () => {
    const emu = await api();
    const o = await check(emu, { pfx: pfxWithChain, pfxPassword: PFX_PASSWORD, caCertificate: ca.ca.certPem, subscriptionKey: KEY });
    assert.equal(o.run.effectiveResult, 'Succeeded', `${o.run.resultMessage}\n${o.run.stdout}`);
    assert.deepEqual(o.failing, []);
    assert.ok(emu.calls.some((c) => c.clientCertificate === 'pipeline-client' && c.certificateTrusted));
  });

  it("through the agent's proxy (with credentials) and the agent's CA, the connection carrying no CA bundle", async () => {
    const proxy = await new ProxyEmulator({ auth: { username: 'agent', password: 'proxy-pass-31' } }).start();
    try {
      const emu = await api();
      const parameters = pemConnection(emu);
      delete parameters.caCertificate;
      const o = await check(emu, parameters, {}, { proxy: { url: proxy.url, username: 'agent', password: 'proxy-pass-31' }, certificates: { caInfo: ca.caFile } });
      assert.equal(o.run.effectiveResult, 'Succeeded', `${o.run.resultMessage}\n${o.run.stdout}`);
      // Every HTTPS probe and handshake went through the proxy's tunnel.
      assert.ok(proxy.tunnelCount(`127.0.0.1:${emu.port}`) >= 10, `tunnels: ${proxy.tunnelCount(`127.0.0.1:${emu.port}`)}`);
      // task-lib's own debug echo of the secret variable Agent.ProxyPassword aside (the agent masks its secret variables), no line shows it.
      const shown = o.run.stdout.split('\n').filter((l) => l.includes('proxy-pass-31') && !l.startsWith('##vso[task.setsecret]') && l !== '##vso[task.debug]Agent.ProxyPassword=proxy-pass-31');
      assert.deepEqual(shown, []);
    } finally {
      await proxy.close();
    }
  });

  it('a policy that answers 403 without a trusted certificate (validate-client-certificate) passes too', async () => {
    const emu = await api({ clientCertificates: 'policy' });
    const o = await check(emu, pemConnection(emu));
    assert.equal(o.run.effectiveResult, 'Succeeded', `${o.run.resultMessage}\n${o.run.stdout}`);
    assert.ok(emu.calls.some((c) => c.status === 403 && c.clientCertificate === undefined), 'the no-certificate probe met the policy');
  });

  const ops = ['GET /health', 'GET /pets', 'GET /pets/{petId}', 'GET /reports/{year}'];
  const each = (rule: string) => ops.map((op) => `${rule} ${op}`);

  const misconfigurations: Array<{ name: string; options?: TargetApiOptions; behaviour?: Partial<TargetApiBehaviour>; inputs?: Record<string, string>; failing: string[] }> = [
    { name: 'plain HTTP served', behaviour: { plainHttp: 'serve' }, failing: [`plain-http-refused https://127.0.0.1:PORT`] },
    { name: 'TLS 1.0 and 1.1 accepted', options: { minTlsVersion: 'TLSv1' }, failing: ['tls-legacy-versions-refused https://127.0.0.1:PORT (TLS 1.0)', 'tls-legacy-versions-refused https://127.0.0.1:PORT (TLS 1.1)'] },
    {
      name: 'a server certificate that expires in 10 days',
      options: { serverCertificate: ca.authority.issueServerCertificate(undefined, { days: 10 }) },
      inputs: { certificateExpiryDays: '30' },
      failing: ['tls-certificate-not-expiring https://127.0.0.1:PORT'],
    },
    { name: 'no HSTS', behaviour: { hsts: undefined }, failing: ['hsts-enabled https://127.0.0.1:PORT'] },
    { name: 'a short HSTS max-age', behaviour: { hsts: 'max-age=86400' }, failing: ['hsts-enabled https://127.0.0.1:PORT'] },
    { name: 'the server version disclosed', behaviour: { serverHeader: 'nginx/1.25.3', poweredBy: 'Express' }, failing: ['no-version-disclosure https://127.0.0.1:PORT'] },
    // The TLS layer still refuses callers without a trusted certificate; the key is what the open operation forgets.
    { name: 'an operation open to anyone behind mTLS in the handshake', behaviour: { openOperations: ['GET /health'] }, failing: ['subscription-key-required GET /health'] },
    { name: 'an operation published without a subscription key', behaviour: { keylessOperations: ['GET /pets'] }, failing: ['subscription-key-required GET /pets'] },
    {
      name: 'mutual TLS negotiated but never checked',
      options: { clientCertificates: 'negotiate-only' },
      failing: [...each('mtls-client-certificate-required'), ...each('mtls-untrusted-certificate-rejected')].sort(),
    },
    { name: 'any client certificate accepted (presence only)', options: { clientCertificates: 'presence-only' }, failing: each('mtls-untrusted-certificate-rejected') },
    { name: 'CORS: * with credentials', behaviour: { cors: 'wildcard-with-credentials' }, failing: each('cors-no-any-origin-with-credentials') },
    { name: 'CORS: any origin echoed with credentials', behaviour: { cors: 'reflect-with-credentials' }, failing: each('cors-no-any-origin-with-credentials') },
  ];

  for (const m of misconfigurations) {
    it(`fails the right check: ${m.name}`, async () => {
      const emu = await api(m.options, m.behaviour);
      const o = await check(emu, pemConnection(emu), m.inputs);
      assert.equal(o.run.effectiveResult, 'Failed', `${o.run.resultMessage}\n${o.run.stdout}`);
      assert.deepEqual(o.failing, m.failing.map((f) => f.replace('PORT', String(emu.port))).sort());
      assert.equal(output(o.run, 'verdict'), 'fail');
      assert.match(o.run.resultMessage ?? '', /^API security check failed: \d+ control failure\(s\) at or above severity 'low'/);
      // Each failure is annotated; operations point at their line in the definition.
      const errors = o.run.issues.filter((i) => i.type === 'error' && i.code && i.code !== 'api-unreachable');
      assert.equal(errors.length, m.failing.length);
      for (const e of errors) {
        if (e.message.includes(": API operation 'GET /")) assert.deepEqual([e.sourcePath, (e.lineNumber ?? 0) > 1], ['api/petstore.yaml', true], e.message);
        else assert.match(e.message, /: API host 'https:\/\/127\.0\.0\.1:\d+( \(TLS 1\.[01]\))?': .* \(https:\/\/127\.0\.0\.1:\d+\/petstore\)$/);
      }
    });
  }

  it('an operation open to anyone without mutual TLS in the handshake fails unauthenticated-requests-rejected', async () => {
    const emu = await api({ clientCertificates: 'policy' }, { openOperations: ['GET /health'] });
    const o = await check(emu, pemConnection(emu));
    assert.equal(o.run.effectiveResult, 'Failed');
    assert.deepEqual(o.failing, ['mtls-client-certificate-required GET /health', 'mtls-untrusted-certificate-rejected GET /health', 'subscription-key-required GET /health', 'unauthenticated-requests-rejected GET /health']);
  });

  it('an expired or mismatched server certificate fails tls-certificate-valid, and no credential is sent to it', async () => {
    const expired = await api({ serverCertificate: ca.authority.issueServerCertificate(undefined, { notBefore: new Date(Date.now() - 60 * DAY), notAfter: new Date(Date.now() - DAY) }) });
    const o = await check(expired, pemConnection(expired));
    assert.equal(o.run.effectiveResult, 'Failed');
    assert.deepEqual(failedRules(o), ['tls-certificate-not-expiring', 'tls-certificate-valid']);
    assert.equal(expired.calls.length, 0, 'nothing reached an API whose certificate is not valid');
    const wrongHost = await api({ serverCertificate: ca.authority.issueServerCertificate(['api.contoso.test'], { days: 365 }) });
    const w = await check(wrongHost, pemConnection(wrongHost));
    assert.deepEqual(failedRules(w), ['tls-certificate-valid']);
    assert.match(w.failing[0], /tls-certificate-valid https:\/\/127\.0\.0\.1:\d+/);
  });

  it('state-changing operations are probed only when asked, never with credentials', async () => {
    const emu = await api({ clientCertificates: 'policy' });
    const o = await check(emu, pemConnection(emu), { probeUnsafeMethods: 'true' });
    assert.equal(o.run.effectiveResult, 'Succeeded', `${o.run.resultMessage}\n${o.run.stdout}`);
    const unsafe = emu.calls.filter((c) => c.method === 'POST' || c.method === 'DELETE');
    assert.ok(unsafe.length >= 4);
    assert.ok(unsafe.every((c) => !(c.certificateTrusted && c.subscriptionKey === 'valid')), 'never with the real certificate and key together');
    assert.ok(unsafe.every((c) => !c.executed), 'a secure API rejected them all');
    assert.equal(output(o.run, 'operationCount'), '6');
  });

  it('the request budget is kept, and cut probes are unknown (a warning under the default policy)', async () => {
    const emu = await api();
    const o = await check(emu, pemConnection(emu), { maxRequests: '10' });
    assert.equal(o.run.effectiveResult, 'SucceededWithIssues', `${o.run.resultMessage}`);
    assert.equal(output(o.run, 'requestCount'), '10');
    assert.ok(emu.calls.length <= 10);
    assert.match(o.run.stdout, /probe\(s\) were not sent: the request budget \(maxRequests = 10\) was spent/);
  });

  const fieldErrors: Array<{ name: string; parameters: (emu: TargetApiEmulator) => Record<string, string>; pattern: RegExp }> = [
    {
      name: 'a wrong PFX password',
      parameters: () => ({ pfx: pfxPlain, pfxPassword: WRONG_PASSWORD }),
      pattern: new RegExp(`^Service connection '${CONN}': field 'pfxPassword': is not the password of the PFX in 'pfx'$`),
    },
    {
      name: 'a key that does not match the certificate',
      parameters: (emu) => pemConnection(emu, { clientKey: ca.issueClientCertificate('someone-else').keyPem }),
      pattern: new RegExp(`^Service connection '${CONN}': field 'clientKey': does not match the client certificate in 'clientCertificate' \\(subject CN=pipeline-client`),
    },
    {
      name: 'an expired client certificate',
      parameters: (emu) => {
        const old: KeyedCertificate = issuing.issueClientCertificate('old-client', { notBefore: new Date(Date.now() - 90 * DAY), notAfter: new Date(Date.now() - 3 * DAY) });
        return pemConnection(emu, { clientCertificate: old.certPem + issuing.certPem, clientKey: old.keyPem });
      },
      pattern: new RegExp(`^Service connection '${CONN}': field 'clientCertificate': the client certificate \\(subject CN=old-client[^)]*\\) expired on \\d{4}-\\d{2}-\\d{2}; renew it`),
    },
  ];

  for (const f of fieldErrors) {
    it(`${f.name} fails before any request, naming the connection field`, async () => {
      const emu = await api();
      const o = await check(emu, f.parameters(emu));
      assert.equal(o.run.effectiveResult, 'Failed');
      assert.match(o.run.resultMessage ?? '', f.pattern);
      assert.doesNotMatch(o.run.stdout + o.run.stderr, /error:[0-9A-F]{8}|ERR_OSSL|mac verify failure|Unexpected error|\n\s+at /);
      assert.equal(emu.calls.length, 0);
    });
  }

  it('on the Node 24 handler runtime: a secured API passes and TLS 1.0/1.1 are still probed', async () => {
    const node = agentNode24();
    const secure = await api();
    const ok = await check(secure, pemConnection(secure), {}, { node });
    assert.equal(ok.run.effectiveResult, 'Succeeded', `${ok.run.resultMessage}\n${ok.run.stdout}\n${ok.run.stderr}`);
    const legacy = await api({ minTlsVersion: 'TLSv1' });
    const bad = await check(legacy, pemConnection(legacy), {}, { node });
    assert.deepEqual(failedRules(bad), ['tls-legacy-versions-refused']);
  });

  it('no secret of any connection appears in any output, and the agent was told to mask each', () => {
    const secrets = [KEY, PFX_PASSWORD, WRONG_PASSWORD, pfxWithChain.slice(100, 160), pfxPlain.slice(100, 160)];
    const keyLines = client.keyPem.split('\n').filter((l) => l && !l.startsWith('-----'));
    assert.ok(outputs.length > 40);
    const registered: string[] = [];
    for (const { what, text } of outputs) {
      // The registrations themselves are read by the agent, never shown.
      const shown = text.split('\n').filter((line) => {
        const m = /^##vso\[task\.setsecret\](.*)$/.exec(line);
        if (m) registered.push(m[1]);
        return !m;
      });
      for (const line of shown) {
        for (const s of secrets) assert.ok(!line.includes(s), `${what} shows a secret: ${line.slice(0, 80)}`);
        for (const l of keyLines) assert.ok(!line.includes(l), `${what} shows a line of the client key`);
      }
    }
    for (const s of [KEY, PFX_PASSWORD, WRONG_PASSWORD, pfxWithChain, pfxPlain, ...keyLines]) assert.ok(registered.includes(s), `registered with the agent: ${s.slice(0, 12)}…`);
  });
});
