import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { bundleEntry } from '../../scripts/build';
import { packageExtension } from '../../scripts/package';
import { contributionId } from '../../scripts/manifest';
import { ZipFile } from '../../scripts/zip-reader';
import { pngSize } from '../../scripts/png';
import { copyFixture, quiet, removeDir } from './helpers';

interface VsoManifest {
  contributions: Array<{ id: string; type: string; properties: { name: string } }>;
}

describe('scripts/package', () => {
  let root: string;
  beforeEach(() => (root = copyFixture()));
  afterEach(() => removeDir(root));

  it('packs both versions of the fixture task with their bundles and no node_modules', async () => {
    // A copy has no release records: --bump records the baseline (see task-versions.test for the rest).
    const r = await packageExtension({ root, log: quiet, bump: true });
    assert.strictEqual(path.basename(r.vsix), 'fixture-publisher.fixture-extension-1.2.3.vsix');
    const zip = new ZipFile(r.vsix);
    for (const v of ['v1', 'v2']) {
      for (const f of ['index.js', 'task.json', 'icon.png']) assert.ok(zip.has(`FixtureEcho/${v}/${f}`), `FixtureEcho/${v}/${f} missing`);
      assert.match(zip.readText(`FixtureEcho/${v}/index.js`), /##vso\[/, 'bundle inlines task-lib');
      assert.deepStrictEqual(pngSize(zip.read(`FixtureEcho/${v}/icon.png`)), { width: 32, height: 32 });
    }
    assert.strictEqual((JSON.parse(zip.readText('FixtureEcho/v2/task.json')) as { version: { Major: number } }).version.Major, 2);
    assert.ok(zip.has('FixtureEcho/v2/Strings/resources.resjson/en-US/resources.resjson'));
    assert.ok(!zip.names().some((n) => n.includes('node_modules')), 'no node_modules in the vsix');
    assert.ok(!zip.names().some((n) => n.endsWith('.ts')), 'no TypeScript sources in the vsix');
    const vso = JSON.parse(zip.readText('extension.vsomanifest')) as VsoManifest;
    const task = vso.contributions.filter((c) => c.type === 'ms.vss-distributed-task.task');
    assert.deepStrictEqual(task.map((c) => [c.id, c.properties.name]), [['fixture-echo', 'FixtureEcho']]);
    assert.ok(vso.contributions.some((c) => c.id === 'fixture-endpoint-type'), 'hand-written endpoint type kept');
    const overview = zip.readText('overview.md');
    assert.match(overview, /^- \*\*.*\*\* — `FixtureEcho@1`, `FixtureEcho@2`: /m, overview);
    assert.match(overview, /## Fixture Echo\n\nEchoes its input/, overview);
    assert.ok(!overview.includes('<!--'), 'markers replaced');
    assert.match(zip.readText('LICENSE'), /^MIT License/);
    assert.match(zip.readText('extension.vsixmanifest'), /<License>LICENSE<\/License>/);
    for (const f of ['THIRD-PARTY-NOTICES.txt', 'FixtureEcho/v1/THIRD-PARTY-NOTICES.txt', 'FixtureEcho/v2/THIRD-PARTY-NOTICES.txt']) {
      assert.match(zip.readText(f), /^- azure-pipelines-task-lib \d+\.\d+\.\d+ \(MIT\)$/m, f);
    }
  });

  it('overrides publisher and version from options without editing files', async () => {
    const before = fs.readFileSync(path.join(root, 'vss-extension.json'), 'utf8');
    const r = await packageExtension({ root, log: quiet, checkVersions: false, publisher: 'my-pub', version: '4.5.6', outputDir: path.join(root, 'out-vsix') });
    assert.strictEqual(r.vsix, path.join(root, 'out-vsix', 'my-pub.fixture-extension-4.5.6.vsix'));
    const identity = /<Identity[^>]*>/.exec(new ZipFile(r.vsix).readText('extension.vsixmanifest'))![0];
    assert.match(identity, /Publisher="my-pub"/);
    assert.match(identity, /Version="4\.5\.6"/);
    assert.strictEqual(fs.readFileSync(path.join(root, 'vss-extension.json'), 'utf8'), before);
  });

  it('overrides publisher and version from SRK_PUBLISHER / SRK_VERSION', async () => {
    process.env.SRK_PUBLISHER = 'env-pub';
    process.env.SRK_VERSION = '9.8.7';
    try {
      const r = await packageExtension({ root, log: quiet, checkVersions: false });
      assert.strictEqual(path.basename(r.vsix), 'env-pub.fixture-extension-9.8.7.vsix');
    } finally {
      delete process.env.SRK_PUBLISHER;
      delete process.env.SRK_VERSION;
    }
  });

  it('rejects a malformed version override naming the option', async () => {
    await assert.rejects(packageExtension({ root, log: quiet, version: '1.2' }), /--extension-version \/ SRK_VERSION: '1\.2' is not MAJOR\.MINOR\.PATCH/);
  });

  it('packages an extension without tasks, warning and inventing nothing', async () => {
    // The task folder stays (with its overview section) but has no version to ship.
    for (const v of ['v1', 'v2']) removeDir(path.join(root, 'tasks', 'FixtureEcho', v));
    const lines: string[] = [];
    const r = await packageExtension({ root, log: (l) => lines.push(l), checkVersions: false });
    assert.ok(lines.some((l) => /no task found/.test(l)), lines.join('\n'));
    assert.ok(!r.entries.some((n) => n.startsWith('FixtureEcho')), r.entries.join(','));
    const vso = JSON.parse(new ZipFile(r.vsix).readText('extension.vsomanifest')) as VsoManifest;
    assert.ok(!vso.contributions.some((c) => c.type === 'ms.vss-distributed-task.task'));
    const overview = new ZipFile(r.vsix).readText('overview.md');
    assert.match(overview, /_No tasks in this build\._/);
    assert.ok(!overview.includes('Fixture Echo'), 'no section for a task that does not ship');
  });

  it('refuses a stage folder that would wipe the sources', async () => {
    await assert.rejects(packageExtension({ root, log: quiet, stageDir: root }), /refusing to use .* as the stage folder/);
    await assert.rejects(packageExtension({ root, log: quiet, stageDir: path.join(root, 'tasks') }), /refusing to empty .*tasks/);
    assert.ok(fs.existsSync(path.join(root, 'tasks', 'FixtureEcho', 'v1', 'task.json')));
  });

  it('bundleEntry bundles a single entry (as for a CLI) with task-lib inlined', async () => {
    const out = path.join(root, 'cli-out', 'echo.js');
    const r = await bundleEntry(path.join(root, 'tasks/FixtureEcho/v1/index.ts'), out);
    assert.deepStrictEqual(r.problems, []);
    assert.strictEqual(fs.statSync(out).size, r.bytes);
    assert.ok(r.inputs.some((i) => i.replace(/\\/g, '/').endsWith('azure-pipelines-task-lib/task.js')), 'task-lib is in the bundle');
  });

  it('derives stable kebab-case contribution ids from task folder names', () => {
    assert.strictEqual(contributionId('ArmTemplateSecurityGate'), 'arm-template-security-gate');
    assert.strictEqual(contributionId('ApiSecurityCheck'), 'api-security-check');
  });
});
