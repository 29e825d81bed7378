/** Lambda functions (template-functions-lambda). */
import { EvaluatedValue, UnknownValue } from '../../model';
import { budget } from '../limits';
import { siteError } from '../runtime';
import { LambdaValue, Obj, getProp, newObj, setProp, toArmString } from '../values';
import { Registry, arr, lam, obj, str, val } from './registry';

export function registerLambdas(r: Registry): void {
  const { callLambda } = r.ev;
  r.lazy('lambda', 2, Infinity, (args, env, n) => {
    const params = args.slice(0, -1).map((p) => {
      if (p.k !== 'str') throw siteError(env, `${n.display}(): lambda parameter names must be string literals`);
      return p.v;
    });
    env.host.taint.t = false;
    return new LambdaValue(params, args[args.length - 1]);
  });
  r.def('lambdaVariables', 1, 1, (a, env, n) => {
    const name = str(a[0], env, n, 0);
    const v = env.lambda?.get(name.toLowerCase());
    if (v === undefined) throw siteError(env, `${n.display}(): '${name}' is not a lambda variable in scope`);
    if (env.lambdaSecure) env.host.taint.force();
    return v;
  }, { passes: true });
  r.def('filter', 2, 2, (a, env, n) => {
    const l = lam(a[1], env, n, 1, 1);
    const out: EvaluatedValue[] = [];
    for (const x of arr(a[0], env, n, 0)) {
      const keep = callLambda(l, [x], env);
      if (keep instanceof UnknownValue) return keep;
      if (keep === true) out.push(x);
    }
    return out;
  });
  r.def('map', 2, 2, (a, env, n) => {
    const l = lam(a[1], env, n, 1, 1);
    const list = arr(a[0], env, n, 0);
    const out: EvaluatedValue[] = new Array(list.length);
    for (let i = 0; i < list.length; i++) out[i] = callLambda(l, [list[i]], env);
    return out;
  });
  r.def('reduce', 3, 3, (a, env, n) => {
    const l = lam(a[2], env, n, 2, 2);
    let acc = val(a[1], env, n);
    for (const x of arr(a[0], env, n, 0)) acc = callLambda(l, [acc, x], env);
    return acc;
  });
  r.def('sort', 2, 2, (a, env, n) => {
    const l = lam(a[1], env, n, 1, 2);
    let unknown: UnknownValue | undefined;
    const out = arr(a[0], env, n, 0).slice().sort((x, y) => {
      if (unknown) return 0;
      const lt = callLambda(l, [x, y], env);
      if (lt instanceof UnknownValue) { unknown = lt; return 0; }
      return lt === true ? -1 : 1;
    });
    return unknown ?? out;
  });
  r.def('toObject', 2, 3, (a, env, n) => {
    const kl = lam(a[1], env, n, 1, 1);
    const vl = a.length > 2 ? lam(a[2], env, n, 2, 1) : undefined;
    const out = newObj();
    for (const x of arr(a[0], env, n, 0)) {
      const k = callLambda(kl, [x], env);
      if (k instanceof UnknownValue) return k;
      setProp(out, toArmString(k, budget().charsLeft()), vl ? callLambda(vl, [x], env) : x);
    }
    return out;
  });
  r.def('groupBy', 2, 2, (a, env, n) => {
    const kl = lam(a[1], env, n, 1, 1);
    // Groups are collected in a Map: looking each key up case-insensitively in the object being built was quadratic.
    const groups = new Map<string, { key: string; items: EvaluatedValue[] }>();
    for (const x of arr(a[0], env, n, 0)) {
      const k = callLambda(kl, [x], env);
      if (k instanceof UnknownValue) return k;
      const key = toArmString(k, budget().charsLeft());
      const lower = key.toLowerCase();
      let g = groups.get(lower);
      if (g === undefined) groups.set(lower, (g = { key, items: [] }));
      g.items.push(x);
    }
    const out = newObj();
    for (const g of groups.values()) setProp(out, g.key, g.items);
    return out;
  });
  r.def('mapValues', 2, 2, (a, env, n) => {
    const o: Obj = obj(a[0], env, n, 0);
    const l = lam(a[1], env, n, 1, 1);
    const out = newObj();
    for (const k of Object.keys(o)) setProp(out, k, callLambda(l, [getProp(o, k) ?? null], env));
    return out;
  });
}
