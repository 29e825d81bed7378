/**
 * Evaluation of parsed expressions and of JSON values that contain expression strings.
 * The template layer supplies an EvalHost (parameters, variables, copy indexes, user
 * functions, deployment context); this file knows nothing about template structure except
 * property `copy` arrays, which can appear inside any evaluated object.
 */
import { EvaluatedValue, TemplateError, UnknownValue } from '../model';
import { Ast, ExpressionSyntaxError, cachedExpression, classifyString, parseExpression, rememberExpression } from './expression';
import { FUNCTIONS, FunctionDef } from './functions';
import { CONTAINER_LITERAL, JsonValue, OBJECT_HAS_COPY_KEY, SourceDoc, headOf } from './json-source';
import type { SecretTracker } from './secrets';
import { LambdaValue, Obj, RuntimeValue, getProp, isObj, setProp, typeName } from './values';

/** Where the string being evaluated is written. */
export interface Site {
  doc: SourceDoc;
  /** Offset of the string, or resolved lazily from container + key (most sites never need it). */
  offset?: number;
  container?: object;
  key?: string | number;
  text: string;
}

export function siteOffset(site: Site): number {
  if (site.offset === undefined) {
    site.offset = (site.container !== undefined && site.key !== undefined ? site.doc.memberOffset(site.container, site.key) : undefined) ?? 0;
  }
  return site.offset;
}

export interface CopyBinding {
  /** Lower-cased loop name; '' for an unnamed (resource/output) loop. */
  name: string;
  /** True for resource and output loops, which copyIndex() without a name refers to. */
  resourceLoop: boolean;
  index: number | UnknownValue;
  parent?: CopyBinding;
}

export interface UserFunction {
  parameters: string[];
  output: JsonValue;
  /** The function's own namespace container, for source positions. */
  container: object;
  doc: SourceDoc;
}

export interface DeploymentContext {
  subscriptionId: string;
  tenantId: string;
  resourceGroupName: string;
  /** When absent, resourceGroup().location / deployment().location are unknown. */
  location?: string;
  deploymentName: string;
}

export interface Origin {
  doc: SourceDoc;
  /** Source container the evaluated container was produced from. */
  src?: object;
  /** Evaluated key (lower case) → offset, for keys produced by a property copy. */
  copyKeys?: Map<string, number>;
  /** For arrays produced by a copy: every element comes from this offset. */
  itemOffset?: number;
}

export interface EvalHost {
  context: DeploymentContext;
  parameter(name: string, env: Env): EvaluatedValue;
  variable(name: string, env: Env): EvaluatedValue;
  userFunction(lowerFullName: string): UserFunction | undefined;
  deployment(env: Env): EvaluatedValue;
  diagnostic(severity: 'error' | 'warning' | 'info', message: string, site: Site): void;
  /** Evaluated container → its source; shared by everything evaluated for one scan. */
  origins: WeakMap<object, Origin>;
  /** Secure parameter values of the scan; strings computed from them join it. */
  secrets?: SecretTracker;
}

export interface Env {
  host: EvalHost;
  doc: SourceDoc;
  site: Site;
  copy?: CopyBinding;
  lambda?: Map<string, EvaluatedValue>;
  /** Set inside a user-defined function: parameters() reads these, variables() is not allowed. */
  fnParams?: Map<string, EvaluatedValue>;
}

export function siteError(env: Env, message: string): TemplateError {
  const loc = env.site.doc.location(siteOffset(env.site));
  const text = env.site.text.length > 200 ? `${env.site.text.slice(0, 200)}...` : env.site.text;
  return new TemplateError(`${message} (in expression ${text})`, loc);
}

export function unknownAt(env: Env, reason: string): UnknownValue {
  return new UnknownValue(reason, env.site.doc.location(siteOffset(env.site)), env.site.text);
}

/** Evaluates one JSON string at a site: literal, escaped literal or expression. */
export function evaluateString(s: string, env: Env): EvaluatedValue {
  let ast = cachedExpression(s);
  if (ast === undefined) {
    const c = classifyString(s);
    if ('literal' in c) return c.literal;
    try {
      ast = parseExpression(c.expr);
    } catch (e) {
      if (e instanceof ExpressionSyntaxError) throw siteError(env, `Invalid expression: ${e.message} at position ${e.position + 1}`);
      throw e;
    }
    rememberExpression(s, ast);
  }
  const v = evalAst(ast, env);
  if (v instanceof LambdaValue) throw siteError(env, 'a lambda can only be used as an argument of filter, map, reduce, sort, toObject, groupBy or mapValues');
  return v;
}

