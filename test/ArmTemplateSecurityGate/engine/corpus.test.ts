import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { corpusDir } from '../../../scripts/paths';
import { TemplateError } from '../../../tasks/ArmTemplateSecurityGate/core/model';
import { loadAndEvaluate } from '../../../tasks/ArmTemplateSecurityGate/core/engine';

// The corpus is committed (test/corpora/quickstart); its timing belongs to `npm run bench`.
describe('ARM engine: quickstart corpus', () => {
  it('evaluates every quickstart template without errors, every resource typed and located', function () {
    this.timeout(120000);
    const corpus = corpusDir();
    const samples = fs.readdirSync(corpus).filter((d) => fs.existsSync(path.join(corpus, d, 'azuredeploy.json')));
    assert.ok(samples.length >= 150, `expected the quickstart samples, found ${samples.length}`);
    const failures: string[] = [];
    let resources = 0;
    for (const s of samples) {
      const file = path.join(corpus, s, 'azuredeploy.json');
      try {
        const t = loadAndEvaluate(file, { fs: { readFile: (p) => fs.readFileSync(p, 'utf8'), exists: (p) => fs.existsSync(p) }, displayPath: (p) => path.relative(corpus, p) });
        resources += t.resources.length;
        for (const r of t.resources) {
          assert.ok(r.type.includes('/'), `${s}: resource type '${r.type}'`);
          assert.ok(r.location.line >= 1);
          assert.ok(r.locate(['properties']).line >= r.location.line || r.locate(['properties']).file !== r.location.file);
        }
      } catch (e) {
        if (!(e instanceof TemplateError)) throw e;
        failures.push(`${s}: ${e.message} at ${e.location.file}:${e.location.line}:${e.location.column}`);
      }
    }
    assert.ok(resources > 1000, `${resources} resources`);
    assert.deepStrictEqual(failures.slice(0, 10), [], `${failures.length} templates failed`);
  });
});
