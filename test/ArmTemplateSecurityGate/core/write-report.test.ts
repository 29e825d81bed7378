import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../tasks/ArmTemplateSecurityGate/cli/main';
import { writeReport, type WriteFs } from '../../../tasks/ArmTemplateSecurityGate/task/node-deps';
import { fixtures } from '../paths';

describe('report files are written whole or not at all', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'armgate-write-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('a write that fails half-way leaves the previous report and no stray file, naming the report', () => {
    const target = path.join(tmp, 'armgate-results.json');
    fs.writeFileSync(target, '{"previous":true}\n');
    // Like a full disk: part of the text reaches the file, then the write fails.
    const failing: WriteFs = {
      mkdirSync: fs.mkdirSync,
      renameSync: fs.renameSync,
      rmSync: fs.rmSync,
      writeFileSync: ((file: string, text: string) => {
        fs.writeFileSync(file, text.slice(0, 5));
        throw new Error('ENOSPC: no space left on device');
      }) as WriteFs['writeFileSync'],
    };
    assert.throws(() => writeReport(target, '{"results":[]}\n', 'out/armgate-results.json', failing), /^FileError: out\/armgate-results\.json: cannot write the report: ENOSPC/);
    assert.equal(fs.readFileSync(target, 'utf8'), '{"previous":true}\n');
    assert.deepEqual(fs.readdirSync(tmp), ['armgate-results.json']);
  });

  it('replaces a symbolic link planted at the report path instead of writing through it', () => {
    const victim = path.join(tmp, 'victim.txt');
    fs.writeFileSync(victim, 'keep');
    const target = path.join(tmp, 'reports', 'TEST-armgate.xml');
    fs.mkdirSync(path.dirname(target));
    fs.symlinkSync(victim, target);
    writeReport(target, '<testsuites/>\n');
    assert.equal(fs.readFileSync(victim, 'utf8'), 'keep');
    assert.equal(fs.lstatSync(target).isSymbolicLink(), false);
    assert.equal(fs.readFileSync(target, 'utf8'), '<testsuites/>\n');
  });

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
    assert.match(err.join(''), /armgate: .*blocked\/armgate\.sarif: cannot write the report/);
    assert.doesNotMatch(err.join(''), /internal error/);
    assert.equal(fs.existsSync(path.join(tmp, 'last.json')), false);
  });
});
