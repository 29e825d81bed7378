import * as assert from 'node:assert/strict';
import { encodeBranchName, encodeSegment, jobNamesFromUrl, jobUrlPath, parseJobReference } from '../../tasks/JenkinsArtifactDownload/core/job-path';

describe('JenkinsArtifactDownload/core/job-path', () => {
  it("encodes a branch as branch-api's NameEncoder does", () => {
    const cases: Array<[string, string]> = [
      ['main', 'main'],
      ['feature/x', 'feature%2Fx'],
      ['release/1.0/hotfix', 'release%2F1.0%2Fhotfix'],
      ['100%', '100%25'],
      ['a#b?c', 'a%23b%3Fc'],
      ['[x]\\y', '%5Bx%5D%5Cy'],
      ['', '%00'],
      ['.', '%2E'],
      ['..', '%2E.'],
      ['spaces stay', 'spaces stay'],
    ];
    for (const [branch, job] of cases) assert.equal(encodeBranchName(branch), job, branch);
  });

  it('makes each job name one URL path segment, so a branch job travels double-encoded', () => {
    assert.equal(jobUrlPath(['repo', encodeBranchName('feature/x')]), 'job/repo/job/feature%252Fx/');
    assert.equal(jobUrlPath(['My Folder', "it's (v2)*"]), "job/My%20Folder/job/it%27s%20%28v2%29%2A/");
    assert.equal(encodeSegment('a/b#c?d%e'), 'a%2Fb%23c%3Fd%25e');
    assert.equal(jobUrlPath([]), '');
  });

  it('reads a job path or a URL, and refuses empty levels', () => {
    assert.deepEqual(parseJobReference(' a/b/job/ '), { kind: 'path', segments: ['a', 'b', 'job'] });
    assert.deepEqual(parseJobReference('/top'), { kind: 'path', segments: ['top'] });
    assert.deepEqual(parseJobReference('https://ci/job/x/'), { kind: 'url', url: 'https://ci/job/x/' });
    assert.match((parseJobReference('a//b') as { problem: string }).problem, /empty name between slashes/);
  });

  it('takes job names out of a job URL under the connection, decoding each once and skipping views', () => {
    const base = 'https://ci.corp/jenkins/';
    assert.deepEqual(jobNamesFromUrl('https://ci.corp/jenkins/job/repos/job/app/job/feature%252Flogin/', base), ['repos', 'app', 'feature%2Flogin']);
    assert.deepEqual(jobNamesFromUrl('https://ci.corp/jenkins/view/All/job/My%20Job', base), ['My Job']);
    assert.deepEqual(jobNamesFromUrl('https://ci.corp/jenkins/job/a/', 'https://ci.corp/jenkins'), ['a']);
  });

  it('refuses a job URL elsewhere (credentials go only where the connection points) or not naming a job', () => {
    const base = 'https://ci.corp/jenkins/';
    assert.match((jobNamesFromUrl('https://evil.example/jenkins/job/a/', base) as { problem: string }).problem, /not under the service connection's URL/);
    assert.match((jobNamesFromUrl('https://ci.corp/other/job/a/', base) as { problem: string }).problem, /not under/);
    assert.match((jobNamesFromUrl('http://ci.corp/jenkins/job/a/', base) as { problem: string }).problem, /not under/);
    assert.match((jobNamesFromUrl('https://ci.corp/jenkins/job/a/42/', base) as { problem: string }).problem, /not a job URL.*found '42'/);
    assert.match((jobNamesFromUrl('https://ci.corp/jenkins/', base) as { problem: string }).problem, /names no job/);
    assert.match((jobNamesFromUrl('https://ci.corp/jenkins/job/%E0%A4%A/', base) as { problem: string }).problem, /not valid percent-encoding/);
  });
});
