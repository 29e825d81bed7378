/**
 * Evaluation of parsed expressions and of JSON values that contain expression strings.
 * The template layer supplies an EvalHost (parameters, variables, copy indexes, user
 * functions, deployment context); this file knows nothing about template structure except
 * property `copy` arrays, which can appear inside any evaluated object.
 *
 * Every step is counted against the template's budget (limits.ts), every result carries its
 * taint (taint.ts), and an expression that fails is an error at its own site: the value there
 * becomes an ErrorValue (unknown to the controls) and the error is recorded for the gate, while
 * the rest of the template is still evaluated.
 */
import { EvaluatedValue, TemplateError, UnknownValue } from '../model';
import { Ast, ExpressionSyntaxError, cachedExpression, canonicalName, classifyString, parseExpression, rememberExpression } from './expression';
import { CallNode, FunctionDef, createFunctionTable, listResult } from './functions';
import { CONTAINER_LITERAL, JsonValue, OBJECT_HAS_COPY_KEY, headOf } from './json-source';
import { LIMITS, budget } from './limits';
import { CopyBinding, Env, Origin, Site, makeEnv, siteError, unknownAt, withCopy, withSite } from './runtime';
import { LambdaValue, Obj, RuntimeValue, cloneObj, depthOf, getProp, isObj, newObj, setProp, textOf, typeName } from './values';

export type { Obj };

/** An expression that could not be evaluated: unknown to the controls, an error for the gate. */
export class ErrorValue extends UnknownValue {}

let table: Map<string, FunctionDef> | undefined;

/** The function table, built on first use around this file's entry points. */
export function functionTable(): Map<string, FunctionDef> {
  table ??= createFunctionTable({ evalAst, callLambda }, canonicalName);
  return table;
}

