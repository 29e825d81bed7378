/**
 * Jenkins' `tree=` query parameter (stapler NamedPathPruner): `a,b[c,d]{M,N}`, `*` for every
 * property, ranges on arrays (`{M,N}` M inclusive N exclusive, `{M,}`, `{,N}`, `{N}`). A property
 * named without a sub-tree gives an object as its `_class` only, as Jenkins does.
 */
export interface TreeNode {
  children: Map<string, TreeNode | null>;
  ranges: Map<string, { from?: number; to?: number }>;
}

export class TreeSyntaxError extends Error {}

export function parseTree(text: string): TreeNode {
  let at = 0;
  const fail = (what: string): never => {
    throw new TreeSyntaxError(`Unexpected ${at < text.length ? `'${text[at]}'` : 'end'} at ${at} in tree '${text}': ${what}`);
  };
  const list = (): TreeNode => {
    const node: TreeNode = { children: new Map(), ranges: new Map() };
    for (;;) {
      const m = /^[A-Za-z0-9_$*]+/.exec(text.slice(at));
      if (!m) fail('expected a property name');
      const name = m![0];
      at += name.length;
      let child: TreeNode | null = null;
      if (text[at] === '[') {
        at++;
        child = list();
        if (text[at] !== ']') fail("expected ']'");
        at++;
      }
      node.children.set(name, child);
      if (text[at] === '{') {
        const r = /^\{(\d*)(,?)(\d*)\}/.exec(text.slice(at));
        if (!r || (r[1] === '' && r[3] === '' )) fail('expected a range {M,N}');
        at += r![0].length;
        const from = r![1] === '' ? undefined : Number(r![1]);
        const to = r![2] === '' ? (from === undefined ? undefined : from + 1) : r![3] === '' ? undefined : Number(r![3]);
        node.ranges.set(name, { from, to });
      }
      if (text[at] !== ',') return node;
      at++;
    }
  };
  const root = list();
  if (at !== text.length) fail('expected , or the end');
  return root;
}

/** A property value that is only computed when a request selects it. */
export type Lazy<T> = T | (() => T);
const value = (v: unknown) => (typeof v === 'function' ? (v as () => unknown)() : v);

/** Applies a tree to a model object whose properties may be lazy; hidden names appear only when named. */
export function prune(input: unknown, tree: TreeNode | null, hidden: ReadonlySet<string> = new Set()): unknown {
  const v = value(input);
  if (Array.isArray(v)) return v.map((e) => prune(e, tree, hidden));
  if (v === null || typeof v !== 'object') return v;
  const obj = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if ('_class' in obj) out._class = value(obj._class);
  if (!tree) return out;
  for (const [name, child] of tree.children) {
    const keys = name === '*' ? Object.keys(obj).filter((k) => !hidden.has(k)) : name in obj ? [name] : [];
    for (const key of keys) {
      let item = value(obj[key]);
      const range = tree.ranges.get(name);
      if (range && Array.isArray(item)) item = item.slice(range.from ?? 0, range.to);
      out[key] = prune(item, child, hidden);
    }
  }
  return out;
}

/** The answer without `tree`: every visible property, nested objects reduced to their visible primitives. */
export function shallow(input: unknown, hidden: ReadonlySet<string>, depth = 0): unknown {
  const v = value(input);
  if (Array.isArray(v)) return v.map((e) => shallow(e, hidden, depth));
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(v as Record<string, unknown>)) {
    if (hidden.has(k)) continue;
    const item = value(raw);
    if (depth > 0 && item !== null && typeof item === 'object' && k !== '_class') continue;
    out[k] = shallow(item, hidden, depth + 1);
  }
  return out;
}