export function evalAst(ast: Ast, env: Env): RuntimeValue {
  switch (ast.k) {
    case 'str': return ast.v;
    case 'num': return ast.v;
    case 'call': return callFunction(ast, env);
    case 'prop': {
      const t = evalAst(ast.target, env);
      return access(t, ast.name, env);
    }
    case 'index': {
      const t = evalAst(ast.target, env);
      const i = evalAst(ast.index, env);
      if (i instanceof UnknownValue) return t instanceof UnknownValue ? t : i;
      return access(t, i, env);
    }
  }
}

function access(t: RuntimeValue, key: RuntimeValue, env: Env): EvaluatedValue {
  if (t instanceof UnknownValue) return t;
  if (Array.isArray(t)) {
    if (typeof key !== 'number' || !Number.isInteger(key)) throw siteError(env, `an array can only be indexed by an integer, not by ${typeName(key)}`);
    if (key < 0 || key >= t.length) throw siteError(env, `index ${key} is out of range for an array of length ${t.length}`);
    return t[key];
  }
  if (isObj(t)) {
    if (typeof key !== 'string') throw siteError(env, `an object property must be named by a string, not by ${typeName(key)}`);
    const v = getProp(t, key);
    if (v === undefined) {
      const keys = Object.keys(t);
      throw siteError(env, `the language expression property '${key}' doesn't exist, available properties are '${keys.join(', ')}'`);
    }
    return v;
  }
  throw siteError(env, `cannot read property '${String(key)}' of a value of type ${typeName(t)}`);
}

function callFunction(node: Extract<Ast, { k: 'call' }>, env: Env): RuntimeValue {
  const def: FunctionDef | undefined = FUNCTIONS.get(node.name);
  if (!def) {
    if (node.name.includes('.')) return callUserFunction(node, env);
    if (node.name.startsWith('list')) return listFunction(node, env);
    throw siteError(env, `The template function '${node.display}' is not valid`);
  }
  const n = node.args.length;
  if (n < def.min || n > def.max) {
    const expect = def.min === def.max ? `${def.min}` : def.max === Infinity ? `at least ${def.min}` : `${def.min} to ${def.max}`;
    throw siteError(env, `The template function '${node.display}' expects ${expect} argument(s) but got ${n}`);
  }
  if (def.lazy) return def.lazy(node.args, env, node);
  const args: RuntimeValue[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const a = evalAst(node.args[i], env);
    if (a instanceof UnknownValue && !def.acceptsUnknown) return a;
    args[i] = a;
  }
  const out = def.fn!(args, env, node);
  const secrets = env.host.secrets;
  if (secrets !== undefined && secrets.size !== 0 && typeof out === 'string') secrets.derive(out, args);
  return out;
}

function listFunction(node: Extract<Ast, { k: 'call' }>, env: Env): EvaluatedValue {
  if (node.args.length < 2) throw siteError(env, `The template function '${node.display}' expects at least 2 arguments but got ${node.args.length}`);
  for (const a of node.args) evalAst(a, env); // still surfaces errors in the arguments
  return unknownAt(env, `${node.display}() returns secrets/keys known only at deployment`);
}

function callUserFunction(node: Extract<Ast, { k: 'call' }>, env: Env): EvaluatedValue {
  const fn = env.host.userFunction(node.name);
  if (!fn) throw siteError(env, `The template function '${node.display}' is not valid (no such user-defined function)`);
  if (node.args.length !== fn.parameters.length) {
    throw siteError(env, `The user-defined function '${node.display}' expects ${fn.parameters.length} argument(s) but got ${node.args.length}`);
  }
  const params = new Map<string, EvaluatedValue>();
  for (let i = 0; i < fn.parameters.length; i++) {
    const a = evalAst(node.args[i], env);
    if (a instanceof LambdaValue) throw siteError(env, 'a lambda cannot be passed to a user-defined function');
    params.set(fn.parameters[i].toLowerCase(), a);
  }
  const inner: Env = { host: env.host, doc: fn.doc, site: env.site, fnParams: params };
  return evalJson(fn.output, inner, fn.container, 'value');
}

export function callLambda(l: LambdaValue, values: EvaluatedValue[], env: Env): EvaluatedValue {
  const vars = new Map(env.lambda ?? []);
  for (let i = 0; i < l.params.length; i++) vars.set(l.params[i].toLowerCase(), values[i] ?? null);
  const v = evalAst(l.body, { ...env, lambda: vars });
  if (v instanceof LambdaValue) throw siteError(env, 'a lambda cannot return a lambda');
  return v;
}

/** True when `v` is a property-copy array: [{ name, count, input }]. */
function isCopyArray(v: JsonValue): boolean {
  if (!Array.isArray(v) || v.length === 0) return false;
  for (const e of v) {
    if (!isObj(e)) return false;
    if (getProp(e as Obj, 'name') === undefined || getProp(e as Obj, 'input') === undefined) return false;
  }
  return true;
}

/**
 * Evaluates a JSON value from `doc`. `parent`/`key` say where it sits (for source
 * positions); evaluated containers are registered in host.origins.
 */
