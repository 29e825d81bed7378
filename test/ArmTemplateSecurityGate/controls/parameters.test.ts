/**
 * The parameter model: every threshold a control uses is a declared parameter (name, type, default,
 * doc) that the control reads through its rule factory — never a constant written inline — and
 * every declared parameter changes what the control decides.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { controls } from '../../../tasks/ArmTemplateSecurityGate/core/controls';
import { fillText, parameterProblem, placeholders } from '../../../tasks/ArmTemplateSecurityGate/core/controls/helpers';
import type { CheckResult, Control, ControlParameter, ParameterValue } from '../../../tasks/ArmTemplateSecurityGate/core/model';
import { FIXTURES, OUTCOMES, runControl } from './controls.test';

const ROOT = path.resolve(__dirname, '../../../..');
const CONTROLS_DIR = path.join(ROOT, 'tasks/ArmTemplateSecurityGate/core/controls');
/** Helpers that take a threshold as an argument, and which argument it is. */
const THRESHOLD_ARGUMENT: Record<string, number> = { expectMinVersion: 1, expectIntAtLeast: 1, expectOneOf: 1, expectNoneOf: 1 };

/** Code of a control file with comments and the contents of strings and template literals blanked out. */
export function codeOnly(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/\/\/[^\n]*/g, (m) => ' '.repeat(m.length))
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, (m) => `${m[0]}${'_'.repeat(m.length - 2)}${m[0]}`);
}

/** The arguments of every call to `name` in `text`, as written (brackets and strings respected). */
export function callArguments(text: string, name: string): string[][] {
  const calls: string[][] = [];
  const code = codeOnly(text);
  for (let at = code.indexOf(`${name}(`); at >= 0; at = code.indexOf(`${name}(`, at + 1)) {
    if (/[\w$.]/.test(code[at - 1] ?? '')) continue;
    const args: string[] = [];
    let depth = 0;
    let start = at + name.length + 1;
    for (let i = start; i < code.length; i++) {
      const ch = code[i];
      if ('([{'.includes(ch)) depth++;
      else if (')]}'.includes(ch)) {
        if (depth === 0) {
          args.push(text.slice(start, i).trim());
          break;
        }
        depth--;
      } else if (ch === ',' && depth === 0) {
        args.push(text.slice(start, i).trim());
        start = i + 1;
      }
    }
    calls.push(args);
  }
  return calls;
}

/** Values of the declared type at the ends of its range: one of them must change some outcome. */
function alternatives(spec: ControlParameter): ParameterValue[] {
  switch (spec.type) {
    case 'version':
      return ['0.1', '999.0'];
    case 'integer':
      return [spec.min ?? 0, spec.max ?? 1_000_000];
    case 'string':
      return (spec.allowed ?? ['no-such-value']).filter((a) => a !== spec.default);
    case 'string[]':
      return [['no-such-value'], spec.allowed ? [...spec.allowed] : []];
    case 'boolean':
      return [!spec.default];
    case 'json':
      return [null, { 'no-such-key': true }];
  }
}

function outcomes(control: Control): string[] {
  return OUTCOMES.map((o) => runControl(control, path.join(FIXTURES, control.meta.id, `${o}.json`)).map((r: CheckResult) => r.outcome).join(','));
}

