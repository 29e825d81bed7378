import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { TemplateError } from '../../../tasks/ArmTemplateSecurityGate/core/model';
import { loadAndEvaluate } from '../../../tasks/ArmTemplateSecurityGate/core/engine';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const corpus = path.resolve(repoRoot, '..', 'shared', 'corpora', 'quickstart');

describe('ARM engine: quickstart corpus', () => {
  it('evaluates every quickstart template without errors', function () {
    this.timeout(120000);
    assert.ok(fs.existsSync(corpus), `quickstart corpus missing at ${corpus}`);
    const samples = fs.readdirSync(corpus).filter((d) => fs.existsSync(path.join(corpus, d, 'azuredeploy.json')));
    assert.ok(samples.length >= 150, `expected the quickstart samples, found ${samples.length}`);
    // Reads are cached so the timing below measures parsing and evaluation, not the disk.
    const cache = new Map<string, string>();
    const mfs = {
      readFile: (p: string) => {
        let t = cache.get(p);
        if (t === undefined) { t = fs.readFileSync(p, 'utf8'); cache.set(p, t); }
        return t;
      },
      exists: (p: string) => cache.has(p) || fs.existsSync(p),
    };
    const failures: string[] = [];
    let resources = 0;
    const evaluateAll = (): void => {
      for (const s of samples) {
        const file = path.join(corpus, s, 'azuredeploy.json');
        try {
          const t = loadAndEvaluate(file, { fs: mfs, displayPath: (p) => path.relative(corpus, p) });
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
    };
    evaluateAll(); // warm-up (and file cache)
    const rounds = 5;
    resources = 0;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) evaluateAll();
    const evalMs = Number(process.hrtime.bigint() - t0) / 1e6 / rounds;
    const texts = [...cache.values()];
    const t1 = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) for (const t of texts) { try { JSON.parse(t); } catch { /* comments */ } }
    const parseMs = Number(process.hrtime.bigint() - t1) / 1e6 / rounds;
    console.log(`      ${samples.length} templates (${texts.length} files, ${resources / rounds} resources): ` +
      `${(evalMs / samples.length).toFixed(2)} ms/template, JSON.parse of the same files ${parseMs.toFixed(1)} ms, ratio ${(evalMs / parseMs).toFixed(1)}x`);
    assert.deepStrictEqual(failures.slice(0, 10), [], `${failures.length / (rounds + 1)} templates failed`);
  });
});
