import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { buildExtension } from '../../scripts/build';
import { discoverTasks } from '../../scripts/discover';
import { generateManifest } from '../../scripts/manifest';
import { toolRoot } from '../../scripts/paths';
import { docsBaseUrl, taskDocPath, updateTaskDocs, writeTaskDocs } from '../../scripts/task-docs';
import { ValidationError } from '../../scripts/validate';
import { copyFixture, editJson, quiet, removeDir } from './helpers';

const V1 = 'tasks/FixtureEcho/v1';
const V2 = 'tasks/FixtureEcho/v2';

async function problemsOf(root: string): Promise<string[]> {
  try {
    await buildExtension({ root, log: quiet });
    return [];
  } catch (e) {
    if (e instanceof ValidationError) return e.problems.map((p) => `${p.file}: ${p.message}`);
    throw e;
  }
}

describe('task help and docs', () => {
  let root: string;
  beforeEach(() => (root = copyFixture()));
  afterEach(() => removeDir(root));

  it('fails the build on an input without helpMarkDown, naming task, version and input', async () => {
    editJson(path.join(root, V2, 'task.json'), (j) => delete (j.inputs as Array<Record<string, unknown>>)[2].helpMarkDown);
    editJson(path.join(root, V1, 'task.json'), (j) => ((j.inputs as Array<Record<string, unknown>>)[0].helpMarkDown = '  '));
    const problems = await problemsOf(root);
    assert.ok(problems.includes(`${V2}/task.json: FixtureEcho v2: input 'connection' has no helpMarkDown (say what it does, its form and its default)`), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith(`${V1}/task.json: FixtureEcho v1: input 'text' has no helpMarkDown`)), problems.join('\n'));
  });

  it('fails on a task with no page: no helpUrl and no docs/<kebab-name>.md, or a helpUrl path that does not exist', async () => {
    fs.rmSync(path.join(root, 'docs', 'fixture-echo.md'));
    const problems = await problemsOf(root);
    assert.ok(problems.some((p) => p.startsWith(`${V2}/task.json: FixtureEcho v2 has no helpUrl and there is no docs/fixture-echo.md`)), problems.join('\n'));
    assert.ok(problems.includes(`${V1}/task.json: helpUrl 'docs/fixture-echo.md' does not exist in the repository`), problems.join('\n'));
  });

  it('stages an absolute helpUrl into the publisher\'s repository, for an explicit path and for the conventional page', async () => {
    const r = await buildExtension({ root, log: quiet });
    for (const v of ['v1', 'v2']) {
      const staged = JSON.parse(fs.readFileSync(path.join(r.stageDir, 'FixtureEcho', v, 'task.json'), 'utf8')) as { helpUrl: string };
      assert.strictEqual(staged.helpUrl, 'https://github.com/fixture-org/fixture-extension/blob/HEAD/docs/fixture-echo.md', v);
    }
    const r2 = await buildExtension({ root, log: quiet, docsUrl: 'https://dev.azure.com/org/proj/_git/fork?path=/' });
    assert.strictEqual((JSON.parse(fs.readFileSync(path.join(r2.stageDir, 'FixtureEcho', 'v1', 'task.json'), 'utf8')) as { helpUrl: string }).helpUrl, 'https://dev.azure.com/org/proj/_git/fork?path=/docs/fixture-echo.md');
    assert.strictEqual((JSON.parse(fs.readFileSync(path.join(root, V1, 'task.json'), 'utf8')) as { helpUrl: string }).helpUrl, 'docs/fixture-echo.md', 'the source is not rewritten');
  });

  it('refuses a repository-path helpUrl when nothing says where the repository is', async () => {
    editJson(path.join(root, 'vss-extension.json'), (j) => delete j.repository);
    const saved = process.env.SRK_DOCS_URL;
    delete process.env.SRK_DOCS_URL;
    try {
      assert.ok((await problemsOf(root)).some((p) => /FixtureEcho v1 names its page by repository path, but the manifest has no repository\.uri/.test(p)));
    } finally {
      if (saved !== undefined) process.env.SRK_DOCS_URL = saved;
    }
  });

  it('points a service connection type\'s Learn more link where the task pages go (the publisher\'s docs address)', () => {
    const base = {
      contributions: [
        { id: 'conn', type: 'ms.vss-endpoint.service-endpoint-type', properties: { name: 'conn', helpMarkDown: 'Give a PEM. [Learn more](docs/api-security-check.md#the-connection) or [elsewhere](https://example.org/x) or [below](#x).' } },
      ],
    };
    const help = (docsBase: string) => String(generateManifest(base, [], { docsBase }).contributions?.[0].properties?.helpMarkDown);
    assert.strictEqual(help('https://github.com/fork/srk/blob/HEAD/'), 'Give a PEM. [Learn more](https://github.com/fork/srk/blob/HEAD/docs/api-security-check.md#the-connection) or [elsewhere](https://example.org/x) or [below](#x).');
    assert.match(help('https://dev.azure.com/o/p/_git/r?path=/'), /\[Learn more\]\(https:\/\/dev\.azure\.com\/o\/p\/_git\/r\?path=\/docs\/api-security-check\.md#the-connection\)/);
    assert.strictEqual(base.contributions[0].properties.helpMarkDown.includes('](docs/'), true, 'the source is not rewritten');
  });

  it('this repository\'s manifest names its help pages by repository path, so a publisher\'s build points them at its own repository', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(toolRoot(), 'vss-extension.json'), 'utf8')) as { contributions?: Array<{ properties?: { helpMarkDown?: unknown } }> };
    const links = (manifest.contributions ?? []).flatMap((c) => [...String(c.properties?.helpMarkDown ?? '').matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]));
    assert.ok(links.length > 0, 'the connection type has a Learn more link');
    for (const link of links) {
      assert.doesNotMatch(link, /^https?:/, `${link}: write a repository path (docs/…), resolved at build time`);
      assert.ok(fs.existsSync(path.join(toolRoot(), link.split('#')[0])), `${link} exists in the repository`);
    }
  });

  it('derives the docs address from GitHub and Azure Repos URLs, or takes SRK_DOCS_URL as given', () => {
    assert.strictEqual(docsBaseUrl({ repository: { uri: 'https://github.com/o/r.git' } }, ''), 'https://github.com/o/r/blob/HEAD/');
    assert.strictEqual(docsBaseUrl({ repository: { uri: 'https://dev.azure.com/o/p/_git/r' } }, ''), 'https://dev.azure.com/o/p/_git/r?path=/');
    assert.strictEqual(docsBaseUrl({ repository: { uri: 'https://github.com/o/r' } }, 'https://docs.example.org/srk'), 'https://docs.example.org/srk/');
    assert.strictEqual(docsBaseUrl({}, ''), undefined);
  });

  it('generates each version\'s input reference between markers, finds a stale one, and rewrites only that', () => {
    const doc = path.join(root, 'docs', 'fixture-echo.md');
    const [first] = updateTaskDocs(root);
    assert.deepStrictEqual([first.doc, first.stale], ['docs/fixture-echo.md', ['FixtureEcho@2', 'FixtureEcho@1']]);
    writeTaskDocs(root);
    const text = fs.readFileSync(doc, 'utf8');
    assert.match(text, /^# FixtureEcho\n\nEchoes its input\. Used by test\/scripts only\.\n\n## Input reference\n\n<!-- BEGIN GENERATED INPUTS FixtureEcho@2 -->\n### `FixtureEcho@2` inputs\n/);
    assert.ok(text.indexOf('FixtureEcho@2 -->') < text.indexOf('BEGIN GENERATED INPUTS FixtureEcho@1'), 'newest Major first');
    assert.match(text, /^\| `text` \*\*required\*\* \| `string` \| {2}\| \*\*Text\.\*\* What to echo\. \|$/m);
    assert.match(text, /^\| `outcome` \| `pickList` \| `succeed` \| \*\*Outcome\.\*\* How the task ends\. Options: `succeed` \(Succeed\), `warn` \(Succeed with issues\), `fail` \(Fail\), `crash` \(Throw\)\. Group: Advanced\. \|$/m);
    assert.match(text, /Shown when `outcome == succeed`\./);
    assert.match(text, /^\| `echoed` \| The echoed text\. \|$/m);
    assert.deepStrictEqual(updateTaskDocs(root).map((u) => u.stale), [[]], 'up to date after writing');

    editJson(path.join(root, V1, 'task.json'), (j) => ((j.inputs as Array<Record<string, unknown>>)[0].helpMarkDown = 'What to echo | with a pipe.'));
    assert.deepStrictEqual(updateTaskDocs(root).map((u) => u.stale), [['FixtureEcho@1']]);
    fs.appendFileSync(doc, '\nHand-written text after the reference stays.\n');
    writeTaskDocs(root);
    const after = fs.readFileSync(doc, 'utf8');
    assert.match(after, /What to echo \\\| with a pipe\./);
    assert.match(after, /\nHand-written text after the reference stays\.\n$/);
    assert.strictEqual(after.split('BEGIN GENERATED INPUTS FixtureEcho@1').length, 2, 'one section per version');
  });

  it('this repository\'s task docs are up to date with every task.json (run `npm run docs` when this fails)', () => {
    const repo = toolRoot();
    const versions = discoverTasks(repo).versions;
    for (const v of versions) assert.ok(taskDocPath(repo, v), `${v.taskName} ${v.versionFolder} has no documentation page`);
    const updates = updateTaskDocs(repo, versions);
    assert.ok(updates.length > 0);
    assert.deepStrictEqual(updates.filter((u) => u.stale.length).map((u) => `${u.doc}: ${u.stale.join(', ')}`), []);
  });
});
