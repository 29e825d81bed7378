import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { InputError } from '../../tasks/common/errors';
import { TaskInputs } from '../../tasks/common/host/inputs';
import { createLogger } from '../../tasks/common/log/logger';
import { SecretRegistry } from '../../tasks/common/log/secrets';
import { readSettings } from '../../tasks/JenkinsArtifactDownload/v1/settings';
import { FakeHost } from '../helpers/fake-host';

const CONN = 'a0b1c2d3-0000-4000-8000-00000000c001';
const TOKEN = 'ab12cd34ef56ab12cd34ef56ab12cd34ef';

function read(inputs: Record<string, string>, variables: Record<string, string> = { 'System.DefaultWorkingDirectory': '/work/s' }) {
  const host = new FakeHost({
    inputs: { jenkinsServerConnection: CONN, jobName: 'folder/app', ...inputs },
    variables,
    endpoints: { [CONN]: { url: 'https://ci.corp/jenkins', scheme: 'UsernamePassword', parameters: { username: 'deployer', password: TOKEN } } },
  });
  const secrets = new SecretRegistry(host);
  const settings = () => readSettings(new TaskInputs(host, secrets), { host, secrets, log: createLogger(host, secrets) });
  return { host, settings };
}

const inputError = (name: string, re: RegExp) => (e: unknown) => e instanceof InputError && e.input === name && re.test(e.message);

describe('JenkinsArtifactDownload/v1/settings', () => {
  it("reads the contract's inputs with Microsoft's defaults where they had one", () => {
    const { host, settings } = read({});
    const s = settings();
    assert.equal(s.endpoint.url, 'https://ci.corp/jenkins/');
    assert.deepEqual(s.job, { kind: 'path', segments: ['folder', 'app'] });
    assert.equal(s.build, 'LastSuccessfulBuild');
    assert.deepEqual(s.itemPatterns, ['**']);
    assert.equal(s.saveTo, path.resolve('/work/s', 'jenkinsArtifacts'));
    assert.deepEqual([s.mode, s.parallel, s.retries, s.unstable, s.allowFailedBuild, s.commitsAttachment], ['files', 8, 4, 'SucceededWithIssues', false, false]);
    assert.ok(host.secrets.includes(TOKEN), 'the token is registered while the settings are read');
  });

  it('reads every choice and names the input that is wrong', () => {
    const { settings } = read({
      jenkinsBuild: 'buildnumber',
      jenkinsBuildNumber: 'release/2.0/42',
      itemPattern: 'build/**\n# comment\n!**/*.pdb',
      saveTo: 'out',
      buildParameters: 'TARGET = prod',
      downloadMode: 'archive',
      parallelDownloads: '16',
      retryCount: '0',
      unstableBuildResult: 'failed',
      allowFailedBuild: 'true',
      downloadCommitsAndWorkItems: 'TRUE',
    });
    const s = settings();
    assert.deepEqual([s.build, s.buildNumber, s.buildBranch], ['BuildNumber', 42, 'release/2.0']);
    assert.deepEqual(s.itemPatterns, ['build/**', '!**/*.pdb']);
    assert.equal(s.saveTo, path.resolve('/work/s', 'out'));
    assert.deepEqual([...s.parameters], [['TARGET', 'prod']]);
    assert.deepEqual([s.mode, s.parallel, s.retries, s.unstable, s.allowFailedBuild, s.commitsAttachment], ['archive', 16, 0, 'Failed', true, true]);
  });

  it('refuses malformed values, naming the input', () => {
    assert.throws(read({ jobName: '' }).settings, inputError('jobName', /is required/));
    assert.throws(read({ jobName: 'a//b' }).settings, inputError('jobName', /empty name between slashes/));
    assert.throws(read({ jenkinsBuild: 'Latest' }).settings, inputError('jenkinsBuild', /expected one of LastSuccessfulBuild, LastStableBuild, LastCompletedBuild, BuildNumber/));
    assert.throws(read({ jenkinsBuild: 'BuildNumber' }).settings, inputError('jenkinsBuildNumber', /is required/));
    assert.throws(read({ jenkinsBuild: 'BuildNumber', jenkinsBuildNumber: '0' }).settings, inputError('jenkinsBuildNumber', /expected a build number/));
    assert.throws(read({ jenkinsBuild: 'BuildNumber', jenkinsBuildNumber: 'last' }).settings, inputError('jenkinsBuildNumber', /got 'last'/));
    assert.throws(read({ parallelDownloads: '64' }).settings, inputError('parallelDownloads', /from 1 to 32/));
    assert.throws(read({ buildParameters: 'novalue' }).settings, inputError('buildParameters', /line 1/));
    assert.throws(read({ downloadMode: 'zip' }).settings, inputError('downloadMode', /files, archive/));
    assert.throws(read({ jenkinsServerConnection: '' }).settings, inputError('jenkinsServerConnection', /is required/));
  });

  it('takes a job URL as it is', () => {
    const s = read({ jobName: 'https://ci.corp/jenkins/job/a/job/b/' }).settings();
    assert.deepEqual(s.job, { kind: 'url', url: 'https://ci.corp/jenkins/job/a/job/b/' });
  });
});
