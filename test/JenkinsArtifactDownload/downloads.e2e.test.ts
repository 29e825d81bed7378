import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RemoteError, TaskError } from '../../tasks/common/errors';
import { downloadAll, downloadFile, type DownloadDeps, type DownloadItem } from '../../tasks/JenkinsArtifactDownload/core/file-download';
import { DownloadProgress } from '../../tasks/JenkinsArtifactDownload/core/progress';
import { openTargetFolder } from '../../tasks/JenkinsArtifactDownload/task/node-files';
import type { JenkinsEmulator } from '../emulators';
import { clientFor, jenkinsFixture, recordingLogger } from './helpers';

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const MiB = 1024 * 1024;

describe('JenkinsArtifactDownload: streaming downloads (emulator, real disk)', function () {
  this.timeout(60_000);
  let jenkins: JenkinsEmulator;
  let dir: string;
  let content: Buffer;
  let many: Buffer[];

  before(async () => {
    jenkins = await jenkinsFixture();
    const build = jenkins.addJob('j').addBuild({ artifacts: [{ path: 'big.bin', size: 3 * MiB + 17 }, ...Array.from({ length: 12 }, (_, i) => ({ path: `d/${i}.txt`, size: 1000 + i }))] });
    content = build.artifacts[0].all();
    many = build.artifacts.slice(1).map((a) => a.all());
  });
  after(() => jenkins.close());
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-jenkins-dl-'));
    jenkins.transfers.length = 0;
    jenkins.ignoreRange = false;
    jenkins.transferFaults.length = 0;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function deps(retries = 2): Promise<DownloadDeps & { log: ReturnType<typeof recordingLogger>; waits: number[]; progress: DownloadProgress; percents: number[] }> {
    const log = recordingLogger();
    const waits: number[] = [];
    const percents: number[] = [];
    let now = 0;
    const clock = { now: () => (now += 1000), sleep: async (ms: number) => void waits.push(ms) };
    const progress = new DownloadProgress(13, (p) => percents.push(p), log, clock, 1);
    return { client: clientFor(jenkins), target: await openTargetFolder(path.join(dir, 'out')), clock, log, progress, retries, waits, percents };
  }
  const item = (rel: string, md5s: string[] = []): DownloadItem => ({ relativePath: rel, url: `${jenkins.jenkinsUrl}job/j/1/artifact/${rel}`, md5s });
  const leftovers = () => (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.includes('.partial'));

  it('resumes a dropped connection from the last byte received, fetching nothing twice, and checks the MD5', async () => {
    jenkins.addTransferFault({ path: 'big.bin', dropAfterBytes: 1_000_000, times: 1 });
    jenkins.addTransferFault({ path: 'big.bin', dropAfterBytes: 700_000, times: 1 });
    const d = await deps();
    const r = await downloadFile(item('big.bin', [md5(content)]), d);
    assert.deepEqual([r.bytes, r.resumes, r.refetched, r.verified], [content.length, 2, 0, 'md5']);
    assert.ok(fs.readFileSync(path.join(dir, 'out', 'big.bin')).equals(content));
    assert.deepEqual(jenkins.transfers.map((t) => [t.status, t.range, t.bytesSent]), [
      [200, undefined, 1_000_000],
      [206, 'bytes=1000000-', 700_000],
      [206, 'bytes=1700000-', content.length - 1_700_000],
    ]);
    assert.equal(d.waits.length, 2, 'a pause before each resume');
    assert.ok(d.log.lines.some((l) => /dropped after 1000000 of 3145745 bytes .*resuming from byte 1000000/.test(l)), d.log.lines.join('\n'));
  });

  it('a server that ignores Range sends the whole file again: the bytes already held are skipped, not written twice', async () => {
    jenkins.ignoreRange = true;
    jenkins.addTransferFault({ path: 'big.bin', dropAfterBytes: 2_000_000, times: 1 });
    const r = await downloadFile(item('big.bin', [md5(content)]), await deps());
    assert.deepEqual([r.bytes, r.refetched], [content.length, 2_000_000]);
    assert.ok(fs.readFileSync(path.join(dir, 'out', 'big.bin')).equals(content));
  });

  it('a connection reset before any answer is retried by the HTTP client, then fails cleanly, leaving no partial file', async () => {
    jenkins.faults.add({ path: 'big.bin', resetConnection: true, times: 10 });
    try {
      await assert.rejects(downloadFile(item('big.bin'), await deps(2)), (e: unknown) => e instanceof RemoteError && /big\.bin failed: ECONNRESET/.test(e.message));
      assert.equal(jenkins.faults.pending[0].hits, 5, 'the first try and four retries');
    } finally {
      jenkins.faults.clear();
    }
    assert.deepEqual(leftovers(), []);
    assert.equal(fs.existsSync(path.join(dir, 'out', 'big.bin')), false);
  });

  it('answers that drop before any byte of the body exhaust the retries, leaving no partial file', async () => {
    jenkins.addTransferFault({ path: 'big.bin', dropAfterBytes: 0, times: 10 });
    const d = await deps(2);
    await assert.rejects(downloadFile(item('big.bin'), d), (e: unknown) => e instanceof RemoteError && /failed after 3 attempt\(s\), 0 of 3145745 bytes received/.test(e.message));
    assert.equal(d.waits.length, 2);
    assert.deepEqual(leftovers(), []);
    assert.equal(fs.existsSync(path.join(dir, 'out', 'big.bin')), false);
  });

  it('content that does not match the fingerprint is not kept under its name', async () => {
    await assert.rejects(downloadFile(item('big.bin', ['0'.repeat(32)]), await deps()), (e: unknown) => e instanceof TaskError && /does not match the MD5 fingerprint/.test(e.message));
    assert.deepEqual(fs.readdirSync(path.join(dir, 'out')), []);
  });

  it('a slow server is waited for, not mistaken for a dropped one', async () => {
    jenkins.addTransferFault({ path: 'd/0.txt', bytesPerSecond: 2000, times: 1 });
    const r = await downloadFile(item('d/0.txt'), await deps());
    assert.deepEqual([r.bytes, r.resumes], [1000, 0]);
  });

  it('a body that stalls is dropped by the idle watchdog and resumed', async () => {
    const d = await deps();
    d.client = clientFor(jenkins, undefined, d.log, 50);
    jenkins.addTransferFault({ path: 'd/1.txt', bytesPerSecond: 1, times: 1 });
    const r = await downloadFile(item('d/1.txt'), d);
    assert.ok(fs.readFileSync(path.join(dir, 'out', 'd', '1.txt')).equals(many[1]));
    assert.ok(r.resumes >= 1, 'resumed after the stall');
    assert.ok(d.log.lines.some((l) => /no data for 50 ms/.test(l)), d.log.lines.join('\n'));
  });

  it('downloads many files a few at a time, reporting progress up to 100%', async () => {
    const d = await deps();
    const items = many.map((_, i) => item(`d/${i}.txt`));
    const results = await downloadAll(items, 3, d);
    assert.equal(results.length, 12);
    many.forEach((b, i) => assert.ok(fs.readFileSync(path.join(dir, 'out', 'd', `${i}.txt`)).equals(b)));
    d.progress.finish();
    assert.equal(d.percents[d.percents.length - 1], 100);
    assert.ok(d.percents.length > 2 && d.percents.every((p, i) => i === 0 || p >= d.percents[i - 1]), d.percents.join(','));
  });

  it('stops starting downloads after the first failure and leaves no partial file', async () => {
    const d = await deps(0);
    const items = [item('d/0.txt'), item('missing.txt'), ...many.slice(2).map((_, i) => item(`d/${i + 2}.txt`))];
    await assert.rejects(downloadAll(items, 1, d), /HTTP 404/);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'out', 'd')), ['0.txt']);
    assert.deepEqual(leftovers(), []);
  });
});
