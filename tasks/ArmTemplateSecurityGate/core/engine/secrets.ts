/**
 * The text of secure values seen during a scan: secure parameter values, and values the template
 * computes from them (taint.ts decides which). Controls and reporters work with the real values;
 * everything that is shown (messages, names, logs) goes through redact().
 */
import { EvaluatedValue, UnknownValue } from '../model';

export const REDACTED = '***';

/**
 * A value computed from a secret that is shorter than this (first(), substring(x, 0, 1)...) is
 * masked only where it stands as a word of its own: masking every 'S' or '1' in a message would
 * make it unreadable. It is not announced to the agent either, whose masker replaces text anywhere.
 */
const MIN_DERIVED_LENGTH = 4;

const WORD_CHAR = /[\p{L}\p{N}_]/u;

export class SecretTracker {
  private readonly values = new Set<string>();
  private readonly short = new Set<string>();
  private sorted: string[] | undefined;
  private shortPattern: RegExp | undefined | null;

  /** `onNew` hears each value once, as soon as it is known (the task registers it with the agent). */
  constructor(private readonly onNew?: (value: string) => void) {}

  get size(): number {
    return this.values.size + this.short.size;
  }

  /** Every value masked wherever it appears, longest first. */
  list(): readonly string[] {
    this.sorted ??= [...this.values].sort((a, b) => b.length - a.length);
    return this.sorted;
  }

  /** A secure value as the user gave it (a secure parameter's value): masked wherever it appears. */
  add(value: string): void {
    if (!this.put(value)) return;
    // A value shown inside JSON (an object rendered in a message) reads with its escapes.
    const escaped = JSON.stringify(value).slice(1, -1);
    if (escaped !== value) this.put(escaped);
  }

  /** A string the template computed from a secure value. */
  addDerived(value: string): void {
    if (value.length >= MIN_DERIVED_LENGTH) {
      this.add(value);
      return;
    }
    if (value === '' || this.values.has(value) || this.short.has(value)) return;
    this.short.add(value);
    this.shortPattern = undefined;
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
    // Iterative (a value may be deeply nested), in document order: pushed in reverse, popped in order.
    const stack: EvaluatedValue[] = [v];
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (typeof x === 'string') this.add(x);
      else if (Array.isArray(x)) for (let i = x.length - 1; i >= 0; i--) stack.push(x[i]);
      else if (x !== null && typeof x === 'object' && !(x instanceof UnknownValue)) {
        const members = Object.values(x);
        for (let i = members.length - 1; i >= 0; i--) stack.push(members[i]);
      }
    }
  }

  redact(text: string): string {
    if (this.size === 0 || text === '') return text;
    let out = text;
    for (const v of this.list()) if (out.includes(v)) out = out.split(v).join(REDACTED);
    const pattern = this.shortRegExp();
    if (pattern !== null) out = out.replace(pattern, (m, _g, offset: number, whole: string) => (isWordAt(whole, offset - 1) || isWordAt(whole, offset + m.length) ? m : REDACTED));
    return out;
  }

  private shortRegExp(): RegExp | null {
    if (this.shortPattern === undefined) {
      const alternatives = [...this.short].sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      this.shortPattern = alternatives.length === 0 ? null : new RegExp(`(${alternatives.join('|')})`, 'gu');
    }
    return this.shortPattern;
  }
}

function isWordAt(text: string, i: number): boolean {
  return i >= 0 && i < text.length && WORD_CHAR.test(text[i]);
}
