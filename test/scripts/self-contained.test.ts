import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpusDir, schemasDir, toolRoot } from '../../scripts/paths';

/**
 * A user clones only this repository. Nothing the build, the scripts or the tests read may live
 * beside it: the development reference shelf next to the clone is never an input.
 */
const SKIP_DIRS = new Set(['node_modules', 'out', 'dist', '.git', 'corpora']);
const TEXT = /\.(ts|js|mjs|cjs|json|ya?ml|sh|md)$/;
const DOTDOT = '\\.\\.';
// The parent folder's `shared` in slash, backslash and path.join forms (the pattern and the samples
// below are built from parts, so this file does not match itself).
const SHELF = new RegExp(`${DOTDOT}[\\\\/]+shared\\b|['"]${DOTDOT}['"]\\s*,\\s*['"]shared['"]`);

export function shelfReferences(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(path.join(dir, e.name));
        continue;
      }
      const file = path.join(dir, e.name);
      if (!e.isFile() || !(TEXT.test(e.name) || path.basename(dir) === '.ci')) continue;
      fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        if (SHELF.test(line)) found.push(`${path.relative(root, file)}:${i + 1}: ${line.trim()}`);
      });
    }
  };
  walk(root);
  return found;
}

describe('the repository is self-contained', () => {
  it('no file of the product, its scripts, CI or tests refers to a folder beside the clone', () => {
    assert.deepEqual(shelfReferences(toolRoot()), []);
  });

  it('the check finds each form of such a reference', () => {
    const dir = fs.mkdtempSync(path.join(toolRoot(), 'out', 'shelf-'));
    try {
      fs.mkdirSync(path.join(dir, '.ci'));
      const up = '.' + '.';
      fs.writeFileSync(path.join(dir, 'a.ts'), `const s = path.resolve(root, '${up}', 'shared', 'schemas');\n`);
      fs.writeFileSync(path.join(dir, 'b.md'), `ok\nsee ${up}/shared/corpora\n`);
      fs.writeFileSync(path.join(dir, '.ci', 'run'), `cp ${up}\\shared\\x .\n`);
      fs.writeFileSync(path.join(dir, 'c.ts'), `const fine = '${up}/sharedConfig';\n`);
      assert.deepEqual(shelfReferences(dir).map((l) => l.split(':').slice(0, 2).join(':')).sort(), ['.ci/run:1', 'a.ts:1', 'b.md:2']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the schemas and the template corpus are committed inside the repository', () => {
    for (const f of ['task.schema.json', 'vss-extension.schema.json', 'sarif-2.1.0.schema.json']) {
      assert.ok(fs.existsSync(path.join(schemasDir(), f)), f);
    }
    assert.ok(schemasDir().startsWith(toolRoot() + path.sep));
    assert.ok(corpusDir().startsWith(toolRoot() + path.sep));
    assert.ok(fs.existsSync(path.join(corpusDir(), 'LICENSE')));
  });
});
