/**
 * Cases for the ARM expression fuzzer: random expressions from a grammar of the template language,
 * and mutations of the expressions of the quickstart corpus (test/corpora/quickstart). Case `i` of
 * seed `s` is always the same, so a failure is replayed with `--seed s --from i --count 1`.
 *
 * A case passes when the engine returns a value or throws a TemplateError. Anything else is a
 * failure: another exception (a crash), a number that is not finite, a lambda or an object that
 * inherits from Object.prototype escaping into a result, or Object.prototype modified.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpusDir } from '../paths';
import { TemplateError, UnknownValue } from '../../tasks/ArmTemplateSecurityGate/core/model';
import { evaluateExpression, loadAndEvaluate } from '../../tasks/ArmTemplateSecurityGate/core/engine';
import { functionTable } from '../../tasks/ArmTemplateSecurityGate/core/engine/evaluator';

export type Outcome = 'value' | 'unknown' | 'error' | 'crash' | 'invalid';

export interface FuzzCase {
  index: number;
  /** How the expression was made: 'grammar' or 'mutation'. */
  origin: 'grammar' | 'mutation';
  /** Evaluated alone, or as part of a template (resource property, name, copy count...). */
  mode: 'expression' | 'template';
  expression: string;
}

export interface CaseResult {
  outcome: Outcome;
  /** For crash and invalid: what went wrong. */
  detail?: string;
}

// ---- deterministic randomness ------------------------------------------------------------

