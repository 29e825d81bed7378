/**
 * Values of secure parameters (securestring / secureObject) seen during a scan, and strings the
 * template derives from them. Controls and reporters work with the real values; everything that
 * is shown (messages, names, logs) goes through redact(). Strings are primitives and cannot carry
 * a mark, so the set itself is the mark: a function result is a secret when an argument contains
 * one. The check runs only while the set is non-empty, which it is for few templates.
 */
import { EvaluatedValue, UnknownValue } from '../model';

export const REDACTED = '***';

/** Shorter derived strings (first(), substring(x, 0, 1)...) reveal little and would mask common text. */
const MIN_DERIVED_LENGTH = 4;

export class SecretTracker {
  private readonly values = new Set<string>();
  private sorted: string[] | undefined;

  /** `onNew` hears each value once, as soon as it is known (the task registers it with the agent). */
  constructor(private readonly onNew?: (value: string) => void) {}

  get size(): number {
    return this.values.size;
  }

  /** Every value seen so far, longest first. */
  list(): readonly string[] {
    this.sorted ??= [...this.values].sort((a, b) => b.length - a.length);
    return this.sorted;
  }

  add(value: string): void {
    if (!this.put(value)) return;
    // A value shown inside JSON (an object rendered in a message) reads with its escapes.
    const escaped = JSON.stringify(value).slice(1, -1);
    if (escaped !== value) this.put(escaped);
  }

  private put(value: string): boolean {
    if (value === '' || this.values.has(value)) return false;
    this.values.add(value);
    this.sorted = undefined;
    this.onNew?.(value);
    return true;
  }

  /** Registers every string in a secure parameter's value (secureObject leaves included). */
  addValue(v: EvaluatedValue): void {
    if (typeof v === 'string') this.add(v);
    else if (Array.isArray(v)) for (const x of v) this.addValue(x);
    else if (v !== null && typeof v === 'object' && !(v instanceof UnknownValue)) for (const k of Object.keys(v)) this.addValue(v[k]);
  }

  /** True when `s` is or contains a secret. */
  taints(s: string): boolean {
    if (this.values.has(s)) return true;
    for (const v of this.list()) if (s.includes(v)) return true;
    return false;
  }

  /** A string computed from a secret (base64(), toLower(), concat()...) is a secret as well. */
  derive(result: string, args: readonly unknown[]): void {
    if (result.length < MIN_DERIVED_LENGTH || this.values.has(result)) return;
    for (const a of args) {
      if (typeof a === 'string' && this.taints(a)) {
        this.add(result);
        return;
      }
    }
  }

  redact(text: string): string {
    if (this.values.size === 0 || text === '') return text;
    let out = text;
    for (const v of this.list()) if (out.includes(v)) out = out.split(v).join(REDACTED);
    return out;
  }
}
