/**
 * Issue 9 §3: a template written to exhaust the agent ends quickly with an error naming the limit
 * it passed (ARM's documented template limits, or the gate's budget per template), at the
 * expression or resource where evaluation stood; the scan goes on with the other files.
 * No timing is asserted here (the benchmark measures time): each case would run for minutes or
 * exhaust the heap without its limit.
 */
import * as assert from 'node:assert/strict';
import { TemplateError } from '../../../tasks/ArmTemplateSecurityGate/core/model';
import { LIMITS } from '../../../tasks/ArmTemplateSecurityGate/core/engine';
import { SCHEMA, evaluateFiles, params, scanFiles, storage, tpl } from './scan-files';

const LAMBDA_BOMB = "[length(map(range(0,10000), lambda('x', map(range(0,10000), lambda('y', range(0,10000))))))]";

function refused(files: Record<string, string | object>, pattern: RegExp, line?: number, file = 'main.json'): TemplateError {
  let error: unknown;
  try {
    evaluateFiles(files);
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof TemplateError, `expected a TemplateError, got ${String(error)}`);
  assert.match(error.message, pattern);
  assert.equal(error.location.file, file);
  if (line !== undefined) assert.equal(error.location.line, line);
  return error;
}

/** Line of the first occurrence of `needle` in the pretty-printed template. */
function lineOf(template: object, needle: string): number {
  return JSON.stringify(template, null, 2).split('\n').findIndex((l) => l.includes(needle)) + 1;
}

