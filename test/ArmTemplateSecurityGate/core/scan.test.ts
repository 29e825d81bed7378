import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { FileError, InputError, TaskError } from '../../../tasks/common/errors';
import { UnknownValue } from '../../../tasks/ArmTemplateSecurityGate/core/model';
import { scanWith } from '../../../tasks/ArmTemplateSecurityGate/core/scan';
import type { EvaluateOptions } from '../../../tasks/ArmTemplateSecurityGate/core/scan-types';
import {
  boolControl,
  deps,
  fakeEngine,
  MemoryFs,
  PARAMS_TEXT,
  resource,
  ROOT,
  secureParamControl,
  template,
  TEMPLATE_TEXT,
  throwingControl,
} from '../fakes';

const STORAGE = 'Microsoft.Storage/storageAccounts';

function setup(extraFiles: Record<string, string> = {}) {
  const fs = new MemoryFs({
    'infra/storage.json': TEMPLATE_TEXT,
    'infra/storage.parameters.json': PARAMS_TEXT,
    'infra/web.json': TEMPLATE_TEXT,
    'infra/bad.json': `${TEMPLATE_TEXT.slice(0, -1)}, "x": "broken" }`,
    'infra/package-lock.json': '{ "name": "x" }',
    'infra/nested/deep.json': TEMPLATE_TEXT,
    ...extraFiles,
  });
  const controls = [boolControl('storage-secure', 'high', ['microsoft.storage/STORAGEACCOUNTS']), boolControl('storage-minor', 'low', [STORAGE]), secureParamControl()];
  const engine = fakeEngine(
    fs,
    {
      'infra/storage.json': (file) =>
        template(file, [
          // A copy loop: one resource per copy, same declaration.
          resource(file, STORAGE, 'stg0', { properties: { secure: true } }, 12),
          resource(file, STORAGE, 'stg1', { properties: { secure: false } }, 12),
          resource(file, STORAGE, 'stgx', { properties: { secure: new UnknownValue("depends on parameter 'secure' with no value") } }, 30),
          resource(file, 'Microsoft.Network/publicIPAddresses', 'pip', {}, 40),
          resource(file, STORAGE, 'old', { properties: { secure: false } }, 50, { existing: true }),
        ]),
      'infra/web.json': (file) =>
        template(file, [], {
          parameters: [
            { name: 'adminPassword', type: 'string', hasLiteralDefault: false, location: { file, line: 5, column: 5 } },
            { name: 'sqlPassword', type: 'securestring', hasLiteralDefault: false, location: { file, line: 9, column: 5 } },
          ],
        }),
    },
    controls,
  );
  return { fs, engine, controls };
}

function run(options: Partial<EvaluateOptions>, files: Record<string, string> = {}, today?: string) {
  const s = setup(files);
  const d = deps(s.fs, today);
  return { ...s, result: scanWith({ paths: ['infra'], root: ROOT, ...options }, d, s.engine), warnings: d.warnings };
}

