/**
 * Azure Policy expressions ("[parameters('x')]", "[concat('tags[', parameters('tag'), ']')]",
 * "[field('location')]"). They are template expressions with a few functions of their own: those
 * are computed here and handed to the template engine as values, so every shared function
 * (concat, toLower, if, split…) has one implementation, the engine's.
 *
 * What a policy only knows at deployment — resourceGroup(), subscription(), policy(), utcNow(),
 * field('id') — is unknown, never guessed.
 */
import { parseIpRange, rangeCovers } from '../../../common/net/ip';
import { evaluateExpression, parseExpression, type Ast } from '../engine';
import { unparse } from '../engine/display-name';
import { functionTable } from '../engine/evaluator';
import { TemplateError, UnknownValue, type EvaluatedValue } from '../model';

/** A function a policy may call that the template engine does not know. */
const POLICY_FUNCTIONS = new Set(['field', 'current', 'requestcontext', 'policy', 'iprangecontains', 'adddays']);
/** Template functions whose value at policy evaluation is the deployment's, not the template's. */
const DEPLOYMENT_ONLY: Record<string, string> = {
  resourcegroup: 'resourceGroup() is the resource group of the deployment',
  subscription: 'subscription() is the subscription of the deployment',
  tenant: 'tenant() is the tenant of the deployment',
  managementgroup: 'managementGroup() is the management group of the assignment',
  deployment: 'deployment() is not available to a policy',
  policy: 'policy() describes the assignment, which exists only in Azure',
  utcnow: 'utcNow() is the time of the evaluation',
};

export class PolicyExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyExpressionError';
  }
}

/** What an expression of a policy rule can read. */
export interface PolicyScope {
  parameters: Readonly<Record<string, EvaluatedValue>>;
  /** field(name): the value, null when absent, an UnknownValue when known only at deployment. */
  field(name: string): EvaluatedValue;
  /** current(name): the element of the count loop named so (innermost when no name). */
  current(name: string | undefined): EvaluatedValue;
  /** The API version of the resource (requestContext().apiVersion). */
  apiVersion?: string;
}

export function isExpression(s: unknown): boolean {
  return typeof s === 'string' && s.length >= 2 && s.startsWith('[') && s.endsWith(']') && !s.startsWith('[[');
}

/** Problems an expression has whatever it reads: syntax, and functions neither ARM nor Azure Policy knows. */
export function expressionProblem(text: string): string | undefined {
  let ast: Ast;
  try {
    ast = parseExpression(text);
  } catch (e) {
    return `invalid expression ${text}: ${(e as Error).message}`;
  }
  const table = functionTable();
  const unknown: string[] = [];
  const walk = (a: Ast): void => {
    if (a.k === 'call') {
      if (!POLICY_FUNCTIONS.has(a.name) && !table.has(a.name)) unknown.push(a.display);
      a.args.forEach(walk);
    } else if (a.k === 'prop') walk(a.target);
    else if (a.k === 'index') {
      walk(a.target);
      walk(a.index);
    }
  };
  walk(ast);
  return unknown.length ? `unknown function ${unknown.map((u) => `'${u}'`).join(', ')} in ${text}` : undefined;
}

/** Names of the parameters an expression reads with a literal name (parameters('x')). */
export function parameterReferences(text: string): string[] {
  const out: string[] = [];
  const walk = (a: Ast): void => {
    if (a.k === 'call') {
      const first = a.args[0];
      if (a.name === 'parameters' && first?.k === 'str') out.push(first.v);
      a.args.forEach(walk);
    } else if (a.k === 'prop') walk(a.target);
    else if (a.k === 'index') {
      walk(a.target);
      walk(a.index);
    }
  };
  try {
    walk(parseExpression(text));
  } catch {
    // Syntax errors are expressionProblem's to report.
  }
  return out;
}

/** A JSON value of a policy rule with its expression strings evaluated ("[[" unescaped). */
export function evaluatePolicyValue(raw: unknown, scope: PolicyScope): EvaluatedValue {
  if (typeof raw === 'string') {
    if (isExpression(raw)) return evaluateText(raw, scope);
    return raw.startsWith('[[') ? raw.slice(1) : raw;
  }
  if (Array.isArray(raw)) return raw.map((v) => evaluatePolicyValue(v, scope));
  if (raw !== null && typeof raw === 'object') {
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, evaluatePolicyValue(v, scope)]));
  }
  return raw as EvaluatedValue;
}

const SLOT = '__armgate_policy_';

function evaluateText(text: string, scope: PolicyScope): EvaluatedValue {
  const ast = parseExpression(text);
  const slots: EvaluatedValue[] = [];
  const rewritten = substitute(ast, scope, slots);
  if (rewritten instanceof UnknownValue) return rewritten;
  const parameters: Record<string, EvaluatedValue> = { ...scope.parameters };
  slots.forEach((v, i) => (parameters[`${SLOT}${i}`] = v));
  let value: EvaluatedValue;
  try {
    value = evaluateExpression(`[${unparse(rewritten)}]`, { parameters });
  } catch (e) {
    if (e instanceof TemplateError) throw new PolicyExpressionError(`${text}: ${e.message.replace(/ \(in expression .*\)$/s, '')}`);
    throw e;
  }
  // The engine's own location points into a synthetic template; the reason is what matters.
  return value instanceof UnknownValue ? new UnknownValue(value.reason, undefined, text) : value;
}

