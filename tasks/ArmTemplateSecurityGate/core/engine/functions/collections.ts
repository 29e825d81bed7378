/** Array and object functions (template-functions-array, -object). */
import { EvaluatedValue, UnknownValue } from '../../model';
import { budget } from '../limits';
import { siteError } from '../runtime';
import type { Taint } from '../taint';
import {
  Obj, RuntimeValue, canonicalKey, deepEqual, findUnknown, getProp, isObj, newObj, setProp, toArmString, typeName,
} from '../values';
import { Registry, arr, int, obj, str, val } from './registry';

export function registerCollections(r: Registry): void {
  r.def('array', 1, 1, (a, env, n) => {
    const v = val(a[0], env, n);
    return Array.isArray(v) ? v : [v];
  });
  // Containers hold unknown elements instead of becoming unknown as a whole.
  r.def('createArray', 0, Infinity, (a, env, n) => a.map((x) => val(x, env, n)), {
    acceptsUnknown: true,
    taint: (_a, argTaint, out, taint) => markEach(out, argTaint, (i) => i, taint),
  });
  r.def('createObject', 0, Infinity, (a, env, n) => {
    if (a.length % 2 !== 0) throw siteError(env, `${n.display}(): expects an even number of arguments (key, value pairs)`);
    const o = newObj();
    for (let i = 0; i < a.length; i += 2) {
      if (a[i] instanceof UnknownValue) return a[i];
      setProp(o, str(a[i], env, n, i), val(a[i + 1], env, n));
    }
    return o;
  }, {
    acceptsUnknown: true,
    taint: (a, argTaint, out, taint) => {
      if (!isObj(out)) return argTaint.includes(true);
      let any = false;
      for (let i = 0; i + 1 < a.length; i += 2) {
        if (argTaint[i] || argTaint[i + 1]) { taint.markMember(out, a[i] as string); any = true; }
      }
      return any;
    },
  });
  r.def('contains', 2, 2, (a, env, n) => {
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
    if (isObj(c)) return getProp(c, toArmString(x, 10_000)) !== undefined;
    if (typeof c === 'string') return c.includes(toArmString(x, c.length + 1));
    throw siteError(env, `${n.display}(): the first argument must be an array, object or string, got ${typeName(c)}`);
  });
  r.def('empty', 1, 1, (a, env, n) => {
    const v = val(a[0], env, n);
    if (v === null) return true;
    if (typeof v === 'string' || Array.isArray(v)) return v.length === 0;
    if (isObj(v)) return Object.keys(v).length === 0;
    throw siteError(env, `${n.display}(): expects a string, array or object, got ${typeName(v)}`);
  });
  r.def('length', 1, 1, (a, env, n) => {
    const v = val(a[0], env, n);
    if (typeof v === 'string' || Array.isArray(v)) return v.length;
    if (isObj(v)) return Object.keys(v).length;
    throw siteError(env, `${n.display}(): expects a string, array or object, got ${typeName(v)}`);
  });
  r.def('union', 1, Infinity, (a, env, n) => {
    if (a.every((x) => Array.isArray(x))) {
      // Duplicates found through a canonical text: linear instead of comparing every pair.
      const seen = new Set<string>();
      const out: EvaluatedValue[] = [];
      for (const x of a as EvaluatedValue[][]) {
        for (const e of x) {
          const k = canonicalKey(e);
          if (seen.has(k)) continue;
          seen.add(k);
          out.push(e);
        }
      }
      return out;
    }
    if (a.every((x) => isObj(x) || x === null)) {
      let out: Obj = newObj();
      for (const x of a) if (x !== null) out = mergeDeep(out, x);
      return out;
    }
    throw siteError(env, `${n.display}(): all arguments must be arrays or all objects`);
  });
  r.def('intersection', 1, Infinity, (a, env, n) => {
    if (a.every((x) => Array.isArray(x))) {
      const [first, ...rest] = a as EvaluatedValue[][];
      const others = rest.map((x) => new Set(x.map(canonicalKey)));
      const seen = new Set<string>();
      const out: EvaluatedValue[] = [];
      for (const e of first) {
        const k = canonicalKey(e);
        if (seen.has(k)) continue;
        seen.add(k);
        if (others.every((s) => s.has(k))) out.push(e);
      }
      return out;
    }
    if (a.every((x) => isObj(x))) {
      const [first, ...rest] = a as Obj[];
      const out = newObj();
      for (const k of Object.keys(first)) if (rest.every((o) => Object.hasOwn(o, k) && deepEqual(o[k], first[k]))) setProp(out, k, first[k]);
      return out;
    }
    throw siteError(env, `${n.display}(): all arguments must be arrays or all objects`);
  });
  r.def('first', 1, 1, (a, env, n) => {
    const v = val(a[0], env, n);
    if (Array.isArray(v)) return v.length ? v[0] : null;
    if (typeof v === 'string') return v.slice(0, 1);
    throw siteError(env, `${n.display}(): expects an array or string, got ${typeName(v)}`);
  }, { passes: true, taint: (a, argTaint, _out, taint) => element(a[0], 0, argTaint[0], taint) });
  r.def('last', 1, 1, (a, env, n) => {
    const v = val(a[0], env, n);
    if (Array.isArray(v)) return v.length ? v[v.length - 1] : null;
    if (typeof v === 'string') return v.slice(-1);
    throw siteError(env, `${n.display}(): expects an array or string, got ${typeName(v)}`);
  }, { passes: true, taint: (a, argTaint, _out, taint) => element(a[0], Array.isArray(a[0]) ? a[0].length - 1 : 0, argTaint[0], taint) });
  r.def('take,skip', 2, 2, (a, env, n) => {
    const v = val(a[0], env, n);
    const c = Math.max(0, int(a[1], env, n, 1));
    if (typeof v !== 'string' && !Array.isArray(v)) throw siteError(env, `${n.display}(): expects an array or string, got ${typeName(v)}`);
    return n.name === 'take' ? v.slice(0, c) : v.slice(c);
  });
  r.def('indexFromEnd,tryIndexFromEnd', 2, 2, (a, env, n) => {
    const v = arr(a[0], env, n, 0);
    const i = int(a[1], env, n, 1);
    if (i < 1 || i > v.length) {
      if (n.name === 'tryindexfromend') return null;
      throw siteError(env, `${n.display}(): index ${i} is out of range`);
    }
    return v[v.length - i];
  }, {
    passes: true,
    taint: (a, argTaint, _out, taint) => argTaint[1] || element(a[0], Array.isArray(a[0]) ? a[0].length - (a[1] as number) : 0, argTaint[0], taint),
  });
  r.def('indexOf', 2, 2, (a, env, n) => {
    if (Array.isArray(a[0])) {
      const x = val(a[1], env, n);
      return a[0].findIndex((e) => deepEqual(e, x));
    }
    return str(a[0], env, n, 0).toLowerCase().indexOf(str(a[1], env, n, 1).toLowerCase());
  });
  r.def('lastIndexOf', 2, 2, (a, env, n) => {
    if (Array.isArray(a[0])) {
      const x = val(a[1], env, n);
      for (let i = a[0].length - 1; i >= 0; i--) if (deepEqual(a[0][i], x)) return i;
      return -1;
    }
    const s = str(a[0], env, n, 0).toLowerCase();
    const f = str(a[1], env, n, 1).toLowerCase();
    return f === '' ? s.length - 1 : s.lastIndexOf(f);
  });
  r.def('items', 1, 1, (a, env, n) => {
    const o = obj(a[0], env, n, 0);
    const items = Object.keys(o).sort((x, y) => x.localeCompare(y, 'en', { sensitivity: 'base' })).map((k) => {
      const item = newObj();
      item.key = k;
      item.value = o[k];
      return item;
    });
    budget().produce(items.length * 2);
    return items;
  });
  r.def('objectKeys', 1, 1, (a, env, n) => Object.keys(obj(a[0], env, n, 0)));
  r.def('tryGet', 2, Infinity, (a, env, n) => {
    let cur: EvaluatedValue = val(a[0], env, n);
    for (let i = 1; i < a.length; i++) {
      const k = a[i];
      if (isObj(cur) && typeof k === 'string') cur = getProp(cur, k) ?? null;
      else if (Array.isArray(cur) && typeof k === 'number' && Number.isInteger(k) && k >= 0 && k < cur.length) cur = cur[k];
      else return null;
      if (cur instanceof UnknownValue) return cur;
    }
    return cur;
  }, {
    passes: true,
    taint: (a, argTaint, _out, taint) => {
      if (argTaint.slice(1).includes(true)) return true;
      let cur: RuntimeValue = a[0];
      let secure = argTaint[0] && !(cur !== null && typeof cur === 'object');
      for (let i = 1; i < a.length && !secure; i++) {
        const k = a[i];
        if (isObj(cur) && typeof k === 'string') {
          const next = getProp(cur, k);
          if (next === undefined) return false;
          if (taint.member(cur, k, next)) secure = true;
          cur = next;
        } else if (Array.isArray(cur) && typeof k === 'number' && k >= 0 && k < cur.length) {
          if (taint.member(cur, k, cur[k])) secure = true;
          cur = cur[k];
        } else return false;
      }
      return secure;
    },
  });
  r.def('shallowMerge', 1, 1, (a, env, n) => {
    const out = newObj();
    const list = arr(a[0], env, n, 0);
    for (let i = 0; i < list.length; i++) {
      const o = list[i];
      if (o instanceof UnknownValue) return o;
      // Every key is copied as data: `__proto__` from json() is a key like any other.
      const src = obj(o, env, n, i);
      for (const k of Object.keys(src)) setProp(out, k, src[k]);
    }
    return out;
  });
}

function mergeDeep(a: Obj, b: Obj): Obj {
  const out = newObj();
  for (const k of Object.keys(a)) setProp(out, k, a[k]);
  for (const k of Object.keys(b)) {
    const prev = Object.hasOwn(out, k) ? out[k] : undefined;
    const next = b[k];
    setProp(out, k, isObj(prev) && isObj(next) ? mergeDeep(prev, next) : next);
  }
  return out;
}

/** Marks element i of a fresh array secure when argument `index(i)` was. */
function markEach(out: RuntimeValue, argTaint: readonly boolean[], index: (i: number) => number, taint: Taint): boolean {
  if (!Array.isArray(out)) return argTaint.includes(true);
  let any = false;
  for (let i = 0; i < out.length; i++) if (argTaint[index(i)]) { taint.markMember(out, i); any = true; }
  return any;
}

/** Whether element `i` of `container` is secure (a string argument's taint is the whole string's). */
function element(container: RuntimeValue, i: number, containerTaint: boolean, taint: Taint): boolean {
  if (Array.isArray(container)) return i >= 0 && i < container.length && taint.member(container, i, container[i]);
  return containerTaint;
}