/** Evaluates one JSON string at a site: literal, escaped literal or expression. Throws TemplateError. */
export function evaluateString(s: string, env: Env): EvaluatedValue {
  let ast = cachedExpression(s);
  if (ast === undefined) {
    const c = classifyString(s);
    if ('literal' in c) {
      env.host.taint.t = false;
      return c.literal;
    }
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
  if (v !== null && typeof v === 'object' && !(v instanceof UnknownValue)) {
    const shallow = budget().shallow;
    if (!shallow.has(v)) {
      // Values built by functions can nest without bound (a reduction wrapping its accumulator);
      // whatever walks them later (controls, reports) must not run out of stack.
      if (depthOf(v, LIMITS.valueDepth) > LIMITS.valueDepth) throw siteError(env, `the value is nested more than ${LIMITS.valueDepth} levels deep`);
      // Bounded for evaluation outside a scan (tests, tooling), whose budget lives on.
      if (shallow.size > 100_000) shallow.clear();
      shallow.add(v);
    }
  }
  const taint = env.host.taint;
  if (taint.t) taint.expose(v);
  return v;
}

export function evalAst(ast: Ast, env: Env): RuntimeValue {
  const b = budget();
  b.step();
  switch (ast.k) {
    case 'str':
      env.host.taint.t = false;
      return ast.v;
    case 'num':
      env.host.taint.t = false;
      if (ast.inexact) return unknownAt(env, `the integer ${BigInt(ast.v)} is beyond 2^53, which the gate does not compute with exactly`);
      return ast.v;
    case 'call': {
      b.enter();
      const v = callFunction(ast, env);
      b.depth--;
      return v;
    }
    case 'prop': {
      b.enter();
      const t = evalAst(ast.target, env);
      const v = access(t, ast.name, env);
      b.depth--;
      return v;
    }
    case 'index': {
      b.enter();
      const t = evalAst(ast.target, env);
      const targetTaint = env.host.taint.t;
      const i = evalAst(ast.index, env);
      const indexTaint = env.host.taint.t;
      let v: RuntimeValue;
      if (i instanceof UnknownValue) v = t instanceof UnknownValue ? t : i;
      else {
        env.host.taint.t = targetTaint;
        v = access(t, i, env);
        if (indexTaint) env.host.taint.t = true;
      }
      b.depth--;
      return v;
    }
  }
}

/** Reads `key` of `t`; the taint register then holds the member's own taint. */
function access(t: RuntimeValue, key: RuntimeValue, env: Env): EvaluatedValue {
  if (t instanceof UnknownValue) return t;
  const taint = env.host.taint;
  if (Array.isArray(t)) {
    if (typeof key !== 'number' || !Number.isInteger(key)) throw siteError(env, `an array can only be indexed by an integer, not by ${typeName(key)}`);
    if (key < 0 || key >= t.length) throw siteError(env, `index ${key} is out of range for an array of length ${t.length}`);
    const v = t[key];
    taint.t = taint.member(t, key, v);
    return v;
  }
  if (isObj(t)) {
    if (typeof key !== 'string') throw siteError(env, `an object property must be named by a string, not by ${typeName(key)}`);
    const v = getProp(t, key);
    if (v === undefined) {
      const keys = Object.keys(t);
      const shown = keys.length > 20 ? `${keys.slice(0, 20).join(', ')}, ...` : keys.join(', ');
      throw siteError(env, `the language expression property '${key}' doesn't exist, available properties are '${shown}'`);
    }
    taint.t = taint.member(t, key, v);
    return v;
  }
  throw siteError(env, `cannot read property '${textOf(key, 100).slice(0, 100)}' of a value of type ${typeName(t)}`);
}

function callFunction(node: CallNode, env: Env): RuntimeValue {
  // The table is built once and never changes: a call node keeps the definition it found.
  let def = node.def as FunctionDef | undefined;
  if (def === undefined) {
    def = functionTable().get(node.name);
    node.def = def;
  }
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
  const taint = env.host.taint;
  if (def.lazy) return def.lazy(node.args, env, node);
  const args: RuntimeValue[] = new Array(n);
  const argTaint: boolean[] | undefined = def.taint ? new Array(n) : undefined;
  let tainted = false;
  for (let i = 0; i < n; i++) {
    const a = evalAst(node.args[i], env);
    if (taint.t) tainted = true;
    if (argTaint) argTaint[i] = taint.t;
    if (a instanceof UnknownValue && !def.acceptsUnknown) {
      taint.t = tainted;
      return a;
    }
    args[i] = a;
  }
  const savedAcc = taint.acc;
  const savedInputs = taint.inputs;
  taint.acc = false;
  taint.inputs = tainted;
  let out: RuntimeValue;
  try {
    out = def.fn!(args, env, node);
  } catch (e) {
    // Error messages quote their arguments: secure ones are masked from now on.
    if (tainted || taint.acc) for (const a of args) if (!(a instanceof LambdaValue)) taint.expose(a);
    taint.acc = savedAcc;
    taint.inputs = savedInputs;
    throw e;
  }
  const forced = taint.acc;
  const any = tainted || forced;
  taint.acc = savedAcc;
  taint.inputs = savedInputs;
  const isContainer = out !== null && typeof out === 'object' && !(out instanceof UnknownValue) && !(out instanceof LambdaValue);
  if (def.taint) {
    const t = def.taint(args, argTaint!, out, taint);
    if (!def.passes && isContainer && any && !taint.holds(out as EvaluatedValue)) taint.markWhole(out as object);
    taint.t = isContainer ? t || taint.holds(out as EvaluatedValue) : t || forced;
  } else if (isContainer && (def.passes || args.includes(out))) {
    // A value that already existed keeps its own marks.
    taint.t = taint.holds(out as EvaluatedValue);
  } else {
    if (any && isContainer) taint.markWhole(out as object);
    taint.t = any;
  }
  if (!def.passes) charge(out);
  return out;
}

/** Counts what a function produced against the template's budget. */
function charge(out: RuntimeValue): void {
  if (typeof out === 'string') {
    if (out.length > 64) budget().text(out.length);
  } else if (Array.isArray(out)) {
    budget().produce(out.length);
  } else if (out !== null && typeof out === 'object' && !(out instanceof UnknownValue) && !(out instanceof LambdaValue)) {
    let k = 0;
    for (const _ in out) k++;
    budget().produce(k);
  }
}

function listFunction(node: CallNode, env: Env): EvaluatedValue {
  if (node.args.length < 2) throw siteError(env, `The template function '${node.display}' expects at least 2 arguments but got ${node.args.length}`);
  for (const a of node.args) evalAst(a, env); // still surfaces errors in the arguments
  const v = listResult(env, node);
  env.host.taint.t = true;
  return v;
}

function callUserFunction(node: CallNode, env: Env): EvaluatedValue {
  const fn = env.host.userFunction(node.name);
  if (!fn) throw siteError(env, `The template function '${node.display}' is not valid (no such user-defined function)`);
  // user-defined-functions#limitations: "The function can't call other user-defined functions."
  if (env.fn) {
    const which = env.fn === fn ? 'itself' : `user-defined function '${fn.name}'`;
    throw siteError(env, `user-defined function '${env.fn.name}' calls ${which}; ARM does not allow a user-defined function to call a user-defined function`);
  }
  if (node.args.length !== fn.parameters.length) {
    throw siteError(env, `The user-defined function '${node.display}' expects ${fn.parameters.length} argument(s) but got ${node.args.length}`);
  }
  const taint = env.host.taint;
  const params = new Map<string, EvaluatedValue>();
  const secure = new Set<string>();
  for (let i = 0; i < fn.parameters.length; i++) {
    const a = evalAst(node.args[i], env);
    if (a instanceof LambdaValue) throw siteError(env, 'a lambda cannot be passed to a user-defined function');
    const name = fn.parameters[i].toLowerCase();
    params.set(name, a);
    if (taint.t) secure.add(name);
  }
  // Errors in the function's body are reported where the body is written.
  const output = fn.output;
  const site: Site = { doc: fn.doc, container: fn.container, key: 'value', text: typeof output === 'string' ? output : '' };
  const inner: Env = makeEnv(env.host, fn.doc, site, undefined, undefined, undefined, params, secure, fn);
  return evalJson(output, inner, fn.container, 'value');
}

export function callLambda(l: LambdaValue, values: EvaluatedValue[], env: Env): EvaluatedValue {
  const vars = new Map(env.lambda ?? []);
  for (let i = 0; i < l.params.length; i++) vars.set(l.params[i].toLowerCase(), values[i] ?? null);
  const taint = env.host.taint;
  const v = evalAst(l.body, makeEnv(env.host, env.doc, env.site, env.copy, vars, env.lambdaSecure || taint.inputs, env.fnParams, env.fnSecure, env.fn));
  if (v instanceof LambdaValue) throw siteError(env, 'a lambda cannot return a lambda');
  if (taint.t) taint.acc = true;
  return v;
}

/** True when `v` is a property-copy array: [{ name, count, input }]. */
function isCopyArray(v: JsonValue): boolean {
  if (!Array.isArray(v) || v.length === 0) return false;
  for (const e of v) {
    if (!isObj(e)) return false;
    if (getProp(e, 'name') === undefined || getProp(e, 'input') === undefined) return false;
  }
  return true;
}

/**
 * Evaluates a JSON value from `doc`. `parent`/`key` say where it sits (for source
 * positions); evaluated containers are registered in host.origins. The taint register holds
 * the result's taint afterwards.
 */
export function evalJson(v: JsonValue, env: Env, parent: object | undefined, key: string | number | undefined): EvaluatedValue {
  const taint = env.host.taint;
  if (typeof v === 'string') {
    if (v.length < 2 || v.charCodeAt(0) !== 91) {
      taint.t = false;
      return v;
    }
    const site: Site = { doc: env.doc, container: parent, key, text: v };
    const senv = withSite(env, site);
    // Inside a user-defined function an error belongs to the call, which reports it.
    if (env.fn !== undefined) return evaluateString(v, senv);
    const b = budget();
    const depth = b.depth;
    b.site = site;
    try {
      return evaluateString(v, senv);
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      b.depth = depth;
      env.host.evaluationError(e);
      taint.t = false;
      return new ErrorValue(`could not be evaluated: ${e.message}`, e.location, v);
    }
  }
  if (v === null || typeof v !== 'object') {
    taint.t = false;
    return v;
  }
  const pos = env.doc.positions.get(v);
  // A container from elsewhere than env.doc has no flags here: the general path below handles anything.
  const flags = pos === undefined ? OBJECT_HAS_COPY_KEY : headOf(pos);
  // Literal subtrees evaluate to themselves; sharing them (parsed values are never mutated) spares
  // a copy of most of every template. locate() finds their positions through the document.
  if ((flags & CONTAINER_LITERAL) !== 0) {
    taint.t = false;
    return v;
  }
  const b = budget();
  b.enter();
  let any = false;
  if (Array.isArray(v)) {
    b.produce(v.length);
    const out: EvaluatedValue[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      out[i] = evalJson(v[i], env, v, i);
      if (taint.t) { taint.markMember(out, i); any = true; }
    }
    env.host.origins.set(out, { doc: env.doc, src: v });
    b.depth--;
    taint.t = any;
    return out;
  }
  let out: Obj;
  const origin: Origin = { doc: env.doc, src: v };
  if ((flags & OBJECT_HAS_COPY_KEY) === 0) {
    // A clone takes the source's shape in one step; adding the keys one by one to a new object is
    // what evaluation used to spend most of its time on. Values that evaluate to something else
    // are then replaced in place, in the source's key order (which is also the order of errors).
    out = cloneObj(v);
    let members = 0;
    // for-in over an object that inherits nothing visits exactly Object.keys(v), in the same
    // order, from V8's enum cache instead of a new key array per evaluated object.
    for (const k in v) {
      members++;
      // eslint-disable-next-line local/no-prototype-keys -- k is an own key: parsed objects inherit nothing (newObj)
      const val = v[k];
      if (typeof val === 'string') {
        if (val.length >= 2 && val.charCodeAt(0) === 91) {
          setProp(out, k, evalJson(val, env, v, k));
          if (taint.t) { taint.markMember(out, k); any = true; }
        }
      } else if (val !== null && typeof val === 'object') {
        const e = evalJson(val, env, v, k);
        if (e !== val) setProp(out, k, e);
        if (taint.t) { taint.markMember(out, k); any = true; }
      }
    }
    b.produce(members);
  } else {
    out = newObj();
    for (const k in v) {
      // eslint-disable-next-line local/no-prototype-keys -- as above
      const val = v[k];
      b.produce(1);
      // Length first: lower-casing every key of every evaluated object allocated a string per key.
      if ((k === 'copy' || (k.length === 4 && k.toLowerCase() === 'copy')) && isCopyArray(val)) {
        if (expandPropertyCopy(val as unknown as Obj[], val as JsonValue[], out, origin, env)) any = true;
        continue;
      }
      setProp(out, k, evalJson(val, env, v, k));
      if (taint.t) { taint.markMember(out, k); any = true; }
    }
  }
  env.host.origins.set(out, origin);
  b.depth--;
  taint.t = any;
  return out;
}

const MAX_COPY = LIMITS.copyCount;

/** Expands the property copy loops of `owner` into `out`; true when a produced value is secure. */
function expandPropertyCopy(loops: Obj[], copyArr: JsonValue[], out: Obj, origin: Origin, env: Env): boolean {
  const taint = env.host.taint;
  let anySecure = false;
  for (let li = 0; li < loops.length; li++) {
    const loop = loops[li] as unknown as { [k: string]: JsonValue };
    const name = textOf(getProp(loop, 'name'));
    const input = getProp(loop, 'input') as JsonValue;
    const inputOffset = env.doc.memberOffset(loop, 'input') ?? env.doc.memberOffset(copyArr, li) ?? 0;
    const countSrc = (getProp(loop, 'count') ?? 0) as JsonValue;
    const count = copyCount(evalJson(countSrc, env, loop, 'count'), env, loop, name);
    const items: EvaluatedValue[] = [];
    const lower = name.toLowerCase();
    let secure = false;
    if (count instanceof UnknownValue) {
      const binding: CopyBinding = { name: lower, resourceLoop: false, index: count, parent: env.copy };
      items.push(evalJson(input, withCopy(env, binding), loop, 'input'));
      if (taint.t) { taint.markMember(items, 0); secure = true; }
      env.host.diagnostic('info', `property copy '${name}' has a count known only at deployment (${count.reason}); one element was evaluated with an unknown copyIndex`, { doc: env.doc, offset: inputOffset, text: '' });
    } else {
      for (let i = 0; i < count; i++) {
        const binding: CopyBinding = { name: lower, resourceLoop: false, index: i, parent: env.copy };
        items.push(evalJson(input, withCopy(env, binding), loop, 'input'));
        if (taint.t) { taint.markMember(items, i); secure = true; }
      }
    }
    env.host.origins.set(items, { doc: env.doc, itemOffset: inputOffset });
    setProp(out, name, items);
    if (secure) { taint.markMember(out, name); anySecure = true; }
    (origin.copyKeys ??= new Map()).set(lower, env.doc.memberOffset(copyArr, li) ?? inputOffset);
  }
  return anySecure;
}

/**
 * A copy count as evaluated: a number of instances, or unknown (known only at deployment, or not
 * a valid count — then the error is recorded and one instance is evaluated, so the copied
 * resource or property is still checked).
 */
export function copyCount(count: EvaluatedValue, env: Env, container: object, loopName: string): number | UnknownValue {
  if (count instanceof UnknownValue) return count;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > MAX_COPY) {
    const offset = env.doc.memberOffset(container, 'count') ?? env.doc.offsetOf(container) ?? 0;
    const shown = typeof count === 'string' ? JSON.stringify(count.slice(0, 100)) : typeName(count) === 'int' || typeName(count) === 'float' ? String(count) : typeName(count);
    const error = new TemplateError(`copy '${loopName}': count must be an integer from 0 to ${MAX_COPY}, got ${shown}`, env.doc.location(offset));
    env.host.evaluationError(error);
    return new ErrorValue(`could not be evaluated: ${error.message}`, error.location);
  }
  return count;
}
