/**
 * How a resource name that is not fully known before deployment is shown. "<unknown>" told users
 * nothing and made every such resource look alike, so the template's own expression stands in:
 * the parts of a concat()/format() that are known are evaluated, the rest keep their expression
 * text in brackets — "[parameters('siteName')]/web", "[parameters('prefix')]-2" for a copy.
 * When nothing is known the name expression is shown exactly as written.
 */
import { TemplateError, UnknownValue } from '../model';
import { Ast, ExpressionSyntaxError, cachedExpression, classifyString, parseExpression } from './expression';
import { evalAst, functionTable } from './evaluator';
import { budget } from './limits';
import { type Env, withSite } from './runtime';

/** Expression text of an AST, in the canonical spelling templates use (`f(a, 'b')`). */
export function unparse(ast: Ast): string {
  switch (ast.k) {
    case 'str': return `'${ast.v.replace(/'/g, "''")}'`;
    case 'num': return String(ast.v);
    case 'call': return `${ast.display}(${ast.args.map(unparse).join(', ')})`;
    case 'prop': return `${unparse(ast.target)}.${ast.name}`;
    case 'index': return `${unparse(ast.target)}[${unparse(ast.index)}]`;
  }
}

// Unknown pieces travel through concat()/format() as markers no template string contains.
const MARK = '\u0000';
const MARKS = /\u0000(\d+)\u0000/g;

class Partial {
  readonly pieces: string[] = [];

  constructor(private readonly env: Env) {}

  render(ast: Ast): string {
    let v: unknown;
    const b = budget();
    const depth = b.depth;
    try {
      v = evalAst(ast, this.env);
      // A part computed from a secret is shown in the name: it is masked like the secret.
      if (this.env.host.taint.t && typeof v === 'string') this.env.host.taint.expose(v);
    } catch (e) {
      // Arguments after the first unknown were never evaluated by the real call; an error there is
      // reported when the value is needed, not while naming the resource.
      if (!(e instanceof TemplateError)) throw e;
      b.depth = depth;
      v = undefined;
    }
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    if (v instanceof UnknownValue && ast.k === 'call' && (ast.name === 'concat' || ast.name === 'format')) {
      const def = functionTable().get(ast.name);
      const args = ast.args.map((a) => this.render(a));
      try {
        const out = def?.fn?.(args, this.env, ast);
        if (typeof out === 'string') return out;
      } catch (e) {
        if (!(e instanceof TemplateError)) throw e;
      }
    }
    this.pieces.push(unparse(ast));
    return `${MARK}${this.pieces.length - 1}${MARK}`;
  }
}

/**
 * The name to show for a resource whose `name` (a JSON string from the template) evaluated to an
 * unknown value. `env` is the environment the name was evaluated in (copy index included);
 * `container`/`key` say where the string is written.
 */
export function displayName(src: string, env: Env, container: object, key: string): string {
  let ast = cachedExpression(src);
  if (ast === undefined) {
    const c = classifyString(src);
    if ('literal' in c) return c.literal;
    try {
      ast = parseExpression(c.expr);
    } catch (e) {
      if (e instanceof ExpressionSyntaxError) return src;
      throw e;
    }
  }
  const p = new Partial(withSite(env, { doc: env.doc, container, key, text: src }));
  const text = p.render(ast);
  if (text.replace(MARKS, '') === '') return src;
  return text.replace(MARKS, (_m, i: string) => `[${p.pieces[Number(i)]}]`);
}
