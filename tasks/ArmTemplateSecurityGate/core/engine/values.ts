/**
 * Values as the engine holds them, and the helpers every part of it uses to read them.
 *
 * To ARM an object is a dictionary: `__proto__`, `constructor` or `toString` are keys like any
 * other. Every object the engine builds from template data is therefore made by newObj(): its
 * prototype is one frozen, empty object whose own prototype is null, so nothing is inherited and
 * assigning `__proto__` stores a key instead of swapping the prototype. (A true null-prototype
 * object — Object.create(null) — would do the same, but V8 keeps those in dictionary mode: building
 * them measured 3.5 times slower and reading them 17 times slower, on the hottest path of a scan.)
 */
import { EvaluatedValue, UnknownValue } from '../model';
import type { Ast } from './expression';
import { LIMITS, LimitError, budget } from './limits';

export type Obj = { [key: string]: EvaluatedValue };

/** A lambda argument of filter/map/...; never escapes into evaluated templates. */
export class LambdaValue {
  constructor(readonly params: string[], readonly body: Ast) {}
}

export type RuntimeValue = EvaluatedValue | LambdaValue;

const ArmObject = function ArmObject(): void {} as unknown as new () => Obj;
ArmObject.prototype = Object.freeze(Object.create(null) as object) as Obj;

/** An empty object that inherits nothing (see the file comment). */
export function newObj(): Obj {
  return new ArmObject();
}

/** A shallow copy into an object that inherits nothing; `__proto__` is copied as a plain key. */
export function cloneObj(src: object): Obj {
  // Object.assign sets each key with [[Set]]; the target inherits no `__proto__` setter.
  return Object.assign(newObj(), src);
}

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof UnknownValue) && !(v instanceof LambdaValue);
}

/** `o[key]` when `key` is an own key of `o` (a map handed in by a caller is a plain object). */
export function ownEntry<T>(o: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return o !== undefined && Object.hasOwn(o, key) ? o[key] : undefined;
}

/**
 * Converts a plain JavaScript value (JSON.parse output, values handed in by callers) to engine
 * values, objects that inherit nothing. Nesting beyond LIMITS.valueDepth is refused, as ARM's JSON
 * reader refuses it, before the recursion could get deep.
 */
export function fromPlain(v: unknown, what: string, depth = 1): EvaluatedValue {
  if (v === null || typeof v !== 'object' || v instanceof UnknownValue) return v as EvaluatedValue;
  if (depth > LIMITS.valueDepth) throw new LimitError(`${what} is nested more than ${LIMITS.valueDepth} levels deep`);
  if (Array.isArray(v)) {
    const out: EvaluatedValue[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = fromPlain(v[i], what, depth + 1);
    return out;
  }
  const out = newObj();
  for (const [k, x] of Object.entries(v)) setProp(out, k, fromPlain(x, what, depth + 1));
  return out;
}

/** First UnknownValue anywhere inside v (depth-first), or undefined. */
export function findUnknown(v: EvaluatedValue): UnknownValue | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  if (v instanceof UnknownValue) return v;
  const stack: EvaluatedValue[] = [v];
  const b = budget();
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x === null || typeof x !== 'object') continue;
    if (x instanceof UnknownValue) return x;
    // Shared subtrees are walked once per reference (a value built by doubling is huge): counted.
    b.step();
    const members = Array.isArray(x) ? x : Object.values(x);
    for (let i = members.length - 1; i >= 0; i--) stack.push(members[i]);
  }
  return undefined;
}

export function typeName(v: RuntimeValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof UnknownValue) return 'unknown';
  if (v instanceof LambdaValue) return 'lambda';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

