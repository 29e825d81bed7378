/**
 * ARM template expression language: tokenizer and parser producing a small AST.
 * Parsed expressions are cached by text because templates repeat the same expressions
 * across copies, resources and nested templates.
 */
import { LIMITS } from './limits';

export type Ast =
  | { k: 'str'; v: string }
  /** `inexact`: an integer literal beyond ±2^53, which a double cannot hold exactly. */
  | { k: 'num'; v: number; inexact?: true }
  | { k: 'call'; name: string; display: string; args: Ast[]; pos: number; def?: unknown }
  | { k: 'prop'; target: Ast; name: string }
  | { k: 'index'; target: Ast; index: Ast };

/**
 * Every node is made by node(), with all fields in one order: the evaluator reads `k` (and the
 * rest) on every step, and one shape keeps those reads monomorphic where five object literals made
 * them megamorphic. `def` is the evaluator's slot for a call's function definition, found on the
 * node's first evaluation rather than looked up by name on every one.
 */
class AstNode {
  def: unknown = undefined;
  constructor(
    readonly k: Ast['k'],
    readonly v: string | number | undefined,
    readonly name: string | undefined,
    readonly display: string | undefined,
    readonly args: Ast[] | undefined,
    readonly pos: number | undefined,
    readonly target: Ast | undefined,
    readonly index: Ast | undefined,
    readonly inexact: true | undefined,
  ) {}
}

function strNode(v: string): Ast {
  return new AstNode('str', v, undefined, undefined, undefined, undefined, undefined, undefined, undefined) as unknown as Ast;
}
function numNode(v: number, inexact: true | undefined): Ast {
  return new AstNode('num', v, undefined, undefined, undefined, undefined, undefined, undefined, inexact) as unknown as Ast;
}
function callNode(name: string, display: string, args: Ast[], pos: number): Ast {
  return new AstNode('call', undefined, name, display, args, pos, undefined, undefined, undefined) as unknown as Ast;
}
function propNode(target: Ast, name: string): Ast {
  return new AstNode('prop', undefined, name, undefined, undefined, undefined, target, undefined, undefined) as unknown as Ast;
}
function indexNode(target: Ast, index: Ast): Ast {
  return new AstNode('index', undefined, undefined, undefined, undefined, undefined, target, index, undefined) as unknown as Ast;
}

export const MAX_EXPRESSION_LENGTH = LIMITS.expressionLength;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Thrown by the parser; the template layer turns it into a TemplateError with file:line:column. */
export class ExpressionSyntaxError extends Error {
  constructor(message: string, readonly position: number) {
    super(message);
    this.name = 'ExpressionSyntaxError';
  }
}

/**
 * Classifies a JSON string: an expression (returns its inner text), an escaped literal
 * (`[[...]` → returns the literal without the first bracket) or a plain literal.
 */
export function classifyString(s: string): { expr: string } | { literal: string } {
  const n = s.length;
  if (n < 2 || s.charCodeAt(0) !== 91 /* [ */ || s.charCodeAt(n - 1) !== 93 /* ] */) return { literal: s };
  if (s.charCodeAt(1) === 91) return { literal: s.slice(1) };
  return { expr: s.slice(1, n - 1) };
}

export function isExpressionString(s: string): boolean {
  const n = s.length;
  return n >= 2 && s.charCodeAt(0) === 91 && s.charCodeAt(n - 1) === 93 && s.charCodeAt(1) !== 91;
}

const names = new Map<string, string>();

/**
 * One string object per lower-cased function name, shared by the function table and every parsed
 * call: the table lookup done for each call then matches by identity instead of comparing text.
 */
export function canonicalName(lower: string): string {
  const hit = names.get(lower);
  if (hit !== undefined) return hit;
  if (names.size < 10_000) names.set(lower, lower);
  return lower;
}

const cache = new Map<string, Ast>();
/**
 * Keyed by the whole JSON string ("[...]") as the template holds it: that string object is
 * evaluated again for every copy and nested scope and keeps its hash, whereas the inner text
 * is a fresh slice each time and would be hashed on every lookup.
 */
const byJsonString = new Map<string, Ast>();

