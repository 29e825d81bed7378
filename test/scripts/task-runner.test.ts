import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildExtension } from '../../scripts/build';
import { toolRoot } from '../../scripts/paths';
import { buildAgentEnv, envName, maskSecrets, runnerExitCode, runTask, RunTaskOptions } from '../../scripts/task-runner';
import { escapeVso, parseVsoLine } from '../../scripts/vso-commands';
import { FIXTURE_ROOT, quiet, removeDir } from './helpers';

const ENDPOINT_ID = '0f6c3a52-7a4e-4c1e-9d0b-3f9a2c1e5b77';
const TOKEN = 's3cr3t-token-value';

function fullOptions(taskDir: string, outcome: string): RunTaskOptions {
  return {
    taskDir,
    inputs: { text: 'hello world', uppercase: 'true', connection: ENDPOINT_ID, outcome },
    endpoints: [{ id: ENDPOINT_ID, url: 'https://127.0.0.1:8443/', scheme: 'Token', parameters: { apitoken: TOKEN }, data: { region: 'westeurope' } }],
    systemConnection: { collectionUri: 'https://dev.azure.com/org/', accessToken: 'sys-token-1234' },
    variables: { 'Fixture.Greeting': 'hi there' },
    secrets: { 'Fixture.Secret': 'hush-hush' },
    proxy: { url: 'http://127.0.0.1:3128', username: 'u1', password: 'pw-secret', bypass: ['^localhost$'] },
  };
}

