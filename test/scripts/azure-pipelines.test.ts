import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { toolRoot } from '../../scripts/paths';

interface Step {
  task?: string;
  script?: string;
  download?: string;
  artifact?: string;
  checkout?: string;
  condition?: string;
  env?: Record<string, string>;
  inputs?: Record<string, unknown>;
}
interface Job {
  job?: string;
  deployment?: string;
  environment?: string;
  steps?: Step[];
  strategy?: { runOnce?: { deploy?: { steps?: Step[] } } };
}
interface Pipeline {
  variables: Record<string, string>;
  stages: Array<{ stage: string; dependsOn?: string; condition?: string; jobs: Job[] }>;
}

describe('azure-pipelines.yml', () => {
  const root = toolRoot();
  const text = fs.readFileSync(path.join(root, 'azure-pipelines.yml'), 'utf8');
  const doc = YAML.parseDocument(text, { prettyErrors: true });
  const p = doc.toJS() as Pipeline;
  const build = p.stages.find((s) => s.stage === 'Build')!;
  const publish = p.stages.find((s) => s.stage === 'Publish')!;
  const buildSteps = build.jobs[0].steps ?? [];
  const publishJob = publish.jobs[0];
  const publishSteps = publishJob.strategy?.runOnce?.deploy?.steps ?? [];

  it('parses as YAML without errors or warnings, with a Build and a Publish stage', () => {
    assert.deepStrictEqual(doc.errors.map(String), []);
    assert.deepStrictEqual(doc.warnings.map(String), []);
    assert.deepStrictEqual(p.stages.map((s) => s.stage), ['Build', 'Publish']);
  });

  it('installs, tests and packages with the scripts package.json has, publisher and version from variables', () => {
    const scripts = buildSteps.map((s) => s.script ?? '').filter(Boolean);
    assert.deepStrictEqual(scripts.slice(0, 3), ['npm ci', 'npm test', 'npm run package']);
    const npmScripts = Object.keys((JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);
    for (const s of scripts) for (const m of s.matchAll(/npm run (\S+)/g)) assert.ok(npmScripts.includes(m[1]), `npm run ${m[1]} exists`);
    const pack = buildSteps.find((s) => s.script === 'npm run package')!;
    assert.deepStrictEqual(pack.env, { SRK_PUBLISHER: '$(publisherId)', SRK_VERSION: '$(extensionVersion)' });
    for (const v of ['publisherId', 'extensionVersion', 'marketplaceConnection', 'marketplaceEnvironment']) assert.ok(v in p.variables, `variable ${v} declared`);
  });

  it('runs our own gate with the CLI it built, via a script that exists, and publishes SARIF and the vsix', () => {
    const install = buildSteps.find((s) => /npm install -g --prefix .* --offline .*dist\/\*-armgate-\*\.tgz/.test(s.script ?? ''));
    assert.ok(install, 'installs the armgate tarball from dist/');
    const gate = buildSteps.find((s) => /gate-demo\.sh/.test(s.script ?? ''))!;
    const script = /^(\S+)/.exec(gate.script!)![1];
    assert.ok(fs.existsSync(path.join(root, script)), `${script} exists`);
    assert.ok(fs.statSync(path.join(root, script)).mode & 0o111, `${script} is executable`);
    assert.ok(buildSteps.indexOf(install) < buildSteps.indexOf(gate));
    const artifacts = buildSteps.filter((s) => s.task === 'PublishPipelineArtifact@1').map((s) => s.inputs?.artifact);
    assert.deepStrictEqual(artifacts, ['CodeAnalysisLogs', 'extension']);
  });

  it('publishes from a deployment job behind an environment, with Microsoft\'s extension tasks, keeping our task versions', () => {
    assert.strictEqual(publish.dependsOn, 'Build');
    assert.match(publish.condition ?? '', /refs\/heads\/main/);
    assert.match(publish.condition ?? '', /ne\(variables\['Build\.Reason'\], 'PullRequest'\)/);
    assert.strictEqual(publishJob.environment, '${{ variables.marketplaceEnvironment }}');
    assert.deepStrictEqual(publishSteps[0], { download: 'current', artifact: 'extension' });
    assert.ok(publishSteps.some((s) => s.task === 'TfxInstaller@5'));
    const pub = publishSteps.find((s) => s.task === 'PublishAzureDevOpsExtension@5')!;
    assert.strictEqual(pub.inputs?.fileType, 'vsix');
    assert.strictEqual(pub.inputs?.vsixFile, '$(Pipeline.Workspace)/extension/*.vsix');
    assert.strictEqual(pub.inputs?.publisherId, '$(publisherId)');
    assert.strictEqual(pub.inputs?.updateTasksVersion, false, 'the task must not overwrite the recorded task versions');
    assert.strictEqual(pub.inputs?.connectedServiceName, '${{ variables.marketplaceConnection }}');
  });
});
