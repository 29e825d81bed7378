import * as assert from 'node:assert/strict';
import { createLogger } from '../../tasks/common/log/logger';
import { carriesCommand, neutralizeAfterLead, neutralizeCommands, oneLine } from '../../tasks/common/log/safe-text';
import { SecretRegistry } from '../../tasks/common/log/secrets';
import { parseVsoLine } from '../../scripts/vso-commands';

const VECTORS = [
  'st\n##vso[task.setvariable variable=INJECTED]evil\n##vso[task.prependpath]/tmp/attacker-bin',
  'name ##vso[task.uploadfile]/etc/passwd',
  'a\r##vso[task.complete result=Succeeded;]done',
  '##VSO[task.setvariable variable=X]y',
  '## vso[task.setvariable variable=X]y',
  '##[error]forged',
  '##[section]Gate PASSED',
];

describe('common/log/safe-text: no printed line is a pipeline command', () => {
  it('oneLine keeps a value on one line and breaks every command prefix', () => {
    for (const v of VECTORS) {
      const out = oneLine(v);
      assert.ok(!/[\r\n]/.test(out), JSON.stringify(out));
      assert.ok(!carriesCommand(out), JSON.stringify(out));
      assert.equal(parseVsoLine(out), undefined, JSON.stringify(out));
    }
    assert.equal(oneLine('a\nb\tc\u0007'), 'a\\nb\\tc\\u0007');
    assert.equal(oneLine('storage-account-1'), 'storage-account-1');
  });

  it('neutralizeAfterLead keeps the leading command of each line task-lib writes and breaks any later one', () => {
    const echo = '##vso[task.debug]jenkinsBuildNumber=abc##vso[task.setvariable variable=PWN]1 ##[error]forged\n';
    const out = neutralizeAfterLead(echo);
    assert.ok(out.startsWith('##vso[task.debug]jenkinsBuildNumber=abc'), out);
    assert.ok(out.endsWith('\n'), 'the line end stays');
    assert.ok(!carriesCommand(out.slice(2)), out);
    assert.deepEqual(parseVsoLine(out.trimEnd())?.command, 'task.debug');
    for (const v of VECTORS) {
      const out = neutralizeAfterLead(`##vso[task.debug]x=${v}`);
      assert.ok(out.startsWith('##vso[task.debug]x='), out);
      assert.ok(!carriesCommand(out.slice(2)), JSON.stringify(out));
      assert.ok(!carriesCommand(neutralizeAfterLead(`x=${v}`)), JSON.stringify(v));
    }
    assert.equal(neutralizeAfterLead('##vso[task.setvariable variable=a]b\n'), '##vso[task.setvariable variable=a]b\n');
    assert.equal(neutralizeAfterLead('plain text\n'), 'plain text\n');
  });

  it('neutralizeCommands breaks prefixes in every line and leaves other text alone', () => {
    for (const v of VECTORS) {
      const out = neutralizeCommands(v);
      for (const line of out.split(/\r?\n|\r/)) assert.ok(!carriesCommand(line), JSON.stringify(line));
      assert.equal(out.replace(/\u200b/g, ''), v, 'a reader sees the same characters');
    }
    assert.equal(neutralizeCommands('C# ## heading, 100%'), 'C# ## heading, 100%');
  });

  it('the logger redacts first, then neutralises every message it prints', () => {
    const lines: string[] = [];
    const sink = { debug: (m: string) => lines.push(m), info: (m: string) => lines.push(m), warning: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
    const secrets = new SecretRegistry();
    secrets.register('hunter2-secret');
    const log = createLogger(sink, secrets);
    log.info(`resource ${VECTORS[0]} key=hunter2-secret`);
    log.debug('##[debug]x');
    log.warning('##vso[task.logissue type=error]y');
    log.error('ok');
    for (const l of lines.flatMap((m) => m.split(/\r?\n|\r/))) assert.ok(!carriesCommand(l), l);
    assert.ok(!lines.join('\n').includes('hunter2-secret'));
    assert.ok(lines[0]?.includes('key=***'));
  });
});
