import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../tasks/ArmTemplateSecurityGate/cli/main';
import { fixtures } from '../paths';

// Each file is written whole or not at all, never through a planted link: the common port's
// writeTextAtomic (test/common/file-system.test.ts). Here: the CLI renders every report first.
describe('report files are written whole or not at all', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'armgate-write-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('CLI: an --output that cannot be written is an input error (exit 2) naming the file', async () => {
    const blocked = path.join(tmp, 'blocked');
    fs.mkdirSync(path.join(blocked, 'armgate.sarif'), { recursive: true });
    const first = path.join(tmp, 'first.json');
    const err: string[] = [];
    const code = await main(['scan', 'violating', '--format', 'junit', '--output', first, '--format', 'sarif', '--output', path.join(blocked, 'armgate.sarif'), '--format', 'json', '--output', path.join(tmp, 'last.json')], {
      stdout: () => undefined,
      stderr: (t) => err.push(t),
      isTTY: false,
      env: {},
      cwd: fixtures(),
    });
    assert.equal(code, 2);
    assert.match(err.join(''), /armgate: .*blocked\/armgate\.sarif: cannot write: /);
    assert.doesNotMatch(err.join(''), /internal error/);
    assert.equal(fs.existsSync(path.join(tmp, 'last.json')), false);
  });
});
