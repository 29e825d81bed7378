/**
 * The gate's JSON reader (engine/json-source): the values it yields, the offsets it keeps for
 * file:line findings and the errors it reports. Its fast paths (plain strings sliced whole,
 * escapes decoded between sliced runs, plain integers read digit by digit, property names
 * recognised in place, containers' offsets and array elements gathered on shared stacks) each
 * have a slow path they must agree with; these cases sit on the boundaries between the two.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseTree, type Node } from 'jsonc-parser';
import { corpusDir } from '../../../scripts/paths';
import { TemplateError } from '../../../tasks/ArmTemplateSecurityGate/core/model';
import { LIMITS } from '../../../tasks/ArmTemplateSecurityGate/core/engine/limits';
import { parseJsonDocument, type JsonValue, type SourceDoc } from '../../../tasks/ArmTemplateSecurityGate/core/engine/json-source';

const parse = (text: string): { doc: SourceDoc; value: JsonValue } => parseJsonDocument('t.json', '/x/t.json', text);
const value = (text: string): JsonValue => parse(text).value;

/** The error parsing `text` reports: its message and 1-based line and column. */
function failure(text: string): { message: string; line: number; column: number } {
  try {
    parse(text);
  } catch (e) {
    assert.ok(e instanceof TemplateError, String(e));
    assert.equal(e.location.file, 't.json');
    return { message: e.message, line: e.location.line, column: e.location.column };
  }
  assert.fail(`parsed without error: ${JSON.stringify(text)}`);
}

/** Deep equality that tells -0 from 0 and checks every object is one the engine can use (inherits nothing). */
function sameValue(actual: unknown, expected: unknown, at = '$'): void {
  if (expected === null || typeof expected !== 'object') {
    assert.ok(Object.is(actual, expected), `${at}: ${String(actual)} !== ${String(expected)}`);
    return;
  }
  assert.equal(typeof actual, 'object', at);
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), at);
    assert.equal(actual.length, expected.length, at);
    expected.forEach((e, i) => sameValue((actual as unknown[])[i], e, `${at}[${i}]`));
    return;
  }
  const a = actual as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(Object.getPrototypeOf(a)), null, `${at}: inherits something`);
  assert.deepEqual(Object.keys(a), Object.keys(expected), at);
  for (const k of Object.keys(expected)) sameValue(a[k], (expected as Record<string, unknown>)[k], `${at}.${k}`);
}

/** Every member offset the reader kept, checked against jsonc-parser's tree of the same text. */
function sameOffsets(doc: SourceDoc, v: JsonValue, node: Node, at = '$'): void {
  if (v === null || typeof v !== 'object') return;
  assert.equal(doc.offsetOf(v), node.offset, `${at}: container offset`);
  const children = node.children ?? [];
  if (Array.isArray(v)) {
    v.forEach((e, i) => {
      assert.equal(doc.memberOffset(v, i), children[i].offset, `${at}[${i}]`);
      sameOffsets(doc, e, children[i], `${at}[${i}]`);
    });
    assert.equal(doc.memberOffset(v, v.length), undefined);
    return;
  }
  // A duplicated key: the value kept, and the offset given, are the last one's.
  const last = new Map<string, Node>();
  for (const prop of children) last.set((prop.children ?? [])[0].value as string, prop);
  for (const [key, prop] of last) {
    assert.equal(doc.memberOffset(v, key), prop.offset, `${at}.${key}`);
    sameOffsets(doc, v[key], (prop.children ?? [])[1], `${at}.${key}`);
  }
}

/** `node` with every offset moved by `by`. */
function shifted(node: Node, by: number): Node {
  return { ...node, offset: node.offset + by, children: node.children?.map((c) => shifted(c, by)) };
}

