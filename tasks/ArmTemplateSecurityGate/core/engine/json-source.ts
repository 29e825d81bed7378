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
  private lineStarts?: Int32Array;

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

/** Whether whitespace or a comment may start at a character code (ws() decides; false is certain). */
function mayStartSpace(c: number): boolean {
  return c <= Ch.Space || c === Ch.Slash || c >= Ch.Nbsp;
}

/** Line starts are gathered here and copied out at their count (see computeLineStarts). */
let lineScratch = new Int32Array(4096);
/** A larger scratch, grown for one very long file, is not kept for the rest of the process. */
const MAX_KEPT_SCRATCH = 65536;

/**
 * The offset of each line's first character. An Int32Array of the exact size: a number[] grown by
 * push left garbage at every doubling and kept 8 bytes a line (text offsets fit 32 bits: V8's
 * strings are shorter than 2^30).
 */
function computeLineStarts(text: string): Int32Array {
  let starts = lineScratch;
  let n = 1;
  starts[0] = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (n === starts.length) {
      const grown = new Int32Array(n * 2);
      grown.set(starts);
      starts = grown;
      if (grown.length <= MAX_KEPT_SCRATCH) lineScratch = grown;
    }
    starts[n++] = i + 1;
  }
  return starts.slice(0, n);
}

/** Parses `text`; throws TemplateError naming file:line:column on invalid JSON. */
export function parseJsonDocument(file: string, absPath: string, text: string): { doc: SourceDoc; value: JsonValue } {
  const doc = new SourceDoc(file, absPath, text);
  const reader = new Reader(doc, text);
  try {
    const value = reader.document();
    return { doc, value };
  } finally {
    // The scratch stacks would otherwise keep the last document's values alive.
    POS_STACK.length = 0;
    VALUE_STACK.length = 0;
  }
}

const enum Ch {
  Tab = 9, Lf = 10, Cr = 13, Space = 32, Quote = 34, Plus = 43, Comma = 44, Minus = 45, Dot = 46, Slash = 47,
  Zero = 48, Nine = 57, Colon = 58, BracketOpen = 91, Backslash = 92, BracketClose = 93,
  BraceOpen = 123, BraceClose = 125, Star = 42, LowerE = 101, UpperE = 69, Bom = 0xfeff, Nbsp = 0xa0,
  LowerC = 99, LowerF = 102, LowerN = 110, LowerT = 116,
}

const LINE_BREAK_AND_INDENT = /[\r\n][ \t\r\n]*/y;

/** Property names seen before, shared by all documents (see key()). */
const KEYS = new Map<string, string>();
const KEY_SLOT_COUNT = 16384;
const KEY_SLOTS: (string | undefined)[] = new Array<string | undefined>(KEY_SLOT_COUNT).fill(undefined);

/**
 * Scratch stacks shared by all readers (a read never calls out, so one runs at a time): the
 * offsets of the containers being read, and the elements of the arrays being read. A container's
 * own entries are copied out when it closes, so what the document keeps is sized exactly instead
 * of grown by push (which left most small containers with room for a dozen more members).
 */
const POS_STACK: (string | number)[] = [];
const VALUE_STACK: JsonValue[] = [];

/** Integers up to this many digits are read digit by digit: exact below 2^53, like Number(). */
const MAX_FAST_DIGITS = 15;

