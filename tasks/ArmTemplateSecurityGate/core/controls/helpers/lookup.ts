/** Reading evaluated resources: paths ('$.properties.x', case-insensitive keys), unknown values, lookups over the resource and its related resources. */

import { UnknownValue, type CheckContext, type EvaluatedResource, type EvaluatedValue, type SourceLocation } from '../../model';

export type PathSegment = string | number;

export type Lookup =
  | { state: 'value'; value: EvaluatedValue; location: SourceLocation; path: PathSegment[]; resource: EvaluatedResource }
  | { state: 'absent'; location: SourceLocation; path: PathSegment[]; resource: EvaluatedResource }
  | { state: 'unknown'; value: UnknownValue; location: SourceLocation; path: PathSegment[]; resource: EvaluatedResource };

/**
 * Parses '$.properties.siteConfig.minTlsVersion', 'properties.fabricSettings[0].name' or
 * "properties.redisConfiguration['rdb-backup-enabled']" into segments.
 */
const parsedPaths = new Map<string, readonly PathSegment[]>();

/**
 * The segments of a path, shared: controls ask for the same few dozen paths on every resource, so a
 * parsed text path is kept and handed out as is (read-only), not copied per call. Not frozen: frozen
 * arrays are a different kind of array to V8, and every walk over a path slowed down with them.
 */
export function parsePath(path: string | readonly PathSegment[]): readonly PathSegment[] {
  if (typeof path !== 'string') return path;
  const hit = parsedPaths.get(path);
  if (hit) return hit;
  const segments: readonly PathSegment[] = parsePathText(path);
  if (parsedPaths.size < 10_000) parsedPaths.set(path, segments);
  return segments;
}

function parsePathText(path: string): PathSegment[] {
  const text = path.startsWith('$') ? path.slice(1) : path;
  const segments: PathSegment[] = [];
  const re = /\.?([^.[\]]+)|\[(\d+)\]|\[['"]([^'"]*)['"]\]/g;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(text)) !== null) {
    if (m.index !== consumed) throw new Error(`Invalid control path '${path}' near '${text.slice(consumed)}'`);
    consumed = re.lastIndex;
    if (m[1] !== undefined) segments.push(m[1]);
    else if (m[2] !== undefined) segments.push(Number(m[2]));
    else segments.push(m[3] ?? '');
  }
  if (consumed !== text.length) throw new Error(`Invalid control path '${path}'`);
  return segments;
}

export function isUnknown(value: unknown): value is UnknownValue {
  return value instanceof UnknownValue;
}

/** First UnknownValue anywhere inside a value (depth first), if any. */
export function findUnknown(value: EvaluatedValue | undefined): UnknownValue | undefined {
  if (value instanceof UnknownValue) return value;
  if (Array.isArray(value)) {
    for (const item of value) {
      const u = findUnknown(item);
      if (u) return u;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const u = findUnknown(value[key]);
      if (u) return u;
    }
  }
  return undefined;
}

export function isObject(value: EvaluatedValue | undefined): value is { [key: string]: EvaluatedValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof UnknownValue);
}

/** Property of an object by name: exact key first, then case-insensitive (ARM treats names case-insensitively). */
export function prop(obj: { [key: string]: EvaluatedValue }, key: string): EvaluatedValue | undefined {
  if (Object.prototype.hasOwnProperty.call(obj, key)) return obj[key];
  const lower = key.toLowerCase();
  // Only a same-length key can lower-case to an ASCII name (see isAscii in the engine's values.ts).
  const sameLengthOnly = isAsciiText(lower);
  for (const k of Object.keys(obj)) if ((!sameLengthOnly || k.length === lower.length) && k.toLowerCase() === lower) return obj[k];
  return undefined;
}

/**
 * The own key of `obj` that names `key`: `key` itself, else the first key equal to it ignoring case
 * (the one prop() reads). One pass: looking the value up, then the key again, walked the keys twice
 * on every lookup of a property written in another case or absent.
 */
function keyOf(obj: { [key: string]: EvaluatedValue }, key: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(obj, key)) return key;
  const lower = key.toLowerCase();
  const sameLengthOnly = isAsciiText(lower);
  for (const k of Object.keys(obj)) if ((!sameLengthOnly || k.length === lower.length) && k.toLowerCase() === lower) return k;
  return undefined;
}

