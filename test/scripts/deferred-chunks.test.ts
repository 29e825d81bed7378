import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleEntry } from '../../scripts/build';
import { toolRoot } from '../../scripts/paths';

/**
 * A project-internal `await import()` in a task becomes a deferred part of its one bundle: embedded
 * as text and compiled only when the import runs, so a run that fails on its inputs never parses it.
 */
describe('build: deferred parts of a bundle', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-deferred-'));
    const errors = JSON.stringify(path.join(toolRoot(), 'tasks/common/errors'));
    fs.writeFileSync(path.join(dir, 'heavy.ts'), `import { FileError } from ${errors};\n(globalThis as { heavyLoaded?: boolean }).heavyLoaded = true;\nexport function work(fail: boolean): string {\n  if (fail) throw new FileError('spec.yaml', 'cannot read: deferred marker');\n  return 'HEAVY-RESULT';\n}\n`);
    fs.writeFileSync(
      path.join(dir, 'entry.ts'),
      [
        `import { TaskError } from ${errors};`,
        `const g = globalThis as { heavyLoaded?: boolean };`,
        `async function main(): Promise<void> {`,
        `  const mode = process.argv[2];`,
        `  if (mode === 'inputs-fail') { console.log('loaded:' + String(g.heavyLoaded === true)); return; }`,
        `  const heavy = await import('./heavy');`,
        `  try { console.log(heavy.work(mode === 'throw') + ' loaded:' + String(g.heavyLoaded)); }`,
        `  catch (err) { console.log('task error:' + String(err instanceof TaskError) + ' ' + (err as Error).message); }`,
        `}`,
        `void main();`,
      ].join('\n'),
    );
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('embeds the imported module as text, runs it only when imported, and keeps error identity across the boundary', async () => {
    const out = path.join(dir, 'out', 'index.js');
    const report = await bundleEntry(path.join(dir, 'entry.ts'), out, { minify: true });
    assert.deepEqual(report.problems, []);
    assert.deepEqual(fs.readdirSync(path.dirname(out)), ['index.js'], 'still one file');
    assert.ok(report.inputs.some((i) => i.endsWith(`${path.sep}heavy.ts`)), 'the deferred inputs are reported (notices, checks)');
    const text = fs.readFileSync(out, 'utf8');
    assert.match(text, /runInThisContext\(/);
    assert.match(text, /"[^"]*HEAVY-RESULT[^"]*"/, 'the deferred code is a string literal');
    const run = (mode: string) => spawnSync(process.execPath, [out, mode], { encoding: 'utf8' }).stdout.trim();
    assert.equal(run('inputs-fail'), 'loaded:false', 'not evaluated until imported');
    assert.equal(run('work'), 'HEAVY-RESULT loaded:true');
    assert.equal(run('throw'), 'task error:true spec.yaml: cannot read: deferred marker');
  });
});
