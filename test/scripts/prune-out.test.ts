import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pruneOut } from '../../scripts/prune-out';

describe('scripts/prune-out', () => {
  it('removes compiled files whose source is gone, and the folders left empty; keeps the rest', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-prune-'));
    try {
      const write = (rel: string) => {
        fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        fs.writeFileSync(path.join(root, rel), '');
      };
      write('tasks/a/helpers/index.ts');
      for (const f of ['out/tasks/a/helpers.js', 'out/tasks/a/helpers.js.map', 'out/tasks/a/helpers/index.js', 'out/old/gone.js', 'out/.tsbuildinfo']) write(f);
      const removed = pruneOut(root).sort();
      assert.deepEqual(removed, ['out/old/gone.js', 'out/tasks/a/helpers.js', 'out/tasks/a/helpers.js.map'].map((p) => p.split('/').join(path.sep)));
      assert.ok(fs.existsSync(path.join(root, 'out/tasks/a/helpers/index.js')));
      assert.ok(fs.existsSync(path.join(root, 'out/.tsbuildinfo')));
      assert.ok(!fs.existsSync(path.join(root, 'out/old')));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
