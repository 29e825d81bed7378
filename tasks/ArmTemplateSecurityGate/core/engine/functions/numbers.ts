/**
 * Numeric functions (template-functions-numeric). ARM computes with 64-bit integers; a double holds
 * those exactly up to 2^53 only. Results are computed exactly (BigInt where a double could round):
 * past the 64-bit range they are an error, as in ARM; between 2^53 and 2^63 they are unknown, since
 * the gate cannot hold them exactly.
 */
import { UnknownValue } from '../../model';
import { Env, siteError, unknownAt } from '../runtime';
import { quote } from './logical';
import { CallNode, Registry, int, num } from './registry';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** Operands below this in magnitude divide exactly as doubles. */
const EXACT_DIVISION = 2 ** 31;

/** An exact integer result as ARM would give it, or an error (overflow) or unknown (beyond 2^53). */
export function integerResult(big: bigint, env: Env, node: CallNode): number | UnknownValue {
  if (big < INT64_MIN || big > INT64_MAX) throw siteError(env, `${node.display}(): the result ${big} is outside the 64-bit integer range (arithmetic overflow)`);
  const n = Number(big);
  if (!Number.isSafeInteger(n)) return unknownAt(env, `${node.display}(): the result ${big} is beyond 2^53, which the gate does not compute with exactly`);
  return n;
}

export function registerNumbers(r: Registry): void {
  r.def('add', 2, 2, (a, e, n) => {
    const x = int(a[0], e, n, 0);
    const y = int(a[1], e, n, 1);
    const s = x + y;
    return Number.isSafeInteger(s) ? s : integerResult(BigInt(x) + BigInt(y), e, n);
  });
  r.def('sub', 2, 2, (a, e, n) => {
    const x = int(a[0], e, n, 0);
    const y = int(a[1], e, n, 1);
    const s = x - y;
    return Number.isSafeInteger(s) ? s : integerResult(BigInt(x) - BigInt(y), e, n);
  });
  r.def('mul', 2, 2, (a, e, n) => {
    const x = int(a[0], e, n, 0);
    const y = int(a[1], e, n, 1);
    // A product below 2^53 is exact in a double; anything else is recomputed exactly.
    const p = x * y;
    return Number.isSafeInteger(p) ? p + 0 : integerResult(BigInt(x) * BigInt(y), e, n);
  });
  // Integer division truncates toward zero and the remainder takes the dividend's sign, as C#'s.
  r.def('div', 2, 2, (a, e, n) => {
    const x = int(a[0], e, n, 0);
    const y = int(a[1], e, n, 1);
    if (y === 0) throw siteError(e, `${n.display}(): division by zero`);
    if (Math.abs(x) < EXACT_DIVISION && Math.abs(y) < EXACT_DIVISION) return Math.trunc(x / y) + 0;
    return integerResult(BigInt(x) / BigInt(y), e, n);
  });
  r.def('mod', 2, 2, (a, e, n) => {
    const x = int(a[0], e, n, 0);
    const y = int(a[1], e, n, 1);
    if (y === 0) throw siteError(e, `${n.display}(): division by zero`);
    return (x % y) + 0;
  });
  r.def('min,max', 1, Infinity, (a, env, n) => {
    const list = a.length === 1 && Array.isArray(a[0]) ? a[0] : a;
    if (list.length === 0) throw siteError(env, `${n.display}(): needs at least one value`);
    let best: number | undefined;
    for (let i = 0; i < list.length; i++) {
      const x = list[i];
      if (x instanceof UnknownValue) return x;
      const v = num(x, env, n, i);
      if (best === undefined || (n.name === 'min' ? v < best : v > best)) best = v;
    }
    return best!;
  }, { passes: true });
  r.def('int', 1, 1, (a, env, n) => {
    const v = a[0];
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw siteError(env, `${n.display}(): cannot convert ${v} to an integer`);
      const t = Math.trunc(v) + 0;
      return Number.isSafeInteger(t) ? t : integerResult(BigInt(t), env, n);
    }
    if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v)) {
      const big = BigInt(v.trim());
      return integerResult(big, env, n);
    }
    throw siteError(env, `${n.display}(): cannot convert ${quote(v)} to an integer`);
  });
  r.def('float', 1, 1, (a, env, n) => {
    const v = a[0];
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(v)) {
      const f = Number(v);
      if (Number.isFinite(f)) return f;
    }
    throw siteError(env, `${n.display}(): cannot convert ${quote(v)} to a number`);
  });
  r.def('range', 2, 2, (a, env, n) => {
    const start = int(a[0], env, n, 0);
    const count = int(a[1], env, n, 1);
    // template-functions-array#range: count from 0 to 10000; start + count at most 2147483647.
    if (count < 0 || count > 10000) throw siteError(env, `${n.display}(): count must be from 0 to 10000, got ${count}`);
    if (start + count > 2147483647) throw siteError(env, `${n.display}(): the sum of startIndex and count must not exceed 2147483647`);
    const out: number[] = new Array(count);
    for (let i = 0; i < count; i++) out[i] = start + i;
    return out;
  });
}
