/**
 * The ARM template function library. Semantics follow the learn.microsoft.com
 * template-functions reference; anything known only at deployment yields an UnknownValue
 * that says why.
 */
import { EvaluatedValue, UnknownValue } from '../model';
import { Ast, canonicalName } from './expression';
import { Env, callLambda, evalAst, siteError, siteOffset, unknownAt } from './evaluator';
import { compositeFormat } from './dotnet-format';
import { CidrNet, broadcastOf, formatAddress, netmaskOf, parseCidrText } from './cidr';
import { armGuid, uniqueString } from './hash';
import { LambdaValue, Obj, RuntimeValue, deepEqual, findUnknown, getProp, isObj, setProp, toArmString, typeName } from './values';

type CallNode = Extract<Ast, { k: 'call' }>;

export interface FunctionDef {
  min: number;
  max: number;
  /** Receives evaluated arguments; unknown arguments short-circuit unless acceptsUnknown. */
  fn?: (args: RuntimeValue[], env: Env, node: CallNode) => RuntimeValue;
  /** Receives unevaluated arguments (if, and, or, coalesce, lambda...). */
  lazy?: (args: Ast[], env: Env, node: CallNode) => RuntimeValue;
  acceptsUnknown?: boolean;
}

export const FUNCTIONS = new Map<string, FunctionDef>();

function def(names: string, min: number, max: number, fn: FunctionDef['fn'], extra: Partial<FunctionDef> = {}): void {
  for (const name of names.split(',')) FUNCTIONS.set(canonicalName(name.trim().toLowerCase()), { min, max, fn, ...extra });
}
function lazy(names: string, min: number, max: number, fn: NonNullable<FunctionDef['lazy']>): void {
  for (const name of names.split(',')) FUNCTIONS.set(canonicalName(name.trim().toLowerCase()), { min, max, lazy: fn });
}

// ---- argument checks -------------------------------------------------------------------

function str(v: RuntimeValue, env: Env, node: CallNode, i: number): string {
  if (typeof v !== 'string') throw siteError(env, `${node.display}(): argument ${i + 1} must be a string, got ${typeName(v)}`);
  return v;
}
function int(v: RuntimeValue, env: Env, node: CallNode, i: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw siteError(env, `${node.display}(): argument ${i + 1} must be an integer, got ${typeName(v)}`);
  return v;
}
function num(v: RuntimeValue, env: Env, node: CallNode, i: number): number {
  if (typeof v !== 'number') throw siteError(env, `${node.display}(): argument ${i + 1} must be a number, got ${typeName(v)}`);
  return v;
}
function arr(v: RuntimeValue, env: Env, node: CallNode, i: number): EvaluatedValue[] {
  if (!Array.isArray(v)) throw siteError(env, `${node.display}(): argument ${i + 1} must be an array, got ${typeName(v)}`);
  return v;
}
function obj(v: RuntimeValue, env: Env, node: CallNode, i: number): Obj {
  if (!isObj(v)) throw siteError(env, `${node.display}(): argument ${i + 1} must be an object, got ${typeName(v)}`);
  return v;
}
function bool(v: RuntimeValue, env: Env, node: CallNode, i: number): boolean {
  if (typeof v !== 'boolean') throw siteError(env, `${node.display}(): argument ${i + 1} must be a bool, got ${typeName(v)}`);
  return v;
}
function lam(v: RuntimeValue, env: Env, node: CallNode, i: number, params: number): LambdaValue {
  if (!(v instanceof LambdaValue)) throw siteError(env, `${node.display}(): argument ${i + 1} must be a lambda`);
  if (v.params.length !== params) throw siteError(env, `${node.display}(): the lambda must take ${params} parameter(s)`);
  return v;
}
function val(v: RuntimeValue, env: Env, node: CallNode): EvaluatedValue {
  if (v instanceof LambdaValue) throw siteError(env, `${node.display}(): a lambda is not allowed here`);
  return v;
}
/** Strings built from values with unknown parts are unknown as a whole. */
function stringOf(v: EvaluatedValue, env: Env): string | UnknownValue {
  if (v !== null && typeof v === 'object') {
    const u = findUnknown(v);
    if (u) return u;
  }
  void env;
  return toArmString(v);
}

// ---- logical / comparison --------------------------------------------------------------

