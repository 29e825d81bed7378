/**
 * Removes compiled files under out/ whose TypeScript source is gone. tsc never deletes outputs, so
 * after a file is moved or renamed its stale copy stays: Node then resolves `./helpers` to an old
 * `helpers.js` before the new `helpers/index.js`, and mocha runs renamed tests twice.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { toolRoot } from './paths';

const COMPILED = /^(.*)\.(js|js\.map|d\.ts)$/;

export function pruneOut(root = toolRoot(), out = path.join(root, 'out')): string[] {
  const removed: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, e.name);
      if (e.isDirectory()) {
        walk(file);
        if (fs.readdirSync(file).length === 0) fs.rmdirSync(file);
        continue;
      }
      const m = COMPILED.exec(e.name);
      if (!m) continue;
      const source = path.join(root, path.relative(out, dir), `${m[1]}.ts`);
      if (!fs.existsSync(source)) {
        fs.rmSync(file);
        removed.push(path.relative(root, file));
      }
    }
  };
  if (fs.existsSync(out)) walk(out);
  return removed;
}

if (require.main === module) {
  const removed = pruneOut();
  if (removed.length) console.log(`removed ${removed.length} stale compiled file(s) from out/`);
}