describe('scripts/task-runner', () => {
  let stage: string;
  const v1 = (): string => path.join(stage, 'FixtureEcho', 'v1');
  const v2 = (): string => path.join(stage, 'FixtureEcho', 'v2');

  before(async () => {
    stage = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-runner-stage-'));
    await buildExtension({ root: FIXTURE_ROOT, stageDir: stage, log: quiet });
  });
  after(() => removeDir(stage));

  it('runs the bundled v1 task: echo, output variable, Succeeded', async () => {
    const r = await runTask({ taskDir: v1(), inputs: { text: 'hi; 100% [x]' } });
    assert.strictEqual(r.exitCode, 0, r.stdout + r.stderr);
    assert.strictEqual(r.result, 'Succeeded');
    assert.match(r.stdout, /^Echo: hi; 100% \[x\]$/m);
    assert.deepStrictEqual(r.variables, [{ name: 'echoed', value: 'hi; 100% [x]', isSecret: false, isOutput: true }]);
    removeDir(r.tempDir);
  });

  it('fails v1 with task-lib\'s own message when a required input is missing', async () => {
    const r = await runTask({ taskDir: v1(), inputs: {} });
    assert.strictEqual(r.result, 'Failed');
    assert.strictEqual(r.effectiveResult, 'Failed');
    assert.ok(r.issues.some((i) => i.type === 'error' && /Input required: text/.test(i.message)), JSON.stringify(r.issues));
    removeDir(r.tempDir);
  });

  it('gives the task endpoints, variables, secrets and proxy as an agent does, and reads back every command kind', async () => {
    const r = await runTask(fullOptions(v2(), 'warn'));
    assert.strictEqual(r.exitCode, 0, r.stdout + r.stderr);
    assert.strictEqual(r.result, 'SucceededWithIssues');
    assert.match(r.stdout, /^Echo: HELLO WORLD$/m);
    assert.match(r.stdout, /^Endpoint https:\/\/127\.0\.0\.1:8443\/ uses scheme Token in region westeurope$/m);
    assert.match(r.stdout, /^collection=https:\/\/dev\.azure\.com\/org\/$/m);
    assert.match(r.stdout, /^systemTokenLength=14$/m);
    assert.match(r.stdout, /^greeting=hi there$/m);
    assert.match(r.stdout, /^proxy=http:\/\/127\.0\.0\.1:3128 user=u1 password=set bypass=\^localhost\$$/m);
    assert.match(r.stdout, /^secretEnvLeft=0$/m, 'task-lib moved INPUT_/SECRET_ into its vault');
    assert.match(r.stdout, new RegExp(`^cwd=${r.env.SYSTEM_DEFAULTWORKINGDIRECTORY.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    assert.ok(r.secrets.includes(TOKEN), 'setsecret recorded');
    assert.deepStrictEqual(
      r.variables.find((v) => v.name === 'secretCopy'),
      { name: 'secretCopy', value: 'hush-hush', isSecret: true, isOutput: false },
    );
    assert.deepStrictEqual(r.issues[0], { type: 'warning', message: 'check this; it matters', sourcePath: 'src/app.ts', lineNumber: 3, columnNumber: 7, code: 'FX001' });
    assert.deepStrictEqual(r.summaries, [path.join(r.tempDir, 'summary.md')]);
    assert.deepStrictEqual(r.attachments, [{ type: 'fixture-report', name: 'report.md', path: path.join(r.tempDir, 'summary.md') }]);
    assert.deepStrictEqual(r.artifacts, [{ containerFolder: 'drop', artifactName: 'drop', path: r.tempDir }]);
    assert.deepStrictEqual(r.progress, [{ value: 50, message: 'halfway' }]);
    assert.ok(!maskSecrets(r.stdout, r.secrets).includes(TOKEN));
    removeDir(r.tempDir);
  });

  it('decodes an escaped failure message and reports Failed', async () => {
    const r = await runTask(fullOptions(v2(), 'fail'));
    assert.strictEqual(r.result, 'Failed');
    assert.strictEqual(r.resultMessage, 'Failing as asked: a; b] 100%\nsecond line');
    assert.strictEqual(r.effectiveResult, 'Failed', 'task.complete decides even when the process exits 0');
    removeDir(r.tempDir);
  });

  it('reports a thrown error as Failed', async () => {
    const r = await runTask({ taskDir: v2(), inputs: { text: 'x', outcome: 'crash' } });
    assert.strictEqual(r.effectiveResult, 'Failed');
    assert.ok(r.issues.some((i) => /crashed on purpose/.test(i.message)), r.stdout);
    removeDir(r.tempDir);
  });

  it('kills a task that outlives its timeout', async () => {
    const r = await runTask({ taskDir: v2(), inputs: { text: 'x', sleepMs: '20000' }, timeoutMs: 300 });
    assert.strictEqual(r.timedOut, true);
    assert.strictEqual(r.effectiveResult, 'Failed');
    assert.strictEqual(r.result, undefined);
    removeDir(r.tempDir);
  });

  it('lays out the environment like the agent', () => {
    const taskJson = JSON.parse(fs.readFileSync(path.join(FIXTURE_ROOT, 'tasks/FixtureEcho/v2/task.json'), 'utf8'));
    const o = fullOptions(v2(), 'succeed');
    o.certificates = { caInfo: '/etc/ca.pem', clientCertPassword: 'cert-pw' };
    o.inputs['Some.Input name'] = 'v';
    const { env, tempDir } = buildAgentEnv(o, taskJson);
    assert.strictEqual(env.INPUT_TEXT, 'hello world');
    assert.strictEqual(env.INPUT_SOME_INPUT_NAME, 'v');
    assert.strictEqual(env.INPUT_SLEEPMS, '0', 'task.json default applied');
    assert.strictEqual(env[`ENDPOINT_URL_${ENDPOINT_ID}`], 'https://127.0.0.1:8443/');
    assert.deepStrictEqual(JSON.parse(env[`ENDPOINT_AUTH_${ENDPOINT_ID}`]), { parameters: { apitoken: TOKEN }, scheme: 'Token' });
    assert.strictEqual(env[`ENDPOINT_AUTH_SCHEME_${ENDPOINT_ID}`], 'Token');
    assert.strictEqual(env[`ENDPOINT_AUTH_PARAMETER_${ENDPOINT_ID}_APITOKEN`], TOKEN);
    assert.strictEqual(env[`ENDPOINT_DATA_${ENDPOINT_ID}_REGION`], 'westeurope');
    assert.deepStrictEqual(JSON.parse(env[`ENDPOINT_DATA_${ENDPOINT_ID}`]), { region: 'westeurope' });
    assert.strictEqual(env.ENDPOINT_URL_SYSTEMVSSCONNECTION, 'https://dev.azure.com/org/');
    assert.strictEqual(env.ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN, 'sys-token-1234');
    assert.strictEqual(env.SYSTEM_COLLECTIONURI, 'https://dev.azure.com/org/');
    assert.strictEqual(env.FIXTURE_GREETING, 'hi there');
    assert.strictEqual(env.SECRET_FIXTURE_SECRET, 'hush-hush');
    assert.strictEqual(env.FIXTURE_SECRET, undefined, 'secrets are not public variables');
    assert.strictEqual(env.SECRET_AGENT_PROXYPASSWORD, 'pw-secret');
    assert.strictEqual(env.SECRET_AGENT_CLIENTCERTPASSWORD, 'cert-pw');
    assert.strictEqual(env.AGENT_PROXYBYPASSLIST, '["^localhost$"]');
    assert.strictEqual(env.AGENT_CAINFO, '/etc/ca.pem');
    assert.strictEqual(env.AGENT_TEMPDIRECTORY, tempDir);
    assert.strictEqual(env.SYSTEM_CULTURE, 'en-US');
    assert.strictEqual(env.AGENT_JOBSTATUS, 'Succeeded');
    assert.ok((JSON.parse(env.VSTS_PUBLIC_VARIABLES) as string[]).includes('Fixture.Greeting'));
    assert.deepStrictEqual((JSON.parse(env.VSTS_SECRET_VARIABLES) as string[]).sort(), ['Agent.ClientCertPassword', 'Agent.ProxyPassword', 'Fixture.Secret']);
    assert.ok(!Object.keys(env).some((k) => k.startsWith('npm_') || k === 'MOCHA_COLORS'), 'clean environment');
    assert.strictEqual(envName('System.Default Working.Dir'), 'SYSTEM_DEFAULT_WORKING_DIR');
    removeDir(tempDir);
  });

  it('CLI: runs from a YAML file, masks secrets, exits non-zero on failure', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-runner-cli-'));
    try {
      const yaml = (outcome: string): string =>
        [
          'inputs:',
          '  text: from yaml',
          `  connection: ${ENDPOINT_ID}`,
          `  outcome: ${outcome}`,
          'endpoints:',
          `  ${ENDPOINT_ID}:`,
          '    url: https://127.0.0.1:8443/',
          '    scheme: Token',
          `    parameters: { apitoken: ${TOKEN} }`,
          '    data: { region: northeurope }',
          'variables:',
          '  Fixture.Greeting: yo',
        ].join('\n');
      const cli = path.join(toolRoot(), 'out', 'scripts', 'task-runner.js');
      fs.writeFileSync(path.join(dir, 'ok.yaml'), yaml('succeed'));
      const ok = spawnSync(process.execPath, [cli, '--task', v2(), '--inputs', path.join(dir, 'ok.yaml')], { encoding: 'utf8' });
      assert.strictEqual(ok.status, 0, ok.stdout + ok.stderr);
      assert.match(ok.stdout, /^Echo: from yaml$/m);
      assert.match(ok.stdout, /region northeurope/);
      assert.match(ok.stdout, /^token=\*\*\*$/m);
      assert.ok(!ok.stdout.includes(TOKEN), 'token masked in the CLI log');
      assert.match(ok.stdout, /^task result: Succeeded/m);
      assert.match(ok.stdout, /^task process exit code: 0$/m);
      assert.match(ok.stdout, /^runner exit code: 0$/m);
      assert.match(ok.stdout, /^variable echoed \(output\) = from yaml$/m);
      fs.writeFileSync(path.join(dir, 'fail.yaml'), yaml('fail'));
      const bad = spawnSync(process.execPath, [cli, '--task', v2(), '--inputs', path.join(dir, 'fail.yaml')], { encoding: 'utf8' });
      assert.strictEqual(bad.status, 1, bad.stdout + bad.stderr);
      // The task process exits 0 after task.complete result=Failed; the two codes are labelled apart.
      assert.match(bad.stdout, /^task result: Failed — Failing as asked/m);
      assert.match(bad.stdout, /^task process exit code: 0$/m);
      assert.match(bad.stdout, /^runner exit code: 1 \(the task result is Failed\)$/m);
      assert.doesNotMatch(bad.stdout, /^(result|exit code):/m, 'no unlabelled result or code');
    } finally {
      removeDir(dir);
    }
  });
});

describe('scripts/task-runner: inputs, codes and temp folders', () => {
  let stage: string;
  const v2 = (): string => path.join(stage, 'FixtureEcho', 'v2');
  const cli = (): string => path.join(toolRoot(), 'out', 'scripts', 'task-runner.js');
  before(async () => {
    stage = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-runner-stage-'));
    await buildExtension({ root: FIXTURE_ROOT, stageDir: stage, log: quiet });
  });
  after(() => removeDir(stage));

  it('warns about an input name the task.json does not declare, naming the closest input', async () => {
    const r = await runTask({ taskDir: v2(), inputs: { txt: 'x', Text: 'y', upercase: 'true', zzzzzzzzzz: '1' } });
    assert.deepStrictEqual(r.warnings, [
      "input 'txt' is not an input of FixtureEcho@2 (did you mean 'text'?); the task will not read it",
      "input 'upercase' is not an input of FixtureEcho@2 (did you mean 'uppercase'?); the task will not read it",
      "input 'zzzzzzzzzz' is not an input of FixtureEcho@2 (no declared input is close to it); the task will not read it",
    ]);
    assert.strictEqual(r.result, 'Succeeded', 'Text matches text case-insensitively, as the agent does');
  });

  it('says which is the task result and which the runner exit code, and fails the runner when the task fails', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-runner-cli-'));
    try {
      fs.writeFileSync(path.join(dir, 'in.yaml'), 'inputs:\n  txt: hello\n  outcome: fail\n');
      const r = spawnSync(process.execPath, [cli(), '--task', v2(), '--inputs', path.join(dir, 'in.yaml')], { encoding: 'utf8', cwd: dir });
      assert.match(r.stderr, /^task-runner: warning: input 'txt' is not an input of FixtureEcho@2 \(did you mean 'text'\?\)/m);
      assert.strictEqual(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /^task result: Failed/m);
      assert.match(r.stdout, /^runner exit code: 1/m);
      assert.strictEqual(runnerExitCode({ effectiveResult: 'SucceededWithIssues' }), 0);
      assert.strictEqual(runnerExitCode({ effectiveResult: 'Cancelled' }), 1);
    } finally {
      removeDir(dir);
    }
  });

  it('the CLI removes its srk-agent-* folder after the run unless --keep-temp', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-runner-cli-'));
    try {
      fs.writeFileSync(path.join(dir, 'in.yaml'), 'inputs:\n  text: hello\n');
      const removed = spawnSync(process.execPath, [cli(), '--task', v2(), '--inputs', path.join(dir, 'in.yaml')], { encoding: 'utf8', cwd: dir });
      assert.strictEqual(removed.status, 0, removed.stdout + removed.stderr);
      assert.doesNotMatch(removed.stdout, /agent temp directory/);
      const summary = /^summary: (.*)$/m.exec(removed.stdout)?.[1];
      assert.ok(summary, removed.stdout);
      assert.ok(!fs.existsSync(path.dirname(summary)), `${path.dirname(summary)} removed`);
      const kept = spawnSync(process.execPath, [cli(), '--task', v2(), '--inputs', path.join(dir, 'in.yaml'), '--keep-temp'], { encoding: 'utf8', cwd: dir });
      const keptDir = /^agent temp directory \(kept\): (.*)$/m.exec(kept.stdout)?.[1];
      assert.ok(keptDir && fs.existsSync(keptDir), kept.stdout);
      removeDir(keptDir);
    } finally {
      removeDir(dir);
    }
  });

  it('runTask keeps its folder readable after the run and removes it when the process exits', () => {
    const script = [
      `const { runTask } = require(${JSON.stringify(path.join(toolRoot(), 'out', 'scripts', 'task-runner.js'))});`,
      'const fs = require("fs");',
      `runTask({ taskDir: ${JSON.stringify(v2())}, inputs: { text: 'x' } }).then((r) => {`,
      '  if (!fs.existsSync(r.summaries[0])) throw new Error("summary gone too early");',
      '  console.log(r.tempDir);',
      '});',
    ].join('\n');
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    const tempDir = r.stdout.trim();
    assert.match(path.basename(tempDir), /^srk-agent-/);
    assert.ok(!fs.existsSync(tempDir), `${tempDir} removed at exit`);
  });
});

describe('scripts/vso-commands', () => {
  it('parses area, event, case-insensitive properties and escaped values', () => {
    const c = parseVsoLine('##vso[task.setVariable variable=a%3Bb;IsOutput=true;issecret=false;]line1%0Aline2 %5D %AZP25');
    assert.deepStrictEqual(c, { command: 'task.setvariable', area: 'task', event: 'setvariable', properties: { variable: 'a;b', isoutput: 'true', issecret: 'false' }, message: 'line1\nline2 ] %' });
  });

  it('finds a command after other text on the line and ignores lines without one', () => {
    assert.strictEqual(parseVsoLine('prefix ##vso[task.complete result=Failed;]boom')?.properties.result, 'Failed');
    assert.strictEqual(parseVsoLine('just a log line'), undefined);
    assert.strictEqual(parseVsoLine('##vso[nodot]x'), undefined);
  });

  it('round-trips escapeVso', () => {
    const s = 'a;b]c%d\r\ne';
    assert.strictEqual(parseVsoLine(`##vso[task.setvariable variable=${escapeVso(s)};]${escapeVso(s)}`)?.message, s);
  });
});
