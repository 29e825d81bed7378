/**
 * Which evaluated values are secure: read from a secure parameter (securestring, secureObject), a
 * Key Vault reference, list*() — or computed from such a value by any function or lambda.
 *
 * Taint travels with the values as they are computed, not by looking for secret text in results
 * afterwards (which misses `join(split(pw, ''), ' ')`: no part of the result contains the secret).
 * Strings are primitives and cannot carry a mark, so the evaluator keeps the taint of the value it
 * returned last in `t` (every evaluation step sets it), and a function call's result is tainted when
 * an argument was, or when a lambda it ran returned a tainted value, or when it read a secure value
 * (`acc`). Containers keep their taint: all of it (`whole`, a container a function computed from a
 * secure value) or per member (`members`, an object or array literal holding a secure member, so
 * `variables('cfg').tls` stays plain beside `variables('cfg').password`).
 *
 * A secure value is masked wherever it can be shown: when it is the value of an expression in the
 * template (a property, a name, a variable, an output), or an argument of a call that fails (error
 * messages quote arguments), its text joins the scan's SecretTracker. Conditions are not followed:
 * `if(equals(pw, 'x'), 'a', 'b')` is 'a' or 'b', plain (numbers and booleans derived from a secret,
 * such as its length, are not masked either: they cannot be masked in text without masking every
 * equal number).
 */
import { EvaluatedValue, UnknownValue } from '../model';
import { budget } from './limits';
import { SecretTracker } from './secrets';

export class Taint {
  /** Whether the value the evaluator returned last is secure. */
  t = false;
  /** Whether the function call in progress read or produced anything secure besides its arguments. */
  acc = false;
  /** Whether the arguments of the function call in progress were secure (its lambdas then run over secure values). */
  inputs = false;
  private readonly whole = new WeakSet<object>();
  private readonly members = new WeakMap<object, Set<string | number>>();
  private readonly exposedWhole = new WeakSet<object>();
  private readonly exposedPart = new WeakSet<object>();

  constructor(readonly secrets: SecretTracker) {}

  /** The function call in progress read a secure value (a secure parameter, list*()). */
  force(): void {
    this.acc = true;
  }

  /** Every leaf of `c` is secure. */
  markWhole(c: object): void {
    this.whole.add(c);
  }

  /** Member `key` of `c` is (or holds) a secure value. */
  markMember(c: object, key: string | number): void {
    let set = this.members.get(c);
    if (set === undefined) this.members.set(c, (set = new Set()));
    set.add(key);
  }

  /** Whether a container holds anything secure. */
  holds(v: EvaluatedValue): boolean {
    return v !== null && typeof v === 'object' && (this.whole.has(v) || this.members.has(v));
  }

  /**
   * Whether member `key` (holding `value`) of container `c` is secure. A member mark on a container
   * member means "something secure inside"; only `whole` makes everything inside secure, and it
   * passes down to a container member when that member is read.
   */
  member(c: object, key: string | number, value: EvaluatedValue | undefined): boolean {
    if (this.whole.has(c)) {
      if (value !== null && typeof value === 'object' && !(value instanceof UnknownValue)) this.whole.add(value);
      return true;
    }
    const set = this.members.get(c);
    if (set !== undefined && (set.has(key) || (typeof key === 'string' && hasCaseless(set, key)))) return true;
    return value !== undefined && this.holds(value);
  }

  /** A secure value may now be shown somewhere: its text is masked from here on. */
  expose(v: EvaluatedValue): void {
    if (typeof v === 'string') {
      this.secrets.addDerived(v);
      return;
    }
    if (v === null || typeof v !== 'object' || v instanceof UnknownValue) return;
    this.exposeContainer(v, false);
  }

  /** The secure parts of a container; `all` when the container itself is known to be secure. */
  private exposeContainer(root: object, all: boolean): void {
    const counter = budget();
    const stack: Array<[EvaluatedValue, boolean]> = [[root as EvaluatedValue, all]];
    while (stack.length > 0) {
      const [x, inWhole] = stack.pop()!;
      if (x === null || typeof x !== 'object' || x instanceof UnknownValue) continue;
      const isWhole = inWhole || this.whole.has(x);
      const set = this.members.get(x);
      if (!isWhole && set === undefined) continue;
      // A variable shown at every resource is walked once.
      if (this.exposedWhole.has(x) || (!isWhole && this.exposedPart.has(x))) continue;
      (isWhole ? this.exposedWhole : this.exposedPart).add(x);
      counter.step();
      const keys: Array<string | number> = Array.isArray(x) ? x.map((_e, i) => i) : Object.keys(x);
      for (const k of keys) {
        const child = (x as Record<string | number, EvaluatedValue>)[k];
        if (typeof child === 'string') {
          if (isWhole || set!.has(k) || (typeof k === 'string' && hasCaseless(set!, k))) this.secrets.addDerived(child);
        } else if (child !== null && typeof child === 'object') {
          stack.push([child, isWhole]);
        }
      }
    }
  }
}

function hasCaseless(set: Set<string | number>, key: string): boolean {
  const lower = key.toLowerCase();
  for (const k of set) if (typeof k === 'string' && k.toLowerCase() === lower) return true;
  return false;
}
