/** Results and the judgement of one looked-up value: pass, fail or unknown, with the path and the value in the message. */

import { UnknownValue, type CheckContext, type CheckResult, type EvaluatedResource, type EvaluatedValue, type SourceLocation } from '../../model';
import { firstResolved, type Candidate, type Lookup, type ResourceView } from './lookup';

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
  // Made for nearly every result: one string built in a loop, not an array of pieces joined.
  let p = '';
  const path = l.path;
  for (let i = 0; i < path.length; i++) {
    const s = path[i]!;
    p += typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`;
  }
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
  /** An absent value passes or fails; with `absentValue`, only when that value cannot be judged. */
  ifAbsent: IfAbsent;
  /**
   * The value the service applies when the setting is absent, judged like a written one: a default
   * that meets the default threshold may not meet a threshold raised in the settings.
   */
  absentValue?: EvaluatedValue;
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
  if (l.state === 'unknown') return unknownResult(l, what, view.resource);
  const where = describePath(l, view.resource);
  if (l.state === 'absent') {
    const why = options.absentReason ? ` (${options.absentReason})` : '';
    if (options.absentValue !== undefined) {
      const j = judge(options.absentValue);
      const text = `${where} is not set${why}: ${j.detail ?? `the service uses ${show(options.absentValue)}`}.`;
      return j.ok ? pass(text, l.location) : fail(text, l.location);
    }
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

export function capitalise(s: string): string {
  return s.length ? s[0]!.toUpperCase() + s.slice(1) : s;
}
