import * as assert from 'node:assert/strict';
import { TaskError } from '../../tasks/common/errors';
import { fingerprintIndex } from '../../tasks/JenkinsArtifactDownload/core/archive-download';
import { ItemFilter, safeRelativePath } from '../../tasks/JenkinsArtifactDownload/core/artifact-paths';

describe('JenkinsArtifactDownload/core/artifact-paths', () => {
  it('accepts relative paths and normalises backslashes to slashes', () => {
    assert.equal(safeRelativePath('build/app 1.0.zip', 'artifact'), 'build/app 1.0.zip');
    assert.equal(safeRelativePath('a\\b.txt', 'artifact'), 'a/b.txt');
    assert.equal(safeRelativePath('..hidden/..x', 'artifact'), '..hidden/..x');
  });

  it('refuses every way out of the target folder, naming the entry', () => {
    const refused: Array<[string, RegExp]> = [
      ['../x', /climbs out/],
      ['a/../../x', /climbs out/],
      ['a\\..\\..\\x', /climbs out/],
      ['/etc/passwd', /absolute path/],
      ['\\\\server\\share\\x', /absolute path/],
      ['C:\\Windows\\x', /absolute path/],
      ['c:x', /absolute path/],
      ['a//b', /empty or '\.' level/],
      ['./a', /empty or '\.' level/],
      ['a/', /empty or '\.' level/],
      ['', /empty/],
      ['a\0b', /NUL/],
    ];
    for (const [name, why] of refused) {
      assert.throws(() => safeRelativePath(name, 'archive entry'), (err: unknown) => err instanceof TaskError && why.test(err.message) && err.message.startsWith('Refused archive entry'), name);
    }
  });

  it('never lets a name add a line to the message', () => {
    assert.throws(() => safeRelativePath('../x\n##vso[task.complete result=Succeeded]', 'artifact'), (err: unknown) => !(err as Error).message.includes('\n'));
  });

  it('filters with minimatch lines: includes, ! excludes, dot files matched by **', () => {
    const all = new ItemFilter(['**']);
    assert.ok(all.matches('a/.env') && all.matches('x'));
    const some = new ItemFilter(['build/**', '**/*.txt', '!**/secret.txt']);
    assert.deepEqual(['build/a.zip', 'logs/b.txt', 'build/secret.txt', 'logs/c.log'].filter((p) => some.matches(p)), ['build/a.zip', 'logs/b.txt']);
    const excludesOnly = new ItemFilter(['!*.log']);
    assert.deepEqual(['a.log', 'b.bin', 'd/e.log'].filter((p) => excludesOnly.matches(p)), ['b.bin', 'd/e.log']);
  });

  it('finds the MD5s Jenkins recorded for a path by its path or its file name, each once', () => {
    const md5s = fingerprintIndex([
      { fileName: 'app.zip', md5: 'a'.repeat(32) },
      { fileName: 'out/app.zip', md5: 'b'.repeat(32) },
      { fileName: 'app.zip', md5: 'a'.repeat(32) },
      { fileName: 'other.zip', md5: 'c'.repeat(32) },
    ]);
    assert.deepEqual(md5s('out/app.zip').sort(), ['a'.repeat(32), 'b'.repeat(32)]);
    assert.deepEqual(md5s('app.zip'), ['a'.repeat(32)]);
    assert.deepEqual(md5s('x/other.zip'), ['c'.repeat(32)]);
    assert.deepEqual(md5s('none.zip'), []);
  });
});
