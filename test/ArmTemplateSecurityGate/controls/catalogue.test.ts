/**
 * The catalogue's own invariants: ids, files, index, fixtures, docs and metadata shape.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { controls, findControl } from '../../../tasks/ArmTemplateSecurityGate/core/controls';
import { checkDocs, DOCS_DIR, renderControlDoc } from '../../../scripts/gen-control-docs';
import { FIXTURES, OUTCOMES } from './controls.test';

const ROOT = path.resolve(__dirname, '../../../..');
const CONTROLS_DIR = path.join(ROOT, 'tasks/ArmTemplateSecurityGate/core/controls');
/** Files in the controls folder that are not controls. */
const SUPPORT_FILES = new Set(['index.ts', 'helpers.ts', 'context.ts']);

const SEVERITIES = new Set(['high', 'medium', 'low']);
const REFERENCE_FORMS: Record<string, RegExp> = {
  azsk: /^Azure_[A-Za-z]+_[A-Za-z]+(_[A-Za-z0-9]+)+$/,
  checkov: /^CKV2?_AZURE_\d+$/,
  psrule: /^Azure\.[A-Za-z]+\.[A-Za-z0-9]+$/,
  mcsb: /^(NS|IM|PA|DP|AM|LT|IR|PV|ES|BR|DS|GS)-\d+$/,
};

describe('ArmTemplateSecurityGate controls: catalogue', () => {
  it('has unique, kebab-case ids', () => {
    const ids = controls.map((c) => c.meta.id);
    assert.strictEqual(new Set(ids).size, ids.length, 'duplicate ids');
    for (const id of ids) assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('has one file per control, named after its id, and every control file is in the index', () => {
    const files = fs.readdirSync(CONTROLS_DIR).filter((f) => f.endsWith('.ts') && !SUPPORT_FILES.has(f));
    const ids = new Set(controls.map((c) => c.meta.id));
    for (const f of files) assert.ok(ids.has(f.replace(/\.ts$/, '')), `${f} is not listed in controls/index.ts`);
    for (const id of ids) assert.ok(files.includes(`${id}.ts`), `control '${id}' has no file ${id}.ts`);
    // The file's default export is the control that carries that id (id = file name).
    for (const f of files) {
      const mod = require(path.join(ROOT, 'out/tasks/ArmTemplateSecurityGate/core/controls', f.replace(/\.ts$/, '.js'))) as { default?: { meta?: { id?: string } } };
      assert.strictEqual(mod.default?.meta?.id, f.replace(/\.ts$/, ''), `${f} must default-export the control with that id`);
    }
  });

  it('findControl finds every control case-insensitively and nothing else', () => {
    for (const c of controls) assert.strictEqual(findControl(c.meta.id.toUpperCase()), c);
    assert.strictEqual(findControl('no-such-control'), undefined);
  });

  it('has well-formed metadata', () => {
    for (const c of controls) {
      const m = c.meta;
      const where = `control '${m.id}'`;
      assert.ok(SEVERITIES.has(m.severity), `${where}: severity ${m.severity}`);
      assert.match(m.since, /^\d{4}-\d{2}-\d{2}$/, `${where}: since`);
      assert.ok(!Number.isNaN(Date.parse(m.since)), `${where}: since is not a date`);
      assert.ok(m.title.length > 10 && m.rationale.length > 60 && m.remediation.text.length > 10, `${where}: texts too short`);
      assert.ok(m.featureSet.length > 0, `${where}: featureSet`);
      if (c.kind === 'resource') {
        assert.ok(m.resourceTypes.length > 0, `${where}: no resource types`);
        for (const t of m.resourceTypes) assert.match(t, /^Microsoft\.[A-Za-z]+(\/[A-Za-z]+)+$/, `${where}: resource type ${t}`);
        for (const [t, added] of Object.entries(m.typesSince ?? {})) {
          assert.ok(m.resourceTypes.includes(t), `${where}: typesSince names ${t}, which is not in resourceTypes`);
          assert.match(added, /^\d{4}-\d{2}-\d{2}$/, `${where}: typesSince ${t}`);
          assert.ok(added > m.since, `${where}: ${t} added (${added}) before the control shipped (${m.since})`);
        }
      } else {
        assert.strictEqual(m.featureSet, 'Template', `${where}: template controls belong to the Template feature set`);
      }
      assert.doesNotThrow(() => JSON.parse(m.remediation.snippet), `${where}: remediation snippet is not JSON`);
      assert.ok(!m.remediation.snippet.includes('\n'), `${where}: remediation snippet should be compact JSON`);
      for (const [kind, ids] of Object.entries(m.references)) {
        const form = REFERENCE_FORMS[kind];
        assert.ok(form, `${where}: unknown reference kind ${kind}`);
        assert.ok(Array.isArray(ids) && ids.length > 0, `${where}: empty ${kind} references`);
        for (const id of ids as string[]) assert.match(id, form, `${where}: ${kind} reference ${id}`);
      }
    }
  });

  it('has pass, fail and unknown fixtures for every control and no fixtures for unknown ids', () => {
    for (const c of controls) for (const o of OUTCOMES) assert.ok(fs.existsSync(path.join(FIXTURES, c.meta.id, `${o}.json`)), `${c.meta.id}/${o}.json missing`);
    for (const dir of fs.readdirSync(FIXTURES)) assert.ok(findControl(dir), `fixtures/${dir} belongs to no control`);
  });

  it('has an up-to-date doc page for every control (run node out/scripts/gen-control-docs.js)', () => {
    assert.deepStrictEqual(checkDocs(path.join(ROOT, DOCS_DIR), controls), []);
  });

  it('doc check notices a stale page (so the test above can fail)', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'control-docs-'));
    try {
      const c = controls[0]!;
      fs.writeFileSync(path.join(tmp, `${c.meta.id}.md`), renderControlDoc(c).replace(c.meta.title, 'edited by hand'));
      const problems = checkDocs(tmp, controls);
      assert.ok(problems.some((p) => p.startsWith('stale') && p.includes(c.meta.id)));
      assert.ok(problems.some((p) => p.startsWith('missing')));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
