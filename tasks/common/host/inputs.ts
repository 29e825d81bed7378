/**
 * The one strict reader of task inputs. Every task version's settings.ts reads its inputs through
 * this class, so every task agrees on what a boolean, a number, a list or a map looks like, and
 * every error names the input and the expected form.
 */
import { InputError } from '../errors';
import type { SecretRegistry } from '../log/secrets';
import { oneLine } from '../log/safe-text';
import type { TaskHost } from './task-host';

/** A value quoted in an input error: one line, bounded, never a command. */
function shown(raw: string): string {
  const one = oneLine(raw);
  return one.length > 200 ? `${one.slice(0, 200)}…` : one;
}

export interface IntOptions {
  min: number;
  max: number;
}

export class TaskInputs {
  constructor(
    readonly host: TaskHost,
    private readonly secrets: SecretRegistry,
  ) {}

  /** Trimmed value; undefined when empty or not set. */
  string(name: string): string | undefined {
    return this.host.getInput(name);
  }

  required(name: string): string {
    const v = this.host.getInput(name);
    if (v === undefined) throw new InputError(name, 'is required');
    return v;
  }

  /**
   * An input that holds a secret (or may: a URL with a SAS token is handled by its reader):
   * read without task-lib's debug echo of its value and registered as a secret before anything
   * else can print it. Error messages about it must not quote it.
   */
  secret(name: string, options: { register?: boolean } = {}): string | undefined {
    const v = this.host.getSecretInput(name);
    if (v !== undefined && options.register !== false) this.secrets.register(v);
    return v;
  }

  /** `true` or `false` (any case); anything else is an error. */
  bool(name: string, fallback: boolean): boolean {
    const raw = this.host.getInput(name);
    if (raw === undefined) return fallback;
    const v = raw.toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
    throw new InputError(name, `expected true or false, got '${shown(raw)}'`);
  }

  /** A decimal whole number in [min, max]; `0x10`, `1e3`, `1.0` and `+-` forms are errors. */
  int(name: string, fallback: number, range: IntOptions): number;
  int(name: string, fallback: undefined, range: IntOptions): number | undefined;
  int(name: string, fallback: number | undefined, { min, max }: IntOptions): number | undefined {
    const raw = this.host.getInput(name);
    if (raw === undefined) return fallback;
    const expected = `expected a whole number from ${min} to ${max}, got '${shown(raw)}'`;
    if (!/^-?\d{1,15}$/.test(raw)) throw new InputError(name, expected);
    const n = Number(raw);
    if (n < min || n > max) throw new InputError(name, expected);
    return n;
  }

  /** One of the allowed values, matched without regard to case; returns the canonical spelling. */
  enumOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.host.getInput(name);
    if (raw === undefined) return fallback;
    const v = raw.toLowerCase();
    const hit = allowed.find((a) => a.toLowerCase() === v);
    if (hit === undefined) throw new InputError(name, `expected one of ${allowed.join(', ')}, got '${shown(raw)}'`);
    return hit;
  }

  /**
   * Short values separated by new lines, commas or semicolons (ids, names, tags); blank entries
   * are dropped and a line starting with `#` is a comment. `separators` narrows the characters
   * besides the new line to what the input's help documents (`','` where a value may hold a
   * semicolon). Values that may contain commas (globs with `{a,b}`, display names) are read with `lines`.
   */
  list(name: string, { separators = ',;' }: { separators?: ',' | ';' | ',;' } = {}): string[] {
    const split = separators === ',;' ? /[,;]/ : separators;
    return this.lines(name).flatMap((l) => l.split(split)).map((v) => v.trim()).filter(Boolean);
  }

  /** One value per line; blank lines and lines starting with `#` are dropped. */
  lines(name: string): string[] {
    return linesOf(this.host.getInput(name));
  }

  /**
   * Lines of `key = value` or `key => value` (`=>` wins when both appear); `#` comments and blank
   * lines dropped. A repeated key or a line without a key or value is an error naming the line.
   */
  map(name: string): Map<string, string> {
    return parseMap(name, this.host.getInput(name));
  }

  /** `map` of a secret input: read quietly, every value registered, errors name lines but never quote them. */
  secretMap(name: string): Map<string, string> {
    const map = parseMap(name, this.secret(name, { register: false }), { quote: false });
    for (const v of map.values()) this.secrets.register(v);
    return map;
  }

  /**
   * A filePath input: undefined when the user gave none (the agent fills an empty filePath with
   * the repository root, so "set" is not enough).
   */
  filePath(name: string): string | undefined {
    return this.host.filePathSupplied(name) ? this.host.getInput(name) : undefined;
  }

  variable(name: string): string | undefined {
    return this.host.getVariable(name);
  }
}

export function linesOf(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n|\r/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** See TaskInputs.map; also used by CLIs that take the same `key=value` form. */
export function parseMap(name: string, text: string | undefined, { quote = true }: { quote?: boolean } = {}): Map<string, string> {
  const out = new Map<string, string>();
  (text ?? '').split(/\r?\n|\r/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const arrow = line.indexOf('=>');
    const at = arrow >= 0 ? arrow : line.indexOf('=');
    const key = at > 0 ? line.slice(0, at).trim() : '';
    const value = at > 0 ? line.slice(at + (arrow >= 0 ? 2 : 1)).trim() : '';
    if (!key || !value) throw new InputError(name, `line ${i + 1}: expected 'key = value' or 'key => value'${quote ? `, got '${shown(line)}'` : ''}`);
    if (out.has(key)) throw new InputError(name, `line ${i + 1}: ${quote ? `'${shown(key)}'` : 'the key'} is given twice`);
    out.set(key, value);
  });
  return out;
}