/** The AST of an expression string ("[...]", brackets included) if it was parsed before. */
export function cachedExpression(jsonString: string): Ast | undefined {
  return byJsonString.get(jsonString);
}

export function rememberExpression(jsonString: string, ast: Ast): void {
  if (byJsonString.size > 50000) byJsonString.clear();
  byJsonString.set(jsonString, ast);
}

/** Parses the text between the outer brackets of an expression string. */
export function parseExpression(text: string): Ast {
  const hit = cache.get(text);
  if (hit) return hit;
  if (text.length + 2 > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionSyntaxError(`the expression is ${text.length + 2} characters long; ARM allows at most ${MAX_EXPRESSION_LENGTH}`, 0);
  }
  const ast = new Parser(text).parseAll();
  if (cache.size > 50000) cache.clear();
  cache.set(text, ast);
  return ast;
}

type Tok =
  | { t: 'id'; v: string; p: number }
  | { t: 'str'; v: string; p: number }
  | { t: 'num'; v: number; p: number; inexact?: true }
  | { t: '(' | ')' | '[' | ']' | ',' | '.' | 'eof'; p: number };

function tokenize(s: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0xfeff || (c > 127 && /\s/.test(s[i]))) { i++; continue; }
    if (c === 39 /* ' */) {
      const start = i;
      let v = '';
      let seg = ++i;
      for (;;) {
        if (i >= n) throw new ExpressionSyntaxError('unterminated string literal', start);
        if (s.charCodeAt(i) === 39) {
          if (s.charCodeAt(i + 1) === 39) { v += s.slice(seg, i + 1); i += 2; seg = i; continue; }
          v += s.slice(seg, i);
          i++;
          break;
        }
        i++;
      }
      toks.push({ t: 'str', v, p: start });
      continue;
    }
    if ((c >= 48 && c <= 57) || ((c === 45 || c === 43) && isDigit(s.charCodeAt(i + 1))) || (c === 46 && isDigit(s.charCodeAt(i + 1)) && prevAllowsNumber(toks))) {
      const start = i;
      i++;
      while (i < n && (isDigit(s.charCodeAt(i)) || (s.charCodeAt(i) === 46 && isDigit(s.charCodeAt(i + 1))))) i++;
      toks.push(numberToken(s.slice(start, i), start));
      continue;
    }
    if (isIdStart(c)) {
      const start = i;
      i++;
      while (i < n && isIdPart(s.charCodeAt(i))) i++;
      toks.push({ t: 'id', v: s.slice(start, i), p: start });
      continue;
    }
    switch (c) {
      case 40: toks.push({ t: '(', p: i }); break;
      case 41: toks.push({ t: ')', p: i }); break;
      case 91: toks.push({ t: '[', p: i }); break;
      case 93: toks.push({ t: ']', p: i }); break;
      case 44: toks.push({ t: ',', p: i }); break;
      case 46: toks.push({ t: '.', p: i }); break;
      default: throw new ExpressionSyntaxError(`unexpected character '${s[i]}'`, i);
    }
    i++;
  }
  toks.push({ t: 'eof', p: n });
  return toks;
}

/** A number literal: an Int64 integer or a decimal fraction; anything else ('1.2.3') is refused as ARM refuses it. */
function numberToken(text: string, p: number): Tok {
  if (/^[-+]?\d+$/.test(text)) {
    const big = BigInt(text);
    if (big < INT64_MIN || big > INT64_MAX) throw new ExpressionSyntaxError(`the integer ${text} is outside the 64-bit range ARM computes with`, p);
    const v = Number(big);
    return Number.isSafeInteger(v) ? { t: 'num', v, p } : { t: 'num', v, p, inexact: true };
  }
  if (!/^[-+]?(\d+)?\.\d+$/.test(text)) throw new ExpressionSyntaxError(`'${text}' is not a number`, p);
  return { t: 'num', v: Number(text), p };
}

function prevAllowsNumber(toks: Tok[]): boolean {
  const last = toks[toks.length - 1];
  return !last || last.t === '(' || last.t === ',' || last.t === '[';
}
function isDigit(c: number): boolean { return c >= 48 && c <= 57; }
function isIdStart(c: number): boolean { return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36; }
function isIdPart(c: number): boolean { return isIdStart(c) || isDigit(c); }

