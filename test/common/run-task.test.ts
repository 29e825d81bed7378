import * as assert from 'node:assert/strict';
import { InputError } from '../../tasks/common/errors';
import { runTask } from '../../tasks/common/host/run-task';
import { FakeHost } from '../helpers/fake-host';

describe('common/host/runTask', () => {
  it('succeeds with the outcome the task returns', async () => {
    const host = new FakeHost();
    await runTask(host, () => ({ n: 1 }), async (s) => ({ result: 'SucceededWithIssues', message: `n=${s.n}` }));
    assert.deepEqual(host.result, { result: 'SucceededWithIssues', message: 'n=1' });
  });

  it('turns a typed error into one clear failure line without a stack', async () => {
    const host = new FakeHost();
    await runTask(host, () => {
      throw new InputError('templatePath', 'no file matches "x/*.json"');
    }, async () => undefined);
    assert.equal(host.result?.result, 'Failed');
    assert.equal(host.result?.message, `Input 'templatePath': no file matches "x/*.json"`);
    assert.equal(host.logs.length, 0);
  });

  it('reports an unexpected error briefly and keeps its stack in debug', async () => {
    const host = new FakeHost();
    await runTask(host, () => ({}), async () => {
      throw new TypeError('boom');
    });
    assert.equal(host.result?.message, 'Unexpected error: boom');
    assert.ok(host.logs.some((l) => l.startsWith('debug: TypeError: boom')));
  });
});
