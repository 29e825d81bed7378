/**
 * The shape of a template function and the argument checks they share. Every category file
 * registers its functions into one Registry; the evaluator builds the table once, handing in its
 * own entry points (functions never import the evaluator).
 */
import { EvaluatedValue, UnknownValue } from '../../model';
import type { Ast } from '../expression';
import { budget, LimitError } from '../limits';
import { Env, Evaluator, siteError } from '../runtime';
import type { Taint } from '../taint';
import { LambdaValue, Obj, RuntimeValue, findUnknown, isObj, toArmString, typeName } from '../values';

export type CallNode = Extract<Ast, { k: 'call' }>;

export interface FunctionDef {
  min: number;
  max: number;
  /** Receives evaluated arguments; unknown arguments short-circuit unless acceptsUnknown. */
  fn?: (args: RuntimeValue[], env: Env, node: CallNode) => RuntimeValue;
  /** Receives unevaluated arguments (if, and, or, coalesce, lambda...). */
  lazy?: (args: Ast[], env: Env, node: CallNode) => RuntimeValue;
  acceptsUnknown?: boolean;
  /**
   * Returns a value that already exists (parameters(), variables(), first()...): it is not
   * counted as produced, and a container keeps its own taint instead of becoming secure as a whole.
   */
  passes?: boolean;
  /**
   * Whether the result is secure, for functions that know better than "any argument was"
   * (createArray marks which element is, first() reads its element's mark). May mark the result.
   */
  taint?: (args: RuntimeValue[], argTaint: readonly boolean[], out: RuntimeValue, taint: Taint) => boolean;
}

export class Registry {
  readonly table = new Map<string, FunctionDef>();

  constructor(readonly ev: Evaluator, private readonly canonical: (lower: string) => string) {}

  def(names: string, min: number, max: number, fn: NonNullable<FunctionDef['fn']>, extra: Partial<FunctionDef> = {}): void {
    for (const name of names.split(',')) this.table.set(this.canonical(name.trim().toLowerCase()), { min, max, fn, ...extra });
  }

  lazy(names: string, min: number, max: number, fn: NonNullable<FunctionDef['lazy']>): void {
    for (const name of names.split(',')) this.table.set(this.canonical(name.trim().toLowerCase()), { min, max, lazy: fn });
  }
}

// ---- argument checks -------------------------------------------------------------------

export function str(v: RuntimeValue, env: Env, node: CallNode, i: number): string {
  if (typeof v !== 'string') throw siteError(env, `${node.display}(): argument ${i + 1} must be a string, got ${typeName(v)}`);
  return v;
}
export function int(v: RuntimeValue, env: Env, node: CallNode, i: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw siteError(env, `${node.display}(): argument ${i + 1} must be an integer, got ${typeName(v)}`);
  return v;
}
export function num(v: RuntimeValue, env: Env, node: CallNode, i: number): number {
  if (typeof v !== 'number') throw siteError(env, `${node.display}(): argument ${i + 1} must be a number, got ${typeName(v)}`);
  return v;
}
export function arr(v: RuntimeValue, env: Env, node: CallNode, i: number): EvaluatedValue[] {
  if (!Array.isArray(v)) throw siteError(env, `${node.display}(): argument ${i + 1} must be an array, got ${typeName(v)}`);
  return v;
}
export function obj(v: RuntimeValue, env: Env, node: CallNode, i: number): Obj {
  if (!isObj(v)) throw siteError(env, `${node.display}(): argument ${i + 1} must be an object, got ${typeName(v)}`);
  return v;
}
export function bool(v: RuntimeValue, env: Env, node: CallNode, i: number): boolean {
  if (typeof v !== 'boolean') throw siteError(env, `${node.display}(): argument ${i + 1} must be a bool, got ${typeName(v)}`);
  return v;
}
export function lam(v: RuntimeValue, env: Env, node: CallNode, i: number, params: number): LambdaValue {
  if (!(v instanceof LambdaValue)) throw siteError(env, `${node.display}(): argument ${i + 1} must be a lambda`);
  if (v.params.length !== params) throw siteError(env, `${node.display}(): the lambda must take ${params} parameter(s)`);
  return v;
}
export function val(v: RuntimeValue, env: Env, node: CallNode): EvaluatedValue {
  if (v instanceof LambdaValue) throw siteError(env, `${node.display}(): a lambda is not allowed here`);
  return v;
}

/** Strings built from values with unknown parts are unknown as a whole. */
export function stringOf(v: EvaluatedValue): string | UnknownValue {
  if (v !== null && typeof v === 'object') {
    const u = findUnknown(v);
    if (u) return u;
  }
  return toArmString(v, budget().charsLeft());
}

/** Refuses to build a string of `length` characters when the template's budget has not that many left. */
export function checkText(length: number, what: string): void {
  const left = budget().charsLeft();
  if (length > left) throw new LimitError(`${what} would build a string of ${length} characters, beyond the gate's budget per template (${left} left)`);
}