/** mulberry32: small, fast, good enough to spread cases; seeded per case. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function caseSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const chance = (r: Rand, p: number): boolean => r() < p;

// ---- the environment every case is evaluated in ------------------------------------------

const PARAMETERS: Record<string, unknown> = {
  s: 'Sysga1n4205!', n: 42, big: 9007199254740991, neg: -5, f: 1.5, b: true, nul: null, empty: '',
  arr: ['a', 'b', 1, null, { x: 1 }], emptyArr: [], emptyObj: {},
  obj: { ['__proto__']: { tls: 'TLS1_2' }, constructor: 1, a: { b: [1, 2] }, toString: 'x' },
  cidr: '10.0.0.0/16', v6: 'fdad:3236:5555::/48', date: '2020-01-31T00:00:00Z', json: '{"a":[1,2],"__proto__":{"p":1}}',
};
const DECLARATIONS = { pw: { type: 'securestring', defaultValue: 'Sysga1n4205!' }, so: { type: 'secureObject', defaultValue: { k: 'secret-value' } }, missing: { type: 'string' } };
const VARIABLES = {
  v1: "[concat(parameters('s'), '-x')]",
  v2: "[variables('v1')]",
  cfg: { password: "[parameters('pw')]", tls: 'TLS1_2', ['__proto__']: { polluted: true } },
  list: "[range(0, 5)]",
  copy: [{ name: 'names', count: 3, input: "[concat('n', copyIndex('names'))]" }],
};
const FUNCTIONS = [{
  namespace: 'ns',
  members: {
    f: { parameters: [{ name: 'x', type: 'string' }], output: { type: 'string', value: "[concat(string(parameters('x')), '!')]" } },
    g: { parameters: [{ name: 'x', type: 'string' }], output: { type: 'string', value: "[ns.f(parameters('x'))]" } },
    loop: { parameters: [{ name: 'x', type: 'int' }], output: { type: 'int', value: "[ns.loop(parameters('x'))]" } },
  },
}];

const NAMES = [...new Set([...functionTable().keys(), 'ns.f', 'ns.g', 'ns.loop', 'ns.nosuch', 'nosuch', 'listKeys', 'listFoo', 'reverse', '__proto__', 'constructor', 'toString'])];
const PARAM_NAMES = [...Object.keys(PARAMETERS), ...Object.keys(DECLARATIONS), 'nosuch', '__proto__', 'constructor'];
const VAR_NAMES = [...Object.keys(VARIABLES).filter((k) => k !== 'copy'), 'names', 'nosuch', 'toString'];
const STRINGS = [
  '', 'a', 'abc', "it's", 'TLS1_2', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', '10.0.0.0/8', '10.1', '010.0.0.1/8',
  '::1/128', '{"a":1}', '{"__proto__":{"x":1}}', '[1,[2,[3]]]', 'P1D', 'PT1H', '-P1Y2M', '2020-01-01', 'garbage', '{0}', '{0,999999}', '{1:D5}', '{{}}',
  'Microsoft.Storage/storageAccounts', 'a/b/c', ' ', '\t', '\n', '𝒳', '\u0000', '\ud800', '[', ']', '[[x]', '"', '\\', '%', '%zz', 'data:,x%2',
  'x'.repeat(1000), '##vso[task.setvariable variable=x]y', 'true', 'False', '1', '-0', '1e3', '9223372036854775808',
];
const NUMBERS = ['0', '1', '-1', '2', '3', '10', '800', '801', '10000', '10001', '2147483647', '-2147483648', '9007199254740993', '9223372036854775807', '1.5', '-0.5', '1.2.3', '00', '1e5'];

// ---- grammar ----------------------------------------------------------------------------

function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function grammarExpr(r: Rand, depth: number, lambdaVars: string[]): string {
  const leaf = depth <= 0 || chance(r, 0.25);
  if (leaf) {
    const k = r();
    if (k < 0.35) return quote(pick(r, STRINGS));
    if (k < 0.6) return pick(r, NUMBERS);
    if (k < 0.75) return `parameters(${quote(pick(r, PARAM_NAMES))})`;
    if (k < 0.85) return `variables(${quote(pick(r, VAR_NAMES))})`;
    if (k < 0.95 && lambdaVars.length > 0) return `lambdaVariables(${quote(pick(r, lambdaVars))})`;
    return pick(r, ['true()', 'false()', 'null()', 'createArray()', 'createObject()', 'utcNow()', 'resourceGroup()', 'deployment()', 'copyIndex()']);
  }
  const k = r();
  if (k < 0.1) {
    // A lambda-taking function with a lambda argument.
    const fn = pick(r, ['map', 'filter', 'sort', 'reduce', 'toObject', 'groupBy', 'mapValues']);
    const v = pick(r, ['x', 'y', 'acc', 'X']);
    const params = fn === 'reduce' || fn === 'sort' ? [v, `${v}2`] : [v];
    const body = grammarExpr(r, depth - 1, [...lambdaVars, ...params]);
    const lam = `lambda(${params.map(quote).join(', ')}, ${body})`;
    const source = grammarExpr(r, depth - 1, lambdaVars);
    return fn === 'reduce' ? `reduce(${source}, ${grammarExpr(r, depth - 2, lambdaVars)}, ${lam})` : `${fn}(${source}, ${lam})`;
  }
  if (k < 0.2) return `${grammarExpr(r, depth - 1, lambdaVars)}.${pick(r, ['a', 'b', 'tls', 'password', '__proto__', 'constructor', 'toString', 'id', 'location', 'x', 'keys', 'value'])}`;
  if (k < 0.28) return `${grammarExpr(r, depth - 1, lambdaVars)}[${grammarExpr(r, depth - 2, lambdaVars)}]`;
  const name = pick(r, NAMES);
  // Mostly a count of arguments the function takes, so calls get past the arity check.
  const def = functionTable().get(name);
  const n = def && chance(r, 0.8) ? def.min + Math.floor(r() * (Math.min(def.max, def.min + 3) - def.min + 1)) : Math.floor(r() * 5);
  const args: string[] = [];
  for (let i = 0; i < n; i++) args.push(grammarExpr(r, depth - 1, lambdaVars));
  return `${name}(${args.join(', ')})`;
}

// ---- mutations of corpus expressions -------------------------------------------------------

let corpus: string[] | undefined;

/** Every expression string of the quickstart corpus (read once). */
export function corpusExpressions(): string[] {
  if (corpus) return corpus;
  const out = new Set<string>();
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json')) {
        for (const m of fs.readFileSync(p, 'utf8').matchAll(/"(\[(?!\[)(?:[^"\\]|\\.)*\])"/g)) {
          try {
            out.add(JSON.parse(`"${m[1]}"`) as string);
          } catch {
            // not a JSON string after all
          }
        }
      }
    }
  };
  walk(corpusDir());
  corpus = [...out].sort();
  return corpus;
}

const TOKEN = /'(?:[^']|'')*'|-?\d+(?:\.\d+)*|[A-Za-z_$][\w$]*|\s+|./gs;
const NOISE = "()[],.'0123456789abcxyz_ -{}\"\\";

function mutate(r: Rand, expr: string): string {
  let toks: string[] = expr.match(TOKEN) ?? [expr];
  const rounds = 1 + Math.floor(r() * 4);
  for (let i = 0; i < rounds; i++) {
    const at = Math.floor(r() * toks.length);
    const t = toks[at] ?? '';
    const k = r();
    if (k < 0.2 && /^[A-Za-z_$]/.test(t)) toks[at] = pick(r, NAMES);
    else if (k < 0.35 && t.startsWith("'")) toks[at] = quote(pick(r, STRINGS));
    else if (k < 0.45 && /^-?\d/.test(t)) toks[at] = pick(r, NUMBERS);
    else if (k < 0.55) toks.splice(at, 1);
    else if (k < 0.65) {
      const len = 1 + Math.floor(r() * 6);
      toks.splice(at, 0, ...toks.slice(at, at + len));
    } else if (k < 0.75) toks.splice(at, 0, pick(r, NOISE.split('')));
    else if (k < 0.85) toks[at] = `(${grammarExpr(r, 2, [])})`.slice(1, -1);
    else {
      // Wrap the whole expression body in a function or a lambda over a range.
      const body = toks.join('').replace(/^\[|\]$/g, '');
      const wrapped = pick(r, [
        `map(range(0, ${pick(r, NUMBERS)}), lambda('i', ${body}))`,
        `string(${body})`, `length(${body})`, `union(${body}, ${body})`, `json(string(${body}))`,
        `reduce(range(0, 30), ${body}, lambda('a', 'i', createArray(lambdaVariables('a'), lambdaVariables('a'))))`,
        `concat(${body}, parameters('pw'))`, `ns.f(${body})`,
      ]);
      toks = `[${wrapped}]`.match(TOKEN) ?? [];
    }
  }
  return toks.join('');
}