/** The AST with every policy function replaced by a parameter slot holding its value. */
function substitute(ast: Ast, scope: PolicyScope, slots: EvaluatedValue[]): Ast | UnknownValue {
  switch (ast.k) {
    case 'str':
    case 'num':
      return ast;
    case 'prop': {
      const target = substitute(ast.target, scope, slots);
      return target instanceof UnknownValue ? target : { ...ast, target };
    }
    case 'index': {
      const target = substitute(ast.target, scope, slots);
      if (target instanceof UnknownValue) return target;
      const index = substitute(ast.index, scope, slots);
      return index instanceof UnknownValue ? index : { ...ast, target, index };
    }
    case 'call': {
      const reason = Object.hasOwn(DEPLOYMENT_ONLY, ast.name) ? DEPLOYMENT_ONLY[ast.name] : undefined;
      if (reason) return new UnknownValue(`${reason}, known only at deployment`);
      if (POLICY_FUNCTIONS.has(ast.name)) return slot(policyCall(ast, scope, slots), slots);
      const args: Ast[] = [];
      for (const a of ast.args) {
        const s = substitute(a, scope, slots);
        if (s instanceof UnknownValue && !LAZY.has(ast.name)) return s;
        args.push(s instanceof UnknownValue ? slotAst(s, slots) : s);
      }
      return { ...ast, args };
    }
  }
}

/** Functions that may not evaluate every argument (if(), and(), or(), coalesce()). */
const LAZY = new Set(['if', 'and', 'or', 'coalesce']);

function slot(value: EvaluatedValue, slots: EvaluatedValue[]): Ast {
  return slotAst(value, slots);
}

function slotAst(value: EvaluatedValue, slots: EvaluatedValue[]): Ast {
  slots.push(value);
  return { k: 'call', name: 'parameters', display: 'parameters', args: [{ k: 'str', v: `${SLOT}${slots.length - 1}` }], pos: 0 };
}

function argValue(a: Ast | undefined, scope: PolicyScope, slots: EvaluatedValue[], what: string): EvaluatedValue {
  if (a === undefined) throw new PolicyExpressionError(`${what} needs an argument`);
  if (a.k === 'str' || a.k === 'num') return a.v;
  const s = substitute(a, scope, slots);
  if (s instanceof UnknownValue) return s;
  return evaluateText(`[${unparse(s)}]`, { ...scope, parameters: { ...scope.parameters, ...Object.fromEntries(slots.map((v, i) => [`${SLOT}${i}`, v])) } });
}

function policyCall(ast: Extract<Ast, { k: 'call' }>, scope: PolicyScope, slots: EvaluatedValue[]): EvaluatedValue {
  switch (ast.name) {
    case 'field': {
      const name = argValue(ast.args[0], scope, slots, 'field()');
      if (name instanceof UnknownValue) return name;
      if (typeof name !== 'string') throw new PolicyExpressionError('field() takes the name of a field or an alias');
      return scope.field(name);
    }
    case 'current': {
      const name = ast.args.length ? argValue(ast.args[0], scope, slots, 'current()') : undefined;
      if (name instanceof UnknownValue) return name;
      return scope.current(typeof name === 'string' ? name : undefined);
    }
    case 'requestcontext':
      return { apiVersion: scope.apiVersion ?? new UnknownValue('the resource has no apiVersion') };
    case 'iprangecontains': {
      const range = argValue(ast.args[0], scope, slots, 'ipRangeContains()');
      const target = argValue(ast.args[1], scope, slots, 'ipRangeContains()');
      if (range instanceof UnknownValue) return range;
      if (target instanceof UnknownValue) return target;
      if (typeof range !== 'string' || typeof target !== 'string') throw new PolicyExpressionError('ipRangeContains() takes two address texts');
      return ipRangeContains(range, target);
    }
    case 'adddays': {
      const date = argValue(ast.args[0], scope, slots, 'addDays()');
      const days = argValue(ast.args[1], scope, slots, 'addDays()');
      if (date instanceof UnknownValue) return date;
      if (days instanceof UnknownValue) return days;
      const t = typeof date === 'string' ? Date.parse(date) : NaN;
      if (Number.isNaN(t) || typeof days !== 'number') throw new PolicyExpressionError('addDays() takes a date time text and a number of days');
      return new Date(t + days * 86_400_000).toISOString();
    }
    default:
      return new UnknownValue(`${ast.display}() is known only at deployment`);
  }
}

/** Whether an address or range lies inside another (both IPv4 or IPv6); unknown for forms parsers read differently. */
function ipRangeContains(range: string, target: string): EvaluatedValue {
  const outer = parseIpRange(range.trim());
  const inner = parseIpRange(target.trim());
  if (!outer || !inner) return new UnknownValue(`ipRangeContains('${range}', '${target}'): not an address or range the gate reads the way Azure does`);
  if (outer.family !== inner.family) throw new PolicyExpressionError(`ipRangeContains('${range}', '${target}'): the addresses are of different families`);
  return rangeCovers(outer, inner);
}
