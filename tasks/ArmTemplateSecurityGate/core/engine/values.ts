/** Value helpers shared by the evaluator and the function library. */
import { EvaluatedValue, UnknownValue } from '../model';
import { Ast } from './expression';

export type Obj = { [key: string]: EvaluatedValue };

/** A lambda argument of filter/map/...; never escapes into evaluated templates. */
export class LambdaValue {
  constructor(readonly params: string[], readonly body: Ast) {}
}

export type RuntimeValue = EvaluatedValue | LambdaValue;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof UnknownValue) && !(v instanceof LambdaValue);
}

export function isUnknown(v: unknown): v is UnknownValue {
  return v instanceof UnknownValue;
}

/** First UnknownValue anywhere inside v (depth-first), or undefined. */
export function findUnknown(v: EvaluatedValue): UnknownValue | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  if (v instanceof UnknownValue) return v;
  if (Array.isArray(v)) {
    for (const x of v) {
      const u = findUnknown(x);
      if (u) return u;
    }
    return undefined;
  }
  for (const k in v) {
    const u = findUnknown(v[k]);
    if (u) return u;
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

export function deepEqual(a: EvaluatedValue, b: EvaluatedValue): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || a instanceof UnknownValue || b instanceof UnknownValue) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k) || !deepEqual(a[k], b[k])) return false;
  }
  return true;
}

/** Case-insensitive own-property lookup, as ARM does for JSON property names. */
export function getProp(o: Obj, name: string): EvaluatedValue | undefined {
  if (Object.prototype.hasOwnProperty.call(o, name)) return o[name];
  const lower = name.toLowerCase();
  if (isAscii(lower)) {
    // Only a key of the same length can lower-case to an ASCII name, so most keys are passed
    // over without allocating their lower-case copy (lookups of absent properties are common).
    const n = lower.length;
    for (const k in o) if (k.length === n && k.toLowerCase() === lower) return o[k];
    return undefined;
  }
  for (const k in o) if (k.toLowerCase() === lower) return o[k];
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
  if (key === '__proto__') Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
  else o[key] = v;
}

/** ARM's string conversion (string(), concat, format). */
export function toArmString(v: EvaluatedValue): string {
  if (v === null) return '';
  switch (typeof v) {
    case 'string': return v;
    case 'number': return String(v);
    case 'boolean': return v ? 'True' : 'False';
    default: return JSON.stringify(v, (_k, x: unknown) => (x instanceof UnknownValue ? `<unknown: ${x.reason}>` : x));
  }
}