/** ARM equality: deep, object keys in any order (and exact case). Iterative. */
export function deepEqual(a: EvaluatedValue, b: EvaluatedValue): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  const stack: EvaluatedValue[] = [a, b];
  const counter = budget();
  while (stack.length > 0) {
    const y = stack.pop()!;
    const x = stack.pop()!;
    if (x === y) continue;
    if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return false;
    if (x instanceof UnknownValue || y instanceof UnknownValue) return false;
    counter.step();
    if (Array.isArray(x)) {
      if (!Array.isArray(y) || x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) stack.push(x[i], y[i]);
      continue;
    }
    if (Array.isArray(y)) return false;
    if (Object.keys(x).length !== Object.keys(y).length) return false;
    for (const k of Object.keys(x)) {
      if (Object.hasOwn(y, k)) stack.push(x[k], y[k]);
      else return false;
    }
  }
  return true;
}

/**
 * A text that is equal for values deepEqual() finds equal (object keys sorted): union(),
 * intersection() and friends find duplicates through a Map instead of comparing every pair.
 */
export function canonicalKey(v: EvaluatedValue): string {
  switch (typeof v) {
    case 'string': return `s${v}`;
    case 'number': return `n${v}`;
    case 'boolean': return v ? 'T' : 'F';
    default: break;
  }
  if (v === null) return 'z';
  let out = '';
  const counter = budget();
  // Tokens are pushed in reverse so they pop in order; strings are JSON-quoted so no key can
  // imitate the punctuation.
  const stack: Array<EvaluatedValue | Punctuation> = [v];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x instanceof Punctuation) {
      out += x.t;
      continue;
    }
    const e = x as EvaluatedValue;
    if (e === null) { out += 'z'; continue; }
    if (typeof e === 'string') { out += JSON.stringify(e); continue; }
    if (typeof e === 'number') { out += `n${e}`; continue; }
    if (typeof e === 'boolean') { out += e ? 'T' : 'F'; continue; }
    // Unknown values are never equal to anything (deepEqual); a fresh token keeps them apart.
    if (e instanceof UnknownValue) { out += `?${uniqueToken()}`; continue; }
    counter.step();
    if (Array.isArray(e)) {
      stack.push(CLOSE_ARRAY);
      for (let i = e.length - 1; i >= 0; i--) { stack.push(e[i]); if (i > 0) stack.push(COMMA); }
      out += '[';
    } else {
      const entries = Object.entries(e).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      stack.push(CLOSE_OBJECT);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, x] = entries[i];
        stack.push(x);
        stack.push(new Punctuation(`${i > 0 ? ',' : ''}${JSON.stringify(k)}:`));
      }
      out += '{';
    }
    if (out.length > LIMITS.chars) throw new LimitError(`a value holds more than ${LIMITS.chars} characters`);
  }
  return out;
}

/** Punctuation interleaved with values on the explicit stacks of the iterative writers. */
class Punctuation {
  constructor(readonly t: string) {}
}
const COMMA = new Punctuation(',');
const CLOSE_ARRAY = new Punctuation(']');
const CLOSE_OBJECT = new Punctuation('}');

let tokenCounter = 0;
function uniqueToken(): string {
  return String(++tokenCounter);
}

/** Case-insensitive own-property lookup, as ARM does for JSON property names. */
export function getProp(o: Obj, name: string): EvaluatedValue | undefined {
  if (Object.hasOwn(o, name)) return o[name];
  const lower = name.toLowerCase();
  if (isAscii(lower)) {
    // Only a key of the same length can lower-case to an ASCII name, so most keys are passed
    // over without allocating their lower-case copy (lookups of absent properties are common).
    // for-in (own keys only, in Object.keys order) allocates no key array: most calls get here
    // for a property that is absent (`copy`, `condition`, `existing` of every resource).
    const n = lower.length;
    for (const k in o) if (k.length === n && k.toLowerCase() === lower && Object.hasOwn(o, k)) return o[k];
    return undefined;
  }
  for (const k in o) if (k.toLowerCase() === lower && Object.hasOwn(o, k)) return o[k];
  return undefined;
}

/**
 * True when every code unit is ASCII. A string that lower-cases to an ASCII string has its length:
 * the only length-changing lower-casing (U+0130) yields a non-ASCII combining mark.
 */
export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