function isAsciiText(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

function unknownLocation(u: UnknownValue, fallback: SourceLocation): SourceLocation {
  return u.location ?? fallback;
}

/**
 * Walks `path` into `root`. `deep` decides whether an UnknownValue nested inside the found value
 * makes the whole lookup unknown (true for scalar decisions; false when the caller inspects elements).
 */
export function lookupIn(
  resource: EvaluatedResource,
  root: EvaluatedValue,
  path: readonly PathSegment[],
  basePath: readonly PathSegment[],
  deep: boolean,
): Lookup {
  let current: EvaluatedValue | undefined = root;
  // The path walked is nearly always the path asked (keys written as the control spells them): it is
  // copied only from the first key written in another case, else the asked (shared, read-only) path is
  // the answer's path. A copy per lookup was the largest allocation of the controls.
  let walked: PathSegment[] | undefined = basePath.length === 0 ? undefined : basePath.slice();
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (current instanceof UnknownValue) {
      const at = walked ?? path.slice(0, i);
      return { state: 'unknown', value: current, location: unknownLocation(current, resource.locate(at)), path: at, resource };
    }
    if (typeof seg === 'number') {
      if (!Array.isArray(current) || seg >= current.length) return absentAt(resource, basePath, path);
      current = current[seg];
    } else {
      if (!isObject(current)) return absentAt(resource, basePath, path);
      // Keep the key as written in the template so locate() finds it.
      const actual = keyOf(current, seg);
      const next: EvaluatedValue | undefined = actual !== undefined && Object.hasOwn(current, actual) ? current[actual] : undefined;
      if (next === undefined || actual === undefined) return absentAt(resource, basePath, path);
      if (walked === undefined && actual !== seg) walked = path.slice(0, i);
      walked?.push(actual);
      current = next;
      continue;
    }
    walked?.push(seg);
  }
  // Not changed by anyone (results only read and copy a lookup's path), so the parsed path may be shared.
  if (walked === undefined) walked = path as PathSegment[];
  const location = resource.locate(walked);
  if (current === undefined) return { state: 'absent', location, path: walked, resource };
  if (current === null) return { state: 'absent', location, path: walked, resource };
  if (current instanceof UnknownValue) {
    return { state: 'unknown', value: current, location: unknownLocation(current, location), path: walked, resource };
  }
  if (deep) {
    const inner = findUnknown(current);
    if (inner) return { state: 'unknown', value: inner, location: unknownLocation(inner, location), path: walked, resource };
  }
  return { state: 'value', value: current, location, path: walked, resource };
}

/** The lookup of a path that is not there: located as far as the template goes, named as asked. */
function absentAt(resource: EvaluatedResource, basePath: readonly PathSegment[], path: readonly PathSegment[]): Lookup {
  // The asked path itself, shared as in lookupIn: nothing changes a lookup's path.
  return new AbsentLookup(resource, basePath.length === 0 ? (path as PathSegment[]) : basePath.concat(path));
}

/**
 * An absent lookup, located when its location is first read. Two lookups in three find nothing, and
 * most of those decide nothing either (a later candidate is found, or the rule passes at the resource):
 * locating each one walked the template's source positions again for a location never shown. Locating
 * later gives the same location: the evaluated resource is never changed.
 */
class AbsentLookup {
  readonly state = 'absent';
  private located: SourceLocation | undefined;

  constructor(
    readonly resource: EvaluatedResource,
    readonly path: PathSegment[],
  ) {}

  get location(): SourceLocation {
    return (this.located ??= this.resource.locate(this.path));
  }
}

/** Read-only view over one evaluated resource. */
export class ResourceView {
  constructor(readonly resource: EvaluatedResource) {}

  get type(): string {
    return this.resource.type;
  }

  get name(): string {
    return this.resource.name;
  }

  /** Value at `path`; 'unknown' if an UnknownValue lies along the path or anywhere inside the value. */
  get(path: string | readonly PathSegment[]): Lookup {
    return lookupIn(this.resource, this.resource.body, parsePath(path), [], true);
  }

