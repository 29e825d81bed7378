/**
 * End to end with the real engine: template JSON (parameter files, if(), copy loops, nested children,
 * listKeys outputs) → EvaluatedTemplate → controls.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { CheckResult, EvaluatedTemplate } from '../../../tasks/ArmTemplateSecurityGate/core/model';
import { createCheckContext, findControl } from '../../../tasks/ArmTemplateSecurityGate/core/controls';
import { loadAndEvaluate } from '../../../tasks/ArmTemplateSecurityGate/core/engine';

const DIR = path.resolve(__dirname, '../../../../test/ArmTemplateSecurityGate/controls/e2e');
const engineFs = { readFile: (p: string) => fs.readFileSync(p, 'utf8'), exists: (p: string) => fs.existsSync(p) };

function load(name: string): EvaluatedTemplate {
  return loadAndEvaluate(path.join(DIR, name), { fs: engineFs });
}

/** Results of one control over a template, keyed by resource name (or parameter/output name). */
function run(template: EvaluatedTemplate, id: string): Map<string, CheckResult[]> {
  const control = findControl(id);
  assert.ok(control, `no control ${id}`);
  const out = new Map<string, CheckResult[]>();
  if (control.kind === 'template') {
    for (const r of control.check(template)) out.set(r.resource.name, [...(out.get(r.resource.name) ?? []), r]);
    return out;
  }
  const ctx = createCheckContext(template);
  for (const res of template.resources) {
    const results = control.check(res, ctx);
    if (results.length) out.set(res.name, results);
  }
  return out;
}

function outcomes(results: Map<string, CheckResult[]>): Record<string, string> {
  return Object.fromEntries([...results].map(([k, v]) => [k, v.map((r) => r.outcome).join(',')]));
}

describe('ArmTemplateSecurityGate controls: end to end with the engine', () => {
  describe('web app with a parameter file and if()', () => {
    const template = load('webapp.json');

    it('fails httpsOnly set to false through the parameter file', () => {
      const r = run(template, 'app-service-https-only').get('contoso-web')!;
      assert.strictEqual(r[0]!.outcome, 'fail');
      assert.match(r[0]!.message, /false/);
      assert.match(r[0]!.location.file, /webapp\.json$/);
    });

    it('reads minTlsVersion from the nested sites/config "web" child, which wins over siteConfig', () => {
      assert.deepStrictEqual(outcomes(run(template, 'app-service-min-tls-version')), { 'contoso-web': 'pass' });
    });

    it('reports unknown, with the parameter named, when ftpsState depends on a parameter without a value', () => {
      const r = run(template, 'app-service-ftps-disabled').get('contoso-web')!;
      assert.strictEqual(r[0]!.outcome, 'unknown');
      assert.match(r[0]!.message, /environment/);
    });

    it('reports unknown for an if() on the plan capacity', () => {
      assert.deepStrictEqual(outcomes(run(template, 'app-service-plan-multiple-instances')), { 'contoso-web-plan': 'unknown' });
    });

    it('flags a password parameter declared as string', () => {
      assert.deepStrictEqual(outcomes(run(template, 'template-secure-parameters')), { adminPassword: 'fail' });
    });
  });

  describe('storage accounts from a copy loop', () => {
    const template = load('storage-copy.json');

    it('judges each copy on its own value', () => {
      assert.deepStrictEqual(outcomes(run(template, 'storage-min-tls-version')), { contosost0: 'pass', contosost1: 'fail' });
    });

    it('relates the blobServices child to its account only', () => {
      assert.deepStrictEqual(outcomes(run(template, 'storage-blob-soft-delete')), { contosost0: 'pass', contosost1: 'fail' });
    });

    it('passes an omitted supportsHttpsTrafficOnly on a current apiVersion', () => {
      assert.deepStrictEqual(outcomes(run(template, 'storage-https-only')), { contosost0: 'pass', contosost1: 'pass' });
    });

    it('fails a secure parameter with a literal default and an output that returns listKeys()', () => {
      assert.deepStrictEqual(outcomes(run(template, 'template-secure-parameter-no-default')), { storageKeyOutput: 'fail' });
      assert.deepStrictEqual(outcomes(run(template, 'template-no-secrets-in-outputs')), { key: 'fail' });
    });
  });
});
