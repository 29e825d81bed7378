/**
 * Issue 16's "done when", from a pipeline and from the command line: a team (a) raises the minimum
 * TLS threshold in a settings file, (b) adds an "allowed locations" rule in YAML, (c) drops in an
 * Azure Policy definition with assignment parameters — and each fails a template that violates it.
 * The task is the BUNDLED ArmTemplateSecurityGate@2 run as the agent runs it; the CLI is
 * bin/armgate.js spawned as a user runs it.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildExtension } from '../../../scripts/build';
import { runTask, type RunTaskResult } from '../../../scripts/task-runner';
import { repoRoot } from '../paths';
import { sarifProblems } from '../sarif-validator';

const FIXTURE = path.join(repoRoot(), 'test', 'ArmTemplateSecurityGate', 'policy', 'fixtures', 'org');
const POLICY = '404c3081-a854-4457-ae30-26a93ef643f9';
/** A built-in App Service definition (its README says where it comes from), reading the alias Microsoft.Web/sites/httpsOnly. */
const APP_SERVICE = path.join(repoRoot(), 'test', 'ArmTemplateSecurityGate', 'policy', 'fixtures', 'appservice');
const APP_POLICY = 'a4af4a39-4135-47fb-b175-47fbdf85311d';
/** A built-in AKS definition (its README says where it comes from), counting node pools through the array alias agentPoolProfiles[*]. */
const AKS = path.join(repoRoot(), 'test', 'ArmTemplateSecurityGate', 'policy', 'fixtures', 'aks');
const AKS_POLICY = '41425d9f-d1a5-499a-9932-f8ed8453932c';
/** A built-in Network definition (its README says where it comes from), reading a network security rule through its Microsoft.Network aliases. */
const NSG = path.join(repoRoot(), 'test', 'ArmTemplateSecurityGate', 'policy', 'fixtures', 'nsg');
const NSG_POLICY = 'e372f825-a257-4fb8-9175-797a8a8627d6';

interface JsonReport {
  results: Array<{ ruleId: string; outcome: string; title: string; severity: string; file: string; line: number; blocking: boolean; message: string; resource: { name: string } }>;
  settings?: string;
}

function workspace(root: string, drop: string[] = []): string {
  const ws = fs.mkdtempSync(path.join(root, 'ws-'));
  fs.cpSync(FIXTURE, ws, { recursive: true });
  for (const d of drop) fs.rmSync(path.join(ws, d), { recursive: true, force: true });
  return ws;
}

function appServiceWorkspace(root: string): string {
  const ws = fs.mkdtempSync(path.join(root, 'app-'));
  fs.cpSync(APP_SERVICE, ws, { recursive: true });
  return ws;
}

function aksWorkspace(root: string): string {
  const ws = fs.mkdtempSync(path.join(root, 'aks-'));
  fs.cpSync(AKS, ws, { recursive: true });
  return ws;
}

function nsgWorkspace(root: string): string {
  const ws = fs.mkdtempSync(path.join(root, 'nsg-'));
  fs.cpSync(NSG, ws, { recursive: true });
  return ws;
}

const finding = (report: JsonReport, ruleId: string) => report.results.find((r) => r.ruleId === ruleId);

