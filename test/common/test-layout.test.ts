/**
 * The split between `npm run test:unit` (seconds: in-process tests only) and `npm run test:e2e`
 * (bundled tasks, child processes, emulator servers) is a naming convention; this keeps it true.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { minimatch } from 'minimatch';

const root = path.resolve(__dirname, '../../..');

function testFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return rel === 'test/fixtures' ? [] : testFiles(rel);
    return e.name.endsWith('.test.ts') ? [rel] : [];
  });
}

interface MochaConfig {
  spec: string[];
  ignore?: string[];
}

function selects(config: MochaConfig, sourceFile: string): boolean {
  const out = `out/${sourceFile.replace(/\.ts$/, '.js')}`;
  return config.spec.some((g) => minimatch(out, g)) && !(config.ignore ?? []).some((g) => minimatch(out, g));
}

const read = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as MochaConfig;

describe('test layout: unit and e2e', () => {
  const files = testFiles('test');
  const unit = read('.mocharc.unit.json');
  const e2e = read('.mocharc.e2e.json');
  const all = read('.mocharc.json');

  it('every test file is in exactly one of test:unit and test:e2e, and npm test runs them all', () => {
    assert.ok(files.length > 40, `found ${files.length} test files`);
    for (const f of files) {
      assert.equal(Number(selects(unit, f)) + Number(selects(e2e, f)), 1, f);
      assert.ok(selects(all, f), f);
    }
  });

  it('a unit test runs no bundle, no child process and no emulator server (name it *.e2e.test.ts otherwise)', () => {
    const outside = [/from '(node:)?child_process'/, /\bstartEmulators\(/, /scripts\/task-runner'/, /\bdist[/'"]/];
    for (const f of files.filter((x) => selects(unit, x))) {
      const text = fs.readFileSync(path.join(root, f), 'utf8');
      for (const pattern of outside) assert.doesNotMatch(text, pattern, `${f} is a unit test`);
    }
  });
});
