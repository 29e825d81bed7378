import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixtures, repoRoot } from '../paths';
import { sarifProblems } from '../sarif-validator';

/** Runs bin/armgate.js as a user would (it bundles the CLI from source on first use). */
function armgate(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [path.join(repoRoot(), 'bin', 'armgate.js'), ...args], {
    cwd: fixtures(),
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('armgate CLI (spawned)', function () {
  // The first run may bundle the CLI with esbuild.
  this.timeout(120_000);
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'armgate-cli-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('exits 1 on violations and writes the JSON contract, one result per copy', () => {
    const out = path.join(tmp, 'r.json');
    const r = armgate(['scan', 'violating', '--format', 'json', '--output', out]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /Gate FAILED/);
    assert.doesNotMatch(r.stdout, /\u001b\[/, 'no colour when not a TTY');
    const doc = JSON.parse(fs.readFileSync(out, 'utf8')) as { results: Array<{ ruleId: string; outcome: string; file: string; line: number; resource: { type: string; name: string } }> };
    const https = doc.results.filter((x) => x.ruleId === 'storage-https-only');
    assert.deepEqual(https.map((x) => [x.resource.name, x.outcome]), [['contosodata0', 'fail'], ['contosodata1', 'fail']]);
    // The root follows what is scanned: the folder 'violating' itself.
    assert.equal(https[0].file, 'storage.json');
    assert.ok(https[0].line > 1);
    for (const x of doc.results) for (const key of ['ruleId', 'outcome', 'severity', 'file', 'line', 'resource', 'message']) assert.ok(key in x, key);
  });

  it('exits 0 for an attested template and keeps the attestation in the report', () => {
    const out = path.join(tmp, 'a.sarif');
    const r = armgate(['scan', 'attested', '--format', 'sarif', '--output', out, '--unknown', 'pass']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const log = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.deepEqual(sarifProblems(log), []);
    const res = log.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'storage-https-only');
    assert.equal(res.suppressions[0].kind, 'inSource');
    assert.match(res.suppressions[0].justification, /CHG-1234/);
  });

  it('reports an unevaluable template as an error with file:line and still scans the others', () => {
    const r = armgate(['scan', 'broken', 'attested', '--format', 'json', '--unknown', 'pass']);
    assert.equal(r.code, 1);
    const doc = JSON.parse(r.stdout) as { results: Array<{ outcome: string; file: string; line: number; message: string }> };
    const err = doc.results.find((x) => x.outcome === 'error')!;
    assert.equal(err.file, 'broken/broken.json');
    assert.equal(err.line, 8);
    assert.match(err.message, /concatt/i);
    assert.ok(doc.results.some((x) => x.file === 'attested/storage.json'));
  });

  it('warns on stderr about a pattern that matches no file, exiting 0 unless --fail-if-no-controls', () => {
    const r = armgate(['scan', 'infra/**/*.json', '--quiet']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /warning: pattern 'infra\/\*\*\/\*\.json' matched no file under /);
    assert.match(r.stdout, /PASSED with warnings: pattern 'infra\/\*\*\/\*\.json' matched no file/);
    const strict = armgate(['scan', 'infra/**/*.json', 'violating/*.bicep', '--fail-if-no-controls']);
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /pattern 'violating\/\*\.bicep' matched no file/);
  });

  it('exits 2 on usage and input errors', () => {
    const usage = armgate(['scan', 'violating', '--format', 'yaml']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--format: expected/);
    const missing = armgate(['scan', 'nowhere']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nowhere: no such file or folder/);
    const badAttest = path.join(tmp, 'bad.yml');
    fs.writeFileSync(badAttest, 'attestations:\n  - control: x\n    expiresOn: 2027-01-01\n');
    const attest = armgate(['scan', 'violating', '--attestations', badAttest]);
    assert.equal(attest.code, 2);
    assert.match(attest.stderr, /bad\.yml:2: 'justification' is required/);
  });

  it('colours only when forced or on a TTY, and honours NO_COLOR', () => {
    assert.match(armgate(['scan', 'violating', '--color']).stdout, /\u001b\[31m/);
    assert.match(armgate(['scan', 'violating'], { FORCE_COLOR: '1' }).stdout, /\u001b\[/);
    assert.doesNotMatch(armgate(['scan', 'violating'], { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout, /\u001b\[/);
  });

  it('a reader that closes the pipe early (| head) gets no EPIPE stack trace; the exit code stays the verdict', async () => {
    const child = spawn(process.execPath, [path.join(repoRoot(), 'bin', 'armgate.js'), 'scan', 'violating', '--verbose', '--format', 'json'], {
      cwd: fixtures(),
      env: { PATH: process.env.PATH ?? '' },
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.doesNotMatch(stderr, /EPIPE|Unhandled/);
    assert.equal(code, 1, stderr);
  });

  it('lists the catalogue as JSON', () => {
    const r = armgate(['rules', '--format', 'json']);
    assert.equal(r.code, 0);
    const rules = JSON.parse(r.stdout) as Array<{ id: string; title: string; severity: string; resourceTypes: string[]; references: { azsk: string[]; checkov: string[]; psrule: string[] } }>;
    assert.ok(rules.length > 20);
    const https = rules.find((x) => x.id === 'storage-https-only')!;
    assert.deepEqual(https.resourceTypes, ['Microsoft.Storage/storageAccounts']);
    assert.ok(https.references.azsk.includes('Azure_Storage_DP_Encrypt_In_Transit'));
    assert.ok(Array.isArray(https.references.checkov) && Array.isArray(https.references.psrule));
  });
});
