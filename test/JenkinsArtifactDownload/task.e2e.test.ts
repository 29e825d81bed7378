/**
 * JenkinsArtifactDownload end to end: the bundled task (what the vsix ships) runs as the agent runs
 * it, with exactly the contract's input names, against the Jenkins emulator mounted under a context
 * path. The emulator believes its root URL is a host nobody can reach, so every URL the task uses
 * must be built from the service connection, as on a real agent behind a reverse proxy.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { agentNode24 } from '../../scripts/agent-node';
import { bundleEntry } from '../../scripts/build';
import { runTask, type RunTaskOptions, type RunTaskResult } from '../../scripts/task-runner';
import { carriesCommand } from '../../tasks/common/log/safe-text';
import { getTestCa, ProxyEmulator, startJenkins, type JenkinsEmulator } from '../emulators';

const REPO = path.resolve(__dirname, '..', '..', '..');
const CONN = '3f0b7c1e-5a2d-4e8f-9b61-2c4d8e0af001';
const USER = 'deployer';
const TOKEN = '11f3c0a9d2e4b5f6a7b8c9d0e1f2a3b4c5';
const SHA = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

/** Every file under a folder, relative, with `/`. */
function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)).split(path.sep).join('/'))
    .sort();
}

describe('e2e: JenkinsArtifactDownload (bundled task, Jenkins emulator)', function () {
  this.timeout(180_000);
  let jenkins: JenkinsEmulator;
  let taskDir: string;
  let work: string;
  const runs: RunTaskResult[] = [];

  before(async () => {
    taskDir = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-jenkins-task-'));
    const v1 = path.join(REPO, 'tasks', 'JenkinsArtifactDownload', 'v1');
    fs.copyFileSync(path.join(v1, 'task.json'), path.join(taskDir, 'task.json'));
    const report = await bundleEntry(path.join(v1, 'index.ts'), path.join(taskDir, 'index.js'), { minify: false });
    assert.deepEqual(report.problems, []);
    const ca = getTestCa();
    jenkins = await startJenkins({ certPem: ca.server.certPem, keyPem: ca.server.keyPem }, { contextPath: '/jenkins', rootUrl: 'https://jenkins.internal.invalid:8443/' });
    jenkins.addUser(USER, { token: TOKEN });

    const app = jenkins.addJob('team/app/build');
    app.addBuild({
      result: 'SUCCESS',
      parameters: { TARGET: 'staging' },
      revision: SHA,
      commits: [{ id: SHA, msg: 'Fix login', author: 'Ada', paths: ['src/login.ts'] }],
      artifacts: [
        { path: 'dist/app 1.0.zip', size: 300_000 },
        { path: 'dist/readme #1.txt', content: 'hello from build 1\n' },
        { path: 'logs/build.log', size: 50_000 },
      ],
    });
    app.addBuild({ result: 'UNSTABLE', parameters: { TARGET: 'production' }, artifacts: [{ path: 'dist/app.zip', size: 1000 }] });
    app.addBuild({ result: 'FAILURE', artifacts: [{ path: 'dist/app.zip', size: 1000 }] });
    app.addBuild({ building: true });

    const repo = jenkins.addMultibranch('repos/app');
    repo.addBranch('main').addBuild({ result: 'SUCCESS', artifacts: [{ path: 'out/main.bin', size: 10 }] });
    repo.addBranch('feature/login').addBuild({ number: 7, result: 'SUCCESS', artifacts: [{ path: 'out/app.bin', size: 2 * 1024 * 1024 }] });

    jenkins.addJob('big').addBuild({ artifacts: [{ path: 'payload.bin', size: 8 * 1024 * 1024 }] });
    jenkins.addJob('archived').addBuild({ artifacts: [{ path: 'a/one.txt', content: 'one' }, { path: 'a/b/two.txt', size: 70_000 }, { path: 'c.bin', size: 5 }] });
    jenkins.addJob('zipslip').addBuild({ artifacts: [{ path: 'ok.txt', content: 'ok' }], archive: [{ name: 'archive/ok.txt', data: Buffer.from('ok') }, { name: 'archive/../../evil.txt', data: Buffer.from('evil') }] });
    jenkins.addJob('ziplink').addBuild({ artifacts: [{ path: 'ok.txt', content: 'ok' }], archive: [{ name: 'archive/ok.txt', data: Buffer.from('ok') }, { name: 'archive/etc', symlink: '../../../etc' }, { name: 'archive/etc/passwd', data: Buffer.from('x') }] });
    jenkins.addJob('liar').addBuild({ artifacts: [{ path: 'tool.exe', size: 4096 }], fingerprintOverride: [{ fileName: 'tool.exe', hash: '0123456789abcdef0123456789abcdef' }] });
    jenkins.addJob('evil-names').addBuild({ artifacts: [{ path: 'fine.txt', content: 'x' }, { path: 'dist\\..\\..\\escape.txt', content: 'x' }] });
  });

  after(async () => {
    await jenkins?.close();
    for (const d of [taskDir, work, ...runs.map((r) => r.tempDir)]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-jenkins-work-'));
    jenkins.transfers.length = 0;
    jenkins.requests.length = 0;
  });

  afterEach(() => {
    fs.rmSync(work, { recursive: true, force: true });
  });

  async function run(inputs: Record<string, string>, more: Partial<RunTaskOptions> = {}, token = TOKEN, url = jenkins.jenkinsUrl, acceptUntrustedCerts = 'false'): Promise<RunTaskResult> {
    const r = await runTask({
      taskDir,
      cwd: work,
      inputs: { jenkinsServerConnection: CONN, saveTo: 'drop', ...inputs },
      endpoints: [{ id: CONN, url, scheme: 'UsernamePassword', parameters: { username: USER, password: token }, data: { acceptUntrustedCerts } }],
      certificates: { caInfo: getTestCa().caFile },
      ...more,
    });
    runs.push(r);
    // The one place a secret may appear: the command that registers it with the agent's masker.
    for (const line of printed(r)) assert.ok(!line.includes(token), `the token leaked: ${line}`);
    return r;
  }

  const printed = (r: RunTaskResult) => r.stdout.split('\n').filter((l) => !l.startsWith('##vso[task.setsecret]'));
  const expectResult = (r: RunTaskResult, result: string) => assert.equal(r.effectiveResult, result, `${r.resultMessage}\n${r.stdout}\n${r.stderr}`);
  const output = (r: RunTaskResult, name: string) => r.variables.find((v) => v.name === name)?.value;
  const saved = (rel: string) => fs.readFileSync(path.join(work, 'drop', rel));
  const artifactBytes = (jobPath: string, number: number, rel: string) => {
    const parts = jobPath.split('/');
    let item: any = jenkins.root;
    for (const p of parts) item = item.children.get(p);
    return item.builds.find((b: any) => b.number === number).artifacts.find((a: any) => a.relativePath === rel).all() as Buffer;
  };

  it('folders, a context path, names with spaces and #: downloads what itemPattern selects and nothing else', async () => {
    const r = await run({ jobName: 'team/app/build', jenkinsBuild: 'LastStableBuild', itemPattern: 'dist/**', downloadCommitsAndWorkItems: 'true' });
    expectResult(r, 'Succeeded');
    assert.deepEqual(listFiles(path.join(work, 'drop')), ['dist/app 1.0.zip', 'dist/readme #1.txt']);
    assert.ok(saved('dist/app 1.0.zip').equals(artifactBytes('team/app/build', 1, 'dist/app 1.0.zip')));
    assert.equal(saved('dist/readme #1.txt').toString(), 'hello from build 1\n');
    // Every path level encoded; the filtered-out log never requested.
    assert.ok(jenkins.transfers.some((t) => t.path === '/jenkins/job/team/job/app/job/build/1/artifact/dist/app%201.0.zip'), JSON.stringify(jenkins.transfers));
    assert.ok(jenkins.transfers.some((t) => t.path === '/jenkins/job/team/job/app/job/build/1/artifact/dist/readme%20%231.txt'));
    assert.equal(jenkins.countRequests('GET', 'build.log'), 0);
    // Credentials went with the first request: nothing was refused.
    assert.deepEqual(jenkins.requests.filter((q) => q.status >= 400).map((q) => `${q.status} ${q.path}`), []);
    assert.equal(output(r, 'buildNumber'), '1');
    assert.equal(output(r, 'buildUrl'), `${jenkins.jenkinsUrl}job/team/job/app/job/build/1/`);
    assert.equal(output(r, 'buildResult'), 'SUCCESS');
    assert.equal(output(r, 'commitIds'), SHA);
    assert.equal(r.summaries.length, 1);
    const summary = fs.readFileSync(r.summaries[0], 'utf8');
    assert.match(summary, /\| \[#1\]\(.*\) \| SUCCESS \| 2 \| 300019 \|/);
    const attachment = r.attachments.find((a) => a.name === 'commits.json');
    assert.ok(attachment, JSON.stringify(r.attachments));
    const commits = JSON.parse(fs.readFileSync(attachment.path, 'utf8'));
    assert.deepEqual(commits.commits.map((c: any) => [c.id, c.message, c.author, c.changes]), [[SHA, 'Fix login', 'Ada', ['src/login.ts']]]);
    // Only saveTo was written in the working folder; the summary and commits went to the agent temp folder.
    assert.deepEqual(fs.readdirSync(work), ['drop']);
    assert.ok(r.summaries[0].startsWith(r.tempDir));
    assert.ok(r.progress.length > 0 && r.progress[r.progress.length - 1].value === 100, JSON.stringify(r.progress));
    assert.ok(!r.stdout.split('\n').some((l) => carriesCommand(l) && !l.startsWith('##vso[')), 'no forged command');
  });

  it("an input holding '##vso[' is echoed by task-lib's debug line with the command broken: no line holds a second command", async () => {
    const forged = 'team/app/build##vso[task.setvariable variable=PWN]1';
    const r = await run({ jobName: forged, jenkinsBuild: 'LastSuccessfulBuild' });
    const echo = r.stdout.split('\n').find((l) => l.startsWith('##vso[task.debug]jobName='));
    assert.ok(echo, 'task-lib echoes the input it read');
    assert.ok(echo.includes('task.setvariable variable=PWN'), echo);
    assert.ok(!r.stdout.split('\n').some((l) => carriesCommand(l.startsWith('##') ? l.slice(2) : l)), 'no line holds a second command');
    assert.ok(!r.variables.some((v) => v.name === 'PWN'), JSON.stringify(r.variables));
  });

  it('LastSuccessfulBuild takes an UNSTABLE build and succeeds with issues (or succeeds, as configured)', async () => {
    const r = await run({ jobName: 'team/app/build', jenkinsBuild: 'LastSuccessfulBuild' });
    expectResult(r, 'SucceededWithIssues');
    assert.equal(output(r, 'buildNumber'), '2');
    assert.ok(r.issues.some((i) => i.type === 'warning' && /UNSTABLE/.test(i.message)));
    assert.deepEqual(listFiles(path.join(work, 'drop')), ['dist/app.zip']);
    const quiet = await run({ jobName: 'team/app/build', jenkinsBuild: 'LastSuccessfulBuild', unstableBuildResult: 'Succeeded' });
    expectResult(quiet, 'Succeeded');
  });

  it('a FAILURE build fails the task and writes nothing, unless allowFailedBuild', async () => {
    const r = await run({ jobName: 'team/app/build', jenkinsBuild: 'LastCompletedBuild' });
    expectResult(r, 'Failed');
    assert.match(r.resultMessage ?? '', /#3 ended FAILURE; set allowFailedBuild/);
    assert.deepEqual(listFiles(path.join(work, 'drop')), []);
    assert.equal(jenkins.transfers.length, 0);
    const allowed = await run({ jobName: 'team/app/build', jenkinsBuild: 'BuildNumber', jenkinsBuildNumber: '3', allowFailedBuild: 'true' });
    expectResult(allowed, 'SucceededWithIssues');
    assert.equal(output(allowed, 'buildResult'), 'FAILURE');
  });

  it('picks the newest build whose parameters match', async () => {
    const r = await run({ jobName: 'team/app/build', jenkinsBuild: 'LastSuccessfulBuild', buildParameters: 'TARGET = staging', itemPattern: '**/*.txt' });
    expectResult(r, 'Succeeded');
    assert.equal(output(r, 'buildNumber'), '1');
    assert.deepEqual(listFiles(path.join(work, 'drop')), ['dist/readme #1.txt']);
  });

  it('a multibranch branch with a slash, by path and by URL: job feature%2Flogin, sent as feature%252Flogin', async () => {
    const r = await run({ jobName: 'repos/app/feature/login' });
    expectResult(r, 'Succeeded');
    assert.equal(output(r, 'buildNumber'), '7');
    assert.ok(saved('out/app.bin').equals(artifactBytes('repos/app/feature%2Flogin', 7, 'out/app.bin')));
    assert.ok(jenkins.transfers.some((t) => t.path === '/jenkins/job/repos/job/app/job/feature%252Flogin/7/artifact/out/app.bin'), JSON.stringify(jenkins.transfers));
    fs.rmSync(path.join(work, 'drop'), { recursive: true });
    const byUrl = await run({ jobName: `${jenkins.jenkinsUrl}job/repos/job/app/job/feature%252Flogin/`, jenkinsBuild: 'BuildNumber', jenkinsBuildNumber: '7' });
    expectResult(byUrl, 'Succeeded');
    assert.deepEqual(listFiles(path.join(work, 'drop')), ['out/app.bin']);
  });

  it('the connection URL without its trailing slash works the same', async () => {
    const r = await run({ jobName: 'repos/app/main' }, {}, TOKEN, jenkins.jenkinsUrl.replace(/\/$/, ''));
    expectResult(r, 'Succeeded');
    assert.deepEqual(listFiles(path.join(work, 'drop')), ['out/main.bin']);
  });

  it('a connection dropped at 90% is resumed with Range: only the missing bytes cross again', async () => {
    const size = 8 * 1024 * 1024;
    jenkins.addTransferFault({ path: 'payload.bin', dropAtFraction: 0.9, times: 1 });
    const r = await run({ jobName: 'big' });
    expectResult(r, 'Succeeded');
    const got = saved('payload.bin');
    assert.equal(got.length, size);
    assert.equal(md5(got), md5(artifactBytes('big', 1, 'payload.bin')));
    assert.equal(jenkins.transfers.length, 2, JSON.stringify(jenkins.transfers));
    const [first, second] = jenkins.transfers;
    assert.equal(first.dropped, true);
    assert.equal(second.status, 206);
    assert.equal(second.range, `bytes=${first.bytesSent}-`);
    assert.equal(first.bytesSent + second.bytesSent, size, 'nothing fetched twice');
    assert.match(r.stdout, /dropped after \d+ of 8388608 bytes.*resuming from byte \d+/);
  });

  it('the whole *zip* archive, streamed and extracted, filtered by itemPattern', async () => {
    const r = await run({ jobName: 'archived', downloadMode: 'archive', itemPattern: '**\n!c.bin' });
    expectResult(r, 'Succeeded');
    assert.deepEqual(listFiles(path.join(work, 'drop')), ['a/b/two.txt', 'a/one.txt']);
    assert.ok(saved('a/b/two.txt').equals(artifactBytes('archived', 1, 'a/b/two.txt')));
    assert.deepEqual(jenkins.transfers.map((t) => t.path), ['/jenkins/job/archived/1/artifact/*zip*/archive.zip']);
    assert.deepEqual(fs.readdirSync(r.tempDir).filter((f) => f.endsWith('.zip')), [], 'the archive was removed from the temp folder');
  });

  it('a zip-slip archive is refused and nothing lands outside saveTo', async () => {
    const r = await run({ jobName: 'zipslip', downloadMode: 'archive' });
    expectResult(r, 'Failed');
    assert.match(r.resultMessage ?? '', /Refused archive entry 'archive\/\.\.\/\.\.\/evil\.txt'/);
    assert.ok(!fs.existsSync(path.join(work, 'evil.txt')) && !fs.existsSync(path.join(path.dirname(work), 'evil.txt')));
    assert.ok(listFiles(path.join(work, 'drop')).every((f) => !f.endsWith('.partial')));
  });

  it('a link in an archive that leads outside saveTo is refused', async () => {
    const r = await run({ jobName: 'ziplink', downloadMode: 'archive' });
    expectResult(r, 'Failed');
    assert.match(r.resultMessage ?? '', /Refused archive entry 'archive\/etc': it is a link to '\.\.\/\.\.\/\.\.\/etc', outside the target folder/);
    assert.equal(fs.existsSync(path.join(work, 'drop', 'etc')), false);
  });

  it('an artifact name that climbs out is refused before anything is downloaded', async () => {
    const r = await run({ jobName: 'evil-names' });
    expectResult(r, 'Failed');
    assert.match(r.resultMessage ?? '', /Refused artifact 'dist\\\.\.\\\.\.\\escape\.txt': it climbs out with '\.\.'/);
    assert.equal(jenkins.transfers.length, 0);
  });

  it('content that does not match the Jenkins fingerprint is not kept', async () => {
    const r = await run({ jobName: 'liar' });
    expectResult(r, 'Failed');
    assert.match(r.resultMessage ?? '', /does not match the MD5 fingerprint Jenkins recorded/);
    assert.deepEqual(listFiles(path.join(work, 'drop')), []);
  });

  it('a wrong API token fails clearly, without printing the token', async () => {
    const wrong = 'ffffffffffffffffffffffffffffffffff';
    const r = await run({ jobName: 'big' }, {}, wrong);
    expectResult(r, 'Failed');
    assert.match(r.resultMessage ?? '', /Jenkins refused the credentials of user 'deployer'.*HTTP 401.*API token/);
    assert.ok(r.secrets.includes(wrong), 'registered with the masker');
    assert.ok(!printed(r).some((l) => l.includes(wrong)));
    assert.equal(jenkins.transfers.length, 0);
  });

  it('a job that does not exist is reported with what the folder holds', async () => {
    const r = await run({ jobName: 'team/app/biuld' });
    expectResult(r, 'Failed');
    assert.match(r.resultMessage ?? '', /folder 'team\/app' has no job 'biuld' .*it holds 'build'/);
  });

  it('a 503 from Jenkins is retried', async () => {
    jenkins.faults.add({ method: 'GET', path: '/api/json', status: 503, retryAfterSeconds: 0, times: 2 });
    const r = await run({ jobName: 'repos/app/main' });
    expectResult(r, 'Succeeded');
    assert.equal(jenkins.requests.filter((q) => q.status === 503).length, 2);
  });

  it("goes through the agent's proxy (with credentials), trusting the agent's CA", async () => {
    const proxy = await new ProxyEmulator({ auth: { username: 'agent', password: 'proxy-pass-4411' } }).start();
    try {
      const r = await run({ jobName: 'repos/app/main' }, { proxy: { url: proxy.url, username: 'agent', password: 'proxy-pass-4411' } });
      expectResult(r, 'Succeeded');
      assert.ok(proxy.tunnelCount(`127.0.0.1:${jenkins.port}`) >= 1, JSON.stringify(proxy.records));
      // task-lib itself echoes the secret variable Agent.ProxyPassword in a debug line; the agent masks
      // its secret variables in every line. Nothing else may show it.
      assert.ok(r.secrets.includes('proxy-pass-4411'));
      assert.deepEqual(printed(r).filter((l) => l.includes('proxy-pass-4411') && l !== '##vso[task.debug]Agent.ProxyPassword=proxy-pass-4411'), []);
    } finally {
      await proxy.close();
    }
  });

  it("without the agent's CA the server is not trusted, unless the connection accepts untrusted certificates (with a warning)", async () => {
    const refused = await run({ jobName: 'repos/app/main' }, { certificates: {} });
    expectResult(refused, 'Failed');
    assert.match(refused.resultMessage ?? '', /TLS certificate is not trusted/);
    const accepted = await run({ jobName: 'repos/app/main' }, { certificates: {} }, TOKEN, jenkins.jenkinsUrl, 'true');
    expectResult(accepted, 'Succeeded');
    assert.ok(accepted.issues.some((i) => i.type === 'warning' && /TLS certificate verification is turned off/.test(i.message)), JSON.stringify(accepted.issues));
  });

  it('runs on the Node 24 handler runtime too: a resumed download and an extracted archive', async () => {
    const node = agentNode24();
    jenkins.addTransferFault({ path: 'payload.bin', dropAtFraction: 0.5, times: 1 });
    const files = await run({ jobName: 'big' }, { node });
    expectResult(files, 'Succeeded');
    assert.equal(md5(saved('payload.bin')), md5(artifactBytes('big', 1, 'payload.bin')));
    assert.equal(jenkins.transfers[1]?.status, 206);
    fs.rmSync(path.join(work, 'drop'), { recursive: true });
    const archive = await run({ jobName: 'archived', downloadMode: 'archive' }, { node });
    expectResult(archive, 'Succeeded');
    assert.deepEqual(listFiles(path.join(work, 'drop')), ['a/b/two.txt', 'a/one.txt', 'c.bin']);
  });
});
