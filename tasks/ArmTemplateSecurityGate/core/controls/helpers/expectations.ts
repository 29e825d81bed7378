/** Ready-made rules for common expectations: a boolean, one of some values, a minimum version or number, a non-empty list, an identity, every entry of a list. */

import { UnknownValue, type EvaluatedValue } from '../../model';
import { findUnknown, firstResolved, type Candidate } from './lookup';
import { decide, describePath, expectValue, fail, pass, show, unknown, type ExpectOptions, type IfAbsent, type Judgement, type Rule } from './results';

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
  // Normalised once, not on every value judged.
  const allowedNorm = allowed.map(norm);
  return expectValue(
    candidates,
    (v) => {
      const ok = typeof v === 'string' && allowedNorm.includes(norm(v));
      return { ok, detail: ok ? `is ${show(v)}` : `is ${show(v)}, expected one of ${allowed.map((a) => `'${a}'`).join(', ')}` };
    },
    options,
  );
}

export function expectNoneOf(candidates: readonly Candidate[] | Candidate, forbidden: readonly string[], options: OneOfOptions): Rule {
  const norm = (s: string): string => (options.caseSensitive ? s : s.toLowerCase());
  // Normalised once, not on every value judged.
  const forbiddenNorm = forbidden.map(norm);
  return expectValue(
    candidates,
    (v) => {
      const bad = typeof v === 'string' && forbiddenNorm.includes(norm(v));
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

export interface AtLeastOptions extends ExpectOptions {
  /**
   * The smallest value the service accepts: a minimum at or below it holds whatever is written, so a
   * value known only at deployment (or left to the service) does not make the result unknown (or failed).
   */
  floor?: number;
}

export function expectIntAtLeast(candidates: readonly Candidate[] | Candidate, min: number, options: AtLeastOptions): Rule {
  const judge = (v: EvaluatedValue): Judgement => {
    const n = asInt(v);
    if (n === undefined) return { ok: false, detail: `is ${show(v)}, expected a number of at least ${min}` };
    return { ok: n >= min, detail: n >= min ? `is ${n}` : `is ${n}, expected at least ${min}` };
  };
  const list = Array.isArray(candidates) ? (candidates as Candidate[]) : [candidates as Candidate];
  return (view, ctx) => {
    const l = firstResolved(view, ctx, list);
    if (l.state !== 'value' && options.floor !== undefined && min <= options.floor) {
      const state = l.state === 'unknown' ? 'is known only at deployment' : 'is not set';
      return pass(`${describePath(l, view.resource)} ${state}, and any value the service accepts (${options.floor} or more) meets the minimum of ${min}.`, l.location);
    }
    return decide(view, l, judge, options);
  };
}

export function expectNonEmptyArray(candidates: readonly Candidate[] | Candidate, options: ExpectOptions): Rule {
  return expectValue(
    candidates,
    (v) => {
      const ok = Array.isArray(v) && v.length > 0;
      return { ok, detail: ok ? `has ${(v).length} entr${(v).length === 1 ? 'y' : 'ies'}` : `is ${show(v)}, expected a non-empty list` };
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