/** Case `index` of `seed`. */
export function fuzzCase(seed: number, index: number): FuzzCase {
  const r = rng(caseSeed(seed, index));
  const mutation = chance(r, 0.5);
  const expression = mutation ? mutate(r, pick(r, corpusExpressions())) : `[${grammarExpr(r, 1 + Math.floor(r() * 6), [])}]`;
  return { index, origin: mutation ? 'mutation' : 'grammar', mode: chance(r, 0.2) ? 'template' : 'expression', expression };
}

// ---- running a case ------------------------------------------------------------------------

const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort().join(',');

/** The expression at several places of a template: a property, a name, a copy count, a condition, an output. */
function templateText(expression: string): string {
  const resource = {
    type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-05-01', name: expression, location: 'westeurope',
    condition: expression, properties: { x: expression, copy: [{ name: 'p', count: expression, input: expression }] },
  };
  return JSON.stringify({
    $schema: SCHEMA, contentVersion: '1.0.0.0',
    parameters: Object.fromEntries([...Object.entries(PARAMETERS).map(([k, v]) => [k, { type: typeof v === 'string' ? 'string' : 'object', defaultValue: v }]), ...Object.entries(DECLARATIONS)]),
    variables: { ...VARIABLES, fuzz: expression },
    functions: FUNCTIONS,
    resources: [resource, { ...resource, name: 'copied', copy: { name: 'c', count: expression } }, {
      type: 'Microsoft.Resources/deployments', apiVersion: '2022-09-01', name: 'nested',
      properties: { mode: 'Incremental', expressionEvaluationOptions: { scope: 'inner' }, parameters: { p: { value: expression } }, template: { $schema: SCHEMA, parameters: { p: { type: 'string' } }, resources: [{ ...resource, name: "[string(parameters('p'))]" }] } },
    }],
    outputs: { o: { type: 'string', value: expression } },
  });
}

/** Why an evaluated value could not have come from ARM, or undefined. */
function invalid(v: unknown): string | undefined {
  const stack: unknown[] = [v];
  let seen = 0;
  while (stack.length > 0 && seen++ < 100_000) {
    const x = stack.pop();
    if (typeof x === 'number' && !Number.isFinite(x)) return `a number that is not finite: ${x}`;
    if (x === null || typeof x !== 'object' || x instanceof UnknownValue) continue;
    if (Array.isArray(x)) { stack.push(...x.slice(0, 1000)); continue; }
    const proto = Object.getPrototypeOf(x) as object | null;
    if (proto === null || Object.getPrototypeOf(proto) !== null) return `an object that inherits (${Object.prototype.toString.call(x)})`;
    for (const k of Object.keys(x).slice(0, 1000)) stack.push((x as Record<string, unknown>)[k]);
  }
  return undefined;
}

export function runCase(c: FuzzCase): CaseResult {
  let result: CaseResult;
  try {
    if (c.mode === 'expression') {
      const v = evaluateExpression(c.expression, { parameters: PARAMETERS as never, parameterDeclarations: DECLARATIONS, variables: VARIABLES, functions: FUNCTIONS });
      const bad = invalid(v);
      result = bad ? { outcome: 'invalid', detail: bad } : { outcome: v instanceof UnknownValue ? 'unknown' : 'value' };
    } else {
      const text = templateText(c.expression);
      const t = loadAndEvaluate('/fuzz/main.json', { fs: { readFile: () => text, exists: () => false } });
      const bad = t.resources.map((res) => invalid(res.body)).find((x) => x !== undefined) ?? t.outputs.map((o) => invalid(o.value)).find((x) => x !== undefined);
      result = bad ? { outcome: 'invalid', detail: bad } : { outcome: t.diagnostics.some((d) => d.severity === 'error') ? 'error' : 'value' };
    }
  } catch (e) {
    if (e instanceof TemplateError) result = { outcome: 'error' };
    else result = { outcome: 'crash', detail: e instanceof Error ? (e.stack ?? e.message).split('\n').slice(0, 4).join(' | ') : String(e) };
  }
  if (Object.getOwnPropertyNames(Object.prototype).sort().join(',') !== PROTO_KEYS) {
    result = { outcome: 'invalid', detail: 'Object.prototype was modified' };
  }
  return result;
}