export function setProp(o: Obj, key: string, v: EvaluatedValue): void {
  // Objects from newObj() inherit no `__proto__` setter; anything else is written the safe way too.
  if (key === '__proto__') Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
  // eslint-disable-next-line local/no-prototype-keys -- the one store of the engine: its objects inherit nothing (newObj), and __proto__ is defined above
  else o[key] = v;
}

/**
 * ARM's string conversion (string(), concat, format): JSON for arrays and objects, written here
 * rather than by JSON.stringify, which recurses and overflows the stack on deeply nested values.
 * `maxLength` bounds the text produced (a value built by doubling can be far larger than memory).
 */
export function toArmString(v: EvaluatedValue, maxLength = LIMITS.chars): string {
  if (v === null) return '';
  switch (typeof v) {
    case 'string': return v;
    case 'number': return String(v);
    case 'boolean': return v ? 'True' : 'False';
    default: return toJsonText(v, maxLength);
  }
}

/** JSON text of a value (unknown leaves read as "<unknown: reason>"), iterative and bounded. */
export function toJsonText(v: EvaluatedValue, maxLength = LIMITS.chars): string {
  const parts: string[] = [];
  let length = 0;
  const emit = (s: string): void => {
    length += s.length;
    if (length > maxLength) throw new LimitError(`a value converted to text is longer than ${maxLength} characters`);
    parts.push(s);
  };
  const stack: Array<EvaluatedValue | Punctuation> = [v];
  const counter = budget();
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x instanceof Punctuation) {
      emit(x.t);
      continue;
    }
    counter.step();
    const e = x as EvaluatedValue;
    if (e === null) emit('null');
    else if (typeof e === 'string') emit(JSON.stringify(e));
    else if (typeof e === 'number') emit(Number.isFinite(e) ? String(e) : 'null');
    else if (typeof e === 'boolean') emit(e ? 'true' : 'false');
    else if (e instanceof UnknownValue) emit(JSON.stringify(`<unknown: ${e.reason}>`));
    else if (Array.isArray(e)) {
      emit('[');
      stack.push(CLOSE_ARRAY);
      for (let i = e.length - 1; i >= 0; i--) { stack.push(e[i]); if (i > 0) stack.push(COMMA); }
    } else {
      emit('{');
      const entries = Object.entries(e);
      stack.push(CLOSE_OBJECT);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, x] = entries[i];
        stack.push(x);
        stack.push(new Punctuation(`${i > 0 ? ',' : ''}${JSON.stringify(k)}:`));
      }
    }
  }
  return parts.join('');
}

/**
 * A value as text for a message or a name: strings as they are, anything else as short JSON. Never
 * String(): objects that inherit nothing have no toString, and arrays holding them cannot be joined.
 */
export function textOf(v: unknown, maxLength = 200): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  if (v instanceof LambdaValue) return 'a lambda';
  if (v === null || typeof v !== 'object' || v instanceof UnknownValue) return v instanceof UnknownValue ? `<unknown: ${v.reason}>` : String(v);
  try {
    return toJsonText(v as EvaluatedValue, maxLength);
  } catch (e) {
    if (e instanceof LimitError) return `a ${typeName(v as EvaluatedValue)} too large to show`;
    throw e;
  }
}

/** Nesting depth of a value (1 for a scalar), computed without recursion, bounded by `limit + 1`. */
export function depthOf(v: EvaluatedValue, limit: number): number {
  if (v === null || typeof v !== 'object' || v instanceof UnknownValue) return 1;
  let max = 1;
  const counter = budget();
  const stack: Array<[EvaluatedValue, number]> = [[v, 1]];
  while (stack.length > 0) {
    const [x, d] = stack.pop()!;
    if (x === null || typeof x !== 'object' || x instanceof UnknownValue) continue;
    if (d > max) max = d;
    if (max > limit) return max;
    counter.step();
    if (Array.isArray(x)) for (const y of x) stack.push([y, d + 1]);
    else for (const k of Object.keys(x)) stack.push([x[k], d + 1]);
  }
  return max;
}
