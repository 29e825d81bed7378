import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildExtension } from '../../scripts/build';
import { TaskJson } from '../../scripts/discover';
import { packageExtension } from '../../scripts/package';
import { toolRoot } from '../../scripts/paths';
import { compareInputs, hashTaskFolder, readRecord } from '../../scripts/task-versions';
import { ZipFile } from '../../scripts/zip-reader';
import { copyFixture, editJson, quiet, removeDir } from './helpers';

const V1 = 'tasks/FixtureEcho/v1';
const V2 = 'tasks/FixtureEcho/v2';

type Inputs = Array<Record<string, unknown>>;

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.org', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  assert.strictEqual(r.status, 0, r.stderr);
  return r.stdout;
}

async function packageProblems(root: string): Promise<string> {
  try {
    await packageExtension({ root, log: quiet });
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

const json = (root: string, rel: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(root, rel), 'utf8')) as Record<string, unknown>;

describe('scripts/task-versions', () => {
  describe('hashTaskFolder', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-hash-'));
      fs.writeFileSync(path.join(dir, 'index.js'), 'console.log(1);\n');
      fs.writeFileSync(path.join(dir, 'task.json'), JSON.stringify({ name: 'T', version: { Major: 1, Minor: 0, Patch: 0 }, helpUrl: 'https://a/' }));
      fs.mkdirSync(path.join(dir, 'Strings'));
      fs.writeFileSync(path.join(dir, 'Strings', 'r.resjson'), '{"a":"b"}\n');
    });
    afterEach(() => removeDir(dir));

    it('ignores task.json version and helpUrl, line ends and source maps; sees every other change', () => {
      const h = hashTaskFolder(dir);
      assert.match(h, /^sha256-[0-9a-f]{64}$/);
      fs.writeFileSync(path.join(dir, 'task.json'), JSON.stringify({ name: 'T', version: { Major: 1, Minor: 4, Patch: 2 }, helpUrl: 'https://b/' }));
      fs.writeFileSync(path.join(dir, 'index.js'), 'console.log(1);\r\n');
      fs.writeFileSync(path.join(dir, 'index.js.map'), '{}');
      assert.strictEqual(hashTaskFolder(dir), h);
      fs.writeFileSync(path.join(dir, 'Strings', 'r.resjson'), '{"a":"c"}\n');
      assert.notStrictEqual(hashTaskFolder(dir), h, 'a resource changed');
      fs.writeFileSync(path.join(dir, 'Strings', 'r.resjson'), '{"a":"b"}\n');
      fs.writeFileSync(path.join(dir, 'task.json'), JSON.stringify({ name: 'T', version: { Major: 1, Minor: 0, Patch: 0 }, messages: { x: 'y' } }));
      assert.notStrictEqual(hashTaskFolder(dir), h, 'task.json messages changed');
    });
  });

  describe('compareInputs', () => {
    const base: TaskJson = {
      inputs: [
        { name: 'a', type: 'string', defaultValue: 'x', aliases: ['oldA'] } as never,
        { name: 'mode', type: 'pickList', options: { one: '1', two: '2' } } as never,
        { name: 'flag', type: 'boolean', defaultValue: 'false' } as never,
        { name: 'opt', type: 'string' },
      ],
      outputVariables: [{ name: 'out' }],
    };
    const withInputs = (inputs: unknown[], outputs: unknown[] = [{ name: 'out' }]): TaskJson => ({ inputs: inputs as never, outputVariables: outputs });

    it('accepts the same inputs, a rename that keeps the old name as an alias, and additions (the new name counts as added)', () => {
      assert.deepStrictEqual(compareInputs(base, base), { added: [], breaking: [] });
      const renamed = withInputs([{ name: 'alpha', type: 'string', defaultValue: 'x', aliases: ['a', 'oldA'] }, (base.inputs as Inputs)[1], (base.inputs as Inputs)[2], (base.inputs as Inputs)[3], { name: 'extra', type: 'string' }], [{ name: 'out' }, { name: 'more' }]);
      assert.deepStrictEqual(compareInputs(base, renamed), { added: ['alpha', 'extra', 'output more'], breaking: [] });
    });

    it('names every breaking change: removed input or alias, type, default, option, required without default, removed output', () => {
      const broken = withInputs(
        [
          { name: 'a', type: 'multiLine', defaultValue: 'y' },
          { name: 'mode', type: 'pickList', options: { one: '1' } },
          { name: 'opt', type: 'string', required: true },
          { name: 'must', type: 'string', required: true },
        ],
        [],
      );
      assert.deepStrictEqual(compareInputs(base, broken).breaking, [
        "alias 'oldA' of input 'a' was removed",
        "input 'a' changed type from string to multiLine",
        'input \'a\' changed its default from "x" to "y"',
        "input 'mode' lost its option 'two'",
        "input 'flag' was removed or renamed (keep the old name as an alias of the new one)",
        "input 'opt' became required without a default",
        "new input 'must' is required and has no default, so existing pipelines lack it",
        "output variable 'out' was removed",
      ]);
    });
  });

  describe('npm run package on the fixture extension', function () {
    this.timeout(120_000);
    let root: string;
    before(async () => {
      root = copyFixture();
      git(root, 'init', '-q');
      git(root, 'add', '-A');
      git(root, 'commit', '-qm', 'Fixture as copied');
    });
    after(() => removeDir(root));

    it('fails on a task version that has no record, saying exactly what to run', async () => {
      const message = await packageProblems(root);
      assert.match(message, /tasks\/FixtureEcho\/v1\/task\.json: FixtureEcho@1\.0\.4 \(v1\) has no recorded release yet\. Run `npm run package -- --bump` to record it/);
      assert.match(message, /FixtureEcho@2\.1\.0 \(v2\) has no recorded release yet/);
    });

    it('--bump on a repository without records records the current versions as the baseline, raising nothing', async () => {
      const r = await packageExtension({ root, log: quiet, bump: true });
      assert.strictEqual(path.basename(r.vsix), 'fixture-publisher.fixture-extension-1.2.3.vsix');
      assert.strictEqual(r.bump?.baseline, true);
      assert.deepStrictEqual(Object.keys(readRecord(root, 'FixtureEcho', 1)!.versions), ['1.0.4']);
      assert.deepStrictEqual(readRecord(root, 'FixtureEcho', 2)!.taskJson, json(root, `${V2}/task.json`), 'the Major\'s task.json is recorded');
      assert.match(fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8'), /^## 1\.2\.3 — \d{4}-\d\d-\d\d\n\nFirst recorded release of these task versions\.\n\n- \*\*FixtureEcho 2\.1\.0\*\* \(Fixture Echo\): Echoes an input, reads an endpoint/m);
      assert.strictEqual(await packageProblems(root), '', 'a recorded, unchanged extension packages');
      git(root, 'add', '-A');
      git(root, 'commit', '-qm', 'Record the baseline');
    });

    it('fails on a changed bundle whose version did not move, naming the task and the version to bump to', async () => {
      fs.appendFileSync(path.join(root, V1, 'index.ts'), "console.log('one more line');\n");
      git(root, 'commit', '-qam', 'FixtureEcho v1 says one more line');
      const message = await packageProblems(root);
      assert.match(message, /tasks\/FixtureEcho\/v1\/task\.json: FixtureEcho@1\.0\.4: the task changed since 1\.0\.4 was recorded, but its version did not; .* Run `npm run package -- --bump` \(raises it to 1\.0\.5\)/);
      assert.doesNotMatch(message, /FixtureEcho@2/, 'v2 did not change');
    });

    it('--bump raises Patch, records it, raises the extension, writes the changelog with the commits, and the vsix shows it', async () => {
      const before = fs.readFileSync(path.join(root, V1, 'task.json'), 'utf8');
      const r = await packageExtension({ root, log: quiet, bump: true });
      assert.deepStrictEqual(r.bump?.entries.map((e) => [e.task, e.from, e.to, e.level]), [['FixtureEcho', '1.0.4', '1.0.5', 'patch']]);
      assert.strictEqual(fs.readFileSync(path.join(root, V1, 'task.json'), 'utf8'), before.replace('"Patch": 4', '"Patch": 5'), 'only the version moved, formatting kept');
      assert.deepStrictEqual(Object.keys(readRecord(root, 'FixtureEcho', 1)!.versions), ['1.0.4', '1.0.5']);
      assert.strictEqual(json(root, 'vss-extension.json').version, '1.2.4');
      assert.strictEqual(path.basename(r.vsix), 'fixture-publisher.fixture-extension-1.2.4.vsix');
      const changelog = fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8');
      assert.match(changelog, /^## 1\.2\.4 — [\d-]+\n\n- \*\*FixtureEcho 1\.0\.5\*\* \(patch, from 1\.0\.4\):\n {2}- FixtureEcho v1 says one more line\n\n## 1\.2\.3/m);
      const overview = new ZipFile(r.vsix).readText('overview.md');
      assert.match(overview, /### 1\.2\.4 — [\d-]+\n\n- \*\*FixtureEcho 1\.0\.5\*\*/, 'the Marketplace page shows the newest release');
      assert.match(overview, /Every release: \[CHANGELOG\.md\]\(https:\/\/github\.com\/fixture-org\/fixture-extension\/blob\/HEAD\/CHANGELOG\.md\)/);
      assert.strictEqual(JSON.parse(new ZipFile(r.vsix).readText('FixtureEcho/v1/task.json')).version.Patch, 5);
      assert.strictEqual(await packageProblems(root), '');
      git(root, 'add', '-A');
      git(root, 'commit', '-qm', 'Release 1.2.4');
    });

    it('--bump raises Minor when inputs were added, and the extension with it', async () => {
      editJson(path.join(root, V2, 'task.json'), (j) => (j.inputs as Inputs).push({ name: 'prefix', type: 'string', label: 'Prefix', helpMarkDown: 'Text put before the echo.' }));
      const r = await packageExtension({ root, log: quiet, bump: true });
      assert.deepStrictEqual(r.bump?.entries.map((e) => [e.to, e.level, e.added]), [['2.2.0', 'minor', ['prefix']]]);
      assert.strictEqual(json(root, 'vss-extension.json').version, '1.3.0');
      assert.match(fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8'), /^- \*\*FixtureEcho 2\.2\.0\*\* \(minor, from 2\.1\.0; adds `prefix`\)/m);
      assert.match(fs.readFileSync(path.join(root, 'docs', 'fixture-echo.md'), 'utf8'), /`prefix`/, 'the docs were regenerated');
      git(root, 'add', '-A');
      git(root, 'commit', '-qm', 'Release 1.3.0');
    });

    it('fails, also with --bump, on a removed input or a changed default inside a Major', async () => {
      editJson(path.join(root, V2, 'task.json'), (j) => {
        const inputs = j.inputs as Inputs;
        j.inputs = inputs.filter((i) => i.name !== 'uppercase');
        (inputs.find((i) => i.name === 'outcome') as Record<string, unknown>).defaultValue = 'warn';
      });
      const message = await packageProblems(root);
      assert.match(message, /FixtureEcho v2: input 'uppercase' was removed or renamed .* compared with releases\/FixtureEcho\/v2\/task\.json \(2\.2\.0\)\. Inside a Major, inputs only grow; a breaking change needs a new Major: copy the folder to tasks\/FixtureEcho\/v3\//);
      assert.match(message, /input 'outcome' changed its default from "succeed" to "warn"/);
      await assert.rejects(packageExtension({ root, log: quiet, bump: true }), /input 'uppercase' was removed or renamed/);
      assert.strictEqual(json(root, 'vss-extension.json').version, '1.3.0', 'a refused bump changes nothing');
      git(root, 'checkout', '-q', '--', V2);
    });

    it('a new Major is recorded by --bump and raises the extension\'s Minor', async () => {
      fs.cpSync(path.join(root, V2), path.join(root, 'tasks/FixtureEcho/v3'), { recursive: true });
      editJson(path.join(root, 'tasks/FixtureEcho/v3/task.json'), (j) => (j.version = { Major: 3, Minor: 0, Patch: 0 }));
      assert.match(await packageProblems(root), /FixtureEcho@3\.0\.0 \(v3\) has no recorded release yet\. Run `npm run package -- --bump` to record it/);
      const r = await packageExtension({ root, log: quiet, bump: true });
      assert.deepStrictEqual(r.bump?.entries.map((e) => [e.major, e.to, e.level]), [[3, '3.0.0', 'new']]);
      assert.strictEqual(json(root, 'vss-extension.json').version, '1.4.0');
      assert.match(fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8'), /^## 1\.4\.0 — [\d-]+\n\n- \*\*FixtureEcho 3\.0\.0\*\* \(Fixture Echo\) — new Major \(`FixtureEcho@3`\): Echoes an input/m);
    });
  });

  it('hashes are the same from any folder (two copies, two stage folders)', async function () {
    this.timeout(120_000);
    const a = copyFixture();
    const b = copyFixture();
    try {
      const ra = await buildExtension({ root: a, log: quiet });
      const rb = await buildExtension({ root: b, stageDir: path.join(os.tmpdir(), `srk-other-stage-${process.pid}`), log: quiet });
      try {
        for (const v of ['v1', 'v2']) assert.strictEqual(hashTaskFolder(path.join(ra.stageDir, 'FixtureEcho', v)), hashTaskFolder(path.join(rb.stageDir, 'FixtureEcho', v)), v);
      } finally {
        removeDir(rb.stageDir);
      }
    } finally {
      removeDir(a);
      removeDir(b);
    }
  });

  it('this repository\'s bundles hash the same from two stage folders', async function () {
    this.timeout(120_000);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-repo-hash-'));
    try {
      const one = await buildExtension({ root: toolRoot(), stageDir: path.join(tmp, 'one'), validate: false, log: quiet });
      const two = await buildExtension({ root: toolRoot(), stageDir: path.join(tmp, 'deeper', 'two'), validate: false, log: quiet });
      for (const v of one.versions) {
        assert.strictEqual(hashTaskFolder(path.join(one.stageDir, v.taskName, v.versionFolder)), hashTaskFolder(path.join(two.stageDir, v.taskName, v.versionFolder)), `${v.taskName}/${v.versionFolder}`);
      }
    } finally {
      removeDir(tmp);
    }
  });
});