lazy('if', 3, 3, (a, env, node) => {
  const c = evalAst(a[0], env);
  if (c instanceof UnknownValue) return c;
  return evalAst(bool(c, env, node, 0) ? a[1] : a[2], env);
});
lazy('and,or', 2, Infinity, (a, env, node) => {
  const isAnd = node.name === 'and';
  let unknown: UnknownValue | undefined;
  for (let i = 0; i < a.length; i++) {
    const v = evalAst(a[i], env);
    if (v instanceof UnknownValue) { unknown ??= v; continue; }
    // a decided operand settles the result even when another operand is unknown
    if (bool(v, env, node, i) !== isAnd) return !isAnd;
  }
  return unknown ?? isAnd;
});
lazy('coalesce', 1, Infinity, (a, env) => {
  for (const x of a) {
    const v = evalAst(x, env);
    if (v instanceof UnknownValue) return v;
    if (v !== null) return v;
  }
  return null;
});
def('not', 1, 1, (a, env, n) => !bool(a[0], env, n, 0));
def('bool', 1, 1, (a, env, n) => {
  const v = a[0];
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    const l = v.toLowerCase();
    if (l === 'true' || l === '1') return true;
    if (l === 'false' || l === '0') return false;
  }
  throw siteError(env, `${n.display}(): cannot convert ${JSON.stringify(v)} to bool`);
});
def('true', 0, 0, () => true);
def('false', 0, 0, () => false);
def('null', 0, 0, () => null);
def('equals', 2, 2, (a, env, n) => {
  const x = val(a[0], env, n);
  const y = val(a[1], env, n);
  const u = findUnknown(x) ?? findUnknown(y);
  if (u) return u;
  return deepEqual(x, y);
});
function compare(a: RuntimeValue[], env: Env, n: CallNode): number {
  const x = a[0];
  const y = a[1];
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0;
  throw siteError(env, `${n.display}(): both arguments must be numbers or both strings, got ${typeName(x)} and ${typeName(y)}`);
}
def('greater', 2, 2, (a, e, n) => compare(a, e, n) > 0);
def('greaterOrEquals', 2, 2, (a, e, n) => compare(a, e, n) >= 0);
def('less', 2, 2, (a, e, n) => compare(a, e, n) < 0);
def('lessOrEquals', 2, 2, (a, e, n) => compare(a, e, n) <= 0);

// ---- conversion ------------------------------------------------------------------------

def('int', 1, 1, (a, env, n) => {
  const v = a[0];
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v)) return parseInt(v, 10);
  throw siteError(env, `${n.display}(): cannot convert ${JSON.stringify(v)} to an integer`);
});
def('float', 1, 1, (a, env, n) => {
  const v = a[0];
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  throw siteError(env, `${n.display}(): cannot convert ${JSON.stringify(v)} to a number`);
});
def('string', 1, 1, (a, env, n) => stringOf(val(a[0], env, n), env));
def('json', 1, 1, (a, env, n) => {
  const s = str(a[0], env, n, 0);
  try {
    return JSON.parse(s) as EvaluatedValue;
  } catch {
    throw siteError(env, `${n.display}(): the argument is not valid JSON`);
  }
});
def('array', 1, 1, (a, env, n) => {
  const v = val(a[0], env, n);
  return Array.isArray(v) ? v : [v];
});
// Containers hold unknown elements instead of becoming unknown as a whole.
def('createArray', 0, Infinity, (a, env, n) => a.map((x) => val(x, env, n)), { acceptsUnknown: true });
def('createObject', 0, Infinity, (a, env, n) => {
  if (a.length % 2 !== 0) throw siteError(env, `${n.display}(): expects an even number of arguments (key, value pairs)`);
  const o: Obj = {};
  for (let i = 0; i < a.length; i += 2) {
    if (a[i] instanceof UnknownValue) return a[i];
    setProp(o, str(a[i], env, n, i), val(a[i + 1], env, n));
  }
  return o;
}, { acceptsUnknown: true });

// ---- strings and collections -----------------------------------------------------------

