/**
 * JSON reader for ARM documents. ARM accepts comments and raw line breaks inside strings
 * (multi-line scripts in quickstarts); jsonc-parser rejects the latter, so this small
 * recursive-descent reader is used instead. It yields plain JS values (fast to walk) and
 * keeps, per object/array, the offsets of its members in a side table so any value can be
 * traced back to file:line:column without wrapping every node.
 */
import { SourceLocation, TemplateError } from '../model';
import { LIMITS } from './limits';
import { newObj, setProp } from './values';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Offsets of a container, packed in one array to keep reading cheap: for an object
 * [head, key0, keyOffset0, key1, keyOffset1, ...]; for an array [-1 - head, elementOffset0, ...],
 * where head = offset * 4 + flags (CONTAINER_LITERAL, OBJECT_HAS_COPY_KEY).
 */
export type ContainerPos = (string | number)[];

export const CONTAINER_LITERAL = 1;
/** An object with a `copy` key (any case): the evaluator may have to expand a property copy loop. */
export const OBJECT_HAS_COPY_KEY = 2;

export function headOf(pos: ContainerPos): number {
  const h = pos[0] as number;
  return h >= 0 ? h : -1 - h;
}

export class SourceDoc {
  readonly positions = new Map<object, ContainerPos>();
  private lineStarts?: number[];

  constructor(
    /** Display path used in locations. */
    readonly file: string,
    /** Path used to resolve relative links (what the fs was asked for). */
    readonly absPath: string,
    readonly text: string,
  ) {}

  location(offset: number): SourceLocation {
    const starts = this.lineStarts ?? (this.lineStarts = computeLineStarts(this.text));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: lo + 1, column: offset - starts[lo] + 1 };
  }

  /** Offset of the container itself. */
  offsetOf(container: object): number | undefined {
    const pos = this.positions.get(container);
    if (!pos) return undefined;
    return Math.floor(headOf(pos) / 4);
  }

  /**
   * True when the container was read from this document and evaluates to itself: no string in it
   * starts with '[' (expressions and '[[' escapes) and no object in it has a `copy` key. The
   * evaluator returns such subtrees as they are instead of copying them.
   */
  isLiteral(container: object): boolean {
    const pos = this.positions.get(container);
    return pos !== undefined && (headOf(pos) & CONTAINER_LITERAL) !== 0;
  }

  /** Offset of a member (object key, case-insensitive, or array index). */
  memberOffset(container: object, key: string | number): number | undefined {
    const pos = this.positions.get(container);
    if (!pos) return undefined;
    const isArray = (pos[0] as number) < 0;
    if (typeof key === 'number') return isArray ? (pos[1 + key] as number | undefined) : undefined;
    if (isArray) return undefined;
    // Last occurrence first: with a duplicated key, the value kept is the last one.
    for (let i = pos.length - 2; i >= 1; i -= 2) if (pos[i] === key) return pos[i + 1] as number;
    const lower = key.toLowerCase();
    for (let i = pos.length - 2; i >= 1; i -= 2) if ((pos[i] as string).toLowerCase() === lower) return pos[i + 1] as number;
    return undefined;
  }
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Parses `text`; throws TemplateError naming file:line:column on invalid JSON. */
export function parseJsonDocument(file: string, absPath: string, text: string): { doc: SourceDoc; value: JsonValue } {
  const doc = new SourceDoc(file, absPath, text);
  const reader = new Reader(doc, text);
  const value = reader.document();
  return { doc, value };
}

const enum Ch {
  Tab = 9, Lf = 10, Cr = 13, Space = 32, Quote = 34, Plus = 43, Comma = 44, Minus = 45, Dot = 46, Slash = 47,
  Zero = 48, Nine = 57, Colon = 58, BracketOpen = 91, Backslash = 92, BracketClose = 93,
  BraceOpen = 123, BraceClose = 125, Star = 42, LowerE = 101, UpperE = 69, Bom = 0xfeff, Nbsp = 0xa0,
}

const LINE_BREAK_AND_INDENT = /[\r\n][ \t\r\n]*/y;

/** Property names seen before, shared by all documents (see key()). */
const KEYS = new Map<string, string>();
const KEY_SLOT_COUNT = 8192;
const KEY_SLOTS: (string | undefined)[] = new Array(KEY_SLOT_COUNT).fill(undefined);

class Reader {
  private i = 0;
  private nextBackslash = -1;
  /** Set when the value just read is, or holds, something the evaluator must not return as is. */
  private evaluated = false;
  private depth = 0;
  constructor(private readonly doc: SourceDoc, private readonly s: string) {}

  document(): JsonValue {
    if (this.s.charCodeAt(0) === Ch.Bom) this.i = 1;
    this.ws();
    if (this.i >= this.s.length) this.fail('the file is empty');
    const v = this.value();
    this.ws();
    if (this.i < this.s.length) this.fail(`unexpected '${this.s[this.i]}' after the end of the JSON value`);
    return v;
  }

  private fail(message: string, at = this.i): never {
    throw new TemplateError(`Invalid JSON: ${message}`, this.doc.location(Math.min(at, this.s.length)));
  }

