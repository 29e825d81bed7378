import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileError, InputError, TaskError } from '../../tasks/common/errors';
import { BUFFER_FIRST, openTargetFolder, tempFolder } from '../../tasks/JenkinsArtifactDownload/task/node-files';

describe('JenkinsArtifactDownload/task/node-files (the target folder on disk)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-jenkins-fs-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates saveTo and folders on demand; a file is invisible under its name until committed', async () => {
    const target = await openTargetFolder(path.join(dir, 'a', 'b'));
    const f = await target.open('x/y/z.txt');
    await f.write(Buffer.from('hello '));
    await f.write(Buffer.from('world'));
    assert.equal(fs.existsSync(path.join(dir, 'a', 'b', 'x', 'y', 'z.txt')), false);
    await f.commit();
    assert.equal(fs.readFileSync(path.join(dir, 'a', 'b', 'x', 'y', 'z.txt'), 'utf8'), 'hello world');
    assert.deepEqual(fs.readdirSync(path.join(dir, 'a', 'b', 'x', 'y')), ['z.txt']);
    await f.discard();
    assert.ok(fs.existsSync(path.join(dir, 'a', 'b', 'x', 'y', 'z.txt')), 'discard after commit does nothing');
  });

  it('a small file is written whole at commit; a large one streams once BUFFER_FIRST bytes arrived; both only under a temporary name until committed', async () => {
    const target = await openTargetFolder(path.join(dir, 's'));
    const small = await target.open('small.bin');
    await small.write(Buffer.alloc(1000, 1));
    await small.write(Buffer.alloc(24, 2));
    assert.deepEqual(fs.readdirSync(path.join(dir, 's')), [], 'nothing on disk before commit');
    await small.commit();
    assert.deepEqual(fs.readFileSync(path.join(dir, 's', 'small.bin')), Buffer.concat([Buffer.alloc(1000, 1), Buffer.alloc(24, 2)]));

    const large = await target.open('large.bin');
    const parts = [Buffer.alloc(BUFFER_FIRST - 1, 3), Buffer.alloc(2, 4), Buffer.alloc(5000, 5)];
    for (const p of parts) await large.write(p);
    assert.ok(!fs.existsSync(path.join(dir, 's', 'large.bin')), 'not under its name while it streams');
    await large.commit();
    assert.deepEqual(fs.readFileSync(path.join(dir, 's', 'large.bin')), Buffer.concat(parts));
    assert.deepEqual(fs.readdirSync(path.join(dir, 's')).sort(), ['large.bin', 'small.bin']);

    const abandoned = await target.open('abandoned.bin');
    await abandoned.write(Buffer.alloc(BUFFER_FIRST + 10, 6));
    await abandoned.discard();
    assert.deepEqual(fs.readdirSync(path.join(dir, 's')).sort(), ['large.bin', 'small.bin'], 'a streamed file discarded leaves nothing');
  });

  it('a small file that cannot be written fails at commit naming its path, and leaves nothing', async () => {
    const target = await openTargetFolder(path.join(dir, 's'));
    const f = await target.open('sub/f.bin');
    await f.write(Buffer.from('data'));
    fs.rmSync(path.join(dir, 's', 'sub'), { recursive: true });
    await assert.rejects(f.commit(), (e: unknown) => e instanceof FileError && e.message.includes(path.join('sub', 'f.bin')) && /cannot be written/.test(e.message));
    await f.discard();
    assert.deepEqual(fs.readdirSync(path.join(dir, 's')), []);
  });

  it('replaces an existing file, and discarding removes the temporary file only', async () => {
    fs.mkdirSync(path.join(dir, 's'));
    fs.writeFileSync(path.join(dir, 's', 'old.txt'), 'old');
    const target = await openTargetFolder(path.join(dir, 's'));
    const keep = await target.open('old.txt');
    await keep.write(Buffer.from('new'));
    await keep.commit();
    assert.equal(fs.readFileSync(path.join(dir, 's', 'old.txt'), 'utf8'), 'new');
    const drop = await target.open('gone.txt');
    await drop.write(Buffer.from('x'));
    await drop.discard();
    assert.deepEqual(fs.readdirSync(path.join(dir, 's')), ['old.txt']);
  });

  it('refuses to write through a link in saveTo that leads outside it, and follows one that stays inside', async () => {
    const outside = path.join(dir, 'outside');
    fs.mkdirSync(outside);
    fs.mkdirSync(path.join(dir, 's', 'real'), { recursive: true });
    fs.symlinkSync(outside, path.join(dir, 's', 'escape'));
    fs.symlinkSync('real', path.join(dir, 's', 'inner'));
    const target = await openTargetFolder(path.join(dir, 's'));
    await assert.rejects(target.open('escape/x.txt'), (e: unknown) => e instanceof TaskError && /Refused to write into 'escape': it is a link that leads outside the target folder/.test(e.message));
    await assert.rejects(target.open('escape/deeper/x.txt'), /leads outside the target folder/);
    assert.deepEqual(fs.readdirSync(outside), [], 'nothing created outside');
    const f = await target.open('inner/ok.txt');
    await f.write(Buffer.from('ok'));
    await f.commit();
    assert.equal(fs.readFileSync(path.join(dir, 's', 'real', 'ok.txt'), 'utf8'), 'ok');
  });

  it('creates links that stay inside and refuses links that leave', async () => {
    const target = await openTargetFolder(path.join(dir, 's'));
    await target.link('a/self', '../b');
    assert.equal(fs.readlinkSync(path.join(dir, 's', 'a', 'self')), '../b');
    await assert.rejects(target.link('a/out', '../../x'), /leads outside the target folder/);
  });

  it('names the path when a file stands where a folder is needed', async () => {
    fs.mkdirSync(path.join(dir, 's'));
    fs.writeFileSync(path.join(dir, 's', 'f'), 'x');
    const target = await openTargetFolder(path.join(dir, 's'));
    await assert.rejects(target.open('f/x.txt'), (e: unknown) => e instanceof FileError && e.message.includes(path.join(dir, 's', 'f')) && /is a file where the artifacts need a folder/.test(e.message));
  });

  it('saveTo that is a file, or under a file, fails naming the input, the path and that it is a file', async () => {
    const file = path.join(dir, 'drop.zip');
    fs.writeFileSync(file, 'x');
    await assert.rejects(openTargetFolder(file), (e: unknown) =>
      e instanceof InputError && e.message === `Input 'saveTo': '${file}' is a file, not a folder; give the path of a folder (it is created if missing)`);
    await assert.rejects(openTargetFolder(path.join(file, 'a', 'b')), (e: unknown) =>
      e instanceof InputError && e.message === `Input 'saveTo': cannot create the folder '${path.join(file, 'a', 'b')}': '${file}' on its path is a file, not a folder`);
    assert.equal(fs.readFileSync(file, 'utf8'), 'x', 'the file is left as it was');
  });

  it('temp files get unique names in the agent temp folder', async () => {
    const temp = tempFolder(path.join(dir, 't'));
    const a = await temp.writeText('s.md', 'one');
    const b = await temp.writeText('s.md', 'two');
    assert.notEqual(a, b);
    assert.ok(a.startsWith(path.join(dir, 't')) && a.endsWith('-s.md'));
    const z = await temp.create('x.zip');
    await z.write(Buffer.from('zip'));
    await z.commit();
    assert.equal(fs.readFileSync(z.path, 'utf8'), 'zip');
    await temp.remove(z.path);
    assert.equal(fs.existsSync(z.path), false);
  });
});
