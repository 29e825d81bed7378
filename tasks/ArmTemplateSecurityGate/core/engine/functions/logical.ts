/** Logical and comparison functions (template-functions-logical, -comparison). */
import { UnknownValue } from '../../model';
import { siteError } from '../runtime';
import { LimitError } from '../limits';
import { LambdaValue, RuntimeValue, deepEqual, findUnknown, toJsonText, typeName } from '../values';
import { CallNode, Registry, bool, val } from './registry';
import type { Env } from '../runtime';

export function registerLogical(r: Registry): void {
  const { evalAst } = r.ev;
  // The taint of if() and coalesce() is that of the value chosen (the last one evaluated).
  r.lazy('if', 3, 3, (a, env, node) => {
    const c = evalAst(a[0], env);
    if (c instanceof UnknownValue) return c;
    return evalAst(bool(c, env, node, 0) ? a[1] : a[2], env);
  });
  r.lazy('and,or', 2, Infinity, (a, env, node) => {
    const isAnd = node.name === 'and';
    let unknown: UnknownValue | undefined;
    let result: boolean | UnknownValue | undefined;
    for (let i = 0; i < a.length && result === undefined; i++) {
      const v = evalAst(a[i], env);
      if (v instanceof UnknownValue) { unknown ??= v; continue; }
      // a decided operand settles the result even when another operand is unknown
      if (bool(v, env, node, i) !== isAnd) result = !isAnd;
    }
    env.host.taint.t = false;
    return result ?? unknown ?? isAnd;
  });
  r.lazy('coalesce', 1, Infinity, (a, env) => {
    for (const x of a) {
      const v = evalAst(x, env);
      if (v instanceof UnknownValue) return v;
      if (v !== null) return v;
    }
    env.host.taint.t = false;
    return null;
  });
  r.def('not', 1, 1, (a, env, n) => !bool(a[0], env, n, 0));
  r.def('bool', 1, 1, (a, env, n) => {
    const v = a[0];
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number') return v !== 0;
    if (typeof v === 'string') {
      const l = v.toLowerCase();
      if (l === 'true' || l === '1') return true;
      if (l === 'false' || l === '0') return false;
    }
    throw siteError(env, `${n.display}(): cannot convert ${quote(v)} to bool`);
  });
  r.def('true', 0, 0, () => true);
  r.def('false', 0, 0, () => false);
  r.def('null', 0, 0, () => null);
  r.def('equals', 2, 2, (a, env, n) => {
    const x = val(a[0], env, n);
    const y = val(a[1], env, n);
    const u = findUnknown(x) ?? findUnknown(y);
    if (u) return u;
    return deepEqual(x, y);
  });
  r.def('greater', 2, 2, (a, e, n) => compare(a, e, n) > 0);
  r.def('greaterOrEquals', 2, 2, (a, e, n) => compare(a, e, n) >= 0);
  r.def('less', 2, 2, (a, e, n) => compare(a, e, n) < 0);
  r.def('lessOrEquals', 2, 2, (a, e, n) => compare(a, e, n) <= 0);
}

function compare(a: RuntimeValue[], env: Env, n: CallNode): number {
  const x = a[0];
  const y = a[1];
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0;
  throw siteError(env, `${n.display}(): both arguments must be numbers or both strings, got ${typeName(x)} and ${typeName(y)}`);
}

/** A value quoted in an error message, kept short. */
export function quote(v: RuntimeValue): string {
  if (typeof v === 'string') return v.length > 200 ? `${JSON.stringify(v.slice(0, 200))}...` : JSON.stringify(v);
  if (v instanceof LambdaValue) return 'a lambda';
  try {
    return toJsonText(v, 200);
  } catch (e) {
    if (e instanceof LimitError) return `a ${typeName(v)} too large to show`;
    throw e;
  }
}