  private ws(): void {
    const s = this.s;
    // A local index: indentation is most of a pretty-printed template's characters.
    let i = this.i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === Ch.Lf || c === Ch.Cr) {
        // A line break and the next line's indentation: skipped faster by the regular expression
        // engine than one character at a time.
        LINE_BREAK_AND_INDENT.lastIndex = i;
        LINE_BREAK_AND_INDENT.test(s);
        i = LINE_BREAK_AND_INDENT.lastIndex;
      } else if (c === Ch.Space || c === Ch.Tab || c === Ch.Nbsp || c === Ch.Bom) {
        i++;
      } else if (c === Ch.Slash) {
        const n = s.charCodeAt(i + 1);
        if (n === Ch.Slash) {
          const end = s.indexOf('\n', i + 2);
          i = end === -1 ? s.length : end + 1;
        } else if (n === Ch.Star) {
          const end = s.indexOf('*/', i + 2);
          if (end === -1) this.fail('unterminated block comment', i);
          i = end + 2;
        } else {
          break;
        }
      } else {
        break;
      }
    }
    this.i = i;
  }

  private value(): JsonValue {
    const s = this.s;
    const c = s.charCodeAt(this.i);
    switch (c) {
      case Ch.BraceOpen: return this.object();
      case Ch.BracketOpen: return this.array();
      case Ch.Quote: {
        const str = this.string();
        // The evaluator's own test: only strings starting with '[' can be expressions or escapes.
        if (str.length >= 2 && str.charCodeAt(0) === Ch.BracketOpen) this.evaluated = true;
        return str;
      }
      default:
        if (c === Ch.Minus || c === Ch.Plus || (c >= Ch.Zero && c <= Ch.Nine) || c === Ch.Dot) return this.number();
        if (s.startsWith('true', this.i)) { this.i += 4; return true; }
        if (s.startsWith('false', this.i)) { this.i += 5; return false; }
        if (s.startsWith('null', this.i)) { this.i += 4; return null; }
        if (this.i >= s.length) this.fail('unexpected end of file');
        this.fail(`unexpected '${s[this.i]}'`);
    }
  }

  private nest(start: number): void {
    // The reader, and everything that walks what it read, recurses once per level.
    if (++this.depth > LIMITS.jsonDepth) this.fail(`the JSON is nested more than ${LIMITS.jsonDepth} levels deep`, start);
  }

  private object(): JsonValue {
    const start = this.i++;
    this.nest(start);
    const obj = newObj() as { [key: string]: JsonValue };
    const pos: ContainerPos = [start * 4 + CONTAINER_LITERAL];
    this.doc.positions.set(obj, pos);
    const outer = this.evaluated;
    this.evaluated = false;
    this.ws();
    if (this.s.charCodeAt(this.i) === Ch.BraceClose) { this.i++; return this.closeObject(obj, pos, outer); }
    for (;;) {
      if (this.s.charCodeAt(this.i) !== Ch.Quote) {
        if (this.s.charCodeAt(this.i) === Ch.BraceClose && pos.length > 1) { this.i++; return this.closeObject(obj, pos, outer); } // trailing comma
        this.fail(this.i >= this.s.length ? 'unexpected end of file, expected a property name' : 'expected a property name in double quotes');
      }
      const keyAt = this.i;
      const key = this.key();
      // A property copy loop is expanded by the evaluator even when nothing in it is an expression.
      if (key.length === 4 && (key === 'copy' || key.toLowerCase() === 'copy')) {
        this.evaluated = true;
        // `&` reads the low bits right for any offset (ToInt32 keeps them); `|` would not, hence `+`.
        if (((pos[0] as number) & OBJECT_HAS_COPY_KEY) === 0) pos[0] = (pos[0] as number) + OBJECT_HAS_COPY_KEY;
      }
      this.ws();
      if (this.s.charCodeAt(this.i) !== Ch.Colon) this.fail(`expected ':' after property name "${key}"`);
      this.i++;
      this.ws();
      const v = this.value();
      setProp(obj, key, v);
      pos.push(key, keyAt);
      this.ws();
      const c = this.s.charCodeAt(this.i);
      if (c === Ch.Comma) { this.i++; this.ws(); continue; }
      if (c === Ch.BraceClose) { this.i++; return this.closeObject(obj, pos, outer); }
      this.fail(this.i >= this.s.length ? 'unexpected end of file, expected \'}\'' : `expected ',' or '}' after property "${key}"`);
    }
  }

  private closeObject(obj: JsonValue, pos: ContainerPos, outer: boolean): JsonValue {
    this.depth--;
    if (this.evaluated) pos[0] = (pos[0] as number) - CONTAINER_LITERAL;
    this.evaluated ||= outer;
    return obj;
  }

  private closeArray(arr: JsonValue, pos: ContainerPos, outer: boolean): JsonValue {
    this.depth--;
    if (this.evaluated) pos[0] = (pos[0] as number) + CONTAINER_LITERAL;
    this.evaluated ||= outer;
    return arr;
  }

  /**
   * A property name as an internalized string. Property stores with a fresh (not internalized)
   * key string take V8's slow path; the copy kept in KEYS is the one already used as a property
   * name, so stores stay on the fast path. The same few names recur all through a template:
   * the last name in each slot (see below) is compared with the text in place first,
   * which spares slicing the name out and hashing it.
   */
  private key(): string {
    const s = this.s;
    const start = this.i + 1;
    const q = s.indexOf('"', start);
    if (q !== -1 && (this.nextBackslash >= start ? this.nextBackslash : this.findBackslash(start)) > q) {
      const len = q - start;
      // Length, first two and last characters: `type`/`tags` and `properties`/`parameters` share a
      // length and first letter, and evicted each other from a slot chosen by those alone.
      const slot = ((((len * 131 + (s.charCodeAt(start) | 0)) * 131 + (s.charCodeAt(start + 1) | 0)) * 131 + (s.charCodeAt(q - 1) | 0)) >>> 0) & (KEY_SLOT_COUNT - 1);
      const last = KEY_SLOTS[slot];
      if (last !== undefined && last.length === len && s.startsWith(last, start)) {
        this.i = q + 1;
        return last;
      }
      const key = this.intern(this.string());
      KEY_SLOTS[slot] = key;
      return key;
    }
    return this.intern(this.string());
  }

  private findBackslash(start: number): number {
    const b = this.s.indexOf('\\', start);
    this.nextBackslash = b === -1 ? this.s.length : b;
    return this.nextBackslash;
  }

  private intern(read: string): string {
    let key = KEYS.get(read);
    if (key === undefined) {
      // The internalized copy (what a computed property name becomes) is a string of its own:
      // a slice of the document kept in this table would keep the whole document alive.
      key = Object.keys({ [read]: 0 })[0] ?? read;
      if (KEYS.size < 100_000) KEYS.set(key, key);
    }
    return key;
  }

  private array(): JsonValue {
    const start = this.i++;
    this.nest(start);
    const arr: JsonValue[] = [];
    const pos: ContainerPos = [-1 - (start * 4 + CONTAINER_LITERAL)];
    this.doc.positions.set(arr, pos);
    const outer = this.evaluated;
    this.evaluated = false;
    this.ws();
    if (this.s.charCodeAt(this.i) === Ch.BracketClose) { this.i++; return this.closeArray(arr, pos, outer); }
    for (;;) {
      if (this.s.charCodeAt(this.i) === Ch.BracketClose && arr.length > 0) { this.i++; return this.closeArray(arr, pos, outer); } // trailing comma
      pos.push(this.i);
      arr.push(this.value());
      this.ws();
      const c = this.s.charCodeAt(this.i);
      if (c === Ch.Comma) { this.i++; this.ws(); continue; }
      if (c === Ch.BracketClose) { this.i++; return this.closeArray(arr, pos, outer); }
      this.fail(this.i >= this.s.length ? 'unexpected end of file, expected \']\'' : "expected ',' or ']' in array");
    }
  }

  private string(): string {
    const s = this.s;
    const start = ++this.i;
    const q = s.indexOf('"', start);
    if (q === -1) this.fail('unterminated string', start - 1);
    // The next backslash is remembered: searching for it from every string start rescans the rest
    // of a document that has none, which made reading quadratic in the file size.
    if (this.nextBackslash < start) {
      const b = s.indexOf('\\', start);
      this.nextBackslash = b === -1 ? s.length : b;
    }
    if (this.nextBackslash > q) {
      this.i = q + 1;
      return s.slice(start, q);
    }
    let out = '';
    let seg = start;
    let i = start;
    for (;;) {
      if (i >= s.length) this.fail('unterminated string', start - 1);
      const c = s.charCodeAt(i);
      if (c === Ch.Quote) {
        out += s.slice(seg, i);
        this.i = i + 1;
        return out;
      }
      if (c === Ch.Backslash) {
        out += s.slice(seg, i);
        const e = s[i + 1];
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const hex = s.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape', i);
            out += String.fromCharCode(parseInt(hex, 16));
            i += 4;
            break;
          }
          default: this.fail(`invalid escape '\\${e ?? ''}'`, i);
        }
        i += 2;
        seg = i;
        continue;
      }
      i++;
    }
  }

  private number(): number {
    const s = this.s;
    const start = this.i;
    let i = start;
    if (s.charCodeAt(i) === Ch.Minus || s.charCodeAt(i) === Ch.Plus) i++;
    for (;;) {
      const c = s.charCodeAt(i);
      if ((c >= Ch.Zero && c <= Ch.Nine) || c === Ch.Dot || c === Ch.LowerE || c === Ch.UpperE) { i++; continue; }
      if ((c === Ch.Minus || c === Ch.Plus) && (s.charCodeAt(i - 1) === Ch.LowerE || s.charCodeAt(i - 1) === Ch.UpperE)) { i++; continue; }
      break;
    }
    const n = Number(s.slice(start, i));
    if (i === start || Number.isNaN(n)) this.fail(`invalid number '${s.slice(start, i)}'`, start);
    this.i = i;
    return n;
  }
}
