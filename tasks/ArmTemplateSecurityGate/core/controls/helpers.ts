/**
 * Small declarative building blocks for controls. A control is usually one `resourceControl(meta, rule)`
 * where `rule` is built from an `expect*` helper over one or more candidate paths.
 *
 * Ground rules every helper keeps:
 * - An UnknownValue that decides the outcome yields 'unknown' (never 'pass'), with its reason and location.
 * - ARM property names are case-insensitive, so lookups fall back to a case-insensitive key match.
 * - Resources declared with `existing: true` are references, not deployments: no results.
 */
import {
  CheckContext,
  CheckResult,
  ControlMeta,
  EvaluatedResource,
  EvaluatedTemplate,
  EvaluatedValue,
  ResourceControl,
  SourceLocation,
  TemplateCheckResult,
  TemplateControl,
  UnknownValue,
} from '../model';

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

export function parsePath(path: string | readonly PathSegment[]): PathSegment[] {
  if (typeof path !== 'string') return [...path];
  // Controls ask for the same few dozen paths on every resource.
  const hit = parsedPaths.get(path);
  if (hit) return [...hit];
  const segments = parsePathText(path);
  if (parsedPaths.size < 10_000) parsedPaths.set(path, segments);
  return [...segments];
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
  path: PathSegment[],
  basePath: PathSegment[],
  deep: boolean,
): Lookup {
  let current: EvaluatedValue | undefined = root;
  const walked: PathSegment[] = [...basePath];
  for (const seg of path) {
    if (current instanceof UnknownValue) {
      return { state: 'unknown', value: current, location: unknownLocation(current, resource.locate(walked)), path: walked, resource };
    }
    if (typeof seg === 'number') {
      if (!Array.isArray(current) || seg >= current.length) {
        return { state: 'absent', location: resource.locate([...basePath, ...path]), path: [...basePath, ...path], resource };
      }
      current = current[seg];
    } else {
      if (!isObject(current)) {
        return { state: 'absent', location: resource.locate([...basePath, ...path]), path: [...basePath, ...path], resource };
      }
      const next = prop(current, seg);
      // Keep the key as written in the template so locate() finds it.
      const actual = Object.prototype.propertyIsEnumerable.call(current, seg) ? seg : Object.keys(current).find((k) => k.toLowerCase() === seg.toLowerCase());
      if (next === undefined || actual === undefined) {
        return { state: 'absent', location: resource.locate([...basePath, ...path]), path: [...basePath, ...path], resource };
      }
      walked.push(actual);
      current = next;
      continue;
    }
    walked.push(seg);
  }
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

/** Every lookup a candidate list yields, in order (related candidates may yield several). */
export function lookupAll(view: ResourceView, ctx: CheckContext, candidates: readonly Candidate[], deep = true): Lookup[] {
  const out: Lookup[] = [];
  for (const c of candidates) {
    if (typeof c === 'string' || c.related === undefined) {
      const p = typeof c === 'string' ? c : c.path;
      out.push(deep ? view.get(p) : view.getShallow(p));
      continue;
    }
    const suffix = c.nameSuffix?.toLowerCase();
    const type = c.related.startsWith('./') ? `${view.resource.type}/${c.related.slice(2)}` : c.related;
    for (const r of ctx.related(view.resource, type)) {
      if (r.existing) continue;
      if (suffix !== undefined && lastNameSegment(r.name).toLowerCase() !== suffix) continue;
      const rv = new ResourceView(r);
      out.push(deep ? rv.get(c.path) : rv.getShallow(c.path));
    }
  }
  return out;
}

/**
 * First-path-that-resolves: the first candidate that is not absent decides (an unknown candidate stops the
 * search, because a later candidate cannot be known to win). Absent everywhere → the first absent lookup.
 */
export function firstResolved(view: ResourceView, ctx: CheckContext, candidates: readonly Candidate[], deep = true): Lookup {
  const all = lookupAll(view, ctx, candidates, deep);
  const found = all.find((l) => l.state !== 'absent');
  if (found) return found;
  return all[0] ?? { state: 'absent', location: view.location, path: [], resource: view.resource };
}

// ---------------------------------------------------------------------------------------------
// Results

export function pass(message: string, location: SourceLocation): CheckResult {
  return { outcome: 'pass', message, location };
}

export function fail(message: string, location: SourceLocation): CheckResult {
  return { outcome: 'fail', message, location };
}

export function unknown(message: string, location: SourceLocation): CheckResult {
  return { outcome: 'unknown', message, location };
}

/** Human readable path: properties.siteConfig.minTlsVersion (on site/web). */
export function describePath(l: Lookup, self?: EvaluatedResource): string {
  const p = l.path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
  const on = self && l.resource !== self ? ` on ${l.resource.type} '${l.resource.name}'` : '';
  return `${p || '(resource)'}${on}`;
}

/** Short rendering of a found value for messages. */
export function show(value: EvaluatedValue | undefined): string {
  if (value === undefined) return 'absent';
  if (value instanceof UnknownValue) return `<unknown: ${value.reason}>`;
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** The 'unknown' result for a lookup whose deciding value cannot be known before deployment. */
export function unknownResult(l: Lookup & { state: 'unknown' }, what: string, self?: EvaluatedResource): CheckResult {
  const expr = l.value.expression ? ` (expression ${l.value.expression})` : '';
  return unknown(`Cannot decide ${what}: ${describePath(l, self)} is not known before deployment — ${l.value.reason}${expr}.`, l.location);
}

export type IfAbsent = 'pass' | 'fail';

export interface Judgement {
  ok: boolean;
  /** Sentence fragment appended to the message, e.g. "minTlsVersion is '1.0'". */
  detail?: string;
}

export type Rule = (view: ResourceView, ctx: CheckContext) => CheckResult | CheckResult[] | undefined;

export interface ExpectOptions {
  ifAbsent: IfAbsent;
  /** Why absence is judged that way, shown in the message ("defaults to false"). */
  absentReason?: string;
  /** What is being checked, used in messages ("the minimum TLS version"). */
  what?: string;
}

/** Generic single-value expectation over candidate paths. */
export function expectValue(
  candidates: readonly Candidate[] | Candidate,
  judge: (value: EvaluatedValue) => Judgement,
  options: ExpectOptions,
): Rule {
  const list = Array.isArray(candidates) ? (candidates as Candidate[]) : [candidates as Candidate];
  return (view, ctx) => decide(view, firstResolved(view, ctx, list), judge, options);
}

export function decide(
  view: ResourceView,
  l: Lookup,
  judge: (value: EvaluatedValue) => Judgement,
  options: ExpectOptions,
): CheckResult {
  const what = options.what ?? 'the setting';
  const where = describePath(l, view.resource);
  if (l.state === 'unknown') return unknownResult(l, what, view.resource);
  if (l.state === 'absent') {
    const why = options.absentReason ? ` (${options.absentReason})` : '';
    const text = `${where} is not set${why}.`;
    return options.ifAbsent === 'pass' ? pass(text, l.location) : fail(text, l.location);
  }
  const j = judge(l.value);
  const text = withSubject(where, j.detail ?? `is ${show(l.value)}`);
  return j.ok ? pass(text, l.location) : fail(text, l.location);
}

/** "properties.httpsOnly is true." / "properties.locations: the account spans 2 regions." */
function withSubject(subject: string, detail: string): string {
  return /^(is|has|are|was)\b/.test(detail) ? `${subject} ${detail}.` : `${subject}: ${detail}.`;
}

function capitalise(s: string): string {
  return s.length ? s[0]!.toUpperCase() + s.slice(1) : s;
}

/** Booleans written as strings ("true"/"false", as in redisConfiguration) are accepted. */
export function asBool(value: EvaluatedValue): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
  }
  return undefined;
}

