import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { isInsideFolder } from '../../../tasks/ArmTemplateSecurityGate/core/engine';

/** The rule isInsideFolder must keep, written the slow way: relative path neither '..'-led nor absolute. */
function byRelative(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

describe('isInsideFolder: the quick answer agrees with the path.relative rule', () => {
  const root = path.resolve('/scan/root');
  const cases: Array<[string, boolean]> = [
    [root, true],
    [path.join(root, 'a.json'), true],
    [path.join(root, 'nested', 'deep', 'a.json'), true],
    [`${root}${path.sep}..${path.sep}outside.json`, false],
    [`${root}${path.sep}a${path.sep}..${path.sep}..${path.sep}outside.json`, false],
    [`${root}${path.sep}a${path.sep}..${path.sep}b.json`, true],
    [`${root}${path.sep}.${path.sep}b.json`, true],
    [`${root}${path.sep}..b.json`, false],
    [`${root}x${path.sep}a.json`, false],
    [`${root}${path.sep}${path.sep}a.json`, true],
    [path.resolve('/scan'), false],
    [path.resolve('/elsewhere/a.json'), false],
  ];
  for (const [file, expected] of cases) {
    it(`${file}: ${expected ? 'inside' : 'outside'}`, () => {
      assert.equal(byRelative(root, file), expected, 'the case itself is right');
      assert.equal(isInsideFolder({}, root, file), expected);
      assert.equal(isInsideFolder({ realPath: (p) => p }, `${root}${path.sep}`, file), byRelative(`${root}${path.sep}`, file));
    });
  }

  it('follows what realPath says (a link out of the root is outside)', () => {
    const linked = path.join(root, 'link', 'a.json');
    const fs = { realPath: (p: string) => (p === linked ? path.resolve('/etc/a.json') : p) };
    assert.equal(isInsideFolder(fs, root, linked), false);
    assert.equal(isInsideFolder(fs, root, path.join(root, 'other.json')), true);
  });
});