describe('ARM engine: bounded time and memory', () => {
  describe("the gate's budget per template", () => {
    it('the lambda bomb of issue 9 is refused at its expression', () => {
      const t = tpl({ resources: [storage('st', { x: LAMBDA_BOMB })] });
      refused({ 'main.json': t }, /more than 1000000 array elements and object members, the gate's budget per template/, lineOf(t, 'lambda'));
    });

    it('800 nested deployments of 800 storage accounts (each within ARM limits) are refused', () => {
      const inner = tpl({ resources: [{ ...storage("[concat('s', copyIndex())]", {}), copy: { name: 's', count: 800 } }] });
      const t = tpl({ resources: [{ type: 'Microsoft.Resources/deployments', apiVersion: '2022-09-01', name: "[concat('d', copyIndex())]", copy: { name: 'd', count: 800 }, properties: { mode: 'Incremental', template: inner } }] });
      refused({ 'main.json': t }, new RegExp(`more than ${LIMITS.scanResources} resources with its nested and linked deployments`));
    });

    it('a property copy of 800 x 800 x 800 is refused', () => {
      const input = { copy: [{ name: 'l2', count: 800, input: { copy: [{ name: 'l3', count: 800, input: "[copyIndex('l3')]" }] } }] };
      const t = tpl({ resources: [storage('st', { copy: [{ name: 'l1', count: 800, input }] })] });
      refused({ 'main.json': t }, /more than 5000000 evaluation steps, the gate's budget per template/);
    });

    it('a string doubled by a reduction, and a value shared 2^60 times, are refused', () => {
      refused({ 'main.json': tpl({ resources: [storage('st', { x: "[length(reduce(range(0, 40), 'ab', lambda('a', 'i', concat(lambdaVariables('a'), lambdaVariables('a')))))]" })] }) }, /characters/);
      refused({ 'main.json': tpl({ resources: [storage('st', { x: "[string(reduce(range(0, 60), createArray(1), lambda('a', 'i', createArray(lambdaVariables('a'), lambdaVariables('a')))))]" })] }) }, /budget per template/);
      refused({ 'main.json': tpl({ resources: [storage('st', { x: `[padLeft('x', 2000000000)]` })] }) }, /padLeft\(\) would build a string of 2000000000 characters/);
      refused({ 'main.json': tpl({ resources: [storage('st', { x: `[format('${'{0,999999}'.repeat(20)}', 'x')]` })] }) }, /format\(\) would build a string of more than/);
    });

    it('expressions nested through variables beyond the evaluation depth are refused, not a stack overflow', () => {
      const variables: Record<string, string> = {};
      for (let i = 0; i < 500; i++) variables[`v${i}`] = `[concat(concat(concat(variables('v${i + 1}'))))]`;
      variables.v500 = 'end';
      refused({ 'main.json': tpl({ variables, resources: [storage('st', { x: "[variables('v0')]" })] }) }, /nest more than 1000 levels deep/);
    });

    it('a refused template is one error finding at its line; the scan goes on with the other files', () => {
      const bomb = tpl({ resources: [storage('stbomb', { x: LAMBDA_BOMB })] });
      const { result } = scanFiles({
        'a-bomb.json': bomb,
        'b-plain.json': tpl({ resources: [storage('stplain', { supportsHttpsTrafficOnly: false, minimumTlsVersion: 'TLS1_2', allowBlobPublicAccess: false })] }),
      });
      const errors = result.findings.filter((f) => f.outcome === 'error');
      assert.deepEqual(errors.map((f) => [f.file, f.line]), [['a-bomb.json', lineOf(bomb, 'lambda')]]);
      assert.match(errors[0].message, /budget per template; the template is not scanned/);
      assert.equal(result.findings.find((f) => f.ruleId === 'storage-https-only' && f.resource.name === 'stplain')?.outcome, 'fail');
    });
  });

  describe("ARM's documented template limits", () => {
    const many = (n: number, f: (i: number) => unknown) => Object.fromEntries(Array.from({ length: n }, (_x, i) => [`k${i}`, f(i)]));

    it('256 parameters, 512 variables, 64 outputs', () => {
      evaluateFiles({ 'main.json': tpl({ parameters: many(256, () => ({ type: 'string', defaultValue: 'x' })), variables: many(512, () => 'x'), outputs: many(64, () => ({ type: 'string', value: 'x' })), resources: [] }) });
      refused({ 'main.json': tpl({ parameters: many(257, () => ({ type: 'string', defaultValue: 'x' })), resources: [] }) }, /257 parameters; ARM allows at most 256/);
      refused({ 'main.json': tpl({ variables: many(513, () => 'x'), resources: [] }) }, /513 variables; ARM allows at most 512/);
      refused({ 'main.json': tpl({ variables: { copy: [{ name: 'a', count: 1, input: 'x' }], ...many(512, () => 'x') }, resources: [] }) }, /513 variables/);
      refused({ 'main.json': tpl({ outputs: many(65, () => ({ type: 'string', value: 'x' })), resources: [] }) }, /65 outputs; ARM allows at most 64/);
    });

    it('800 resources per template, copies included; a copy count beyond 800 is an error at its line', () => {
      const copied = (n: number) => ({ ...storage(`[concat('s${n}', copyIndex())]`, {}), copy: { name: `c${n}`, count: 400 } });
      assert.equal(evaluateFiles({ 'main.json': tpl({ resources: [copied(1), copied(2)] }) }).resources.length, 800);
      refused({ 'main.json': tpl({ resources: [copied(1), copied(2), storage('one-more', {})] }) }, /more than 800 resources \(copies included\)/);
      const t = tpl({ resources: [{ ...storage("[concat('s', copyIndex())]", {}), copy: { name: 'big', count: 801 } }] });
      const r = evaluateFiles({ 'main.json': t });
      const error = r.diagnostics.find((d) => d.severity === 'error');
      assert.match(error!.message, /copy 'big': count must be an integer from 0 to 800, got 801/);
      assert.equal(error!.location.line, lineOf(t, '"count": 801'));
    });

    it('a template or a parameter file over 4 MB is refused before it is parsed', () => {
      const big = 'x'.repeat(4 * 1024 * 1024);
      refused({ 'main.json': tpl({ variables: { big }, resources: [] }) }, /the template is \d+ bytes; ARM accepts at most 4194304 \(4 MB\)/, 1);
      refused({ 'main.json': tpl({ parameters: { p: { type: 'string' } }, resources: [] }), 'main.parameters.json': params({ p: big }) }, /the parameter file is \d+ bytes/, 1, 'main.parameters.json');
    });

    it('nesting: JSON 256 levels, an expression 256 levels, a value built 256 levels deep', () => {
      const deepJson = `{"$schema":"${SCHEMA}","resources":[],"variables":{"v":${'['.repeat(300)}${']'.repeat(300)}}}`;
      refused({ 'main.json': deepJson }, /nested more than 256 levels deep/);
      const deepExpr = tpl({ resources: [storage('st', { x: `[${'concat('.repeat(300)}'a'${')'.repeat(300)}]` })] });
      const r = evaluateFiles({ 'main.json': deepExpr });
      assert.match(r.diagnostics.find((d) => d.severity === 'error')!.message, /nests calls and accesses more than 256 levels deep/);
      const deepValue = tpl({ resources: [storage('st', { x: "[reduce(range(0, 1000), createArray(), lambda('a', 'i', createArray(lambdaVariables('a'))))]" })] });
      assert.match(evaluateFiles({ 'main.json': deepValue }).diagnostics.find((d) => d.severity === 'error')!.message, /nested more than 256 levels deep/);
    });
  });
});