export function expectBool(candidates: readonly Candidate[] | Candidate, expected: boolean, options: ExpectOptions): Rule {
  return expectValue(
    candidates,
    (v) => {
      const b = asBool(v);
      if (b === undefined) return { ok: false, detail: `expected ${expected} but found ${show(v)}` };
      return { ok: b === expected, detail: b === expected ? `is ${b}` : `is ${b}, expected ${expected}` };
    },
    options,
  );
}

export interface OneOfOptions extends ExpectOptions {
  caseSensitive?: boolean;
}

export function expectOneOf(candidates: readonly Candidate[] | Candidate, allowed: readonly string[], options: OneOfOptions): Rule {
  const norm = (s: string): string => (options.caseSensitive ? s : s.toLowerCase());
  return expectValue(
    candidates,
    (v) => {
      const ok = typeof v === 'string' && allowed.map(norm).includes(norm(v));
      return { ok, detail: ok ? `is ${show(v)}` : `is ${show(v)}, expected one of ${allowed.map((a) => `'${a}'`).join(', ')}` };
    },
    options,
  );
}

export function expectNoneOf(candidates: readonly Candidate[] | Candidate, forbidden: readonly string[], options: OneOfOptions): Rule {
  const norm = (s: string): string => (options.caseSensitive ? s : s.toLowerCase());
  return expectValue(
    candidates,
    (v) => {
      const bad = typeof v === 'string' && forbidden.map(norm).includes(norm(v));
      return { ok: !bad, detail: bad ? `is ${show(v)}, which is not allowed` : `is ${show(v)}` };
    },
    options,
  );
}

