import * as assert from 'node:assert/strict';
import { InputError, TaskError } from '../../tasks/common/errors';
import { runTask } from '../../tasks/common/host/run-task';
import { carriesCommand } from '../../tasks/common/log/safe-text';
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

  it('recognises a typed error from another copy of the errors module (a deferred part of a bundle)', async () => {
    const file = require.resolve('../../tasks/common/errors');
    const original = require.cache[file];
    delete require.cache[file];
    const copy = require(file) as typeof import('../../tasks/common/errors');
    if (original) require.cache[file] = original;
    assert.notEqual(copy.TaskError, TaskError, 'a second class');
    const foreign = new copy.FileError('api.yaml', 'cannot read: no such file', 3);
    assert.ok(foreign instanceof TaskError);
    assert.ok(!(foreign instanceof InputError), 'subclasses keep the ordinary check');
    assert.ok(!(new TypeError('x') instanceof TaskError));
    assert.ok(new InputError('a', 'b') instanceof TaskError);
    const host = new FakeHost();
    await runTask(host, () => ({}), async () => {
      throw foreign;
    });
    assert.deepEqual(host.result, { result: 'Failed', message: 'api.yaml:3: cannot read: no such file' });
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

describe('common/host/runTask redaction', () => {
  it('redacts the secrets the task registered from a typed failure, an unexpected one and its debug stack', async () => {
    for (const thrown of [new InputError('backendUrl', 'rejected key s3cr3t-value'), new TypeError('service echoed s3cr3t-value')]) {
      const host = new FakeHost();
      await runTask(host, () => ({}), async (_s, ctx) => {
        ctx.secrets.register('s3cr3t-value');
        throw thrown;
      });
      assert.equal(host.result?.result, 'Failed');
      assert.ok(!host.result?.message.includes('s3cr3t-value'), host.result?.message);
      assert.match(host.result?.message ?? '', /\*\*\*/);
      assert.ok(!host.logs.some((l) => l.includes('s3cr3t-value')), host.logs.join('\n'));
      assert.ok(host.secrets.includes('s3cr3t-value'), 'still registered with the agent');
    }
  });
});

describe('common/host/runTask pipeline commands', () => {
  const forged = 'abc##vso[task.setvariable variable=PWN]1 ##[error]forged';

  it('breaks a ##vso[ / ##[ command quoted in a failure message (an input value echoed by a setting reader)', async () => {
    for (const thrown of [new InputError('jenkinsBuildNumber', `expected a build number, got '${forged}'`), new TypeError(forged)]) {
      const host = new FakeHost();
      await runTask(host, () => {
        throw thrown;
      }, async () => undefined);
      assert.equal(host.result?.result, 'Failed');
      assert.ok(!carriesCommand(host.result?.message ?? ''), host.result?.message);
      assert.match(host.result?.message ?? '', /PWN/, 'the text is still shown');
    }
  });

  it('breaks a command in the outcome message a task returns', async () => {
    const host = new FakeHost();
    await runTask(host, () => ({}), async () => ({ result: 'SucceededWithIssues', message: `template '${forged}' warned` }));
    assert.equal(host.result?.result, 'SucceededWithIssues');
    assert.ok(!carriesCommand(host.result?.message ?? ''), host.result?.message);
  });
});