  /** Like get(), but an UnknownValue nested inside the found value is left for the caller to judge. */
  getShallow(path: string | readonly PathSegment[]): Lookup {
    return lookupIn(this.resource, this.resource.body, parsePath(path), [], false);
  }

  /** Location of the resource declaration. */
  get location(): SourceLocation {
    return this.resource.location;
  }

  /** Compares apiVersion dates ('2019-04-01', '2021-06-01-preview'); undefined when there is no apiVersion. */
  apiVersionAtLeast(date: string): boolean | undefined {
    const v = this.resource.apiVersion;
    if (!v) return undefined;
    return v.slice(0, 10) >= date;
  }
}

/**
 * Where a setting may be written: a path on the resource being checked, or a path on related resources
 * (found through the check context), e.g. the App Service `Microsoft.Web/sites/config` resource named 'web'.
 * A related type starting with './' is a child type of the checked resource's own type ('./config' is
 * Microsoft.Web/sites/config for a site and Microsoft.Web/sites/slots/config for a slot).
 */
export type Candidate =
  | string
  | { path: string; related?: undefined }
  | { related: string; nameSuffix?: string; path: string };

/** Candidate on related resources of `type` whose last name segment equals `nameSuffix` (case-insensitive). */
export function onRelated(type: string, path: string, nameSuffix?: string): Candidate {
  return { related: type, path, nameSuffix };
}

export function lastNameSegment(name: string): string {
  const parts = name.split('/');
  return parts[parts.length - 1] ?? name;
}

/**
 * Looks up each candidate in order (a related candidate on each related resource) and hands every
 * lookup to `visit`, until `visit` returns true.
 */
function eachLookup(view: ResourceView, ctx: CheckContext, candidates: readonly Candidate[], deep: boolean, visit: (l: Lookup) => boolean): void {
  for (const c of candidates) {
    if (typeof c === 'string' || c.related === undefined) {
      const p = typeof c === 'string' ? c : c.path;
      if (visit(deep ? view.get(p) : view.getShallow(p))) return;
      continue;
    }
    const suffix = c.nameSuffix?.toLowerCase();
    const type = c.related.startsWith('./') ? `${view.resource.type}/${c.related.slice(2)}` : c.related;
    for (const r of ctx.related(view.resource, type)) {
      if (r.existing) continue;
      if (suffix !== undefined && lastNameSegment(r.name).toLowerCase() !== suffix) continue;
      const rv = new ResourceView(r);
      if (visit(deep ? rv.get(c.path) : rv.getShallow(c.path))) return;
    }
  }
}

/** Every lookup a candidate list yields, in order (related candidates may yield several). */
export function lookupAll(view: ResourceView, ctx: CheckContext, candidates: readonly Candidate[], deep = true): Lookup[] {
  const out: Lookup[] = [];
  eachLookup(view, ctx, candidates, deep, (l) => {
    out.push(l);
    return false;
  });
  return out;
}

/**
 * First-path-that-resolves: the first candidate that is not absent decides (an unknown candidate stops the
 * search, because a later candidate cannot be known to win). Absent everywhere → the first absent lookup.
 */
export function firstResolved(view: ResourceView, ctx: CheckContext, candidates: readonly Candidate[], deep = true): Lookup {
  // Most settings have one place, on the resource itself: its lookup is the answer (found, unknown,
  // or the first absent one), read without the visitor closure and its captured state.
  if (candidates.length === 1) {
    const c = candidates[0]!;
    if (typeof c === 'string') return deep ? view.get(c) : view.getShallow(c);
    if (c.related === undefined) return deep ? view.get(c.path) : view.getShallow(c.path);
  }
  // The candidates are read in order and the first one found decides: the ones after it are not
  // looked up at all (a lookup has no effect but its answer, so skipping them changes nothing).
  let first: Lookup | undefined;
  let found: Lookup | undefined;
  eachLookup(view, ctx, candidates, deep, (l) => {
    if (l.state !== 'absent') {
      found = l;
      return true;
    }
    first ??= l;
    return false;
  });
  return found ?? first ?? { state: 'absent', location: view.location, path: [], resource: view.resource };
}
