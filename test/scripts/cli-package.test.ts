import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildCliPackage, checkCliTarball, CliPackageResult, runNpm } from '../../scripts/cli-package';
import { dataInNotices, listedInNotices } from '../../scripts/notices';
import { toolRoot } from '../../scripts/paths';
import { readTgz } from '../../scripts/tar-reader';
import { quiet, removeDir } from './helpers';

describe('the armgate npm package (npm run package → dist/<scope>-armgate-<version>.tgz)', function () {
  this.timeout(180_000);
  let tmp: string;
  let pkg: CliPackageResult;
  const version = (JSON.parse(fs.readFileSync(path.join(toolRoot(), 'package.json'), 'utf8')) as { version: string }).version;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-cli-pkg-'));
    pkg = (await buildCliPackage({ root: toolRoot(), publisher: 'Contoso-Tools', outputDir: path.join(tmp, 'dist'), log: quiet }))!;
  });
  after(() => removeDir(tmp));

  it('is @<publisher>/armgate at package.json\'s version: one bundled file, no dependencies, LICENSE and its own notices', () => {
    assert.strictEqual(pkg.name, '@contoso-tools/armgate');
    assert.strictEqual(pkg.version, version);
    assert.strictEqual(path.basename(pkg.tarball), `contoso-tools-armgate-${version}.tgz`);
    assert.deepStrictEqual(checkCliTarball(pkg.tarball, pkg.name, pkg.version), []);
    const entries = readTgz(pkg.tarball);
    assert.deepStrictEqual(entries.map((e) => e.name).sort(), ['package/LICENSE', 'package/README.md', 'package/THIRD-PARTY-NOTICES.txt', 'package/armgate.js', 'package/package.json']);
    const manifest = JSON.parse(entries.find((e) => e.name === 'package/package.json')!.data.toString('utf8')) as Record<string, unknown>;
    assert.deepStrictEqual(manifest.bin, { armgate: 'armgate.js' });
    assert.strictEqual(manifest.dependencies, undefined);
    assert.strictEqual(manifest.license, 'MIT');
    const notices = listedInNotices(entries.find((e) => e.name === 'package/THIRD-PARTY-NOTICES.txt')!.data.toString('utf8'));
    for (const dep of ['minimatch', 'yaml']) assert.ok(notices.some((n) => n.startsWith(`${dep}@`)), `${dep} in the notices: ${notices.join(', ')}`);
    // The alias table travels in the CLI too, and with it the notices of the data it is made from.
    assert.deepStrictEqual(dataInNotices(entries.find((e) => e.name === 'package/THIRD-PARTY-NOTICES.txt')!.data.toString('utf8')), ['PSRule.Rules.Azure', 'azure-policy-aliases']);
    assert.match(entries.find((e) => e.name === 'package/LICENSE')!.data.toString('utf8'), /^MIT License/);
  });

  it('installs offline into a prefix and scans a folder given by absolute path from another working directory', async () => {
    const prefix = path.join(tmp, 'prefix');
    const installed = await runNpm(['install', '-g', '--prefix', prefix, pkg.tarball, '--offline', '--no-audit', '--no-fund', '--loglevel=error'], tmp);
    assert.strictEqual(installed.code, 0, installed.stdout + installed.stderr);
    const bin = path.join(prefix, process.platform === 'win32' ? 'armgate.cmd' : path.join('bin', 'armgate'));
    assert.ok(fs.existsSync(bin), `${bin} exists`);
    assert.ok(!fs.existsSync(path.join(prefix, 'lib', 'node_modules', '@contoso-tools', 'armgate', 'node_modules')), 'nothing installed beside it');

    const infra = path.join(tmp, 'project', 'infra');
    fs.cpSync(path.join(toolRoot(), 'test', 'ArmTemplateSecurityGate', 'fixtures', 'violating'), infra, { recursive: true });
    const elsewhere = fs.mkdtempSync(path.join(tmp, 'elsewhere-'));
    const env = { PATH: process.env.PATH ?? '', HOME: tmp, NO_COLOR: '1' };
    const run = (...args: string[]) => spawnSync(bin, args, { cwd: elsewhere, env, encoding: 'utf8', shell: process.platform === 'win32' });

    const v = run('--version');
    assert.strictEqual(v.status, 0, v.stderr);
    assert.strictEqual(v.stdout.trim(), `armgate ${version}`);

    const scan = run('scan', infra, '--format', 'json', '--output', path.join(elsewhere, 'gate.json'));
    assert.strictEqual(scan.status, 1, `violations exit 1\n${scan.stdout}${scan.stderr}`);
    assert.match(scan.stdout, /Gate FAILED/);
    const report = JSON.parse(fs.readFileSync(path.join(elsewhere, 'gate.json'), 'utf8')) as { results: Array<{ ruleId: string; outcome: string }>; tool?: { version?: string } };
    // A control that fails on the template alone: which parameter file applies from another folder is the gate's (issue 8 §3).
    assert.ok(report.results.some((r) => r.ruleId === 'storage-blob-soft-delete' && r.outcome === 'fail'), JSON.stringify(report.results.map((r) => [r.ruleId, r.outcome])));
    assert.strictEqual(report.tool?.version, version, 'reports carry the same one version');

    // The release pipeline's demonstration step, with this installed CLI on PATH as the pipeline puts it.
    const reports = path.join(tmp, 'reports');
    const demo = spawnSync('bash', [path.join('scripts', 'pipeline', 'gate-demo.sh'), reports], {
      cwd: toolRoot(),
      env: { ...env, PATH: `${path.dirname(bin)}${path.delimiter}${env.PATH}` },
      encoding: 'utf8',
    });
    assert.strictEqual(demo.status, 0, demo.stdout + demo.stderr);
    assert.match(demo.stdout, /As expected, the gate stopped the violating sample/);
    for (const f of ['attested.sarif', 'violating.sarif']) assert.ok(fs.existsSync(path.join(reports, f)), f);
  });
});
