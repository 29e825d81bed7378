/**
 * The bundled v1 and v2 run through the agent-like runner: inputs as INPUT_*, results read back
 * from ##vso commands. The bundles come from scripts/build.ts (what the vsix ships), staged into
 * a temp folder; validation is left to the build's own tests so another task's state cannot
 * break these.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildExtension } from '../../../scripts/build';
import { runTask, type RunTaskResult } from '../../../scripts/task-runner';
import { fixtures, repoRoot } from '../paths';
import { sarifProblems } from '../sarif-validator';

/** A workspace like an agent's sources folder, holding a copy of the fixtures. */
function workspace(root: string, ...folders: string[]): string {
  const ws = fs.mkdtempSync(path.join(root, 'ws-'));
  for (const f of folders) fs.cpSync(fixtures(f), path.join(ws, f), { recursive: true });
  return ws;
}

function variable(r: RunTaskResult, name: string): string | undefined {
  return r.variables.find((v) => v.name === name && v.isOutput)?.value;
}

describe('ArmTemplateSecurityGate bundled tasks (e2e)', function () {
  this.timeout(180_000);
  let tmp: string;
  let v1: string;
  let v2: string;
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'armgate-e2e-'));
    const stageDir = path.join(tmp, 'stage');
    await buildExtension({ root: repoRoot(), stageDir, validate: false, log: () => undefined });
    v1 = path.join(stageDir, 'ArmTemplateSecurityGate', 'v1');
    v2 = path.join(stageDir, 'ArmTemplateSecurityGate', 'v2');
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  describe('v2', () => {
    it('fails the build on a violating template, with file+line issues, reports, summary and output variables', async () => {
      const ws = workspace(tmp, 'violating');
      const r = await runTask({ taskDir: v2, cwd: ws, inputs: { templates: '**/*.json' }, variables: { 'System.DefaultWorkingDirectory': ws } });
      assert.equal(r.result, 'Failed', r.stdout);
      assert.match(r.resultMessage ?? '', /control failure/);
      const issue = r.issues.find((i) => i.type === 'error' && i.code === 'storage-https-only');
      assert.ok(issue, JSON.stringify(r.issues));
      assert.equal(issue.sourcePath, 'violating/storage.json');
      assert.ok((issue.lineNumber ?? 0) > 1);
      assert.equal(variable(r, 'failCount'), String(Number(variable(r, 'failCount'))));
      assert.ok(Number(variable(r, 'failCount')) >= 2);
      assert.equal(variable(r, 'verdict'), 'fail');
      assert.equal(variable(r, 'templateCount'), '1');

      assert.equal(r.summaries.length, 1);
      assert.match(fs.readFileSync(r.summaries[0], 'utf8'), /## ARM template security gate: Failed/);

      const sarifArtifact = r.artifacts.find((a) => a.artifactName === 'CodeAnalysisLogs');
      assert.ok(sarifArtifact, JSON.stringify(r.artifacts));
      const sarifFile = path.join(sarifArtifact.path, 'armgate.sarif');
      assert.equal(variable(r, 'sarifFile'), sarifFile);
      assert.deepEqual(sarifProblems(JSON.parse(fs.readFileSync(sarifFile, 'utf8'))), []);

      const publish = r.commands.find((c) => c.area === 'results' && c.event === 'publish');
      assert.ok(publish, 'JUnit published to the Tests tab');
      assert.equal(publish.properties.type, 'JUnit');
      assert.match(fs.readFileSync(publish.properties.resultfiles, 'utf8'), /<failure /);
    });

    it('annotates with paths from the working directory when rootFolder moves the scan root', async () => {
      const ws = workspace(tmp, 'violating');
      const r = await runTask({
        taskDir: v2, cwd: ws, inputs: { templates: '*.json', rootFolder: 'violating', reports: 'json', reportsFolder: 'out' }, variables: { 'System.DefaultWorkingDirectory': ws },
      });
      assert.equal(r.result, 'Failed', r.stdout);
      const issue = r.issues.find((i) => i.type === 'error' && i.code === 'storage-https-only');
      assert.equal(issue?.sourcePath, 'violating/storage.json', JSON.stringify(r.issues));
      const report = JSON.parse(fs.readFileSync(path.join(ws, 'out', 'armgate-results.json'), 'utf8')) as { results: Array<{ file: string }> };
      assert.equal(report.results[0].file, 'storage.json', 'reports stay relative to the scan root');
    });

    it('replaces a symbolic link planted in the reports folder instead of writing through it', async () => {
      const ws = workspace(tmp, 'violating');
      const reports = path.join(ws, 'reports');
      fs.mkdirSync(reports);
      const victim = path.join(ws, 'victim.txt');
      fs.writeFileSync(victim, 'keep');
      fs.symlinkSync(victim, path.join(reports, 'armgate-results.json'));
      const r = await runTask({
        taskDir: v2, cwd: ws, inputs: { templates: 'violating', reports: 'json', reportsFolder: 'reports' }, variables: { 'System.DefaultWorkingDirectory': ws },
      });
      assert.equal(r.result, 'Failed', r.stdout);
      assert.equal(fs.readFileSync(victim, 'utf8'), 'keep');
      assert.equal(fs.lstatSync(path.join(reports, 'armgate-results.json')).isSymbolicLink(), false);
      assert.ok(JSON.parse(fs.readFileSync(path.join(reports, 'armgate-results.json'), 'utf8')).results.length > 0);
      assert.deepEqual(fs.readdirSync(reports).filter((f) => f.endsWith('.tmp')), []);
    });

    it('passes an attested template and keeps the attestation visible', async () => {
      const ws = workspace(tmp, 'attested');
      const r = await runTask({ taskDir: v2, cwd: ws, inputs: { templates: 'attested', unknownPolicy: 'pass' }, variables: { 'System.DefaultWorkingDirectory': ws } });
      assert.ok(r.result === 'Succeeded' || r.result === 'SucceededWithIssues', `${r.result}: ${r.resultMessage}\n${r.stdout}`);
      assert.equal(variable(r, 'failCount'), '0');
      assert.ok(Number(variable(r, 'attestedCount')) >= 1);
      assert.match(fs.readFileSync(r.summaries[0], 'utf8'), /### Attested[\s\S]*CHG-1234/);
    });

    it('fails on an expired attestation from the attestation file, naming it', async () => {
      const ws = workspace(tmp, 'violating');
      fs.writeFileSync(
        path.join(ws, 'attest.yml'),
        'attestations:\n  - control: storage-https-only\n    resource: { name: "contosodata*" }\n    justification: old waiver\n    approvedBy: sec\n    expiresOn: 2020-01-31\n',
      );
      const r = await runTask({ taskDir: v2, cwd: ws, inputs: { templates: 'violating', attestationFile: 'attest.yml', unknownPolicy: 'pass' }, variables: { 'System.DefaultWorkingDirectory': ws } });
      assert.equal(r.result, 'Failed');
      assert.match(r.resultMessage ?? '', /expired attestation/);
      assert.ok(r.issues.some((i) => /attestation expired on 2020-01-31 \(attest\.yml:2\)/.test(i.message)));
    });

    it('a templates pattern that matches no file makes the task SucceededWithIssues with a warning naming it', async () => {
      const ws = workspace(tmp, 'violating');
      const r = await runTask({ taskDir: v2, cwd: ws, inputs: { templates: 'infra/**/*.json' }, variables: { 'System.DefaultWorkingDirectory': ws } });
      assert.equal(r.result, 'SucceededWithIssues', `${r.resultMessage}\n${r.stdout}`);
      assert.match(r.resultMessage ?? '', /pattern 'infra\/\*\*\/\*\.json' matched no file/);
      const warning = r.issues.find((i) => i.type === 'warning' && /pattern 'infra\/\*\*\/\*\.json' matched no file under /.test(i.message));
      assert.ok(warning, JSON.stringify(r.issues));
      assert.ok(warning.message.includes(ws), 'names the root');
      assert.equal(variable(r, 'templateCount'), '0');
    });

    it('registers secure parameter values with task.setsecret before logging, and no log or report holds them', async () => {
      const secret = 'S3cr3t-Value-XYZ';
      const ws = workspace(tmp, 'secrets');
      const reportsFolder = path.join(ws, 'reports');
      const r = await runTask({
        taskDir: v2,
        cwd: ws,
        inputs: { templates: 'secrets/*.json', reports: 'sarif,junit,json,csv,markdown', reportsFolder },
        variables: { 'System.DefaultWorkingDirectory': ws },
      });
      assert.equal(r.result, 'Failed', r.stdout);
      const setSecret = r.commands.findIndex((c) => c.command === 'task.setsecret' && c.message === secret);
      assert.ok(setSecret !== -1, 'registered with task.setsecret');
      // Everything the task prints, minus the registration commands themselves (the agent never shows those).
      const lines = r.stdout.split(/\r?\n/).filter((l) => !l.startsWith('##vso[task.setsecret]'));
      assert.deepEqual(lines.filter((l) => l.includes(secret) || l.includes(secret.toUpperCase())), []);
      assert.ok(!r.stderr.includes(secret));
      // Nothing about the templates is logged before the value is registered.
      const firstIssue = r.commands.findIndex((c) => c.command === 'task.logissue');
      assert.ok(firstIssue === -1 || setSecret < firstIssue, 'setsecret precedes the first annotation');
      assert.ok(r.issues.some((i) => i.message.includes('***')), JSON.stringify(r.issues));
      for (const i of r.issues) assert.ok(!i.message.includes(secret), i.message);
      const written: string[] = [];
      const walk = (dir: string) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
          const full = path.join(dir, e.name);
          if (e.isDirectory()) walk(full);
          else written.push(full);
        }
      };
      walk(reportsFolder);
      assert.ok(written.length >= 5, written.join(', '));
      for (const file of written) assert.ok(!fs.readFileSync(file, 'utf8').includes(secret), `${path.basename(file)} holds the secret`);
      for (const file of r.summaries) assert.ok(!fs.readFileSync(file, 'utf8').includes(secret));
    });

    it('rejects a bad input naming it', async () => {
      const ws = workspace(tmp, 'violating');
      const r = await runTask({ taskDir: v2, cwd: ws, inputs: { templates: '**/*.json', unknownPolicy: 'sometimes' }, variables: { 'System.DefaultWorkingDirectory': ws } });
      assert.equal(r.result, 'Failed');
      assert.match(r.resultMessage ?? '', /Input 'unknownPolicy': expected one of fail, warn, pass/);
    });
  });

  describe('v1 (AzSK inputs)', () => {
    it('fails on a violating template folder with a parameter folder, writing the AzSK CSV', async () => {
      const ws = workspace(tmp, 'violating');
      const r = await runTask({
        taskDir: v1,
        cwd: ws,
        inputs: { ARMTemplateFilePath: path.join(ws, 'violating'), ARMTemplateParameterFilePath: path.join(ws, 'violating'), TreatAsPassed: 'Verify' },
        variables: { 'System.DefaultWorkingDirectory': ws },
      });
      assert.equal(r.result, 'Failed', r.stdout);
      assert.ok(r.issues.some((i) => i.code === 'storage-https-only' && i.sourcePath === 'violating/storage.json' && (i.lineNumber ?? 0) > 1));
      assert.ok(Number(variable(r, 'failCount')) >= 2);
      assert.equal(r.summaries.length, 1);
      const csv = fs.readFileSync(path.join(r.tempDir, 'ArmTemplateSecurityGate', 'armgate-results.csv'), 'utf8');
      assert.match(csv, /^ControlId,FeatureName,Status,SupportedResources,Severity,PropertyPath,LineNumber,CurrentValue,ExpectedProperty,ExpectedValue,ResourcePath,ResourceLineNumber,Description,FilePath,/);
      assert.match(csv, /\nstorage-https-only,Storage,Failed,/);
    });

    it('passes when the failures are skipped through an AzSK-style skip file', async () => {
      const ws = workspace(tmp, 'violating');
      fs.writeFileSync(path.join(ws, 'skip.csv'), 'ControlId,FeatureName,Status,FilePath\nAzure_Storage_DP_Encrypt_In_Transit,Storage,Failed,violating/storage.json\nstorage-blob-soft-delete,Storage,Failed,D:\\a\\1\\s\\violating\\storage.json\n');
      const r = await runTask({
        taskDir: v1,
        cwd: ws,
        inputs: { ARMTemplateFilePath: path.join(ws, 'violating'), SkipControlsFromFile: path.join(ws, 'skip.csv') },
        variables: { 'System.DefaultWorkingDirectory': ws, TreatAsPassed: 'Verify,Manual' },
      });
      assert.ok(!r.issues.some((i) => i.code === 'storage-https-only'), JSON.stringify(r.issues));
      assert.notEqual(r.result, 'Failed', `${r.resultMessage}\n${r.stdout}`);
    });

    it('passes an attested template', async () => {
      const ws = workspace(tmp, 'attested');
      const r = await runTask({ taskDir: v1, cwd: ws, inputs: { ARMTemplateFilePath: path.join(ws, 'attested', 'storage.json'), TreatAsPassed: 'Verify' }, variables: { 'System.DefaultWorkingDirectory': ws } });
      assert.ok(r.result === 'Succeeded' || r.result === 'SucceededWithIssues', `${r.result}: ${r.resultMessage}\n${r.stdout}`);
      assert.ok(Number(variable(r, 'attestedCount')) >= 1);
    });
  });
});