class Reader {
  private i = 0;
  private nextBackslash = -1;
  /** Set when the value just read is, or holds, something the evaluator must not return as is. */
  private evaluated = false;
  private depth = 0;
  /** Set once JSON.parse has refused an escaped string of this document (see escapedString). */
  private refusedEscapes = false;
  /** Tops of POS_STACK and VALUE_STACK. */
  private posTop = 0;
  private valueTop = 0;
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
        // engine than one character at a time (or than comparing with the last indentation).
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
    const i = this.i;
    const c = s.charCodeAt(i);
    switch (c) {
      case Ch.Quote: {
        // The evaluator's own test: only strings starting with '[' can be expressions or escapes.
        // Such a string starts with '[' or an escape in the text, which is cheaper to read first.
        const first = s.charCodeAt(i + 1);
        const str = this.string();
        if ((first === Ch.BracketOpen || first === Ch.Backslash) && str.length >= 2 && str.charCodeAt(0) === Ch.BracketOpen) this.evaluated = true;
        return str;
      }
      case Ch.BraceOpen: return this.object();
      case Ch.BracketOpen: return this.array();
      default:
        if ((c >= Ch.Zero && c <= Ch.Nine) || c === Ch.Minus || c === Ch.Plus || c === Ch.Dot) return this.number();
        if (c === Ch.LowerT && s.startsWith('true', i)) { this.i = i + 4; return true; }
        if (c === Ch.LowerF && s.startsWith('false', i)) { this.i = i + 5; return false; }
        if (c === Ch.LowerN && s.startsWith('null', i)) { this.i = i + 4; return null; }
        if (i >= s.length) this.fail('unexpected end of file');
        this.fail(`unexpected '${s[i]}'`);
    }
  }

  private nest(start: number): void {
    // The reader, and everything that walks what it read, recurses once per level.
    if (++this.depth > LIMITS.jsonDepth) this.fail(`the JSON is nested more than ${LIMITS.jsonDepth} levels deep`, start);
  }

  private object(): JsonValue {
    const s = this.s;
    const start = this.i++;
    this.nest(start);
    const obj = newObj() as { [key: string]: JsonValue };
    // The head is written when the object closes, once its flags are known.
    const base = this.posTop;
    POS_STACK[base] = 0;
    let top = base + 1;
    let flags = CONTAINER_LITERAL;
    const outer = this.evaluated;
    this.evaluated = false;
    this.ws();
    if (s.charCodeAt(this.i) !== Ch.BraceClose) {
      for (;;) {
        const keyAt = this.i;
        if (s.charCodeAt(keyAt) !== Ch.Quote) {
          if (s.charCodeAt(keyAt) === Ch.BraceClose && top > base + 1) break; // trailing comma
          this.fail(keyAt >= s.length ? 'unexpected end of file, expected a property name' : 'expected a property name in double quotes');
        }
        const key = this.key();
        // A property copy loop is expanded by the evaluator even when nothing in it is an expression.
        if (key.length === 4 && (key === 'copy' || ((key.charCodeAt(0) | 0x20) === Ch.LowerC && key.toLowerCase() === 'copy'))) {
          this.evaluated = true;
          flags |= OBJECT_HAS_COPY_KEY;
        }
        if (s.charCodeAt(this.i) !== Ch.Colon) {
          this.ws();
          if (s.charCodeAt(this.i) !== Ch.Colon) this.fail(`expected ':' after property name "${key}"`);
        }
        // Between tokens there is mostly one space or nothing (see afterValue).
        let c = s.charCodeAt(++this.i);
        if (c === Ch.Space) c = s.charCodeAt(++this.i);
        if (mayStartSpace(c)) this.ws();
        this.posTop = top;
        const v = this.value();
        setProp(obj, key, v);
        POS_STACK[top++] = key;
        POS_STACK[top++] = keyAt;
        c = this.afterValue();
        if (c === Ch.Comma) { this.i++; this.ws(); continue; }
        if (c === Ch.BraceClose) break;
        this.fail(this.i >= s.length ? 'unexpected end of file, expected \'}\'' : `expected ',' or '}' after property "${key}"`);
      }
    }
    this.i++;
    this.depth--;
    if (this.evaluated) flags -= CONTAINER_LITERAL;
    this.evaluated ||= outer;
    // `+`: offsets past 2^29 do not fit a 32-bit `|`.
    this.doc.positions.set(obj, copyOut(POS_STACK, base, top, start * 4 + flags));
    this.posTop = base;
    return obj;
  }

  /**
   * The character after a value, past any whitespace and comments. Between tokens there is mostly
   * one space or nothing: ws() is called only when the next character may start whitespace or a
   * comment (NaN past the end: the caller reports it).
   */
  private afterValue(): number {
    const c = this.s.charCodeAt(this.i);
    if (!mayStartSpace(c)) return c;
    this.ws();
    return this.s.charCodeAt(this.i);
  }

  private array(): JsonValue {
    const s = this.s;
    const start = this.i++;
    this.nest(start);
    const base = this.posTop;
    POS_STACK[base] = 0;
    let top = base + 1;
    const valueBase = this.valueTop;
    let valueTop = valueBase;
    const outer = this.evaluated;
    this.evaluated = false;
    this.ws();
    if (s.charCodeAt(this.i) !== Ch.BracketClose) {
      for (;;) {
        if (s.charCodeAt(this.i) === Ch.BracketClose && valueTop > valueBase) break; // trailing comma
        POS_STACK[top++] = this.i;
        this.posTop = top;
        this.valueTop = valueTop;
        const v = this.value();
        VALUE_STACK[valueTop++] = v;
        const c = this.afterValue();
        if (c === Ch.Comma) { this.i++; this.ws(); continue; }
        if (c === Ch.BracketClose) break;
        this.fail(this.i >= s.length ? 'unexpected end of file, expected \']\'' : "expected ',' or ']' in array");
      }
    }
    this.i++;
    this.depth--;
    const arr = valueTop === valueBase ? [] : valueTop - valueBase === 1 ? [VALUE_STACK[valueBase]] : VALUE_STACK.slice(valueBase, valueTop);
    const head = -1 - (start * 4 + (this.evaluated ? 0 : CONTAINER_LITERAL));
    this.evaluated ||= outer;
    this.doc.positions.set(arr, copyOut(POS_STACK, base, top, head));
    this.posTop = base;
    this.valueTop = valueBase;
    return arr;
  }

  /**
   * A property name as an internalized string. Property stores with a fresh (not internalized)
   * key string take V8's slow path; the copy kept in KEYS is the one already used as a property
   * name, so stores stay on the fast path. The same few names recur all through a template:
   * the name is hashed while it is scanned and the last name of that hash's slot is compared
   * with the text in place, which spares slicing the name out and hashing it again in KEYS.
   */
  private key(): string {
    const s = this.s;
    const start = this.i + 1;
    const q = s.indexOf('"', start);
    // An escape, or no closing quote: the general string reader handles (or reports) it.
    if (q === -1 || (this.nextBackslash >= start ? this.nextBackslash : this.findBackslash(start)) < q) return this.intern(this.string());
    const len = q - start;
    // Length, first two and last characters: `type`/`tags` and `properties`/`parameters` share a
    // length and first letter, and evicted each other from a slot chosen by those alone.
    const slot = ((((len * 131 + (s.charCodeAt(start) | 0)) * 131 + (s.charCodeAt(start + 1) | 0)) * 131 + (s.charCodeAt(q - 1) | 0)) >>> 0) & (KEY_SLOT_COUNT - 1);
    // Slicing the name out and comparing it with the slot's (a native comparison) costs less
    // than comparing in place, with startsWith or character by character.
    const read = s.slice(start, q);
    this.i = q + 1;
    const last = KEY_SLOTS[slot];
    if (read === last) return last;
    const key = this.intern(read);
    KEY_SLOTS[slot] = key;
    return key;
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

  private string(): string {
    const s = this.s;
    const start = ++this.i;
    const q = s.indexOf('"', start);
    // The next backslash is remembered: searching for it from every string start rescans the rest
    // of a document that has none, which made reading quadratic in the file size.
    if (this.nextBackslash < start) {
      const b = s.indexOf('\\', start);
      this.nextBackslash = b === -1 ? s.length : b;
    }
    if (q === -1) this.fail('unterminated string', start - 1);
    if (this.nextBackslash > q) {
      this.i = q + 1;
      return s.slice(start, q);
    }
    return this.escapedString(start, q);
  }

  /**
   * A string with escapes, from `start` (after the opening quote); `q` is the first quote after
   * it, escaped or not. The closing quote is the first one after an even run of backslashes; the
   * string between the quotes, when JSON.parse accepts it, decodes to exactly what the escapes say
   * (a lone surrogate escape included), in native code and in one flat string: long escaped texts
   * (embedded scripts, JSON in a string) spent more on the pieces joined below than anything else.
   * What JSON.parse refuses (raw control characters, which ARM accepts, or a bad escape, which must
   * be reported where it is) is read by decodeEscapes.
   */
  private escapedString(start: number, q: number): string {
    const s = this.s;
    let end = q;
    while (end !== -1) {
      let k = end - 1;
      while (s.charCodeAt(k) === Ch.Backslash) k--;
      if (((end - k) & 1) === 1) break;
      end = s.indexOf('"', end + 1);
    }
    if (end !== -1 && !this.refusedEscapes) {
      let decoded: unknown;
      try {
        decoded = JSON.parse(s.slice(start - 1, end + 1));
      } catch {
        // Most likely multi-line strings with escapes: the rest of the document goes straight to
        // the general path rather than paying for a SyntaxError (and its stack trace) per string.
        this.refusedEscapes = true;
        decoded = undefined;
      }
      if (typeof decoded === 'string') {
        const b = s.indexOf('\\', end + 1);
        this.nextBackslash = b === -1 ? s.length : b;
        this.i = end + 1;
        return decoded;
      }
    }
    return this.decodeEscapes(start, q);
  }

  /**
   * escapedString's general path. Runs between escapes are sliced out whole; errors are reported
   * in text order, as a character-by-character reader would: once an escaped quote has used up the
   * last quote of the file, a bad escape before the end of the file wins over the missing closing quote.
   */
  private decodeEscapes(start: number, q: number): string {
    const s = this.s;
    const n = s.length;
    // Joined at the end into one flat string: appending with += leaves a tree of pieces, larger
    // to keep than the string itself and to be flattened anyway when the string is first read.
    const parts: string[] = [];
    let b = this.nextBackslash;
    let seg = start;
    for (;;) {
      const end = q === -1 ? n : q;
      if (b >= end) {
        if (q === -1) this.fail('unterminated string', start - 1);
        this.nextBackslash = b;
        this.i = q + 1;
        parts.push(s.slice(seg, q));
        return parts.join('');
      }
      parts.push(s.slice(seg, b));
      let next = b + 2;
      switch (s.charCodeAt(b + 1)) {
        case Ch.Quote: parts.push('"'); break;
        case Ch.Backslash: parts.push('\\'); break;
        case Ch.Slash: parts.push('/'); break;
        case 98: parts.push('\b'); break;
        case Ch.LowerF: parts.push('\f'); break;
        case Ch.LowerN: parts.push('\n'); break;
        case 114: parts.push('\r'); break;
        case Ch.LowerT: parts.push('\t'); break;
        case 117: {
          const code = hex4(s, b + 2);
          if (code < 0) this.fail('invalid \\u escape', b);
          parts.push(String.fromCharCode(code));
          next = b + 6;
          break;
        }
        default: this.fail(`invalid escape '\\${s[b + 1] ?? ''}'`, b);
      }
      seg = next;
      if (q !== -1 && q < seg) q = s.indexOf('"', seg);
      const nb = s.indexOf('\\', seg);
      b = nb === -1 ? n : nb;
    }
  }

  private number(): number {
    const s = this.s;
    const start = this.i;
    let i = start;
    const sign = s.charCodeAt(i);
    if (sign === Ch.Minus || sign === Ch.Plus) i++;
    // Plain integers (most numbers in templates) are read here, without slicing them out.
    const digits = i;
    let n = 0;
    let c = s.charCodeAt(i);
    while (c >= Ch.Zero && c <= Ch.Nine) {
      n = n * 10 + (c - Ch.Zero);
      c = s.charCodeAt(++i);
    }
    if (i > digits && i - digits <= MAX_FAST_DIGITS && c !== Ch.Dot && c !== Ch.LowerE && c !== Ch.UpperE) {
      this.i = i;
      return sign === Ch.Minus ? -n : n;
    }
    for (;;) {
      if ((c >= Ch.Zero && c <= Ch.Nine) || c === Ch.Dot || c === Ch.LowerE || c === Ch.UpperE) { c = s.charCodeAt(++i); continue; }
      if ((c === Ch.Minus || c === Ch.Plus) && (s.charCodeAt(i - 1) === Ch.LowerE || s.charCodeAt(i - 1) === Ch.UpperE)) { c = s.charCodeAt(++i); continue; }
      break;
    }
    const text = s.slice(start, i);
    const v = Number(text);
    if (Number.isNaN(v)) this.fail(`invalid number '${text}'`, start);
    this.i = i;
    return v;
  }
}