/** A small deterministic generator (no test depends on chance: the seed is fixed). */
function generator(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

describe('ARM engine: JSON reader', () => {
  describe('values', () => {
    it('reads what JSON.parse reads, for generated documents with escapes, surrogates and numbers of every kind', () => {
      const rnd = generator(7);
      const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
      const pieces = ['a', 'copy', '[x]', '"', '\\', '\n', '\t', '\u0000', '\u001f', '/', 'é', '😀', '\ud83d', '\ude00', '\u2028', "'", '[', ' ', 'abcdefghijklmnopqrstuvwxyz'];
      const numbers = [0, -0, 1, -1, 42, 0.1, -2.25, 1e21, 1e-7, 123456789012345, 1234567890123456, 2 ** 53 + 2, 2 ** 31, -(2 ** 31) - 1, 2 ** 30, 5e-324, 1.7976931348623157e308];
      const gen = (depth: number): unknown => {
        const r = rnd();
        if (depth > 5 || r < 0.35) {
          const k = rnd();
          if (k < 0.45) return Array.from({ length: Math.floor(rnd() * 6) }, () => pick(pieces)).join('');
          if (k < 0.8) return pick(numbers);
          return pick([true, false, null]);
        }
        if (r < 0.7) {
          const o: Record<string, unknown> = {};
          for (let i = Math.floor(rnd() * 5); i > 0; i--) o[pick(['name', 'type', 'k"q', 'k\\', 'é', '😀', '', 'copy', 'a b', '0', '10', 'constructor', 'toString']) + (rnd() < 0.3 ? pick(pieces) : '')] = gen(depth + 1);
          return o;
        }
        return Array.from({ length: Math.floor(rnd() * 5) }, () => gen(depth + 1));
      };
      for (let n = 0; n < 400; n++) {
        const expected = gen(0);
        // Pretty-printed half the time: line breaks and indentation between every token.
        const text = JSON.stringify(expected, null, n % 2 === 0 ? 2 : undefined);
        const { doc, value: v } = parse(text);
        sameValue(v, JSON.parse(text));
        const tree = parseTree(text);
        assert.ok(tree);
        sameOffsets(doc, v, tree);
      }
    });

    it('reads every JSON file of the quickstart corpus as JSON.parse does, at the offsets jsonc-parser finds', function () {
      this.timeout(120000);
      const files: string[] = [];
      const walk = (dir: string): void => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
          const full = path.join(dir, e.name);
          if (e.isDirectory()) walk(full);
          else if (/\.json$/i.test(e.name)) files.push(full);
        }
      };
      walk(corpusDir());
      let compared = 0;
      for (const file of files) {
        const text = fs.readFileSync(file, 'utf8');
        // Every file is read (ARM accepts them all); those JSON.parse accepts too must agree with it.
        const { doc, value: v } = parse(text);
        const strict = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
        let expected: unknown;
        try {
          expected = JSON.parse(strict);
        } catch {
          continue;
        }
        sameValue(v, expected, file);
        const tree = parseTree(strict);
        assert.ok(tree);
        // jsonc-parser counts offsets from after a BOM.
        sameOffsets(doc, v, strict === text ? tree : shifted(tree, 1), file);
        compared++;
      }
      assert.ok(compared >= 500 && compared >= files.length - 10, `${compared} of ${files.length} files compared`);
    });

    it('decodes every escape, in runs of plain text and next to each other, in values and property names', () => {
      assert.equal(value(String.raw`"\"\\\/\b\f\n\r\t"`), '"\\/\b\f\n\r\t');
      assert.equal(value(String.raw`"ab\ncd\"ef\\gh"`), 'ab\ncd"ef\\gh');
      assert.equal(value(String.raw`"\u0041\u00e9\u00E9\uFFFF\u0000"`), 'A\u00e9\u00e9\uffff\u0000');
      // A surrogate pair written as two escapes is one character; a lone one is kept as it is.
      assert.equal(value(String.raw`"\ud83d\ude00"`), '😀');
      assert.equal(value(String.raw`"x\uD83Dy"`), 'x\ud83dy');
      assert.equal(value(String.raw`"\""`), '"');
      assert.equal(value(String.raw`"\\"`), '\\');
      sameValue(value(String.raw`["\\", "\"", "a"]`), ['\\', '"', 'a']);
      // An escaped '[' makes an expression as surely as a written one.
      const { doc, value: v } = parse(String.raw`{"a": ["\u005b1]"], "b": ["\\[x]"], "c": ["\\"]}`);
      const o = v as Record<string, JsonValue[]>;
      assert.equal(o.a[0], '[1]');
      assert.equal(doc.isLiteral(o.a), false);
      assert.equal(doc.isLiteral(o.b), true);
      assert.equal(doc.isLiteral(o.c), true);
      // A property name with an escape: the same name as the plain one, found by memberOffset.
      const p = parse(String.raw`{"n\u0061me": 1, "k\"q": 2, "name2": 3}`);
      assert.deepEqual(Object.keys(p.value as object), ['name', 'k"q', 'name2']);
      assert.equal(p.doc.memberOffset(p.value as object, 'name'), 1);
      assert.equal(p.doc.memberOffset(p.value as object, 'k"q'), 17);
    });

    it('decodes escaped strings alike whether JSON.parse takes them whole or raw control characters send them to the general path', () => {
      const rnd = generator(11);
      const pieces = ['a', '"', '\\', '\\\\', '\\"', '/', '\n', '\t', '\r', '\b', '\u0001', '\u001f', 'é', '😀', '\ud83d', '\ude00', '\u2028', '[', 'xyz '];
      for (let n = 0; n < 300; n++) {
        const expected = Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => pieces[Math.floor(rnd() * pieces.length)]).join('');
        let literal = JSON.stringify(expected);
        // Half the time raw line breaks and tabs (ARM takes them, JSON.parse does not) stand for their escapes.
        if (n % 2 === 1) literal = literal.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
        // A second string after it: its escapes and its offset must not be disturbed by the first one's.
        const text = `{"k${literal.slice(1, -1).replace(/\n|\t/g, '')}": ${literal}, "b": [${literal}, "\\u005b\\\\"]}`;
        const { doc, value: v } = parse(text);
        const o = v as Record<string, JsonValue>;
        sameValue(o, { [`k${expected.replace(/\n|\t/g, n % 2 === 1 ? '' : '$&')}`]: expected, b: [expected, '[\\'] }, text);
        assert.equal(doc.memberOffset(o, 'b'), text.lastIndexOf('"b"'), text);
        assert.equal(doc.memberOffset(o.b as object, 1), text.lastIndexOf('"\\u005b'), text);
        assert.equal(doc.isLiteral(o.b as object), false, text);
      }
      // Backslash runs before a quote: an even run closes the string, an odd one escapes the quote.
      sameValue(value(String.raw`["a\\", "b\\\\", "c\\\"", "d\"\\"]`), ['a\\', 'b\\\\', 'c\\"', 'd"\\']);
      // After a string JSON.parse refused, the document's other escaped strings take the general path.
      sameValue(value('["a\\n\tb", "c\\"d", {"e\\u0066": "\\\\"}]'), ['a\n\tb', 'c"d', { ef: '\\' }]);
      // A string JSON.parse refuses for a raw control character still reports a bad escape where it is.
      assert.deepEqual(failure('["ok\\n", "a\tb\\qc"]'), { message: "Invalid JSON: invalid escape '\\q'", line: 1, column: 14 });
      assert.deepEqual(failure('["\\n\tb'), { message: 'Invalid JSON: unterminated string', line: 1, column: 2 });
    });

    it('keeps raw control characters, line breaks and non-ASCII text inside strings as ARM does', () => {
      assert.equal(value('"line1\nline2\r\n\ttabbed\u0001\u001f"'), 'line1\nline2\r\n\ttabbed\u0001\u001f');
      assert.equal(value('"é😀\u2028"'), 'é😀\u2028');
      assert.deepEqual(Object.keys(value('{"ключ": 1, "😀": 2}') as object), ['ключ', '😀']);
    });

    it('reads numbers as Number() does: signs, leading zeros, -0, overflow and long digit strings', () => {
      const cases = ['0', '-0', '+5', '007', '-007', '9', '123456789012345', '-123456789012345', '999999999999999',
        '1234567890123456', '9007199254740993', '12345678901234567890', '123456789012345678901234567890',
        '1.5', '-2.25', '.5', '-.5', '5.', '5.e3', '1e3', '1E-3', '1e+5', '1e400', '-1e400', '1e-400', '0.1', '4294967296'];
      for (const c of cases) {
        sameValue(value(c), Number(c), c);
        sameValue(value(`[${c}]`), [Number(c)], c);
        sameValue(value(`{"n":${c}}`), { n: Number(c) }, c);
      }
      assert.ok(Object.is(value('-0'), -0));
      assert.equal(value('1e400'), Infinity);
      // A number ends where its characters end: what follows is the next token.
      assert.deepEqual(failure('[1-2]'), { message: "Invalid JSON: expected ',' or ']' in array", line: 1, column: 3 });
      assert.deepEqual(failure('0x10'), { message: "Invalid JSON: unexpected 'x' after the end of the JSON value", line: 1, column: 2 });
      // A sign is followed by digits, or by nothing the number takes; '+' or '-' only after an exponent.
      const bad = [['-', '-'], ['+', '+'], ['.', '.'], ['1e', '1e'], ['1.2.3', '1.2.3'], ['--1', '-'], ['+-1', '+'], ['-.', '-.'], ['1e+', '1e+'], ['1ee2', '1ee2']];
      for (const [text, read] of bad) {
        assert.deepEqual(failure(`[0, ${text}]`), { message: `Invalid JSON: invalid number '${read}'`, line: 1, column: 5 }, text);
      }
    });

    it('keeps duplicate keys and __proto__ as ARM reads them: the last value, the first position in key order', () => {
      const text = '{"a": 1, "A": 2, "a": 3, "__proto__": {"x": 1}, "constructor": 4}';
      const { doc, value: v } = parse(text);
      const o = v as Record<string, JsonValue>;
      assert.deepEqual(Object.keys(o), ['a', 'A', '__proto__', 'constructor']);
      assert.equal(o.a, 3);
      assert.equal(Object.getPrototypeOf(Object.getPrototypeOf(o)), null);
      assert.equal((o.__proto__ as Record<string, JsonValue>).x, 1);
      assert.equal(doc.memberOffset(o, 'a'), text.lastIndexOf('"a"'));
      assert.equal(doc.memberOffset(o, 'A'), text.indexOf('"A"'));
      assert.equal(doc.memberOffset(o, '__proto__'), text.indexOf('"__proto__"'));
      // Case-insensitive only when no exact match.
      assert.equal(doc.memberOffset(o, 'CONSTRUCTOR'), text.indexOf('"constructor"'));
    });

    it('accepts comments, trailing commas, a BOM and non-breaking spaces between tokens', () => {
      const text = '\ufeff// lead\n{ /* a */ "a" /* b */ : /* c */ [1, 2, ] // d\n ,\u00a0"b": {"c": true,},\r\n}';
      const { doc, value: v } = parse(text);
      sameValue(v, { a: [1, 2], b: { c: true } });
      const o = v as Record<string, JsonValue>;
      assert.equal(doc.memberOffset(o, 'a'), text.indexOf('"a"'));
      assert.equal(doc.memberOffset(o, 'b'), text.indexOf('"b"'));
      assert.equal(doc.memberOffset(o.a as object, 1), text.indexOf('2'));
      assert.deepEqual(doc.location(text.indexOf('"b"')), { file: 't.json', line: 3, column: 4 });
    });
    it('skips every kind of whitespace and comment around colons, commas and values, where the reader looks ahead of ws()', () => {
      const seps = ['', ' ', '  ', '\t', '\n', '\r\n  ', ' \n\t', '/*c*/', ' /* c */ ', '//c\n', ' // c\n  ', ' \t/*c*/\n'];
      const rnd = generator(5);
      const sep = (): string => seps[Math.floor(rnd() * seps.length)];
      for (let n = 0; n < 300; n++) {
        const text = `{${sep()}"a"${sep()}:${sep()}1${sep()},${sep()}"b"${sep()}:${sep()}[${sep()}"x"${sep()},${sep()}{${sep()}"c"${sep()}:${sep()}null${sep()}}${sep()},${sep()}true${sep()}]${sep()},${sep()}"d"${sep()}:${sep()}-2.5${sep()}}`;
        const { doc, value: v } = parse(text);
        sameValue(v, { a: 1, b: ['x', { c: null }, true], d: -2.5 }, JSON.stringify(text));
        const tree = parseTree(text);
        assert.ok(tree);
        sameOffsets(doc, v, tree, JSON.stringify(text));
      }
      // Non-breaking spaces (which ARM skips and jsonc-parser does not) right after a colon and a value.
      const text = '{"a":\u00a01\u00a0,"b" :\u00a0 [2\u00a0,\u00a03]\u00a0}';
      const { doc, value: v } = parse(text);
      sameValue(v, { a: 1, b: [2, 3] });
      const o = v as Record<string, JsonValue>;
      assert.equal(doc.memberOffset(o, 'b'), text.indexOf('"b"'));
      assert.equal(doc.memberOffset(o.b as object, 1), text.indexOf('3'));
      // What follows a value is still checked after the look-ahead.
      assert.deepEqual(failure('{"a": 1 /* c */ 2}'), { message: 'Invalid JSON: expected \',\' or \'}\' after property "a"', line: 1, column: 17 });
      assert.deepEqual(failure('[1 //c\n x]'), { message: "Invalid JSON: expected ',' or ']' in array", line: 2, column: 2 });
      assert.deepEqual(failure('{"a": '), { message: 'Invalid JSON: unexpected end of file', line: 1, column: 7 });
      assert.deepEqual(failure('{"a":'), { message: 'Invalid JSON: unexpected end of file', line: 1, column: 6 });
      assert.deepEqual(failure('{"a": 1'), { message: "Invalid JSON: unexpected end of file, expected '}'", line: 1, column: 8 });
    });
  });

  describe('offsets and flags', () => {
    it('keeps the offsets of nested arrays and objects apart (they are gathered on shared stacks)', () => {
      const text = '[[1,[2,3]],{"a":[4,{"b":[5,[]]}],"c":{}},6,[],[[[]]]]';
      const { doc, value: v } = parse(text);
      sameValue(v, JSON.parse(text));
      const tree = parseTree(text);
      assert.ok(tree);
      sameOffsets(doc, v, tree);
    });

    it('flags literal containers and those with a copy key in any case', () => {
      const { doc, value: v } = parse('{"lit": {"x": [1, "[", "a[b]"]}, "expr": ["[x]"], "loop": {"COPY": []}, "deep": [{"a": {"b": "[c]"}}]}');
      const o = v as Record<string, object>;
      assert.equal(doc.isLiteral(o.lit), true);
      assert.equal(doc.isLiteral(o.expr), false);
      assert.equal(doc.isLiteral(o.loop), false);
      assert.equal(doc.isLiteral(o.deep), false);
      assert.equal(doc.isLiteral(v as object), false);
      assert.equal(doc.isLiteral({}), false);
      assert.equal(doc.offsetOf(o.lit), 8);
    });

    it('a failed read leaves nothing behind for the next one', () => {
      assert.equal(failure('[[1, {"a": [2, {"b": ').message, 'Invalid JSON: unexpected end of file');
      const text = '{"x": [7, [8]], "y": 9}';
      const { doc, value: v } = parse(text);
      sameValue(v, { x: [7, [8]], y: 9 });
      const tree = parseTree(text);
      assert.ok(tree);
      sameOffsets(doc, v, tree);
    });

    it('computes line and column from line starts, for offsets anywhere in the text', () => {
      const { doc } = parse('{\n  "a": 1,\r\n  "b": 2\n}');
      assert.deepEqual(doc.location(0), { file: 't.json', line: 1, column: 1 });
      assert.deepEqual(doc.location(4), { file: 't.json', line: 2, column: 3 });
      assert.deepEqual(doc.location(15), { file: 't.json', line: 3, column: 3 });
      assert.deepEqual(doc.location(100), { file: 't.json', line: 4, column: 79 });
    });

    it('computes line starts for files longer than the shared scratch, and nothing of a longer file leaks into the next', () => {
      // 100000 lines: past the first scratch (4096 starts) and past the size kept between files.
      for (const lines of [5000, 100000, 3]) {
        const text = `[\n${'1,\r\n'.repeat(lines - 2)}1]`;
        const { doc, value: v } = parse(text);
        assert.equal((v as JsonValue[]).length, lines - 1);
        assert.deepEqual(doc.location(text.length - 2), { file: 't.json', line: lines, column: 1 });
        assert.deepEqual(doc.location(text.length + 5), { file: 't.json', line: lines, column: 8 });
        for (const at of [0, 1, 2, text.length >> 1, text.length - 3]) {
          // Counted here without line starts: line breaks before the offset, and the distance from the last one.
          const line = text.slice(0, at).split('\n').length;
          assert.deepEqual(doc.location(at), { file: 't.json', line, column: at - (text.lastIndexOf('\n', at - 1) + 1) + 1 }, `${lines} lines, offset ${at}`);
        }
      }
    });
  });

  describe('errors', () => {
    it('names the place of bad escapes and unterminated strings', () => {
      assert.deepEqual(failure('{"a": "x\\qy"}'), { message: "Invalid JSON: invalid escape '\\q'", line: 1, column: 9 });
      assert.deepEqual(failure('["ok",\n "\\u12"]'), { message: 'Invalid JSON: invalid \\u escape', line: 2, column: 3 });
      assert.deepEqual(failure('["\\u00G0"]'), { message: 'Invalid JSON: invalid \\u escape', line: 1, column: 3 });
      assert.deepEqual(failure('["\\u00'), { message: 'Invalid JSON: unterminated string', line: 1, column: 2 });
      assert.deepEqual(failure('["abc'), { message: 'Invalid JSON: unterminated string', line: 1, column: 2 });
      // The last quote of the file is an escaped one: the reader goes on to the end, reporting the
      // first bad escape on its way, or else the missing quote.
      assert.deepEqual(failure('["a\\"b'), { message: 'Invalid JSON: unterminated string', line: 1, column: 2 });
      assert.deepEqual(failure('["a\\"b\\x'), { message: "Invalid JSON: invalid escape '\\x'", line: 1, column: 7 });
      assert.deepEqual(failure('["a\\"b\\'), { message: "Invalid JSON: invalid escape '\\'", line: 1, column: 7 });
      // No quote at all after the opening one: unterminated, whatever escapes follow.
      assert.deepEqual(failure('["a\\x'), { message: 'Invalid JSON: unterminated string', line: 1, column: 2 });
      assert.deepEqual(failure('{"a\\x": 1}'), { message: "Invalid JSON: invalid escape '\\x'", line: 1, column: 4 });
      assert.deepEqual(failure('{"abc'), { message: 'Invalid JSON: unterminated string', line: 1, column: 2 });
    });

    it('names the place of structural errors', () => {
      assert.deepEqual(failure(''), { message: 'Invalid JSON: the file is empty', line: 1, column: 1 });
      assert.deepEqual(failure('\ufeff  '), { message: 'Invalid JSON: the file is empty', line: 1, column: 4 });
      assert.deepEqual(failure('{"a" 1}'), { message: 'Invalid JSON: expected \':\' after property name "a"', line: 1, column: 6 });
      assert.deepEqual(failure('{"a": 1 "b": 2}'), { message: 'Invalid JSON: expected \',\' or \'}\' after property "a"', line: 1, column: 9 });
      assert.deepEqual(failure('{"a": 1'), { message: "Invalid JSON: unexpected end of file, expected '}'", line: 1, column: 8 });
      assert.deepEqual(failure('{a: 1}'), { message: 'Invalid JSON: expected a property name in double quotes', line: 1, column: 2 });
      assert.deepEqual(failure('{,}'), { message: 'Invalid JSON: expected a property name in double quotes', line: 1, column: 2 });
      assert.deepEqual(failure('{'), { message: 'Invalid JSON: unexpected end of file, expected a property name', line: 1, column: 2 });
      assert.deepEqual(failure('[,]'), { message: "Invalid JSON: unexpected ','", line: 1, column: 2 });
      assert.deepEqual(failure('[1'), { message: "Invalid JSON: unexpected end of file, expected ']'", line: 1, column: 3 });
      assert.deepEqual(failure('[tru]'), { message: "Invalid JSON: unexpected 't'", line: 1, column: 2 });
      assert.deepEqual(failure('{} x'), { message: "Invalid JSON: unexpected 'x' after the end of the JSON value", line: 1, column: 4 });
      assert.deepEqual(failure('[1] /* open'), { message: 'Invalid JSON: unterminated block comment', line: 1, column: 5 });
    });

    it(`reads ${LIMITS.jsonDepth} levels of nesting and reports the first level past that where it opens`, () => {
      const d = LIMITS.jsonDepth;
      let v = value('['.repeat(d) + ']'.repeat(d));
      for (let i = 1; i < d; i++) v = (v as JsonValue[])[0];
      assert.deepEqual(v, []);
      assert.ok(value('{"a":'.repeat(d) + '1' + '}'.repeat(d)));
      const message = `Invalid JSON: the JSON is nested more than ${d} levels deep`;
      assert.deepEqual(failure('['.repeat(d + 1) + ']'.repeat(d + 1)), { message, line: 1, column: d + 1 });
      assert.deepEqual(failure('{"a":'.repeat(d) + '{}' + '}'.repeat(d)), { message, line: 1, column: 5 * d + 1 });
      // Containers alternate '[' and '{"a":': the one past the limit is the '[' of repetition d/2.
      assert.deepEqual(failure('[{"a":'.repeat(d)), { message, line: 1, column: 6 * (d / 2) + 1 });
    });
  });
});
