import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint, RuleTester, type Rule } from 'eslint';
import * as ts from 'typescript';
import * as tseslint from 'typescript-eslint';

const root = path.resolve(__dirname, '../../..');
// The rule is plain CommonJS beside the ESLint config, which loads it without a build.
const noPrototypeKeys = require(path.join(root, 'scripts/lint/no-prototype-keys.cjs')) as Rule.RuleModule;

const fixtures = path.join(root, 'test/fixtures/lint');
// typescript-eslint guesses a one-shot lint when CI=true and then types every snippet from the file on disk,
// not from the code under test; RuleTester lints many snippets as one file, so the guess is turned off.
const tester = new RuleTester({
  languageOptions: {
    parser: tseslint.parser,
    parserOptions: { project: path.join(fixtures, 'tsconfig.json'), tsconfigRootDir: fixtures, disallowAutomaticSingleRunInference: true },
  },
});
const filename = path.join(fixtures, 'subject.ts');
const ok = (code: string) => ({ code, filename });
const bad = (code: string, messageId: 'in' | 'index', count = 1) => ({ code, filename, errors: Array.from({ length: count }, () => ({ messageId })) });

describe('lint: local/no-prototype-keys', () => {
  it('reports lookups of string keys on plain objects, and leaves Maps, literals, guarded and own-key reads alone', () => {
    tester.run('no-prototype-keys', noPrototypeKeys, {
      valid: [
        ok("const t: Record<string, number> = { a: 1 }; export const v = t['a'];"),
        ok("const t: Record<string, number> = {}; export function f(k: string) { return Object.hasOwn(t, k) ? t[k] : undefined; }"),
        ok("const t: Record<string, number> = {}; export function f(k: string) { if (Object.hasOwn(t, k)) return t[k]; return 0; }"),
        ok("const t: Record<string, number> = {}; export function f(k: string) { return Object.hasOwn(t, k) && t[k]; }"),
        ok("const t: Record<string, number> = {}; export function f() { for (const k of Object.keys(t)) console.log(t[k]); }"),
        ok("const t: Record<string, number> = {}; export const v = Object.keys(t).filter((k) => k !== 'x').sort().map((k) => t[k]);"),
        ok("const m = new Map<string, number>(); export function f(k: string) { return m.get(k); }"),
        ok("const a: number[] = []; export function f(i: number) { return a[i]; }"),
        ok("const o = { a: 1, b: 2 }; export function f(k: 'a' | 'b') { return o[k]; }"),
        ok("const METHODS = ['get', 'put'] as const; const item: Record<string, number> = {}; export const v = METHODS.map((m) => item[m]);"),
        ok("export function f(x: object) { return 'error' in x; }"),
        ok("export function f(k: 'a' | 'b', x: { a?: 1; b?: 2 }) { return k in x; }"),
      ],
      invalid: [
        bad("const TEMPLATES: Record<string, () => string> = { a: () => 'a' }; export function render(name: string) { return TEMPLATES[name]; }", 'index'),
        bad("export function f(out: Record<string, string[]>, k: string) { out[k] = []; }", 'index'),
        bad("export function f(o: { [k: string]: number }, k: string) { return o[k]; }", 'index'),
        bad("const t: Record<string, number> = {}; export function f() { for (const k of Object.keys(t)) t[k] = 1; }", 'index'),
        bad("const t: Record<string, number> = {}; const u: Record<string, number> = {}; export function f() { for (const k of Object.keys(u)) console.log(t[k]); }", 'index'),
        bad("const t: Record<string, number> = {}; export function f(k: string) { return Object.hasOwn(t, 'x') ? t[k] : 0; }", 'index'),
        bad("export function f(k: string, messages: Record<string, string>) { return k in messages; }", 'in'),
      ],
    });
  });
});

describe('lint: the configuration', () => {
  const eslint = new ESLint({ cwd: root });
  const restricted = async (file: string) => {
    const config = (await eslint.calculateConfigForFile(path.join(root, file))) as { rules: Record<string, unknown[]> };
    const imports = JSON.stringify(config.rules['no-restricted-imports'] ?? []);
    return { imports, globals: JSON.stringify(config.rules['no-restricted-globals'] ?? []), prototypeKeys: config.rules['local/no-prototype-keys'] };
  };

  it('keeps node:fs, task-lib, the TaskHost side and process out of every core', async () => {
    for (const file of ['tasks/ApimDeploy/core/deploy.ts', 'tasks/AnyNewTask/core/x.ts', 'tasks/ArmTemplateSecurityGate/core/engine/template.ts']) {
      const r = await restricted(file);
      for (const banned of ['"node:fs"', '"fs"', '"node:fs/promises"', 'azure-pipelines-task-lib', '**/common/host/*']) assert.ok(r.imports.includes(banned), `${file}: ${banned}`);
      assert.match(r.globals, /"process"/, file);
    }
  });

  it('exempts no core file, and lets composition roots use node:fs', async () => {
    for (const file of ['tasks/ArmTemplateSecurityGate/task/gate-task.ts', 'tasks/ArmTemplateSecurityGate/task/node-deps.ts', 'tasks/ApimDeploy/task/execute.ts']) {
      const r = await restricted(file);
      assert.ok(!r.imports.includes('node:fs'), file);
    }
    for (const file of ['tasks/ArmTemplateSecurityGate/core/gate-task.ts', 'tasks/ArmTemplateSecurityGate/core/scan.ts', 'tasks/ArmTemplateSecurityGate/core/evaluate.ts']) {
      assert.ok((await restricted(file)).imports.includes('"node:fs"'), file);
    }
  });

  it('runs the type-aware rules on every TypeScript file, typed by the strict project first', async () => {
    for (const file of ['tasks/ApimDeploy/core/deploy.ts', 'scripts/build.ts', 'test/common/ip.test.ts']) {
      const config = (await eslint.calculateConfigForFile(path.join(root, file))) as { rules: Record<string, unknown[]>; languageOptions: { parserOptions: { project?: string[] } } };
      for (const rule of ['no-floating-promises', 'no-misused-promises', 'switch-exhaustiveness-check', 'no-unnecessary-type-assertion']) {
        assert.deepEqual(config.rules[`@typescript-eslint/${rule}`]?.[0], 2, `${file}: ${rule}`);
      }
      assert.deepEqual(config.languageOptions.parserOptions.project, ['./tsconfig.strict.json', './tsconfig.json']);
    }
  });

  it('checks prototype-key lookups in product code', async () => {
    for (const file of ['tasks/common/auth/clouds.ts', 'tasks/ApimDeploy/core/policy-templates.ts', 'tasks/AnyNewTask/core/x.ts']) {
      assert.deepEqual((await restricted(file)).prototypeKeys, [2], file);
    }
  });
});

describe('tsconfig.strict.json', () => {
  it('checks tasks/common, ApimDeploy and the gate controls with noUncheckedIndexedAccess', () => {
    const file = path.join(root, 'tsconfig.strict.json');
    const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(file, ts.sys.readFile).config, ts.sys, root, undefined, file);
    assert.equal(parsed.options.noUncheckedIndexedAccess, true);
    const files = parsed.fileNames.map((f) => path.relative(root, f));
    for (const f of ['tasks/common/net/ip.ts', 'tasks/common/host/inputs.ts', 'tasks/common/report/sarif.ts', 'tasks/ApimDeploy/core/deploy.ts', 'tasks/ApimDeploy/v1/settings.ts', 'tasks/ArmTemplateSecurityGate/core/controls/helpers/lookup.ts']) {
      assert.ok(files.includes(f), f);
    }
  });
});