/**
 * Parses version-like strings: '1.2', 'TLS1_2', 'TLS1.2', 'v4.0', '1.30.4'. Undefined when no digits.
 */
export function parseVersion(value: EvaluatedValue): number[] | undefined {
  if (typeof value === 'number') return String(value).split('.').map(Number);
  if (typeof value !== 'string') return undefined;
  // The whole value must be a version ("1.2", "TLS1_2", "v4.0", "1.29.2"): digits pulled out of any
  // string would let a value like "S3cr3t-9" pass as a version.
  const m = /^\s*(?:tls\s*|v)?(\d+(?:[._]\d+)*)\s*$/i.exec(value);
  if (!m || m[1] === undefined) return undefined;
  return m[1].split(/[._]/).map(Number);
}

export function compareVersions(a: readonly number[], b: readonly number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export function expectMinVersion(candidates: readonly Candidate[] | Candidate, min: string, options: ExpectOptions): Rule {
  const want = parseVersion(min)!;
  return expectValue(
    candidates,
    (v) => {
      const got = parseVersion(v);
      if (!got) return { ok: false, detail: `is ${show(v)}, which is not a version (expected ${min} or later)` };
      const ok = compareVersions(got, want) >= 0;
      return { ok, detail: ok ? `is ${show(v)} (${min} or later)` : `is ${show(v)}, expected ${min} or later` };
    },
    options,
  );
}

export function asInt(value: EvaluatedValue): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  return undefined;
}

export function expectIntAtLeast(candidates: readonly Candidate[] | Candidate, min: number, options: ExpectOptions): Rule {
  return expectValue(
    candidates,
    (v) => {
      const n = asInt(v);
      if (n === undefined) return { ok: false, detail: `is ${show(v)}, expected a number of at least ${min}` };
      return { ok: n >= min, detail: n >= min ? `is ${n}` : `is ${n}, expected at least ${min}` };
    },
    options,
  );
}

export function expectNonEmptyArray(candidates: readonly Candidate[] | Candidate, options: ExpectOptions): Rule {
  return expectValue(
    candidates,
    (v) => {
      const ok = Array.isArray(v) && v.length > 0;
      return { ok, detail: ok ? `has ${(v as EvaluatedValue[]).length} entr${(v as EvaluatedValue[]).length === 1 ? 'y' : 'ies'}` : `is ${show(v)}, expected a non-empty list` };
    },
    options,
  );
}

