import * as assert from 'node:assert/strict';
import { main } from '../../../tasks/ArmTemplateSecurityGate/cli/main';
import { fixtures } from '../paths';

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, env: {}, cwd: fixtures() });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('armgate main (in process)', () => {
  it('a --root that is not a folder is a usage error naming --root, with the pointer to --help', async () => {
    const r = await run(['scan', 'violating', '--root', 'no-such-root']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^armgate: --root: no such folder 'no-such-root'\nRun 'armgate --help' for usage\.\n$/);
  });

  it('a bad --baseline names --baseline, not a task input', async () => {
    const r = await run(['scan', 'violating', '--baseline', 'nope']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^armgate: --baseline: expected latest/);
    assert.doesNotMatch(r.stderr, /Input '/);
  });

  it('an option parse error also points at --help', async () => {
    const r = await run(['scan', 'violating', '--format']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /argument missing[\s\S]*Run 'armgate --help' for usage/);
  });
});
