import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileError } from '../../tasks/common/errors';
import type { FileSystem } from '../../tasks/common/fs/file-system';
import { createNodeFileSystem, type NodeFsCalls } from '../../tasks/common/fs/node-file-system';
import { MemoryFileSystem } from '../helpers/memory-file-system';

const fileError = (file: string, message: RegExp) => (err: unknown) => err instanceof FileError && err.file === file && message.test(err.message);

describe('common/fs: the file-system port', () => {
  let tmp: string;
  let real: FileSystem;
  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'srk-fs-')));
    fs.mkdirSync(path.join(tmp, 'ops'));
    fs.writeFileSync(path.join(tmp, 'ops', 'b.xml'), '<b/>');
    fs.writeFileSync(path.join(tmp, 'ops', 'a.xml'), '\uFEFF<a/>');
    fs.writeFileSync(path.join(tmp, 'spec.yaml'), 'openapi: 3.0.1');
    real = createNodeFileSystem({ baseFolder: tmp, baseFolderName: 'System.DefaultWorkingDirectory' });
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('reads text relative to its base folder, byte-order mark kept; lists names sorted', () => {
    assert.equal(real.readText('spec.yaml'), 'openapi: 3.0.1');
    assert.equal(real.readText(path.join(tmp, 'ops/a.xml')), '\uFEFF<a/>');
    assert.deepEqual(real.list('ops'), ['a.xml', 'b.xml']);
    assert.equal(real.exists('ops'), true);
    assert.equal(real.exists('nothing'), false);
    assert.equal(real.isDirectory('ops'), true);
    assert.equal(real.isDirectory('spec.yaml'), false);
    assert.equal(real.isFile('spec.yaml'), true);
    assert.equal(real.isFile('ops'), false);
    assert.equal(real.isFile('nothing'), false);
  });

  it('failures are FileErrors naming the path as given, the path looked at, and what to fix', () => {
    assert.throws(() => real.readText('no-such.yaml'), fileError('no-such.yaml', /^no-such\.yaml: cannot read: no such file \(looked for .*\/no-such\.yaml\); check the path, which is relative to System\.DefaultWorkingDirectory$/));
    assert.throws(() => real.readText(path.join(tmp, 'gone.yaml')), (err: unknown) => err instanceof FileError && !/relative to/.test(err.message), 'no hint for an absolute path');
    assert.throws(() => real.readText('ops'), fileError('ops', /cannot read: .*\/ops is a folder; give the path of a file/));
    assert.throws(() => real.list('spec.yaml'), fileError('spec.yaml', /cannot list the folder: .*\/spec\.yaml is not a folder/));
    assert.throws(() => real.list('missing'), fileError('missing', /cannot list the folder: no such folder/));
  });

  it('resolves symbolic links in realPath, and gives the absolute path back when it cannot', () => {
    fs.symlinkSync(path.join(tmp, 'ops'), path.join(tmp, 'link'));
    assert.equal(real.realPath('link/a.xml'), path.join(tmp, 'ops', 'a.xml'));
    assert.equal(real.realPath('missing/x'), path.join(tmp, 'missing', 'x'));
    assert.equal(real.isDirectory('link'), true, 'links are followed');
  });

  it('writes whole or not at all: a write failing half-way leaves the previous text and no stray file', () => {
    fs.writeFileSync(path.join(tmp, 'report.json'), '{"previous":true}');
    const failing = createNodeFileSystem({
      baseFolder: tmp,
      calls: {
        writeFileSync: ((file: string, text: string) => {
          fs.writeFileSync(file, text.slice(0, 3));
          throw new Error('ENOSPC: no space left on device');
        }) as NodeFsCalls['writeFileSync'],
      },
    });
    assert.throws(() => failing.writeTextAtomic('report.json', '{"results":[]}'), fileError('report.json', /^report\.json: cannot write: ENOSPC: no space left on device$/));
    assert.equal(fs.readFileSync(path.join(tmp, 'report.json'), 'utf8'), '{"previous":true}');
    assert.deepEqual(fs.readdirSync(tmp).sort(), ['ops', 'report.json', 'spec.yaml']);
  });

  it('creates parent folders, and replaces a link planted at the target instead of writing through it', () => {
    real.writeTextAtomic('out/deep/r.txt', 'one');
    assert.equal(fs.readFileSync(path.join(tmp, 'out/deep/r.txt'), 'utf8'), 'one');
    const victim = path.join(tmp, 'victim.txt');
    fs.writeFileSync(victim, 'keep');
    fs.symlinkSync(victim, path.join(tmp, 'out/planted.txt'));
    real.writeTextAtomic('out/planted.txt', 'new');
    assert.equal(fs.readFileSync(victim, 'utf8'), 'keep');
    assert.equal(fs.lstatSync(path.join(tmp, 'out/planted.txt')).isSymbolicLink(), false);
    assert.equal(fs.readFileSync(path.join(tmp, 'out/planted.txt'), 'utf8'), 'new');
  });

  it('the in-memory port for core tests behaves the same way', () => {
    const mem = new MemoryFileSystem({ 'ops/b.xml': '<b/>', 'ops/a.xml': '<a/>', 'spec.yaml': 'x' });
    assert.equal(mem.readText('spec.yaml'), 'x');
    assert.deepEqual(mem.list('ops'), ['a.xml', 'b.xml']);
    assert.equal(mem.isDirectory('ops'), true);
    assert.equal(mem.isFile('ops'), false);
    assert.throws(() => mem.readText('ops'), fileError('ops', /cannot read: \/work\/ops is a folder/));
    assert.throws(() => mem.readText('no'), fileError('no', /cannot read: no such file/));
    assert.throws(() => mem.list('spec.yaml'), fileError('spec.yaml', /cannot list the folder: .* is not a folder/));
    mem.writeTextAtomic('out/r.txt', 'y');
    assert.equal(mem.readText('out/r.txt'), 'y');
  });
});