export function isNonEmptyString(value: EvaluatedValue): boolean {
  return typeof value === 'string' && value.trim().length > 0;
}

export function expectNonEmptyString(candidates: readonly Candidate[] | Candidate, options: ExpectOptions): Rule {
  return expectValue(
    candidates,
    (v) => {
      const ok = isNonEmptyString(v);
      return { ok, detail: ok ? `is set` : `is ${show(v)}, expected a non-empty value` };
    },
    options,
  );
}

/** Managed identity: identity.type contains SystemAssigned or UserAssigned. */
export function expectManagedIdentity(): Rule {
  return expectValue(
    '$.identity.type',
    (v) => {
      const ok = typeof v === 'string' && /(systemassigned|userassigned)/i.test(v);
      return { ok, detail: ok ? `is ${show(v)}` : `is ${show(v)}, expected SystemAssigned and/or UserAssigned` };
    },
    { ifAbsent: 'fail', what: 'the managed identity', absentReason: 'no managed identity is assigned' },
  );
}

/**
 * Every element of an array must satisfy `judge`. Unknown elements make the result unknown only
 * when no known element already fails (a known failure is a failure whatever the rest turns out to be).
 * An unknown array, or an absent one, follows the usual rules.
 */
export function expectEvery(
  candidates: readonly Candidate[] | Candidate,
  judge: (element: EvaluatedValue, index: number) => Judgement,
  options: ExpectOptions & { ifEmpty?: IfAbsent },
): Rule {
  const list = Array.isArray(candidates) ? (candidates as Candidate[]) : [candidates as Candidate];
  return (view, ctx) => {
    const l = firstResolved(view, ctx, list, false);
    const what = options.what ?? 'the list';
    if (l.state !== 'value') return decide(view, l, () => ({ ok: true }), options);
    const where = describePath(l, view.resource);
    if (!Array.isArray(l.value)) return fail(`${where} is ${show(l.value)}, expected a list.`, l.location);
    if (l.value.length === 0) {
      const text = `${where} is an empty list.`;
      return (options.ifEmpty ?? 'pass') === 'pass' ? pass(text, l.location) : fail(text, l.location);
    }
    const failures: string[] = [];
    let firstUnknown: { u: UnknownValue; index: number } | undefined;
    l.value.forEach((el, i) => {
      const u = findUnknown(el);
      if (u) {
        firstUnknown ??= { u, index: i };
        return;
      }
      const j = judge(el, i);
      if (!j.ok) failures.push(j.detail ?? `[${i}] is ${show(el)}`);
    });
    if (failures.length) {
      return fail(`${where}: ${failures.join('; ')}.`, view.resource.locate(l.path));
    }
    if (firstUnknown) {
      const { u, index } = firstUnknown;
      const loc = u.location ?? view.resource.locate([...l.path, index]);
      return unknown(`Cannot decide ${what}: ${where}[${index}] is not known before deployment — ${u.reason}.`, loc);
    }
    return pass(`All ${l.value.length} entries of ${where} are acceptable.`, l.location);
  };
}

// ---------------------------------------------------------------------------------------------
// IP ranges

export interface IpRange {
  start: number;
  end: number;
}

export const UNIVERSAL_END = 0xffffffff;