function armgate(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, [path.join(repoRoot(), 'bin', 'armgate.js'), ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("ArmTemplateSecurityGate: the organisation's rules (e2e)", function () {
  this.timeout(240_000);
  let tmp: string;
  let v2: string;
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'armgate-org-e2e-'));
    const stageDir = path.join(tmp, 'stage');
    await buildExtension({ root: repoRoot(), stageDir, validate: false, log: () => undefined });
    v2 = path.join(stageDir, 'ArmTemplateSecurityGate', 'v2');
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  async function task(ws: string, inputs: Record<string, string>): Promise<{ r: RunTaskResult; report: JsonReport }> {
    const r = await runTask({
      taskDir: v2,
      cwd: ws,
      inputs: { templates: 'infra/*.json', reports: 'json,sarif', reportsFolder: 'out', ...inputs },
      variables: { 'System.DefaultWorkingDirectory': ws },
    });
    const report = JSON.parse(fs.readFileSync(path.join(ws, 'out', 'armgate-results.json'), 'utf8')) as JsonReport;
    assert.deepEqual(sarifProblems(JSON.parse(fs.readFileSync(path.join(ws, 'out', 'CodeAnalysisLogs', 'armgate.sarif'), 'utf8'))), []);
    return { r, report };
  }

  describe('task v2', () => {
    it('(a) armgate.yaml at the root raises the minimum TLS version: TLS1_2 now fails, with the threshold in the title', async () => {
      const before = await task(workspace(tmp, ['armgate.yaml']), {});
      assert.equal(finding(before.report, 'storage-min-tls-version')?.outcome, 'pass');

      const ws = workspace(tmp);
      const { r, report } = await task(ws, {});
      const tls = finding(report, 'storage-min-tls-version')!;
      assert.equal(tls.outcome, 'fail', tls.message);
      assert.equal(tls.title, 'Storage account requires TLS 1.3 or later');
      assert.match(tls.message, /expected 1\.3 or later/);
      assert.equal(report.settings, 'armgate.yaml');
      assert.equal(r.result, 'Failed');
      assert.ok(r.issues.some((i) => i.type === 'error' && i.code === 'storage-min-tls-version' && i.sourcePath === 'infra/storage.json'), JSON.stringify(r.issues));

      // The same file named through settingsFile, from elsewhere.
      fs.mkdirSync(path.join(ws, 'config'));
      fs.renameSync(path.join(ws, 'armgate.yaml'), path.join(ws, 'config', 'gate.yaml'));
      const named = await task(ws, { settingsFile: 'config/gate.yaml' });
      assert.equal(finding(named.report, 'storage-min-tls-version')?.outcome, 'fail');
      assert.equal(named.report.settings, 'config/gate.yaml');
    });

    it('(a) a mistake in the settings file fails the task naming file:line', async () => {
      const ws = workspace(tmp);
      fs.writeFileSync(path.join(ws, 'armgate.yaml'), 'controls:\n  storage-min-tls-version:\n    parameters:\n      minimumTlsVersoin: "1.3"\n');
      const r = await runTask({ taskDir: v2, cwd: ws, inputs: { templates: 'infra/*.json' }, variables: { 'System.DefaultWorkingDirectory': ws } });
      assert.equal(r.result, 'Failed');
      assert.match(r.resultMessage ?? '', /armgate\.yaml:4:7: control 'storage-min-tls-version' has no parameter 'minimumTlsVersoin' \(did you mean 'minimumTlsVersion'\?\)/);
    });

    it('(b) an allowed-locations rule in YAML (controlsFolder) fails a resource in eastus', async () => {
      const { r, report } = await task(workspace(tmp), { controlsFolder: 'security/controls' });
      const loc = finding(report, 'allowed-locations')!;
      assert.equal(loc.outcome, 'fail');
      assert.equal(loc.title, 'Resources are deployed only to approved regions');
      assert.equal(loc.line, 9);
      assert.match(loc.message, /location is "eastus"/);
      assert.ok(r.issues.some((i) => i.type === 'error' && i.code === 'allowed-locations' && i.lineNumber === 9), JSON.stringify(r.issues));
    });

    it('(c) a built-in Azure Policy definition with assignment parameters (Deny) fails the template under its name and displayName', async () => {
      const ws = workspace(tmp);
      const { r, report } = await task(ws, { policyDefinitions: 'security/policies' });
      const p = finding(report, POLICY)!;
      assert.equal(p.outcome, 'fail');
      assert.equal(p.title, 'Secure transfer to storage accounts should be enabled');
      assert.equal(p.blocking, true);
      assert.ok(r.issues.some((i) => i.type === 'error' && i.code === POLICY), JSON.stringify(r.issues));

      // Without the assignment values the definition's default, Audit, applies: a warning.
      fs.rmSync(path.join(ws, 'security', 'policies', 'Storage_AuditForHTTPSEnabled_Audit.parameters.json'));
      const audit = await task(ws, { policyDefinitions: 'security/policies/Storage_AuditForHTTPSEnabled_Audit.json' });
      assert.equal(finding(audit.report, POLICY)?.blocking, false);
      assert.ok(audit.r.issues.some((i) => i.type === 'warning' && i.code === POLICY), JSON.stringify(audit.r.issues));
    });
  });

  describe('a built-in App Service definition through the alias table', () => {
    it('task v2: denies a web app without HTTPS only, passes one with it', async () => {
      const ws = appServiceWorkspace(tmp);
      const bad = await task(ws, { templates: 'violating/*.json', policyDefinitions: 'policies' });
      const f = finding(bad.report, APP_POLICY)!;
      assert.equal(f.outcome, 'fail', f.message);
      assert.equal(f.title, 'App Service apps should only be accessible over HTTPS');
      assert.equal(f.blocking, true);
      assert.match(f.message, /matches the rule/);
      assert.equal(bad.r.result, 'Failed');
      assert.ok(bad.r.issues.some((i) => i.type === 'error' && i.code === APP_POLICY && /site\.json$/.test(i.sourcePath ?? '')), JSON.stringify(bad.r.issues));

      const good = await task(ws, { templates: 'compliant/*.json', policyDefinitions: 'policies' });
      assert.equal(finding(good.report, APP_POLICY)?.outcome, 'pass', finding(good.report, APP_POLICY)?.message);
      assert.ok(!good.r.issues.some((i) => i.code === APP_POLICY), JSON.stringify(good.r.issues));
    });

    it('CLI: the same definition fails the violating template and passes the compliant one', () => {
      const ws = appServiceWorkspace(tmp);
      const out = path.join(ws, 'r.json');
      const bad = armgate(ws, ['scan', 'violating', '--policy', 'policies', '--format', 'json', '--output', out, '--quiet']);
      assert.equal(bad.code, 1, bad.stderr);
      const f = finding(JSON.parse(fs.readFileSync(out, 'utf8')) as JsonReport, APP_POLICY)!;
      assert.deepEqual([f.outcome, f.blocking, f.file], ['fail', true, 'site.json'], f.message);

      const good = armgate(ws, ['scan', 'compliant', '--policy', 'policies', '--format', 'json', '--output', out, '--quiet']);
      assert.ok(good.code === 0 || good.code === 1, good.stderr);
      const p = finding(JSON.parse(fs.readFileSync(out, 'utf8')) as JsonReport, APP_POLICY)!;
      assert.deepEqual([p.outcome, p.line], ['pass', 13], 'decided by httpsOnly, read through the alias');
    });
  });

  describe('a built-in AKS definition through the alias table (array alias with count and where)', () => {
    it('task v2: denies a cluster with a node pool not encrypted at host, passes one with every pool encrypted', async () => {
      const ws = aksWorkspace(tmp);
      const bad = await task(ws, { templates: 'violating/*.json', policyDefinitions: 'policies' });
      const f = finding(bad.report, AKS_POLICY)!;
      assert.equal(f.outcome, 'fail', f.message);
      assert.equal(f.title, 'Temp disks and cache for agent node pools in Azure Kubernetes Service clusters should be encrypted at host');
      assert.equal(f.blocking, true);
      assert.match(f.message, /count of Microsoft\.ContainerService\/managedClusters\/agentPoolProfiles\[\*\] meeting the where condition is 1/);
      assert.equal(bad.r.result, 'Failed');
      assert.ok(bad.r.issues.some((i) => i.type === 'error' && i.code === AKS_POLICY && /cluster\.json$/.test(i.sourcePath ?? '')), JSON.stringify(bad.r.issues));

      const good = await task(ws, { templates: 'compliant/*.json', policyDefinitions: 'policies' });
      assert.equal(finding(good.report, AKS_POLICY)?.outcome, 'pass', finding(good.report, AKS_POLICY)?.message);
      assert.ok(!good.r.issues.some((i) => i.code === AKS_POLICY), JSON.stringify(good.r.issues));
    });

    it('CLI: the same definition fails the violating template at the pool without encryption at host, and passes the compliant one', () => {
      const ws = aksWorkspace(tmp);
      const out = path.join(ws, 'r.json');
      const bad = armgate(ws, ['scan', 'violating', '--policy', 'policies', '--format', 'json', '--output', out, '--quiet']);
      assert.equal(bad.code, 1, bad.stderr);
      const f = finding(JSON.parse(fs.readFileSync(out, 'utf8')) as JsonReport, AKS_POLICY)!;
      assert.deepEqual([f.outcome, f.blocking, f.file, f.line], ['fail', true, 'cluster.json', 15], f.message);

      const good = armgate(ws, ['scan', 'compliant', '--policy', 'policies', '--format', 'json', '--output', out, '--quiet']);
      assert.ok(good.code === 0 || good.code === 1, good.stderr);
      assert.equal(finding(JSON.parse(fs.readFileSync(out, 'utf8')) as JsonReport, AKS_POLICY)?.outcome, 'pass');
    });
  });

  describe('a built-in Network definition through the alias table (network security rule, Audit)', () => {
    it('task v2: warns about an inbound rule allowing RDP from the Internet without blocking, passes the rule from a private range', async () => {
      const ws = nsgWorkspace(tmp);
      const bad = await task(ws, { templates: 'violating/*.json', policyDefinitions: 'policies' });
      const f = finding(bad.report, NSG_POLICY)!;
      assert.equal(f.outcome, 'fail', f.message);
      assert.equal(f.title, '[Deprecated]: RDP access from the Internet should be blocked');
      assert.equal(f.resource.name, 'nsg-jump/allow-rdp');
      assert.equal(f.blocking, false, 'Audit: a warning');
      assert.match(f.message, /securityRules\/destinationPortRange is "3389".*securityRules\/sourceAddressPrefix is "Internet"/);
      assert.ok(bad.r.issues.some((i) => i.type === 'warning' && i.code === NSG_POLICY && /nsg\.json$/.test(i.sourcePath ?? '')), JSON.stringify(bad.r.issues));
      assert.ok(!bad.r.issues.some((i) => i.type === 'error' && i.code === NSG_POLICY), JSON.stringify(bad.r.issues));

      const good = await task(ws, { templates: 'compliant/*.json', policyDefinitions: 'policies' });
      assert.equal(finding(good.report, NSG_POLICY)?.outcome, 'pass', finding(good.report, NSG_POLICY)?.message);
      assert.ok(!good.r.issues.some((i) => i.code === NSG_POLICY), JSON.stringify(good.r.issues));
    });

    it('CLI: the same definition fails the violating rule as a warning and passes the compliant one', () => {
      const ws = nsgWorkspace(tmp);
      const out = path.join(ws, 'r.json');
      const bad = armgate(ws, ['scan', 'violating', '--policy', 'policies', '--format', 'json', '--output', out, '--quiet']);
      assert.ok(bad.code === 0 || bad.code === 1, bad.stderr);
      const f = finding(JSON.parse(fs.readFileSync(out, 'utf8')) as JsonReport, NSG_POLICY)!;
      assert.deepEqual([f.outcome, f.blocking, f.file, f.resource.name], ['fail', false, 'nsg.json', 'nsg-jump/allow-rdp'], f.message);

      const good = armgate(ws, ['scan', 'compliant', '--policy', 'policies', '--format', 'json', '--output', out, '--quiet']);
      assert.ok(good.code === 0 || good.code === 1, good.stderr);
      assert.equal(finding(JSON.parse(fs.readFileSync(out, 'utf8')) as JsonReport, NSG_POLICY)?.outcome, 'pass');
    });
  });

  describe('CLI', () => {
    it('(a) settings, (b) custom control and (c) policy definition each fail the template; rules shows the effective values', () => {
      const ws = workspace(tmp);
      const out = path.join(ws, 'r.json');
      const r = armgate(ws, ['scan', 'infra', '--root', '.', '--controls', 'security/controls', '--policy', 'security/policies', '--format', 'json', '--output', out, '--quiet']);
      assert.equal(r.code, 1, r.stderr);
      const report = JSON.parse(fs.readFileSync(out, 'utf8')) as JsonReport;
      assert.equal(finding(report, 'storage-min-tls-version')?.outcome, 'fail');
      assert.equal(finding(report, 'allowed-locations')?.outcome, 'fail');
      assert.equal(finding(report, POLICY)?.outcome, 'fail');

      const clean = armgate(ws, ['scan', 'infra', '--format', 'json', '--output', out, '--quiet']);
      assert.equal(clean.code, 1, 'storage-https-only still fails');
      assert.equal(finding(JSON.parse(fs.readFileSync(out, 'utf8')) as JsonReport, 'storage-min-tls-version')?.outcome, 'pass', 'root infra: no armgate.yaml there');

      const rules = armgate(ws, ['rules', '--controls', 'security/controls', '--policy', 'security/policies']);
      assert.equal(rules.code, 0, rules.stderr);
      assert.match(rules.stdout, /^settings: armgate\.yaml$/m);
      assert.match(rules.stdout, /storage-min-tls-version\s+medium\s+Storage account requires TLS 1\.3 or later\n\s+minimumTlsVersion = 1\.3/);
      assert.match(rules.stdout, /allowed-locations\s+high\s+Resources are deployed only to approved regions\n\s+allowedLocations = westeurope, northeurope/);
      assert.match(rules.stdout, new RegExp(`${POLICY}\\s+high\\s+Secure transfer to storage accounts should be enabled\\n\\s+effect = Deny`));
      const json = JSON.parse(armgate(ws, ['rules', '--format', 'json', '--policy', 'security/policies']).stdout) as Array<{ id: string; parameters: Record<string, unknown>; effect?: string; status: string }>;
      assert.deepEqual(json.find((x) => x.id === POLICY), { ...json.find((x) => x.id === POLICY), parameters: { effect: 'Deny' }, effect: 'deny', status: 'enabled' });
    });

    it('a mistake in a custom control exits 2 naming file:line', () => {
      const ws = workspace(tmp);
      fs.appendFileSync(path.join(ws, 'security', 'controls', 'allowed-locations.yaml'), 'sevrity: low\n');
      const r = armgate(ws, ['scan', 'infra', '--controls', 'security/controls']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /allowed-locations\.yaml:16:1: unknown key 'sevrity' in a custom control/);
    });
  });
});