describe('scanWith', () => {
  it('gives one finding per control and resource (copies included), case-insensitive type match', () => {
    const { result } = run({});
    const secure = result.findings.filter((f) => f.ruleId === 'storage-secure');
    assert.deepEqual(
      secure.map((f) => [f.resource.name, f.outcome]),
      [
        ['stg0', 'pass'],
        ['stg1', 'fail'],
        ['stgx', 'unknown'],
      ],
    );
    assert.equal(secure[1].file, 'infra/storage.json');
    assert.equal(secure[1].line, 14);
    assert.match(secure[2].message, /parameter 'secure' with no value/);
  });

  it('skips existing resources and reports uncovered types without failing on them', () => {
    const { result } = run({ paths: ['infra/storage.json'], severityThreshold: 'high' });
    assert.ok(!result.findings.some((f) => f.resource.name === 'old'));
    assert.deepEqual(result.uncovered, [{ file: 'infra/storage.json', line: 40, type: 'Microsoft.Network/publicIPAddresses', name: 'pip' }]);
    assert.equal(result.counts.resources, 4);
  });

  it('turns an unevaluable template into one error finding with file:line and scans the rest', () => {
    const { result } = run({});
    const errors = result.findings.filter((f) => f.outcome === 'error');
    assert.equal(errors.length, 1);
    assert.equal(errors[0].file, 'infra/bad.json');
    assert.equal(errors[0].line, 7);
    assert.equal(errors[0].column, 12);
    assert.match(errors[0].message, /concatt/);
    assert.ok(result.findings.some((f) => f.file === 'infra/storage.json'));
    assert.equal(result.verdict.result, 'fail');
    assert.ok(result.verdict.reasons.some((r) => /could not be evaluated/.test(r)));
    assert.equal(result.files.find((f) => f.file === 'infra/bad.json')?.kind, 'error');
  });

  it('classifies files: parameter and other JSON files are not evaluated', () => {
    const { result, engine } = run({});
    assert.deepEqual(engine.calls.map((c) => path.relative(ROOT, c.file)).sort(), ['infra/bad.json', 'infra/nested/deep.json', 'infra/storage.json', 'infra/web.json'].map((p) => p.split('/').join(path.sep)));
    assert.equal(result.files.find((f) => f.file === 'infra/package-lock.json')?.kind, 'other');
    assert.equal(result.files.find((f) => f.file === 'infra/storage.parameters.json')?.kind, 'parameters');
    assert.equal(result.counts.templates, 4);
  });

  it('runs template controls once per template', () => {
    const { result } = run({ paths: ['infra/web.json'] });
    assert.deepEqual(
      result.findings.map((f) => [f.ruleId, f.resource.name, f.outcome]),
      [
        ['secure-params', 'adminPassword', 'fail'],
        ['secure-params', 'sqlPassword', 'pass'],
      ],
    );
  });

  it('reports a control that throws as an error finding for that resource', () => {
    const s = setup();
    s.engine.controls = [throwingControl()];
    const r = scanWith({ paths: ['infra/storage.json'], root: ROOT }, deps(s.fs), s.engine);
    assert.equal(r.findings.filter((f) => f.outcome === 'error').length, 3);
    assert.match(r.findings[0].message, /control failed to run: boom/);
  });

  describe('verdict', () => {
    it('fails on a failure at or above the threshold', () => {
      const { result } = run({ paths: ['infra/storage.json'] });
      assert.equal(result.verdict.result, 'fail');
      assert.match(result.verdict.reasons[0], /control failure/);
    });

    it('only warns when failures are below the threshold', () => {
      const s = setup();
      s.engine.controls = [boolControl('storage-minor', 'low', [STORAGE])];
      const r = scanWith({ paths: ['infra/storage.json'], root: ROOT, severityThreshold: 'medium' }, deps(s.fs), s.engine);
      assert.equal(r.counts.fail, 1);
      assert.equal(r.findings.find((f) => f.outcome === 'fail')?.blocking, false);
      assert.equal(r.verdict.result, 'warn');
    });

    it('applies the unknown policy', () => {
      const s = setup();
      s.engine.controls = [boolControl('storage-secure', 'high', [STORAGE])];
      const opts = { paths: ['infra/storage.json'], root: ROOT, skipRules: [{ control: 'storage-secure', resourceName: 'stg1' }] };
      assert.equal(scanWith({ ...opts, unknownPolicy: 'fail' }, deps(s.fs), s.engine).verdict.result, 'fail');
      assert.equal(scanWith({ ...opts, unknownPolicy: 'warn' }, deps(s.fs), s.engine).verdict.result, 'warn');
      assert.equal(scanWith({ ...opts, unknownPolicy: 'pass' }, deps(s.fs), s.engine).verdict.result, 'pass');
      assert.equal(scanWith({ ...opts, unknownPolicy: 'fail', treatAsPassed: ['unknown'] }, deps(s.fs), s.engine).verdict.result, 'pass');
    });

    it('fails when asked and no control was evaluated', () => {
      const fs = new MemoryFs({ 'a/only-pip.json': TEMPLATE_TEXT });
      const engine = fakeEngine(fs, { 'a/only-pip.json': (f) => template(f, [resource(f, 'Microsoft.Network/publicIPAddresses', 'pip', {})]) }, [boolControl('x', 'high', [STORAGE])]);
      assert.equal(scanWith({ paths: ['a'], root: ROOT }, deps(fs), engine).verdict.result, 'pass');
      const r = scanWith({ paths: ['a'], root: ROOT, failIfNoControlsScanned: true }, deps(fs), engine);
      assert.equal(r.verdict.result, 'fail');
      assert.match(r.verdict.reasons.join(), /no control was evaluated/);
    });
  });

  describe('baselines and skips', () => {
    it('pins controls by baseline date', () => {
      const s = setup();
      s.engine.controls = [boolControl('storage-secure', 'high', [STORAGE], '2026-11-01'), boolControl('storage-new', 'high', [STORAGE], '2027-02-01')];
      const pinned = scanWith({ paths: ['infra/storage.json'], root: ROOT, baseline: '2026-11' }, deps(s.fs), s.engine);
      assert.deepEqual([...new Set(pinned.findings.map((f) => f.ruleId))], ['storage-secure']);
      assert.equal(pinned.baseline.name, '2026-11');
      const latest = scanWith({ paths: ['infra/storage.json'], root: ROOT }, deps(s.fs), s.engine);
      assert.deepEqual([...new Set(latest.findings.map((f) => f.ruleId))].sort(), ['storage-new', 'storage-secure']);
      const dated = scanWith({ paths: ['infra/storage.json'], root: ROOT, baseline: '2027-03-01' }, deps(s.fs), s.engine);
      assert.equal(dated.baseline.controls, 2);
    });

    it('rejects an unknown baseline naming the input', () => {
      const s = setup();
      assert.throws(() => scanWith({ paths: ['infra'], root: ROOT, baseline: 'nope' }, deps(s.fs), s.engine), (e: unknown) => e instanceof InputError && /baseline/.test(e.message) && /2026-11/.test(e.message));
    });

    it('skips controls by our id or the AzSK id', () => {
      const a = run({ paths: ['infra/storage.json'], skipControls: ['STORAGE-SECURE'] }).result;
      assert.ok(!a.findings.some((f) => f.ruleId === 'storage-secure'));
      const b = run({ paths: ['infra/storage.json'], skipControls: ['Azure_storage-minor'] }).result;
      assert.ok(!b.findings.some((f) => f.ruleId === 'storage-minor'));
      assert.ok(b.findings.some((f) => f.ruleId === 'storage-secure'));
    });

    it('drops findings matching a skip rule and counts them', () => {
      const { result } = run({ paths: ['infra/storage.json'], skipRules: [{ control: 'storage-secure', file: 'storage.json', resourceName: 'stg1' }] });
      assert.ok(!result.findings.some((f) => f.ruleId === 'storage-secure' && f.resource.name === 'stg1'));
      assert.equal(result.counts.skipped, 1);
    });
  });

  describe('attestations', () => {
    const file = [
      'attestations:',
      '  - control: storage-secure',
      '    resource: { type: Microsoft.Storage/*, name: "stg1" }',
      '    justification: Legacy clients need it until the migration',
      '    approvedBy: security@contoso.com',
      '    expiresOn: 2027-01-31',
      '  - control: Azure_storage-minor',
      '    resource: { name: "stg?", file: "infra/*.json" }',
      '    justification: Accepted risk',
      '    expiresOn: 2026-10-01',
      '  - control: storage-secure',
      '    resource: { name: "does-not-exist" }',
      '    justification: stale',
      '    expiresOn: 2027-01-01',
    ].join('\n');

    it('marks attested findings with their justification, fails on expired ones, reports unused ones', () => {
      const { result } = run({ paths: ['infra/storage.json'], attestationsFile: 'attest.yml' }, { 'attest.yml': file });
      const attested = result.findings.find((f) => f.ruleId === 'storage-secure' && f.resource.name === 'stg1')!;
      assert.equal(attested.outcome, 'attested');
      assert.equal(attested.attestedOutcome, 'fail');
      assert.equal(attested.attestation?.justification, 'Legacy clients need it until the migration');
      assert.equal(attested.attestation?.line, 2);
      assert.equal(attested.blocking, false);

      const expired = result.findings.find((f) => f.ruleId === 'storage-minor' && f.resource.name === 'stg1')!;
      assert.equal(expired.outcome, 'fail');
      assert.equal(expired.attestation?.expired, true);
      assert.match(expired.message, /attestation expired on 2026-10-01 \(attest.yml:7\)/);
      assert.equal(result.expiredAttestations.length, 1);
      assert.equal(result.verdict.result, 'fail');
      assert.ok(result.verdict.reasons.some((r) => /expired attestation/.test(r)));

      assert.deepEqual(result.unusedAttestations.map((a) => [a.control, a.line]), [['storage-secure', 11]]);
    });

    it('passes the gate when every failure is attested', () => {
      const yml = 'attestations:\n  - control: storage-secure\n    resource: { name: stg1 }\n    justification: ok\n    expiresOn: 2027-01-31\n';
      const { result } = run({ paths: ['infra/storage.json'], attestationsFile: 'a.yml', skipControls: ['storage-minor'], unknownPolicy: 'pass' }, { 'a.yml': yml });
      assert.equal(result.counts.attested, 1);
      assert.equal(result.verdict.result, 'pass');
    });

    it('treats an attestation as valid through its expiry day', () => {
      const yml = 'attestations:\n  - control: storage-secure\n    resource: { name: stg1 }\n    justification: ok\n    expiresOn: 2026-11-23\n';
      const today = run({ paths: ['infra/storage.json'], attestationsFile: 'a.yml' }, { 'a.yml': yml }, '2026-11-23T23:59:00Z').result;
      assert.equal(today.expiredAttestations.length, 0);
      const tomorrow = run({ paths: ['infra/storage.json'], attestationsFile: 'a.yml' }, { 'a.yml': yml }, '2026-11-24T00:01:00Z').result;
      assert.equal(tomorrow.expiredAttestations.length, 1);
    });

    it('reads inline metadata attestations for the resource that carries them only', () => {
      const fs = new MemoryFs({ 't/a.json': TEMPLATE_TEXT });
      const inline = { armgate: { attestations: [{ control: 'storage-secure', justification: 'Private endpoint only', approvedBy: 'alice', expiresOn: '2027-06-30' }] } };
      const engine = fakeEngine(
        fs,
        {
          't/a.json': (f) =>
            template(f, [resource(f, STORAGE, 'one', { metadata: inline, properties: { secure: false } }, 10), resource(f, STORAGE, 'two', { properties: { secure: false } }, 30)]),
        },
        [boolControl('storage-secure', 'high', [STORAGE])],
      );
      const r = scanWith({ paths: ['t'], root: ROOT }, deps(fs), engine);
      assert.deepEqual(r.findings.map((f) => [f.resource.name, f.outcome]), [['one', 'attested'], ['two', 'fail']]);
      assert.equal(r.findings[0].attestation?.source, 't/a.json');
      assert.equal(r.findings[0].attestation?.line, 14);
    });

    it('reports a malformed inline attestation as a warning and leaves the finding failing', () => {
      const fs = new MemoryFs({ 't/a.json': TEMPLATE_TEXT });
      const inline = { armgate: { attestations: [{ control: 'storage-secure', expiresOn: '2027-06-30' }] } };
      const engine = fakeEngine(fs, { 't/a.json': (f) => template(f, [resource(f, STORAGE, 'one', { metadata: inline, properties: { secure: false } })]) }, [boolControl('storage-secure', 'high', [STORAGE])]);
      const d = deps(fs);
      const r = scanWith({ paths: ['t'], root: ROOT }, d, engine);
      assert.equal(r.findings[0].outcome, 'fail');
      assert.match(d.warnings[0], /t\/a.json:14: .*justification/);
    });

    it('names file and line for a bad attestation file', () => {
      const bad = 'attestations:\n  - control: storage-secure\n    justification: x\n    expiresOn: soon\n';
      assert.throws(() => run({ attestationsFile: 'a.yml' }, { 'a.yml': bad }), (e: unknown) => e instanceof FileError && e.message === "a.yml:2: 'expiresOn' is required, as a date YYYY-MM-DD");
      const noJust = 'attestations:\n  - control: x\n    expiresOn: 2027-01-01\n  - control: y\n    justification: ""\n    expiresOn: 2027-01-01\n';
      assert.throws(() => run({ attestationsFile: 'a.yml' }, { 'a.yml': noJust }), /a\.yml:2: 'justification' is required/);
      assert.throws(() => run({ attestationsFile: 'a.yml' }, { 'a.yml': 'attestations:\n  - control: [\n' }), (e: unknown) => e instanceof FileError && /a\.yml:\d+: invalid YAML/.test(e.message));
      assert.throws(() => run({ attestationsFile: 'a.yml' }, { 'a.yml': 'attestations:\n  - control: x\n    justifcation: typo\n' }), /a\.yml:2: unknown key 'justifcation'/);
      assert.throws(() => run({ attestationsFile: 'a.yml' }, { 'a.yml': '# security team\nattestation:\n  - control: x\n' }), /^FileError: a\.yml:2: unknown key 'attestation' \(expected 'attestations'\)/);
      const feb31 = 'attestations:\n  - control: storage-secure\n    justification: x\n    expiresOn: 2027-02-31\n';
      assert.throws(() => run({ attestationsFile: 'a.yml' }, { 'a.yml': feb31 }), /a\.yml:2: 'expiresOn' is required, as a date YYYY-MM-DD/);
      assert.throws(() => run({ attestationsFile: 'missing.yml' }), (e: unknown) => e instanceof TaskError && /missing.yml: attestation file not found/.test(e.message));
      assert.throws(() => run({ attestationsFile: 'security' }, { 'security/a.yml': 'attestations: []\n' }), (e: unknown) => e instanceof FileError && e.message === 'security: is a folder; give the path of the attestation file (YAML)');
    });
  });

  describe('parameter files and discovery', () => {
    it('pairs by convention, by folder and by explicit mapping', () => {
      const conv = run({ paths: ['infra/storage.json'] }).engine.calls[0];
      assert.equal(conv.parametersFile, path.join(ROOT, 'infra/storage.parameters.json'));
      const folder = run({ paths: ['infra/web.json'], parametersFolder: 'params' }, { 'params/web.parameters.json': PARAMS_TEXT }).engine.calls[0];
      assert.equal(folder.parametersFile, path.join(ROOT, 'params/web.parameters.json'));
      const mapped = run({ paths: ['infra/web.json', 'infra/storage.json'], parameterMap: [{ template: 'infra/web.json', parameters: 'p/prod.json' }] }, { 'p/prod.json': PARAMS_TEXT }).engine.calls;
      assert.equal(mapped.find((c) => c.file.endsWith('web.json'))?.parametersFile, path.join(ROOT, 'p/prod.json'));
      assert.equal(mapped.find((c) => c.file.endsWith('storage.json'))?.parametersFile, path.join(ROOT, 'infra/storage.parameters.json'));
      assert.throws(() => run({ paths: ['infra/web.json'], parametersFile: 'nope.json' }), /nope\.json: parameter file not found/);
    });

    it('honours globs, exclusions and recurse', () => {
      const glob = run({ paths: ['infra/**/*.json'], exclude: ['bad.json', 'infra/nested/**'] }).engine.calls.map((c) => path.basename(c.file)).sort();
      assert.deepEqual(glob, ['storage.json', 'web.json']);
      const flat = run({ paths: ['infra'], recurse: false }).engine.calls.map((c) => path.basename(c.file));
      assert.ok(!flat.includes('deep.json'));
      assert.throws(() => run({ paths: ['nowhere'] }), (e: unknown) => e instanceof FileError && /nowhere: no such file or folder/.test(e.message));
    });

    it('warns about a pattern that matches no file: the gate is not a silent green', () => {
      const { result, warnings } = run({ paths: ['infra/**/*.json', 'infra/**/*.bicep', 'missing/*.json'] });
      const expected = [`pattern 'infra/**/*.bicep' matched no file under ${ROOT}`, `pattern 'missing/*.json' matched no file under ${ROOT}`];
      assert.deepEqual(result.unmatchedPaths, ['infra/**/*.bicep', 'missing/*.json']);
      for (const w of expected) assert.ok(warnings.includes(w), `${w} in ${JSON.stringify(warnings)}`);

      const empty = run({ paths: ['infra/**/*.bicep'] });
      assert.equal(empty.result.verdict.result, 'warn');
      assert.deepEqual(empty.result.verdict.reasons, [`pattern 'infra/**/*.bicep' matched no file under ${ROOT}`]);
      assert.equal(empty.result.counts.templates, 0);
      const strict = run({ paths: ['infra/**/*.bicep'], failIfNoControlsScanned: true });
      assert.equal(strict.result.verdict.result, 'fail');
      assert.ok(strict.warnings.includes(`pattern 'infra/**/*.bicep' matched no file under ${ROOT}`));
    });

    it('does not warn about a pattern whose files are all excluded, and warns about an empty folder', () => {
      const excluded = run({ paths: ['infra/nested/*.json', 'infra/storage.json'], exclude: ['infra/nested/**'] });
      assert.deepEqual(excluded.result.unmatchedPaths, []);
      assert.deepEqual(excluded.warnings.filter((w) => /matched no file|holds no JSON/.test(w)), []);
      const flat = run({ paths: ['infra/empty'], recurse: false }, { 'infra/empty/sub/deep.json': TEMPLATE_TEXT });
      assert.deepEqual(flat.result.verdict.reasons, [`folder 'infra/empty' holds no JSON file (sub-folders not searched) under ${ROOT}`]);
    });
  });
});

describe('scanWith: an attestation file of 130,000 entries', () => {
  it('is read and applied without exhausting the stack (no spread of its entries into a call)', () => {
    const list = Array.from({ length: 130_000 }, (_, i) => ({ control: 'storage-secure', resource: { name: `st${i}` }, justification: 'generated', expiresOn: '2999-01-01' }));
    list.push({ control: 'storage-secure', resource: { name: 'stg1' }, justification: 'the one that matches', expiresOn: '2999-01-01' });
    const r = run({ attestationsFile: 'attest.json' }, { 'attest.json': JSON.stringify({ attestations: list }) });
    const attested = r.result.findings.filter((f) => f.outcome === 'attested');
    assert.deepEqual(attested.map((f) => [f.resource.name, f.attestation?.justification]), [['stg1', 'the one that matches']]);
    assert.equal(r.result.unusedAttestations.length, 130_000);
  });
});
