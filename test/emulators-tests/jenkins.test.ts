import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as https from 'node:https';
import * as yauzl from 'yauzl';
import { getTestCa, startJenkins, type JenkinsEmulator } from '../emulators';

const AUTH = `Basic ${Buffer.from('u:tok-0123456789').toString('base64')}`;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json(): any;
}

function get(url: string, headers: Record<string, string> = { Authorization: AUTH }, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, headers, ca: getTestCa().ca.certPem, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('error', reject);
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body.toString('utf8')) });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('emulators: Jenkins', function () {
  this.timeout(30_000);
  let jenkins: JenkinsEmulator;
  let base: string;

  before(async () => {
    const ca = getTestCa();
    jenkins = await startJenkins({ certPem: ca.server.certPem, keyPem: ca.server.keyPem }, { contextPath: '/jenkins', rootUrl: 'https://jenkins.example/' });
    jenkins.addUser('u', { token: 'tok-0123456789', password: 'pw-secret' });
    const job = jenkins.addJob('f/app');
    job.addBuild({ number: 1, artifacts: [{ path: 'a b/one.txt', content: 'one' }, { path: 'two.bin', size: 100 }] });
    job.addBuild({ number: 2, result: 'FAILURE' });
    job.addBuild({ number: 3, result: 'UNSTABLE' });
    jenkins.addMultibranch('mb').addBranch('feature/x').addBuild({ artifacts: [{ path: 'b.txt', content: 'b' }] });
    base = jenkins.jenkinsUrl;
  });
  after(() => jenkins.close());

  it('forbids anonymous requests (403, no challenge) and refuses a wrong token with 401', async () => {
    const anon = await get(`${base}api/json`, {});
    assert.equal(anon.status, 403);
    assert.equal(anon.headers['x-you-are-authenticated-as'], 'anonymous');
    assert.equal(anon.headers['www-authenticate'], undefined);
    const wrong = await get(`${base}api/json`, { Authorization: `Basic ${Buffer.from('u:nope').toString('base64')}` });
    assert.equal(wrong.status, 401);
    assert.match(wrong.body.toString(), /Invalid password\/token for user: u/);
    assert.equal((await get(`${jenkins.url}/api/json`)).status, 404, 'outside the context path');
  });

  it('applies tree=: nested properties, ranges, hidden fields only when named, _class always; a bad tree is a 400', async () => {
    const root = (await get(`${base}api/json?tree=jobs[name,jobs[name]]`)).json();
    assert.deepEqual(root, { _class: 'hudson.model.Hudson', jobs: [{ _class: 'com.cloudbees.hudson.plugins.folder.Folder', name: 'f', jobs: [{ _class: 'hudson.model.FreeStyleProject', name: 'app' }] }, { _class: 'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject', name: 'mb', jobs: [{ _class: 'org.jenkinsci.plugins.workflow.job.WorkflowJob', name: 'feature%2Fx' }] }] });
    const ranged = (await get(`${base}job/f/job/app/api/json?tree=builds[number]{1,3}`)).json();
    assert.deepEqual(ranged.builds.map((b: any) => b.number), [2, 1]);
    const one = (await get(`${base}job/f/job/app/api/json?tree=builds[number]{0}`)).json();
    assert.deepEqual(one.builds.map((b: any) => b.number), [3]);
    const plain = (await get(`${base}job/f/job/app/1/api/json`)).json();
    assert.equal(plain.fingerprint, undefined);
    assert.equal(plain.url, 'https://jenkins.example/job/f/job/app/1/', 'url fields use the configured root URL');
    const named = (await get(`${base}job/f/job/app/1/api/json?tree=fingerprint[fileName,hash],artifacts[*]`)).json();
    assert.deepEqual(named.fingerprint.map((f: any) => f.fileName), ['one.txt', 'two.bin']);
    assert.equal(named.fingerprint[0].hash, createHash('md5').update('one').digest('hex'));
    assert.deepEqual(named.artifacts[0], { displayPath: 'one.txt', fileName: 'one.txt', relativePath: 'a b/one.txt' });
    assert.equal((await get(`${base}api/json?tree=jobs[name`)).status, 400);
  });

  it("serves the permalinks with Jenkins' meanings", async () => {
    const link = async (name: string) => (await get(`${base}job/f/job/app/${name}/api/json?tree=number`)).json().number;
    assert.equal(await link('lastSuccessfulBuild'), 3);
    assert.equal(await link('lastStableBuild'), 1);
    assert.equal(await link('lastFailedBuild'), 2);
    assert.equal(await link('lastCompletedBuild'), 3);
  });

  it('finds a branch job only by its double-encoded name', async () => {
    assert.equal((await get(`${base}job/mb/job/feature%252Fx/1/artifact/b.txt`)).body.toString(), 'b');
    assert.equal((await get(`${base}job/mb/job/feature%2Fx/1/artifact/b.txt`)).status, 404);
  });

  it('serves artifacts with a length and one byte range, as stapler does', async () => {
    const url = `${base}job/f/job/app/1/artifact/two.bin`;
    const full = await get(url);
    assert.deepEqual([full.status, full.headers['content-length'], full.headers['accept-ranges']], [200, '100', 'bytes']);
    const part = await get(url, { Authorization: AUTH, Range: 'bytes=10-19' });
    assert.deepEqual([part.status, part.headers['content-range'], part.body.length], [206, 'bytes 10-19/100', 10]);
    assert.ok(part.body.equals(full.body.subarray(10, 20)));
    const open = await get(url, { Authorization: AUTH, Range: 'bytes=90-' });
    assert.deepEqual([open.status, open.headers['content-range']], [206, 'bytes 90-99/100']);
    for (const range of ['bytes=-5', 'bytes=0-1,5-6', 'items=0-1']) assert.equal((await get(url, { Authorization: AUTH, Range: range })).status, 200, range);
    assert.equal((await get(url, { Authorization: AUTH, Range: 'bytes=100-' })).status, 416);
    assert.equal((await get(`${base}job/f/job/app/1/artifact/a%20b/one.txt`)).body.toString(), 'one');
    assert.equal((await get(`${base}job/f/job/app/1/artifact/missing`)).status, 404);
  });

  it('streams *zip* without a length; the archive holds archive/<relativePath>', async () => {
    const zip = await get(`${base}job/f/job/app/1/artifact/*zip*/archive.zip`);
    assert.equal(zip.status, 200);
    assert.equal(zip.headers['content-length'], undefined);
    assert.equal(zip.headers['transfer-encoding'], 'chunked');
    const names: string[] = [];
    const file = await yauzl.fromBufferPromise(zip.body, { lazyEntries: true });
    await new Promise<void>((resolve, reject) => {
      file.on('entry', (e: yauzl.Entry) => {
        names.push(e.fileName);
        file.readEntry();
      });
      file.on('end', () => resolve());
      file.on('error', reject);
      file.readEntry();
    });
    assert.deepEqual(names.sort(), ['archive/', 'archive/a b/', 'archive/a b/one.txt', 'archive/two.bin']);
  });

  it('issues a crumb bound to the session it creates; a password POST needs both, a token POST neither', async () => {
    const pw = `Basic ${Buffer.from('u:pw-secret').toString('base64')}`;
    const issued = await get(`${base}crumbIssuer/api/json`, { Authorization: pw });
    const cookie = String(issued.headers['set-cookie']).split(';')[0];
    const { crumb, crumbRequestField } = issued.json();
    assert.equal(crumbRequestField, 'Jenkins-Crumb');
    assert.equal((await get(`${base}job/f/job/app/build`, { Authorization: pw, Cookie: cookie, 'Jenkins-Crumb': crumb }, 'POST')).status, 201);
    assert.equal((await get(`${base}job/f/job/app/build`, { Authorization: pw, 'Jenkins-Crumb': crumb }, 'POST')).status, 403, 'crumb without its session');
    assert.equal((await get(`${base}job/f/job/app/build`, { Authorization: pw, Cookie: cookie }, 'POST')).status, 403, 'session without crumb');
    assert.equal((await get(`${base}job/f/job/app/build`, { Authorization: AUTH }, 'POST')).status, 201, 'API token: no crumb needed');
  });

  it('drops a transfer after N bytes and records what it sent', async () => {
    jenkins.addTransferFault({ path: 'two.bin', dropAfterBytes: 40, times: 1 });
    jenkins.transfers.length = 0;
    await assert.rejects(get(`${base}job/f/job/app/1/artifact/two.bin`), /aborted|ECONNRESET|socket hang up/);
    assert.deepEqual(jenkins.transfers.map((t) => [t.bytesSent, t.dropped]), [[40, true]]);
  });
});