describe('ArmTemplateSecurityGate controls: parameters', () => {
  const withParameters = controls.filter((c) => c.meta.parameters);

  it('the catalogue declares the thresholds it used to hold as constants', () => {
    const declared = new Map(withParameters.map((c) => [c.meta.id, Object.keys(c.meta.parameters!)]));
    // The minimum TLS versions, Kubernetes and HDInsight versions, retention days, allowed tiers, counts.
    for (const [id, name] of [
      ['app-service-min-tls-version', 'minimumTlsVersion'],
      ['storage-min-tls-version', 'minimumTlsVersion'],
      ['redis-min-tls-version', 'minimumTlsVersion'],
      ['aks-supported-kubernetes-version', 'minimumVersion'],
      ['hdinsight-supported-version', 'minimumVersion'],
      ['storage-blob-soft-delete', 'minimumRetentionDays'],
      ['key-vault-soft-delete', 'minimumRetentionDays'],
      ['databricks-premium-tier', 'allowedTiers'],
      ['search-three-replicas', 'minimumReplicas'],
      ['app-service-plan-multiple-instances', 'minimumInstances'],
    ]) {
      assert.ok(declared.get(id)?.includes(name), `${id} declares ${name}`);
    }
  });

  it('every declared parameter has a camelCase name, a doc, and a default its own type accepts', () => {
    for (const c of withParameters) {
      for (const [name, spec] of Object.entries(c.meta.parameters!)) {
        const where = `${c.meta.id}.${name}`;
        assert.match(name, /^[a-z][A-Za-z0-9]*$/, where);
        assert.ok(spec.doc.length > 15 && /\.$/.test(spec.doc), `${where}: doc is a sentence`);
        assert.ok(spec.default !== undefined, `${where}: default`);
        assert.strictEqual(parameterProblem(spec, spec.default), undefined, `${where}: default ${JSON.stringify(spec.default)}`);
      }
      assert.deepStrictEqual(c.parameterValues, Object.fromEntries(Object.entries(c.meta.parameters!).map(([n, s]) => [n, s.default])), c.meta.id);
    }
  });

  it('texts name only declared parameters, and read their values', () => {
    for (const c of controls) {
      const m = c.meta;
      for (const text of [m.title, m.rationale, m.remediation.text, m.remediation.snippet]) {
        assert.deepStrictEqual(placeholders(text), [], `${m.id}: unresolved placeholder in '${text}'`);
      }
      if (!c.configure) continue;
      const [name, spec] = Object.entries(m.parameters!)[0];
      const other = alternatives(spec)[1];
      const changed = c.configure({ [name]: other });
      assert.deepStrictEqual(changed.parameterValues?.[name], other);
      assert.strictEqual(c.parameterValues?.[name], spec.default, `${m.id}: configure() leaves the original as it was`);
    }
  });

  it('every declared parameter changes what the control decides on its fixtures', () => {
    for (const c of withParameters) {
      const before = outcomes(c).join(' | ');
      for (const [name, spec] of Object.entries(c.meta.parameters!)) {
        const after = alternatives(spec).map((v) => outcomes(c.configure!({ [name]: v })).join(' | '));
        assert.ok(after.some((a) => a !== before), `${c.meta.id}.${name} changes no outcome (${before}): is it read?`);
      }
    }
  });

  it('no control keeps a threshold inline: no constants, no literal thresholds, no comparisons with numbers', () => {
    const problems: string[] = [];
    for (const file of fs.readdirSync(CONTROLS_DIR).filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'context.ts')) {
      const text = fs.readFileSync(path.join(CONTROLS_DIR, file), 'utf8');
      const code = codeOnly(text);
      // Facts about a service (an API version date) may be constants; limits may not.
      for (const m of text.matchAll(/\bconst\s+([A-Z][A-Z0-9_]*)\s*=\s*(\d|'\d|"\d)/g)) {
        if (/(^|_)(MIN|MAX|MINIMUM|MAXIMUM|LIMIT|THRESHOLD|ALLOWED|RETENTION|DAYS|COUNT|VERSION)(_|$)/.test(m[1])) problems.push(`${file}: constant ${m[1]}`);
      }
      for (const m of code.matchAll(/[<>]=?\s*([1-9]\d*)\b/g)) problems.push(`${file}: compares with ${m[1]}`);
      for (const [helper, index] of Object.entries(THRESHOLD_ARGUMENT)) {
        for (const args of callArguments(text, helper)) {
          const threshold = args[index] ?? '';
          // expectOneOf/expectNoneOf also judge fixed facts (a protocol, a state): only numbers and versions are thresholds there.
          const literal = helper.startsWith('expectMin') || helper === 'expectIntAtLeast' ? /^(['"\d[])/ : /^\[\s*['"]\s*v?\d/;
          if (literal.test(threshold)) problems.push(`${file}: ${helper}(…, ${threshold}) — declare it as a parameter`);
        }
      }
    }
    assert.deepStrictEqual(problems, []);
  });

  it('the inline-threshold check finds what it looks for (so the test above can fail)', () => {
    const sample = "const MIN_VERSION = '1.2';\nexpectMinVersion(siteConfig('minTlsVersion'), '1.2', { what: 'x, y' });\nif (n >= 3) x();";
    assert.deepStrictEqual(callArguments(sample, 'expectMinVersion')[0]?.slice(0, 2), ["siteConfig('minTlsVersion')", "'1.2'"]);
    assert.match(codeOnly(sample), /const MIN_VERSION = '___'/, 'strings are blanked, so numbers in texts are never taken for thresholds');
    assert.ok([...codeOnly(sample).matchAll(/[<>]=?\s*([1-9]\d*)\b/g)].length === 1);
  });
});

describe('ArmTemplateSecurityGate controls: parameter values', () => {
  const appTls = controls.find((c) => c.meta.id === 'app-service-min-tls-version')!;
  const site = (siteConfig: Record<string, unknown>): string => {
    const file = path.join(os.tmpdir(), `armgate-param-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(file, JSON.stringify({ resources: [{ type: 'Microsoft.Web/sites', name: 'app', body: { properties: { siteConfig } } }] }));
    return file;
  };

  it('a raised threshold reads in the texts and judges the service default too', () => {
    const strict = appTls.configure!({ minimumTlsVersion: '1.3' });
    assert.strictEqual(strict.meta.title, 'App Service requires TLS 1.3 or later');
    assert.strictEqual(appTls.meta.title, 'App Service requires TLS 1.2 or later');
    assert.match(strict.meta.remediation.snippet, /"minTlsVersion":"1\.3"/);
    const unset = site({});
    const written = site({ minTlsVersion: '1.2' });
    try {
      assert.deepStrictEqual(runControl(appTls, unset).map((r) => r.outcome), ['pass']);
      const [absent] = runControl(strict, unset);
      assert.strictEqual(absent?.outcome, 'fail', 'App Service applies 1.2 when unset, which 1.3 does not accept');
      assert.match(absent.message, /not set.*expected 1\.3 or later/);
      assert.deepStrictEqual(runControl(strict, written).map((r) => r.outcome), ['fail']);
    } finally {
      fs.rmSync(unset);
      fs.rmSync(written);
    }
  });

  it('validates values against the declaration, in words that name the expected form', () => {
    const version: ControlParameter = { type: 'version', default: '1.2', doc: 'x' };
    assert.strictEqual(parameterProblem(version, '1.3'), undefined);
    assert.strictEqual(parameterProblem(version, 1.3), undefined, 'YAML reads 1.3 as a number');
    assert.match(parameterProblem(version, 'newest')!, /expected a version such as '1\.2', got string "newest"/);
    const integer: ControlParameter = { type: 'integer', default: 7, min: 7, max: 90, doc: 'x' };
    assert.match(parameterProblem(integer, 3)!, /at least 7/);
    assert.match(parameterProblem(integer, 91)!, /at most 90/);
    assert.match(parameterProblem(integer, 7.5)!, /whole number/);
    assert.match(parameterProblem(integer, '30')!, /whole number, got string "30"/);
    const list: ControlParameter = { type: 'string[]', default: ['premium'], allowed: ['standard', 'premium'], doc: 'x' };
    assert.strictEqual(parameterProblem(list, ['Premium']), undefined);
    assert.match(parameterProblem(list, ['gold'])!, /'gold' is not one of 'standard', 'premium'/);
    assert.match(parameterProblem(list, 'premium')!, /a list of texts/);
  });

  it('a value in a snippet is escaped for JSON', () => {
    assert.strictEqual(fillText('{"v":"{x}"}', { x: 'a"b' }, true), '{"v":"a\\"b"}');
    assert.strictEqual(fillText('at least {x} of {y}', { x: 3 }), 'at least 3 of {y}');
    assert.strictEqual(fillText('{list}', { list: ['a', 'b'] }), 'a, b');
  });
});
