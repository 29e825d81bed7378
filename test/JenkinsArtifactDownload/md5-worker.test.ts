import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { workerMd5 } from '../../tasks/JenkinsArtifactDownload/task/md5-worker';

describe('JenkinsArtifactDownload/task/md5-worker', () => {
  it('gives the MD5 of everything it was given, across batch boundaries and with back-pressure', async () => {
    const data = randomBytes(19 * 1024 * 1024 + 123);
    const h = workerMd5();
    let waited = 0;
    for (let at = 0; at < data.length; ) {
      const n = Math.min(data.length - at, 1 + ((at * 7919) % 70_000));
      const pending = h.update(data.subarray(at, at + n));
      if (pending) {
        waited += 1;
        await pending;
      }
      at += n;
    }
    assert.equal(await h.digest(), createHash('md5').update(data).digest('hex'));
    assert.ok(waited > 0, 'update waited for the worker at least once (at most four batches in flight)');
  });

  it('hashes nothing as the MD5 of the empty input, and can be abandoned', async () => {
    assert.equal(await workerMd5().digest(), 'd41d8cd98f00b204e9800998ecf8427e');
    const h = workerMd5();
    void h.update(Buffer.from('partial'));
    h.dispose();
  });
});