export function parseIpv4(text: string): number | undefined {
  const m = /^\s*(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\s*$/.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1, 5).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

/** 'a.b.c.d', 'a.b.c.d/n' or 'a.b.c.d-e.f.g.h'. Undefined for anything else (IPv6 included). */
export function parseIpRange(text: string): IpRange | undefined {
  const t = text.trim();
  if (t === '*') return { start: 0, end: UNIVERSAL_END };
  const dash = t.split('-');
  if (dash.length === 2) {
    const start = parseIpv4(dash[0]!);
    const end = parseIpv4(dash[1]!);
    return start !== undefined && end !== undefined ? { start, end } : undefined;
  }
  const slash = t.split('/');
  if (slash.length === 2) {
    const base = parseIpv4(slash[0]!);
    const bits = Number(slash[1]);
    if (base === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return undefined;
    const size = 2 ** (32 - bits);
    const start = Math.floor(base / size) * size;
    return { start, end: start + size - 1 };
  }
  const single = parseIpv4(t);
  return single !== undefined ? { start: single, end: single } : undefined;
}

export function rangeSize(r: IpRange): number {
  return r.end - r.start + 1;
}

/** Covers the whole IPv4 space (0.0.0.0–255.255.255.255, 0.0.0.0/0). */
export function isUniversal(r: IpRange): boolean {
  return r.start === 0 && r.end === UNIVERSAL_END;
}

/** The Azure convention 0.0.0.0–0.0.0.0: "allow access from Azure services" (any tenant's, not only yours). */
export function isAzureServicesRule(r: IpRange): boolean {
  return r.start === 0 && r.end === 0;
}

/** Judges a firewall rule resource with start/end address properties. */
export function firewallRuleRule(
  startPath: string,
  endPath: string,
  judge: (r: IpRange, start: string, end: string) => Judgement,
  what: string,
): Rule {
  return (view) => {
    const s = view.get(startPath);
    const e = view.get(endPath);
    for (const l of [s, e]) if (l.state === 'unknown') return unknownResult(l, what, view.resource);
    if (s.state !== 'value' || e.state !== 'value' || typeof s.value !== 'string' || typeof e.value !== 'string') {
      return fail(`Firewall rule '${view.name}' has no readable start/end address (${show(s.state === 'value' ? s.value : undefined)} – ${show(e.state === 'value' ? e.value : undefined)}).`, view.location);
    }
    const start = parseIpv4(s.value);
    const end = parseIpv4(e.value);
    if (start === undefined || end === undefined) {
      return fail(`Firewall rule '${view.name}' has addresses that are not IPv4: ${s.value} – ${e.value}.`, s.location);
    }
    const j = judge({ start, end }, s.value, e.value);
    const detail = j.detail ?? `firewall rule '${view.name}' allows ${s.value} – ${e.value}`;
    return j.ok ? pass(`${capitalise(detail)}.`, s.location) : fail(`${capitalise(detail)}.`, s.location);
  };
}

// ---------------------------------------------------------------------------------------------
// Control factories

function typeMatches(meta: ControlMeta, type: string): boolean {
  const t = type.toLowerCase();
  return meta.resourceTypes.some((rt) => rt.toLowerCase() === t);
}

/**
 * Wraps a rule into a ResourceControl: skips `existing` resources and types outside meta.resourceTypes,
 * and normalises the rule's return value to an array.
 */
export function resourceControl(meta: ControlMeta, rule: Rule): ResourceControl {
  return {
    kind: 'resource',
    meta,
    check(resource: EvaluatedResource, ctx: CheckContext): CheckResult[] {
      if (resource.existing || !typeMatches(meta, resource.type)) return [];
      const out = rule(new ResourceView(resource), ctx);
      if (out === undefined) return [];
      return Array.isArray(out) ? out : [out];
    },
  };
}

/** All rules must pass; the first failure (else first unknown) decides, messages of failures are joined. */
export function allOf(...rules: Rule[]): Rule {
  return (view, ctx) => {
    const results = rules.flatMap((r) => {
      const out = r(view, ctx);
      return out === undefined ? [] : Array.isArray(out) ? out : [out];
    });
    const fails = results.filter((r) => r.outcome === 'fail');
    if (fails.length) return fail(fails.map((f) => f.message).join(' '), fails[0]!.location);
    const unknowns = results.filter((r) => r.outcome === 'unknown');
    if (unknowns.length) return unknown(unknowns.map((u) => u.message).join(' '), unknowns[0]!.location);
    if (!results.length) return undefined;
    return pass(results.map((r) => r.message).join(' '), results[0]!.location);
  };
}

/** Applies a rule only when `applies` says so; otherwise the control yields no result for the resource. */
export function when(applies: (view: ResourceView) => boolean, rule: Rule): Rule {
  return (view, ctx) => (applies(view) ? rule(view, ctx) : undefined);
}

/** Last segment of the resource name equals `name` (case-insensitive), e.g. a sites/config resource named 'web'. */
export function named(name: string): (view: ResourceView) => boolean {
  return (view) => lastNameSegment(view.name).toLowerCase() === name.toLowerCase();
}

/** Compact (one-line) JSON for remediation snippets, valid JSON by construction; the docs pretty-print it. */
export function snippet(value: unknown): string {
  return JSON.stringify(value);
}

// ---------------------------------------------------------------------------------------------
// App Service

/**
 * App Service site settings may be written in `properties.siteConfig` of the site (or slot) or in
 * its `config` child resource named 'web' (Microsoft.Web/sites/config, Microsoft.Web/sites/slots/config).
 * The config resource is applied after the site, so when both set a value the config resource wins:
 * it is listed first.
 */
export function siteConfig(setting: string): Candidate[] {
  return [onRelated('./config', `$.properties.${setting}`, 'web'), `$.properties.siteConfig.${setting}`];
}

/** Deployment slots: coverage the App Service controls gained on this date (see ControlMeta.typesSince). */
export const SITES_AND_SLOTS = { resourceTypes: ['Microsoft.Web/sites', 'Microsoft.Web/sites/slots'], typesSince: { 'Microsoft.Web/sites/slots': '2026-12-02' } };

export type CheckResultOrNone = CheckResult | undefined;

/** Related resources (not `existing`) as views. */
export function ctxRelated(view: ResourceView, ctx: CheckContext, type: string): ResourceView[] {
  return ctx.related(view.resource, type).filter((r) => !r.existing).map((r) => new ResourceView(r));
}

export type { CheckResult, EvaluatedValue } from '../model';

// ---------------------------------------------------------------------------------------------
// Caller IP lists (Logic Apps accessControl)

/**
 * Judges an allowedCallerIpAddresses list ([{ addressRange }]): it must exist, be non-empty, and no entry may
 * cover the whole IPv4 space.
 */
export function expectRestrictedCallers(path: string, what: string): Rule {
  return expectEvery(
    path,
    (entry, i) => {
      const text = isObject(entry) ? prop(entry, 'addressRange') : entry;
      if (typeof text !== 'string') return { ok: false, detail: `[${i}] has no addressRange` };
      const r = parseIpRange(text);
      if (!r) return { ok: true };
      return { ok: !isUniversal(r), detail: `[${i}] "${text}" allows every IPv4 address` };
    },
    { ifAbsent: 'fail', ifEmpty: 'pass', absentReason: 'callers from any IP address are accepted', what },
  );
}

// ---------------------------------------------------------------------------------------------
// Open-source database servers (PostgreSQL / MySQL)

/**
 * TLS enforcement: single servers carry properties.sslEnforcement (default Enabled); flexible servers use the
 * server parameter `require_secure_transport` (default ON), declared as a `<server>/configurations` child.
 */
export function sslEnforcementRule(): Rule {
  return (view) => {
    if (/\/configurations$/i.test(view.type)) {
      if (lastNameSegment(view.name).toLowerCase() !== 'require_secure_transport') return undefined;
      return decide(
        view,
        view.get('$.properties.value'),
        (v) => {
          const ok = typeof v === 'string' && ['on', 'true', '1'].includes(v.trim().toLowerCase());
          return { ok, detail: ok ? `require_secure_transport is ${show(v)}` : `require_secure_transport is ${show(v)}, so unencrypted connections are accepted` };
        },
        { ifAbsent: 'pass', absentReason: 'the server default is ON', what: 'require_secure_transport' },
      );
    }
    return decide(
      view,
      view.get('$.properties.sslEnforcement'),
      (v) => {
        const ok = typeof v === 'string' && v.toLowerCase() === 'enabled';
        return { ok, detail: ok ? 'sslEnforcement is "Enabled"' : `sslEnforcement is ${show(v)}, so unencrypted connections are accepted` };
      },
      { ifAbsent: 'pass', absentReason: 'defaults to Enabled', what: 'TLS enforcement' },
    );
  };
}

export function noUniversalFirewallRule(): Rule {
  return firewallRuleRule(
    '$.properties.startIpAddress',
    '$.properties.endIpAddress',
    (r, s, e) => (isUniversal(r) ? { ok: false, detail: `firewall rule allows every IPv4 address (${s} – ${e})` } : { ok: true, detail: `firewall rule allows ${s} – ${e}` }),
    'the firewall range',
  );
}

export function noAzureServicesFirewallRule(): Rule {
  return firewallRuleRule(
    '$.properties.startIpAddress',
    '$.properties.endIpAddress',
    (r, s, e) =>
      isAzureServicesRule(r)
        ? { ok: false, detail: `firewall rule ${s} – ${e} allows connections from all Azure services, including other customers'` }
        : { ok: true, detail: `firewall rule ${s} – ${e} is not the "allow Azure services" rule` },
    'the firewall range',
  );
}

// ---------------------------------------------------------------------------------------------
// Virtual machine scale sets

export interface NicConfig {
  name: string;
  index: number;
  value: { [key: string]: EvaluatedValue };
}

/** networkProfile.networkInterfaceConfigurations of a scale set, or an UnknownValue if the list is not known. */
export function scaleSetNics(view: ResourceView): Lookup {
  return view.getShallow('$.properties.virtualMachineProfile.networkProfile.networkInterfaceConfigurations');
}

/** Names of IP configurations of a NIC configuration that request a public IP per instance. */
export function publicIpConfigs(nic: { [key: string]: EvaluatedValue }): { names: string[]; unknown?: UnknownValue } {
  const props = prop(nic, 'properties');
  const ipConfigs = isObject(props) ? prop(props, 'ipConfigurations') : undefined;
  if (ipConfigs instanceof UnknownValue) return { names: [], unknown: ipConfigs };
  if (!Array.isArray(ipConfigs)) return { names: [] };
  const names: string[] = [];
  for (const ip of ipConfigs) {
    if (ip instanceof UnknownValue) return { names, unknown: ip };
    if (!isObject(ip)) continue;
    const ipProps = prop(ip, 'properties');
    if (ipProps instanceof UnknownValue) return { names, unknown: ipProps };
    const pub = isObject(ipProps) ? prop(ipProps, 'publicIPAddressConfiguration') : undefined;
    if (pub instanceof UnknownValue) return { names, unknown: pub };
    if (pub !== undefined && pub !== null) {
      const n = prop(ip, 'name');
      names.push(typeof n === 'string' ? n : '(unnamed)');
    }
  }
  return { names };
}

// ---------------------------------------------------------------------------------------------
// Template controls

export function templateControl(
  meta: ControlMeta,
  check: (template: EvaluatedTemplate) => TemplateCheckResult[],
): TemplateControl {
  return { kind: 'template', meta, check };
}

const SECRET_NAME = /(password|passwd|pwd|secret|token|credential|connectionstring|sastoken|saskey|accesskey|apikey|privatekey|(^|[^a-z])key$|key$)/i;
/** Names that contain a secret-like word but hold no secret (identifiers, switches, public material). */
const NOT_SECRET_NAME =
  /(publickey|keyvault|passwordauthentication|(name|names|id|ids|uri|url|version|size|type|length|count|days|expiry|expiration|enabled|policy|source|format|reference)$)/i;

export function isSecretLikeName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET_NAME.test(name);
}

export function isSecureType(type: string): boolean {
  const t = type.toLowerCase();
  return t === 'securestring' || t === 'secureobject';
}