class Parser {
  private toks: Tok[];
  private i = 0;
  private depth = 0;
  constructor(private readonly text: string) {
    this.toks = tokenize(text);
  }

  parseAll(): Ast {
    if (this.toks[0].t === 'eof') throw new ExpressionSyntaxError('the expression is empty', 0);
    const e = this.expr();
    const t = this.toks[this.i];
    if (t.t !== 'eof') throw new ExpressionSyntaxError(`unexpected ${describe(t)} after the end of the expression`, t.p);
    return e;
  }

  private expr(): Ast {
    // Evaluation recurses once per level of the tree, and a chain of accesses (a.b.c[0]) is as
    // deep as it is long: both count.
    const outer = this.depth;
    this.nest();
    let e = this.primary();
    for (;;) {
      const t = this.toks[this.i];
      if (t.t === '.') {
        const id = this.toks[this.i + 1];
        if (id.t !== 'id') throw new ExpressionSyntaxError(`expected a property name after '.'`, id.p);
        this.nest();
        this.i += 2;
        e = propNode(e, id.v);
      } else if (t.t === '[') {
        this.nest();
        this.i++;
        const index = this.expr();
        this.expect(']');
        e = indexNode(e, index);
      } else {
        this.depth = outer;
        return e;
      }
    }
  }

  private nest(): void {
    if (++this.depth > LIMITS.expressionDepth) {
      throw new ExpressionSyntaxError(`the expression nests calls and accesses more than ${LIMITS.expressionDepth} levels deep`, this.toks[this.i].p);
    }
  }

  private primary(): Ast {
    const t = this.toks[this.i];
    if (t.t === 'str') { this.i++; return strNode(t.v); }
    if (t.t === 'num') { this.i++; return numNode(t.v, t.inexact); }
    if (t.t === 'id') {
      let display = t.v;
      this.i++;
      // namespace.member( is a user-defined function call; anything else after '.' is property access.
      const dot = this.toks[this.i];
      const member = this.toks[this.i + 1];
      const paren = this.toks[this.i + 2];
      if (dot.t === '.' && member?.t === 'id' && paren?.t === '(') {
        display = `${t.v}.${member.v}`;
        this.i += 2;
      }
      if (this.toks[this.i].t !== '(') {
        throw new ExpressionSyntaxError(`'${display}' must be followed by '(' (only function calls, strings and numbers are allowed)`, t.p);
      }
      this.i++;
      const args: Ast[] = [];
      if (this.toks[this.i].t !== ')') {
        for (;;) {
          args.push(this.expr());
          const sep = this.toks[this.i];
          if (sep.t === ',') { this.i++; continue; }
          if (sep.t === ')') break;
          throw new ExpressionSyntaxError(`expected ',' or ')' in the arguments of '${display}' but found ${describe(sep)}`, sep.p);
        }
      }
      this.i++;
      return callNode(canonicalName(display.toLowerCase()), display, args, t.p);
    }
    throw new ExpressionSyntaxError(`unexpected ${describe(t)}`, t.p);
  }

  private expect(kind: ']' | ')'): void {
    const t = this.toks[this.i];
    if (t.t !== kind) throw new ExpressionSyntaxError(`expected '${kind}' but found ${describe(t)}`, t.p);
    this.i++;
  }

  toString(): string { return this.text; }
}

function describe(t: Tok): string {
  switch (t.t) {
    case 'eof': return 'the end of the expression';
    case 'id': return `'${t.v}'`;
    case 'str': return `string '${t.v}'`;
    case 'num': return `number ${t.v}`;
    default: return `'${t.t}'`;
  }
}

/** Walks every call node (used for static analysis such as secret detection). */
export function visitCalls(ast: Ast, fn: (node: Extract<Ast, { k: 'call' }>) => void): void {
  switch (ast.k) {
    case 'call': fn(ast); for (const a of ast.args) visitCalls(a, fn); break;
    case 'prop': visitCalls(ast.target, fn); break;
    case 'index': visitCalls(ast.target, fn); visitCalls(ast.index, fn); break;
    default: break;
  }
}
