/**
 * Issue 10: the engine's modules import one another without a cycle (evaluator.ts and
 * functions.ts used to import each other). Type-only imports are erased and do not count.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { toolRoot } from '../../../scripts/paths';

const ENGINE = path.join(toolRoot(), 'tasks', 'ArmTemplateSecurityGate', 'core', 'engine');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Value imports (and re-exports) of a file that resolve to files of the engine. */
function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?'(\.[^']+)';/gm)) {
    if (m[1]) continue;
    const base = path.resolve(path.dirname(file), m[2]);
    const target = [`${base}.ts`, path.join(base, 'index.ts')].find((p) => fs.existsSync(p));
    if (target?.startsWith(ENGINE)) out.push(target);
  }
  return out;
}

describe('ARM engine modules', () => {
  it('import one another without a cycle', () => {
    const files = sources(ENGINE);
    assert.ok(files.length > 10, `found ${files.length} engine files`);
    const graph = new Map(files.map((f) => [f, imports(f)]));
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, trail: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(f)), f].map((p) => path.relative(ENGINE, p)).join(' -> '));
        return;
      }
      state.set(f, 'visiting');
      for (const g of graph.get(f) ?? []) visit(g, [...trail, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    assert.deepEqual(cycles, []);
  });
});