def('concat', 0, Infinity, (a, env, n) => {
  if (a.length > 0 && (Array.isArray(a[0]) || a[0] === null) && a.every((x) => Array.isArray(x) || x === null)) {
    const out: EvaluatedValue[] = [];
    for (const x of a) if (Array.isArray(x)) out.push(...x);
    return out;
  }
  let s = '';
  for (const x of a) {
    const part = stringOf(val(x, env, n), env);
    if (part instanceof UnknownValue) return part;
    s += part;
  }
  return s;
});
def('format', 1, Infinity, (a, env, n) => {
  const fmt = str(a[0], env, n, 0);
  const rest: EvaluatedValue[] = a.slice(1).map((x) => val(x, env, n));
  for (const x of rest) {
    const u = findUnknown(x);
    if (u) return u;
  }
  const r = compositeFormat(fmt, rest);
  if ('ok' in r) return r.ok;
  if ('unknown' in r) return unknownAt(env, r.unknown);
  throw siteError(env, `${n.display}(): ${r.error}`);
});
def('toLower', 1, 1, (a, env, n) => str(a[0], env, n, 0).toLowerCase());
def('toUpper', 1, 1, (a, env, n) => str(a[0], env, n, 0).toUpperCase());
def('trim', 1, 1, (a, env, n) => str(a[0], env, n, 0).trim());
def('contains', 2, 2, (a, env, n) => {
  const c = val(a[0], env, n);
  const x = val(a[1], env, n);
  if (Array.isArray(c)) {
    const ux = findUnknown(x);
    if (ux) return ux;
    let unknown: UnknownValue | undefined;
    for (const e of c) {
      const u = findUnknown(e);
      if (u) { unknown ??= u; continue; }
      if (deepEqual(e, x)) return true;
    }
    return unknown ?? false;
  }
  if (isObj(c)) return getProp(c, toArmString(x)) !== undefined;
  if (typeof c === 'string') return c.includes(toArmString(x));
  throw siteError(env, `${n.display}(): the first argument must be an array, object or string, got ${typeName(c)}`);
});
def('empty', 1, 1, (a, env, n) => {
  const v = val(a[0], env, n);
  if (v === null) return true;
  if (typeof v === 'string' || Array.isArray(v)) return v.length === 0;
  if (isObj(v)) return Object.keys(v).length === 0;
  throw siteError(env, `${n.display}(): expects a string, array or object, got ${typeName(v)}`);
});
def('length', 1, 1, (a, env, n) => {
  const v = val(a[0], env, n);
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  if (isObj(v)) return Object.keys(v).length;
  throw siteError(env, `${n.display}(): expects a string, array or object, got ${typeName(v)}`);
});
def('union', 1, Infinity, (a, env, n) => {
  if (a.every((x) => Array.isArray(x))) {
    const out: EvaluatedValue[] = [];
    for (const x of a as EvaluatedValue[][]) for (const e of x) if (!out.some((o) => deepEqual(o, e))) out.push(e);
    return out;
  }
  if (a.every((x) => isObj(x) || x === null)) {
    let out: Obj = {};
    for (const x of a) if (x !== null) out = mergeDeep(out, x as Obj);
    return out;
  }
  throw siteError(env, `${n.display}(): all arguments must be arrays or all objects`);
});
function mergeDeep(a: Obj, b: Obj): Obj {
  const out: Obj = { ...a };
  for (const k of Object.keys(b)) {
    const prev = out[k];
    const next = b[k];
    setProp(out, k, isObj(prev) && isObj(next) ? mergeDeep(prev, next) : next);
  }
  return out;
}
def('intersection', 1, Infinity, (a, env, n) => {
  if (a.every((x) => Array.isArray(x))) {
    const [first, ...rest] = a as EvaluatedValue[][];
    const out: EvaluatedValue[] = [];
    for (const e of first) {
      if (out.some((o) => deepEqual(o, e))) continue;
      if (rest.every((r) => r.some((x) => deepEqual(x, e)))) out.push(e);
    }
    return out;
  }
  if (a.every((x) => isObj(x))) {
    const [first, ...rest] = a as Obj[];
    const out: Obj = {};
    for (const k of Object.keys(first)) if (rest.every((r) => k in r && deepEqual(r[k], first[k]))) setProp(out, k, first[k]);
    return out;
  }
  throw siteError(env, `${n.display}(): all arguments must be arrays or all objects`);
});
def('first', 1, 1, (a, env, n) => {
  const v = val(a[0], env, n);
  if (Array.isArray(v)) return v.length ? v[0] : null;
  if (typeof v === 'string') return v.slice(0, 1);
  throw siteError(env, `${n.display}(): expects an array or string, got ${typeName(v)}`);
});
def('last', 1, 1, (a, env, n) => {
  const v = val(a[0], env, n);
  if (Array.isArray(v)) return v.length ? v[v.length - 1] : null;
  if (typeof v === 'string') return v.slice(-1);
  throw siteError(env, `${n.display}(): expects an array or string, got ${typeName(v)}`);
});
def('take,skip', 2, 2, (a, env, n) => {
  const v = val(a[0], env, n);
  const c = Math.max(0, int(a[1], env, n, 1));
  if (typeof v !== 'string' && !Array.isArray(v)) throw siteError(env, `${n.display}(): expects an array or string, got ${typeName(v)}`);
  return n.name === 'take' ? v.slice(0, c) : v.slice(c);
});
def('indexFromEnd,tryIndexFromEnd', 2, 2, (a, env, n) => {
  const v = arr(a[0], env, n, 0);
  const i = int(a[1], env, n, 1);
  if (i < 1 || i > v.length) {
    if (n.name === 'tryindexfromend') return null;
    throw siteError(env, `${n.display}(): index ${i} is out of range`);
  }
  return v[v.length - i];
});
def('split', 2, 2, (a, env, n) => {
  const s = str(a[0], env, n, 0);
  const d = a[1];
  const delims = Array.isArray(d) ? d.map((x, i) => str(x, env, n, i)) : [str(d, env, n, 1)];
  let parts = [s];
  for (const del of delims) parts = parts.flatMap((p) => p.split(del));
  return parts;
});
def('join', 2, 2, (a, env, n) => {
  const items = arr(a[0], env, n, 0);
  const sep = str(a[1], env, n, 1);
  const u = findUnknown(items);
  if (u) return u;
  return items.map((x) => toArmString(x)).join(sep);
});
def('replace', 3, 3, (a, env, n) => str(a[0], env, n, 0).split(str(a[1], env, n, 1)).join(str(a[2], env, n, 2)));
def('substring', 2, 3, (a, env, n) => {
  const s = str(a[0], env, n, 0);
  const start = int(a[1], env, n, 1);
  const len = a.length > 2 ? int(a[2], env, n, 2) : s.length - start;
  if (start < 0 || start > s.length) throw siteError(env, `${n.display}(): start index ${start} is out of range for a string of length ${s.length}`);
  if (len < 0 || start + len > s.length) throw siteError(env, `${n.display}(): length ${len} from index ${start} is out of range for a string of length ${s.length}`);
  return s.substr(start, len);
});
def('indexOf', 2, 2, (a, env, n) => {
  if (Array.isArray(a[0])) return a[0].findIndex((e) => deepEqual(e, val(a[1], env, n)));
  return str(a[0], env, n, 0).toLowerCase().indexOf(str(a[1], env, n, 1).toLowerCase());
});
def('lastIndexOf', 2, 2, (a, env, n) => {
  if (Array.isArray(a[0])) {
    const x = val(a[1], env, n);
    for (let i = a[0].length - 1; i >= 0; i--) if (deepEqual(a[0][i], x)) return i;
    return -1;
  }
  const s = str(a[0], env, n, 0).toLowerCase();
  const f = str(a[1], env, n, 1).toLowerCase();
  return f === '' ? s.length - 1 : s.lastIndexOf(f);
});
def('startsWith', 2, 2, (a, env, n) => str(a[0], env, n, 0).toLowerCase().startsWith(str(a[1], env, n, 1).toLowerCase()));
def('endsWith', 2, 2, (a, env, n) => str(a[0], env, n, 0).toLowerCase().endsWith(str(a[1], env, n, 1).toLowerCase()));
def('padLeft', 2, 3, (a, env, n) => {
  const v = a[0];
  const s = typeof v === 'number' ? String(v) : str(v, env, n, 0);
  const total = int(a[1], env, n, 1);
  const ch = a.length > 2 ? str(a[2], env, n, 2) : ' ';
  if (ch.length !== 1) throw siteError(env, `${n.display}(): the padding character must be a single character`);
  return s.padStart(total, ch);
});
def('uri', 2, 2, (a, env, n) => {
  const base = str(a[0], env, n, 0);
  const rel = str(a[1], env, n, 1);
  try {
    return new URL(rel, base).href;
  } catch {
    throw siteError(env, `${n.display}(): '${base}' is not an absolute URI`);
  }
});
def('uriComponent', 1, 1, (a, env, n) => encodeURIComponent(str(a[0], env, n, 0)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
def('uriComponentToString', 1, 1, (a, env, n) => {
  try {
    return decodeURIComponent(str(a[0], env, n, 0));
  } catch {
    throw siteError(env, `${n.display}(): invalid percent-encoding`);
  }
});
def('base64', 1, 1, (a, env, n) => Buffer.from(str(a[0], env, n, 0), 'utf8').toString('base64'));
def('base64ToString', 1, 1, (a, env, n) => Buffer.from(str(a[0], env, n, 0), 'base64').toString('utf8'));
def('base64ToJson', 1, 1, (a, env, n) => {
  try {
    return JSON.parse(Buffer.from(str(a[0], env, n, 0), 'base64').toString('utf8')) as EvaluatedValue;
  } catch {
    throw siteError(env, `${n.display}(): the decoded value is not valid JSON`);
  }
});
def('dataUri', 1, 1, (a, env, n) => `data:text/plain;charset=utf8;base64,${Buffer.from(str(a[0], env, n, 0), 'utf8').toString('base64')}`);
def('dataUriToString', 1, 1, (a, env, n) => {
  const s = str(a[0], env, n, 0);
  const m = /^data:([^,]*?)(;base64)?,(.*)$/s.exec(s);
  if (!m) throw siteError(env, `${n.display}(): not a data URI`);
  return m[2] ? Buffer.from(m[3], 'base64').toString('utf8') : decodeURIComponent(m[3]);
});
def('guid', 1, Infinity, (a, env, n) => armGuid(a.map((x, i) => str(x, env, n, i))));
def('uniqueString', 1, Infinity, (a, env, n) => uniqueString(a.map((x, i) => str(x, env, n, i))));
def('newGuid', 0, 0, (_a, env) => unknownAt(env, 'newGuid() is a new value at every deployment'));
def('utcNow', 0, 1, (_a, env) => unknownAt(env, 'utcNow() is the time of the deployment'));

// ---- numbers ---------------------------------------------------------------------------

def('add', 2, 2, (a, e, n) => num(a[0], e, n, 0) + num(a[1], e, n, 1));
def('sub', 2, 2, (a, e, n) => num(a[0], e, n, 0) - num(a[1], e, n, 1));
def('mul', 2, 2, (a, e, n) => num(a[0], e, n, 0) * num(a[1], e, n, 1));
def('div', 2, 2, (a, e, n) => {
  const d = int(a[1], e, n, 1);
  if (d === 0) throw siteError(e, `${n.display}(): division by zero`);
  return Math.trunc(int(a[0], e, n, 0) / d);
});
def('mod', 2, 2, (a, e, n) => {
  const d = int(a[1], e, n, 1);
  if (d === 0) throw siteError(e, `${n.display}(): division by zero`);
  return int(a[0], e, n, 0) % d;
});
def('min,max', 1, Infinity, (a, env, n) => {
  const list = a.length === 1 && Array.isArray(a[0]) ? a[0] : a;
  if (list.length === 0) throw siteError(env, `${n.display}(): needs at least one value`);
  const u = list.find((x) => x instanceof UnknownValue) as UnknownValue | undefined;
  if (u) return u;
  const nums = list.map((x, i) => num(x as RuntimeValue, env, n, i));
  return n.name === 'min' ? Math.min(...nums) : Math.max(...nums);
});
def('range', 2, 2, (a, env, n) => {
  const start = int(a[0], env, n, 0);
  const count = int(a[1], env, n, 1);
  if (count < 0 || count > 10000) throw siteError(env, `${n.display}(): count must be from 0 to 10000`);
  return Array.from({ length: count }, (_x, i) => start + i);
});

// ---- objects ---------------------------------------------------------------------------

def('items', 1, 1, (a, env, n) => {
  const o = obj(a[0], env, n, 0);
  return Object.keys(o)
    .sort((x, y) => x.localeCompare(y, 'en', { sensitivity: 'base' }))
    .map((k) => ({ key: k, value: o[k] }));
});
def('objectKeys', 1, 1, (a, env, n) => Object.keys(obj(a[0], env, n, 0)));
def('tryGet', 2, Infinity, (a, env, n) => {
  let cur: EvaluatedValue = val(a[0], env, n);
  for (let i = 1; i < a.length; i++) {
    const k = a[i];
    if (isObj(cur) && typeof k === 'string') cur = getProp(cur, k) ?? null;
    else if (Array.isArray(cur) && typeof k === 'number') cur = cur[k] ?? null;
    else return null;
    if (cur instanceof UnknownValue) return cur;
  }
  return cur;
});
def('shallowMerge', 1, 1, (a, env, n) => {
  const out: Obj = {};
  for (const [i, o] of arr(a[0], env, n, 0).entries()) {
    if (o instanceof UnknownValue) return o;
    Object.assign(out, obj(o, env, n, i));
  }
  return out;
});

// ---- lambdas ---------------------------------------------------------------------------

lazy('lambda', 2, Infinity, (args, env, n) => {
  const params = args.slice(0, -1).map((p) => {
    if (p.k !== 'str') throw siteError(env, `${n.display}(): lambda parameter names must be string literals`);
    return p.v;
  });
  return new LambdaValue(params, args[args.length - 1]);
});
def('lambdaVariables', 1, 1, (a, env, n) => {
  const name = str(a[0], env, n, 0);
  const v = env.lambda?.get(name.toLowerCase());
  if (v === undefined) throw siteError(env, `${n.display}(): '${name}' is not a lambda variable in scope`);
  return v;
});
def('filter', 2, 2, (a, env, n) => {
  const l = lam(a[1], env, n, 1, 1);
  const out: EvaluatedValue[] = [];
  for (const x of arr(a[0], env, n, 0)) {
    const keep = callLambda(l, [x], env);
    if (keep instanceof UnknownValue) return keep;
    if (keep === true) out.push(x);
  }
  return out;
});
def('map', 2, 2, (a, env, n) => {
  const l = lam(a[1], env, n, 1, 1);
  return arr(a[0], env, n, 0).map((x) => callLambda(l, [x], env));
});
def('reduce', 3, 3, (a, env, n) => {
  const l = lam(a[2], env, n, 2, 2);
  let acc = val(a[1], env, n);
  for (const x of arr(a[0], env, n, 0)) acc = callLambda(l, [acc, x], env);
  return acc;
});
def('sort', 2, 2, (a, env, n) => {
  const l = lam(a[1], env, n, 1, 2);
  let unknown: UnknownValue | undefined;
  const out = [...arr(a[0], env, n, 0)].sort((x, y) => {
    const lt = callLambda(l, [x, y], env);
    if (lt instanceof UnknownValue) { unknown ??= lt; return 0; }
    return lt === true ? -1 : 1;
  });
  return unknown ?? out;
});
def('toObject', 2, 3, (a, env, n) => {
  const kl = lam(a[1], env, n, 1, 1);
  const vl = a.length > 2 ? lam(a[2], env, n, 2, 1) : undefined;
  const out: Obj = {};
  for (const x of arr(a[0], env, n, 0)) {
    const k = callLambda(kl, [x], env);
    if (k instanceof UnknownValue) return k;
    setProp(out, toArmString(k), vl ? callLambda(vl, [x], env) : x);
  }
  return out;
});
def('groupBy', 2, 2, (a, env, n) => {
  const kl = lam(a[1], env, n, 1, 1);
  const out: Obj = {};
  for (const x of arr(a[0], env, n, 0)) {
    const k = callLambda(kl, [x], env);
    if (k instanceof UnknownValue) return k;
    const key = toArmString(k);
    const group = (getProp(out, key) as EvaluatedValue[] | undefined) ?? [];
    group.push(x);
    setProp(out, key, group);
  }
  return out;
});
def('mapValues', 2, 2, (a, env, n) => {
  const o = obj(a[0], env, n, 0);
  const l = lam(a[1], env, n, 1, 1);
  const out: Obj = {};
  for (const k of Object.keys(o)) setProp(out, k, callLambda(l, [o[k]], env));
  return out;
});

// ---- deployment ------------------------------------------------------------------------

def('parameters', 1, 1, (a, env, n) => {
  const name = str(a[0], env, n, 0);
  if (env.fnParams) {
    const v = env.fnParams.get(name.toLowerCase());
    if (v === undefined) throw siteError(env, `${n.display}(): the user-defined function has no parameter '${name}'`);
    return v;
  }
  const v = env.host.parameter(name, env);
  // Re-anchor at the use site: the declaration is not where a reader looks for the expression.
  return v instanceof UnknownValue ? new UnknownValue(v.reason, env.site.doc.location(siteOffset(env.site)), env.site.text) : v;
});
def('variables', 1, 1, (a, env, n) => {
  if (env.fnParams) throw siteError(env, 'variables() cannot be used inside a user-defined function');
  return env.host.variable(str(a[0], env, n, 0), env);
});
def('copyIndex', 0, 2, (a, env, n) => {
  let loop: string | undefined;
  let offset = 0;
  if (a.length === 1) {
    if (typeof a[0] === 'number') offset = int(a[0], env, n, 0);
    else loop = str(a[0], env, n, 0);
  } else if (a.length === 2) {
    loop = str(a[0], env, n, 0);
    offset = int(a[1], env, n, 1);
  }
  let b = env.copy;
  if (loop === undefined) {
    while (b && !b.resourceLoop) b = b.parent;
    b ??= env.copy;
  } else {
    const l = loop.toLowerCase();
    while (b && b.name !== l) b = b.parent;
  }
  if (!b) throw siteError(env, loop === undefined ? 'copyIndex() is used outside a copy loop' : `copyIndex('${loop}'): there is no copy loop named '${loop}' here`);
  return typeof b.index === 'number' ? b.index + offset : b.index;
});
def('deployment', 0, 0, (_a, env) => env.host.deployment(env));
def('environment', 0, 0, () => azureCloud());
def('subscription', 0, 0, (_a, env) => {
  const c = env.host.context;
  return { id: `/subscriptions/${c.subscriptionId}`, subscriptionId: c.subscriptionId, tenantId: c.tenantId, displayName: unknownAt(env, 'the subscription display name is known only at deployment') };
});
def('resourceGroup', 0, 0, (_a, env) => {
  const c = env.host.context;
  return {
    id: `/subscriptions/${c.subscriptionId}/resourceGroups/${c.resourceGroupName}`,
    name: c.resourceGroupName,
    type: 'Microsoft.Resources/resourceGroups',
    location: c.location ?? unknownAt(env, 'the resource group location is known only at deployment'),
    managedBy: null,
    tags: {},
    properties: { provisioningState: 'Succeeded' },
  };
});
def('tenant', 0, 0, (_a, env) => {
  const c = env.host.context;
  return { id: `/tenants/${c.tenantId}`, tenantId: c.tenantId, countryCode: unknownAt(env, 'the tenant country is known only at deployment'), displayName: unknownAt(env, 'the tenant name is known only at deployment') };
});
def('managementGroup', 0, 1, (_a, env) => unknownAt(env, 'managementGroup() is known only at deployment'));
def('reference', 1, 3, (_a, env, n) => unknownAt(env, `${n.display}() reads the runtime state of a resource, known only at deployment`), { acceptsUnknown: true });
def('references', 1, 2, (_a, env, n) => unknownAt(env, `${n.display}() reads runtime state, known only at deployment`), { acceptsUnknown: true });
def('pickZones', 3, 5, (_a, env, n) => unknownAt(env, `${n.display}() depends on the region's zones, known only at deployment`), { acceptsUnknown: true });
def('providers', 1, 2, (_a, env, n) => unknownAt(env, `${n.display}() is known only at deployment`), { acceptsUnknown: true });
def('listKeys,listSecrets,listAccountSas,listServiceSas,listConnectionStrings,listCredentials', 2, 3, (_a, env, n) => unknownAt(env, `${n.display}() returns secrets/keys known only at deployment`), { acceptsUnknown: true });

// ---- CIDR (template-functions-cidr; address arithmetic in cidr.ts) ----------------------

function cidrNet(v: RuntimeValue, env: Env, n: CallNode): CidrNet | UnknownValue {
  const text = str(v, env, n, 0);
  const r = parseCidrText(text);
  if ('net' in r) return r.net;
  if ('unknown' in r) return unknownAt(env, `${n.display}(): ${r.unknown}`);
  throw siteError(env, `${n.display}(): argument 1 (network) is invalid: ${r.error}`);
}
function cidrAddress(v: bigint, net: CidrNet, env: Env, n: CallNode): string | UnknownValue {
  return formatAddress(v, net.v6) ?? unknownAt(env, `${n.display}(): the result is an IPv6 address that .NET prints with an embedded IPv4 part; the gate does not reproduce that form`);
}
def('sys.parseCidr,parseCidr', 1, 1, (a, env, n): RuntimeValue => {
  const net = cidrNet(a[0], env, n);
  if (net instanceof UnknownValue) return net;
  const bc = broadcastOf(net);
  const addr = (v: bigint): string | UnknownValue => cidrAddress(v, net, env, n);
  if (net.v6) {
    // IPv6 has no broadcast; the usable range is the whole range (the docs' IPv6 example).
    const v6: Obj = { network: addr(net.network), netmask: addr(netmaskOf(net)), firstUsable: addr(net.network), lastUsable: addr(bc), cidr: net.prefix };
    return v6;
  }
  // A /32 is its single address. A /31 keeps no network/broadcast pair to skip, and the docs do not
  // say whether its last usable host is the upper address (RFC 3021) or the network address.
  const inner = net.prefix <= 30;
  const v4: Obj = {
    network: addr(net.network),
    netmask: addr(netmaskOf(net)),
    broadcast: addr(bc),
    firstUsable: addr(inner ? net.network + 1n : net.network),
    lastUsable: net.prefix === 31
      ? unknownAt(env, `${n.display}(): the last usable address of a /31 is not documented for ARM`)
      : addr(inner ? bc - 1n : net.network),
    cidr: net.prefix,
  };
  return v4;
});
def('sys.cidrSubnet,cidrSubnet', 3, 3, (a, env, n) => {
  const net = cidrNet(a[0], env, n);
  const newCidr = int(a[1], env, n, 1);
  const index = int(a[2], env, n, 2);
  if (net instanceof UnknownValue) return net;
  if (newCidr < net.prefix || newCidr > net.bits) {
    throw siteError(env, `${n.display}(): argument 2 (newCIDR) must be from ${net.prefix} (the network's prefix) to ${net.bits}, got ${newCidr}`);
  }
  const count = 1n << BigInt(newCidr - net.prefix);
  if (index < 0 || BigInt(index) >= count) {
    throw siteError(env, `${n.display}(): argument 3 (subnetIndex) ${index} is out of range: /${net.prefix} holds ${count} subnet(s) of /${newCidr} (index 0 to ${count - 1n})`);
  }
  const start = cidrAddress(net.network + (BigInt(index) << BigInt(net.bits - newCidr)), net, env, n);
  return start instanceof UnknownValue ? start : `${start}/${newCidr}`;
});
def('sys.cidrHost,cidrHost', 2, 2, (a, env, n) => {
  const net = cidrNet(a[0], env, n);
  const index = int(a[1], env, n, 1);
  if (net instanceof UnknownValue) return net;
  // Hosts are counted from the address after the network address and end before the last one.
  const count = (1n << BigInt(net.bits - net.prefix)) - 2n;
  if (count <= 0n) throw siteError(env, `${n.display}(): argument 1 (network) /${net.prefix} has no usable host address`);
  if (index < 0 || BigInt(index) >= count) {
    throw siteError(env, `${n.display}(): argument 2 (hostIndex) ${index} is out of range: /${net.prefix} has ${count} usable host address(es) (index 0 to ${count - 1n})`);
  }
  return cidrAddress(net.network + 1n + BigInt(index), net, env, n);
});

function resourceIdParts(a: RuntimeValue[], env: Env, n: CallNode, from: number): { type: string; names: string[]; before: string[] } {
  const strs = a.map((x, i) => str(x, env, n, i));
  let t = -1;
  for (let i = from; i < strs.length; i++) {
    if (strs[i].includes('/')) { t = i; break; }
  }
  if (t === -1) throw siteError(env, `${n.display}(): no resource type (namespace/type) among the arguments`);
  const names = strs.slice(t + 1).flatMap((s) => s.split('/'));
  // ARM tolerates a stray trailing slash in the type ('Microsoft.Network/virtualNetworks/').
  const type = strs[t].replace(/^\/+|\/+$/g, '');
  const segs = type.split('/').length - 1;
  if (names.length !== segs) {
    throw siteError(env, `${n.display}(): resource type '${strs[t]}' needs ${segs} name segment(s), got ${names.length}`);
  }
  return { type, names, before: strs.slice(from, t) };
}
function idPath(type: string, names: string[]): string {
  const ts = type.split('/');
  let out = `/providers/${ts[0]}`;
  for (let i = 1; i < ts.length; i++) out += `/${ts[i]}/${names[i - 1]}`;
  return out;
}
def('resourceId', 2, Infinity, (a, env, n) => {
  const { type, names, before } = resourceIdParts(a, env, n, 0);
  const c = env.host.context;
  let sub = c.subscriptionId;
  let rg = c.resourceGroupName;
  if (before.length === 1) rg = before[0];
  else if (before.length === 2) [sub, rg] = before;
  else if (before.length > 2) throw siteError(env, `${n.display}(): too many arguments before the resource type`);
  return `/subscriptions/${sub}/resourceGroups/${rg}${idPath(type, names)}`;
});
def('subscriptionResourceId', 2, Infinity, (a, env, n) => {
  const { type, names, before } = resourceIdParts(a, env, n, 0);
  if (before.length > 1) throw siteError(env, `${n.display}(): too many arguments before the resource type`);
  return `/subscriptions/${before[0] ?? env.host.context.subscriptionId}${idPath(type, names)}`;
});
def('tenantResourceId', 2, Infinity, (a, env, n) => {
  const { type, names, before } = resourceIdParts(a, env, n, 0);
  if (before.length > 0) throw siteError(env, `${n.display}(): unexpected arguments before the resource type`);
  return idPath(type, names);
});
def('managementGroupResourceId', 2, Infinity, (a, env, n) => {
  const { type, names, before } = resourceIdParts(a, env, n, 0);
  if (before.length === 0) return unknownAt(env, 'the management group is known only at deployment');
  return `/providers/Microsoft.Management/managementGroups/${before[0]}${idPath(type, names)}`;
});
def('extensionResourceId', 3, Infinity, (a, env, n) => {
  const base = str(a[0], env, n, 0);
  const { type, names } = resourceIdParts(a, env, n, 1);
  return `${base}${idPath(type, names)}`;
});

// ---- dates -----------------------------------------------------------------------------

def('dateTimeAdd', 2, 3, (a, env, n) => {
  const base = str(a[0], env, n, 0);
  const dur = str(a[1], env, n, 1);
  const d = new Date(base);
  if (Number.isNaN(d.getTime())) throw siteError(env, `${n.display}(): '${base}' is not a date-time`);
  const m = /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(dur);
  if (!m) throw siteError(env, `${n.display}(): '${dur}' is not an ISO 8601 duration`);
  const sign = m[1] ? -1 : 1;
  const v = (i: number): number => Number(m[i] ?? 0) * sign;
  d.setUTCFullYear(d.getUTCFullYear() + v(2), d.getUTCMonth() + v(3), d.getUTCDate() + v(4) * 7 + v(5));
  d.setTime(d.getTime() + ((v(6) * 60 + v(7)) * 60 + v(8)) * 1000);
  return d.toISOString().replace('.000Z', 'Z');
});
def('dateTimeToEpoch', 1, 1, (a, env, n) => Math.floor(new Date(str(a[0], env, n, 0)).getTime() / 1000));
def('dateTimeFromEpoch', 1, 1, (a, env, n) => new Date(int(a[0], env, n, 0) * 1000).toISOString().replace('.000Z', 'Z'));

// ---- helpers ---------------------------------------------------------------------------

function azureCloud(): EvaluatedValue {
  return {
    name: 'AzureCloud',
    gallery: 'https://gallery.azure.com/',
    graph: 'https://graph.windows.net/',
    portal: 'https://portal.azure.com',
    graphAudience: 'https://graph.windows.net/',
    activeDirectoryDataLake: 'https://datalake.azure.net/',
    batch: 'https://batch.core.windows.net/',
    media: 'https://rest.media.azure.net',
    sqlManagement: 'https://management.core.windows.net:8443/',
    vmImageAliasDoc: 'https://raw.githubusercontent.com/Azure/azure-rest-api-specs/master/arm-compute/quickstart-templates/aliases.json',
    resourceManager: 'https://management.azure.com/',
    authentication: {
      loginEndpoint: 'https://login.microsoftonline.com/',
      audiences: ['https://management.core.windows.net/', 'https://management.azure.com/'],
      tenant: 'common',
      identityProvider: 'AAD',
    },
    suffixes: {
      acrLoginServer: '.azurecr.io',
      azureDatalakeAnalyticsCatalogAndJob: 'azuredatalakeanalytics.net',
      azureDatalakeStoreFileSystem: 'azuredatalakestore.net',
      azureFrontDoorEndpointSuffix: 'azurefd.net',
      keyvaultDns: '.vault.azure.net',
      sqlServerHostname: '.database.windows.net',
      storage: 'core.windows.net',
    },
  };
}