export function evalJson(v: JsonValue, env: Env, parent: object | undefined, key: string | number | undefined): EvaluatedValue {
  if (typeof v === 'string') {
    if (v.length < 2 || v.charCodeAt(0) !== 91) return v;
    const site: Site = { doc: env.doc, container: parent, key, text: v };
    return evaluateString(v, { host: env.host, doc: env.doc, site, copy: env.copy, lambda: env.lambda, fnParams: env.fnParams });
  }
  if (v === null || typeof v !== 'object') return v;
  const pos = env.doc.positions.get(v);
  // A container from elsewhere than env.doc has no flags here: the general path below handles anything.
  const flags = pos === undefined ? OBJECT_HAS_COPY_KEY : headOf(pos);
  // Literal subtrees evaluate to themselves; sharing them (parsed values are never mutated) spares
  // a copy of most of every template. locate() finds their positions through the document.
  if ((flags & CONTAINER_LITERAL) !== 0) return v;
  if (Array.isArray(v)) {
    const out: EvaluatedValue[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = evalJson(v[i], env, v, i);
    env.host.origins.set(out, { doc: env.doc, src: v });
    return out;
  }
  let out: Obj;
  const origin: Origin = { doc: env.doc, src: v };
  if ((flags & OBJECT_HAS_COPY_KEY) === 0) {
    // A clone takes the source's shape in one step; adding the keys one by one to a new object is
    // what evaluation used to spend most of its time on. Values that evaluate to something else
    // are then replaced in place, in the source's key order (which is also the order of errors).
    out = { ...(v as Obj) };
    for (const k in v) {
      const val = v[k];
      if (typeof val === 'string') {
        if (val.length >= 2 && val.charCodeAt(0) === 91) setProp(out, k, evalJson(val, env, v, k));
      } else if (val !== null && typeof val === 'object') {
        const e = evalJson(val, env, v, k);
        if (e !== val) setProp(out, k, e);
      }
    }
  } else {
    out = {};
    for (const k in v) {
      const val = v[k];
      // Length first: lower-casing every key of every evaluated object allocated a string per key.
      if ((k === 'copy' || (k.length === 4 && k.toLowerCase() === 'copy')) && isCopyArray(val)) {
        expandPropertyCopy(val as unknown as Obj[], v, k, out, origin, env);
        continue;
      }
      setProp(out, k, evalJson(val, env, v, k));
    }
  }
  env.host.origins.set(out, origin);
  return out;
}

export const MAX_COPY = 800;

function expandPropertyCopy(loops: Obj[], owner: object, copyKey: string, out: Obj, origin: Origin, env: Env): void {
  const copyArr = (owner as Obj)[copyKey] as unknown as JsonValue[];
  for (let li = 0; li < loops.length; li++) {
    const loop = loops[li] as unknown as { [k: string]: JsonValue };
    const name = String(getProp(loop as Obj, 'name'));
    const input = getProp(loop as Obj, 'input') as JsonValue;
    const inputOffset = env.doc.memberOffset(loop, 'input') ?? env.doc.memberOffset(copyArr, li) ?? 0;
    const countSrc = (getProp(loop as Obj, 'count') ?? 0) as JsonValue;
    const count = evalJson(countSrc, env, loop, 'count');
    const items: EvaluatedValue[] = [];
    const lower = name.toLowerCase();
    if (count instanceof UnknownValue) {
      const binding: CopyBinding = { name: lower, resourceLoop: false, index: count, parent: env.copy };
      items.push(evalJson(input, { ...env, copy: binding }, loop, 'input'));
      env.host.diagnostic('info', `property copy '${name}' has a count known only at deployment (${count.reason}); one element was evaluated with an unknown copyIndex`, { doc: env.doc, offset: inputOffset, text: '' });
    } else {
      const n = checkCount(count, env, loop, name);
      for (let i = 0; i < n; i++) {
        const binding: CopyBinding = { name: lower, resourceLoop: false, index: i, parent: env.copy };
        items.push(evalJson(input, { ...env, copy: binding }, loop, 'input'));
      }
    }
    env.host.origins.set(items, { doc: env.doc, itemOffset: inputOffset });
    setProp(out, name, items);
    (origin.copyKeys ??= new Map()).set(lower, env.doc.memberOffset(copyArr, li) ?? inputOffset);
  }
}

export function checkCount(count: EvaluatedValue, env: Env, container: object, loopName: string): number {
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > MAX_COPY) {
    const offset = env.doc.memberOffset(container, 'count') ?? 0;
    throw new TemplateError(`copy '${loopName}': count must be an integer from 0 to ${MAX_COPY}, got ${JSON.stringify(count)}`, env.doc.location(offset));
  }
  return count;
}

export type { Obj };