/**
 * `head` and the entries stack[from + 1 .. to - 1], as a new array of their size. Most containers
 * have a few members: literals for those are allocated inline, where slice() is a call.
 */
function copyOut(stack: (string | number)[], from: number, to: number, head: number): ContainerPos {
  switch (to - from) {
    case 1: return [head];
    case 2: return [head, stack[from + 1]];
    case 3: return [head, stack[from + 1], stack[from + 2]];
    case 4: return [head, stack[from + 1], stack[from + 2], stack[from + 3]];
    case 5: return [head, stack[from + 1], stack[from + 2], stack[from + 3], stack[from + 4]];
    case 7: return [head, stack[from + 1], stack[from + 2], stack[from + 3], stack[from + 4], stack[from + 5], stack[from + 6]];
    default: {
      stack[from] = head;
      return stack.slice(from, to);
    }
  }
}

/** The value of the four hex digits at `at`, or -1 when they are not four hex digits. */
function hex4(s: string, at: number): number {
  let v = 0;
  for (let k = at; k < at + 4; k++) {
    const c = s.charCodeAt(k);
    let d: number;
    if (c >= Ch.Zero && c <= Ch.Nine) d = c - Ch.Zero;
    else if (c >= 97 && c <= Ch.LowerF) d = c - 87;
    else if (c >= 65 && c <= 70) d = c - 55;
    else return -1;
    v = v * 16 + d;
  }
  return v;
}
