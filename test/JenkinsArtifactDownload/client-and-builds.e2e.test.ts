import * as assert from 'node:assert/strict';
import { RemoteError, TaskError } from '../../tasks/common/errors';
import { judgeBuild, resolveJob, selectBuild, type JenkinsBuild } from '../../tasks/JenkinsArtifactDownload/core/builds';
import type { JenkinsEmulator } from '../emulators';
import { clientFor, jenkinsFixture, PASSWORD } from './helpers';

const SHA = '9fceb02d0ae598e95dc970b74767f19372d61af8';

describe('JenkinsArtifactDownload: Jenkins client and build choice (emulator)', () => {
  let jenkins: JenkinsEmulator;

  before(async () => {
    jenkins = await jenkinsFixture({ contextPath: '/ci' });
    const job = jenkins.addJob('folder/sub/app', 'pipeline');
    job.addBuild({ number: 10, result: 'SUCCESS', parameters: { ENV: 'dev' }, revision: SHA, commits: [{ id: SHA, msg: 'one', author: 'Ada', paths: ['a.ts'] }], artifacts: [{ path: 'x.bin', size: 10 }] });
    job.addBuild({ number: 11, result: 'UNSTABLE', parameters: { ENV: 'prod' } });
    job.addBuild({ number: 12, result: 'ABORTED', parameters: { ENV: 'prod' } });
    job.addBuild({ number: 13, building: true });
    const mb = jenkins.addMultibranch('mb');
    mb.addBranch('main').addBuild({ number: 3, timestamp: 1_000 });
    mb.addBranch('release/2.0').addBuild({ number: 5, timestamp: 9_000 });
    mb.addBranch('feature/old').addBuild({ number: 8, timestamp: 5_000, result: 'FAILURE' });
  });
  after(() => jenkins.close());

  const select = async (jobName: string, s: Partial<Parameters<typeof selectBuild>[2]>) => {
    const client = clientFor(jenkins);
    const job = await resolveJob(client, { kind: 'path', segments: jobName.split('/') });
    return selectBuild(client, job, { build: 'LastSuccessfulBuild', parameters: new Map(), ...s });
  };

  it("follows Jenkins' permalink meanings: successful includes UNSTABLE, stable is SUCCESS, completed skips a running build", async () => {
    assert.equal((await select('folder/sub/app', { build: 'LastSuccessfulBuild' })).number, 11);
    assert.equal((await select('folder/sub/app', { build: 'LastStableBuild' })).number, 10);
    assert.equal((await select('folder/sub/app', { build: 'LastCompletedBuild' })).number, 12);
    assert.equal((await select('folder/sub/app', { build: 'BuildNumber', buildNumber: 13 })).building, true);
  });

  it('reads parameters, revision and commits of a pipeline build (changeSets)', async () => {
    const b = await select('folder/sub/app', { build: 'BuildNumber', buildNumber: 10 });
    assert.deepEqual([...b.parameters], [['ENV', 'dev']]);
    assert.deepEqual(b.revisions, [SHA]);
    assert.deepEqual(b.commits, [{ id: SHA, message: 'one', author: 'Ada', timestamp: b.commits[0].timestamp, paths: ['a.ts'] }]);
    assert.equal(b.fingerprints.length, 1);
    assert.match(b.fingerprints[0].md5, /^[0-9a-f]{32}$/);
    assert.equal(b.path, 'job/folder/job/sub/job/app/10/');
  });

  it('takes the newest build of the chosen kind whose parameters match', async () => {
    assert.equal((await select('folder/sub/app', { build: 'LastSuccessfulBuild', parameters: new Map([['ENV', 'prod']]) })).number, 11);
    assert.equal((await select('folder/sub/app', { build: 'LastCompletedBuild', parameters: new Map([['ENV', 'prod']]) })).number, 12);
    await assert.rejects(select('folder/sub/app', { build: 'LastStableBuild', parameters: new Map([['ENV', 'prod']]) }), /no stable \(SUCCESS\) build with ENV=prod among its last 100 builds/);
  });

  it('a multibranch project without its branch: the newest build across branches, or <branch>/<number>', async () => {
    const newest = await select('mb', { build: 'LastSuccessfulBuild' });
    assert.deepEqual([newest.job.names, newest.number], [['mb', 'release%2F2.0'], 5]);
    const completed = await select('mb', { build: 'LastCompletedBuild' });
    assert.equal(completed.number, 5);
    const pinned = await select('mb', { build: 'BuildNumber', buildNumber: 8, buildBranch: 'feature/old' });
    assert.deepEqual([pinned.job.path, pinned.result], ['job/mb/job/feature%252Fold/', 'FAILURE']);
    await assert.rejects(select('mb', { build: 'BuildNumber', buildNumber: 1 }), /is a multibranch project; name the branch/);
    await assert.rejects(select('mb', { build: 'BuildNumber', buildNumber: 1, buildBranch: 'nope' }), /has no branch 'nope'; it holds 'main', 'release%2F2.0', 'feature%2Fold'/);
  });

  it('names what is wrong with a job path', async () => {
    const client = clientFor(jenkins);
    await assert.rejects(resolveJob(client, { kind: 'path', segments: ['folder'] }), /'folder' is a folder, not a job/);
    await assert.rejects(resolveJob(client, { kind: 'path', segments: ['folder', 'sub', 'app', 'x'] }), /'folder\/sub\/app' is a job, not a folder/);
    await assert.rejects(resolveJob(client, { kind: 'path', segments: ['mb', 'feature', 'new'] }), /multibranch project 'mb' has no branch 'feature\/new'/);
    await assert.rejects(resolveJob(client, { kind: 'url', url: 'https://elsewhere.example/ci/job/x/' }), /not under the service connection's URL/);
    const byUrl = await resolveJob(client, { kind: 'url', url: `${jenkins.jenkinsUrl}job/folder/job/sub/job/app/` });
    assert.equal(byUrl.path, 'job/folder/job/sub/job/app/');
  });

  it('says which build is missing', async () => {
    await assert.rejects(select('folder/sub/app', { build: 'BuildNumber', buildNumber: 99 }), /has no build #99/);
    jenkins.addJob('empty');
    await assert.rejects(select('empty', { build: 'LastSuccessfulBuild' }), /Job 'empty' has no successful \(SUCCESS or UNSTABLE\) build/);
  });

  it('judges results: UNSTABLE as configured; FAILURE, ABORTED, NOT_BUILT fail unless allowed; a running build fails', () => {
    const build = (result: string | null, building = false) => ({ job: { names: ['j'] }, number: 1, result, building }) as unknown as JenkinsBuild;
    assert.deepEqual(judgeBuild(build('SUCCESS'), 'SucceededWithIssues', false), { result: 'Succeeded' });
    assert.equal(judgeBuild(build('UNSTABLE'), 'SucceededWithIssues', false).result, 'SucceededWithIssues');
    assert.deepEqual(judgeBuild(build('UNSTABLE'), 'Succeeded', false), { result: 'Succeeded' });
    assert.throws(() => judgeBuild(build('UNSTABLE'), 'Failed', false), /UNSTABLE and unstableBuildResult is Failed/);
    for (const r of ['FAILURE', 'ABORTED', 'NOT_BUILT']) {
      assert.throws(() => judgeBuild(build(r), 'SucceededWithIssues', false), (e: unknown) => e instanceof TaskError && e.message.includes(`ended ${r}`));
      assert.equal(judgeBuild(build(r), 'SucceededWithIssues', true).result, 'SucceededWithIssues');
    }
    assert.throws(() => judgeBuild(build(null, true), 'Succeeded', true), /still running/);
  });

  it('sends credentials with the first request: a wrong token is a 401 that names the connection', async () => {
    const client = clientFor(jenkins, 'ffffffffffffffffffffffffffffffff00');
    await assert.rejects(resolveJob(client, { kind: 'path', segments: ['empty'] }), (e: unknown) => e instanceof RemoteError && e.status === 401 && /API token in service connection 'c' is wrong or was revoked/.test(e.message));
  });

  it('POSTs with the crumb of its own session when it signs in with a password (Jenkins binds crumbs to sessions)', async () => {
    const client = clientFor(jenkins, PASSWORD);
    const res = await client.post('job/empty/build', 'a build of empty');
    assert.equal(res.status, 201);
    const crumbCall = jenkins.findRequests('GET', '/crumbIssuer/api/json');
    const post = jenkins.findRequests('POST', '/job/empty/build');
    assert.equal(crumbCall.length, 1);
    assert.equal(post[post.length - 1].status, 201);
    assert.ok(post[post.length - 1].headers['jenkins-crumb'], 'the crumb header was sent');
    // The same crumb without the session cookie is refused, as Jenkins does.
    const stranger = clientFor(jenkins, PASSWORD);
    (stranger as unknown as { crumb: unknown }).crumb = { field: 'Jenkins-Crumb', value: post[post.length - 1].headers['jenkins-crumb'] };
    await assert.rejects(stranger.post('job/empty/build', 'a build of empty'), (e: unknown) => e instanceof RemoteError && e.status === 403);
  });
});
