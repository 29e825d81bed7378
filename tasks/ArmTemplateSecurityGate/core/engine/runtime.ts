/**
 * What evaluation runs in: where an expression is written (Site), what it can see (Env, EvalHost)
 * and how it fails (siteError, unknownAt). Shared by the evaluator, the function library and the
 * template layer; it depends on none of them, so they do not depend on each other in a circle.
 */
import { EvaluatedValue, TemplateError, UnknownValue } from '../model';
import type { Ast } from './expression';
import type { JsonValue, SourceDoc } from './json-source';
import type { SecretTracker } from './secrets';
import type { Taint } from './taint';
import type { LambdaValue, RuntimeValue } from './values';

/** Where the string being evaluated is written. */
export interface Site {
  doc: SourceDoc;
  /** Offset of the string, or resolved lazily from container + key (most sites never need it). */
  offset?: number;
  container?: object;
  key?: string | number;
  text: string;
}

export function siteOffset(site: Site): number {
  if (site.offset === undefined) {
    site.offset = (site.container !== undefined && site.key !== undefined ? site.doc.memberOffset(site.container, site.key) : undefined) ?? 0;
  }
  return site.offset;
}

export interface CopyBinding {
  /** Lower-cased loop name; '' for an unnamed (resource/output) loop. */
  name: string;
  /** True for resource and output loops, which copyIndex() without a name refers to. */
  resourceLoop: boolean;
  index: number | UnknownValue;
  parent?: CopyBinding;
}

export interface UserFunction {
  /** namespace.name as declared, for messages. */
  name: string;
  parameters: string[];
  output: JsonValue;
  /** The function's own namespace container, for source positions. */
  container: object;
  doc: SourceDoc;
}

export interface DeploymentContext {
  subscriptionId: string;
  tenantId: string;
  resourceGroupName: string;
  /** When absent, resourceGroup().location / deployment().location are unknown. */
  location?: string;
  deploymentName: string;
}

export interface Origin {
  doc: SourceDoc;
  /** Source container the evaluated container was produced from. */
  src?: object;
  /** Evaluated key (lower case) → offset, for keys produced by a property copy. */
  copyKeys?: Map<string, number>;
  /** For arrays produced by a copy: every element comes from this offset. */
  itemOffset?: number;
}

export interface EvalHost {
  context: DeploymentContext;
  /** A parameter's value; marks it secure (taint.force()) when it is. */
  parameter(name: string, env: Env): EvaluatedValue;
  /** A variable's value; marks it secure (taint.force()) when it was computed from a secure value. */
  variable(name: string, env: Env): EvaluatedValue;
  userFunction(lowerFullName: string): UserFunction | undefined;
  deployment(env: Env): EvaluatedValue;
  diagnostic(severity: 'error' | 'warning' | 'info', message: string, site: Site): void;
  /** An expression that cannot be evaluated: reported as an error of the template, which is evaluated on. */
  evaluationError(error: TemplateError): void;
  /** Evaluated container → its source; shared by everything evaluated for one scan. */
  origins: Map<object, Origin>;
  /** Secure parameter values of the scan and what is computed from them. */
  secrets: SecretTracker;
  taint: Taint;
}

export interface Env {
  host: EvalHost;
  doc: SourceDoc;
  site: Site;
  copy?: CopyBinding;
  lambda?: Map<string, EvaluatedValue>;
  /** The lambda runs over secure values: its variables are secure. */
  lambdaSecure?: boolean;
  /** Set inside a user-defined function: parameters() reads these, variables() is not allowed. */
  fnParams?: Map<string, EvaluatedValue>;
  /** Parameters of the user-defined function that were given secure values. */
  fnSecure?: Set<string>;
  /** The user-defined function being evaluated, for the rules ARM sets on their bodies. */
  fn?: UserFunction;
}

/**
 * An Env with every field present, always in this order. Envs are made for every expression string
 * and copy instance, and read on every evaluation step: one shape keeps those reads monomorphic
 * (spreading `{ ...env }` made a different shape for each set of fields present).
 */
export function makeEnv(
  host: EvalHost, doc: SourceDoc, site: Site, copy?: CopyBinding, lambda?: Map<string, EvaluatedValue>, lambdaSecure?: boolean,
  fnParams?: Map<string, EvaluatedValue>, fnSecure?: Set<string>, fn?: UserFunction,
): Env {
  return { host, doc, site, copy, lambda, lambdaSecure, fnParams, fnSecure, fn };
}

/** `env` at another site. */
export function withSite(env: Env, site: Site): Env {
  return makeEnv(env.host, env.doc, site, env.copy, env.lambda, env.lambdaSecure, env.fnParams, env.fnSecure, env.fn);
}

/** `env` inside a copy instance. */
export function withCopy(env: Env, copy: CopyBinding | undefined): Env {
  return makeEnv(env.host, env.doc, env.site, copy, env.lambda, env.lambdaSecure, env.fnParams, env.fnSecure, env.fn);
}

/** The evaluator's entry points, handed to the function library (which must not import the evaluator). */
export interface Evaluator {
  evalAst(ast: Ast, env: Env): RuntimeValue;
  callLambda(l: LambdaValue, values: EvaluatedValue[], env: Env): EvaluatedValue;
}

export function siteLocation(env: Env): TemplateError['location'] {
  return env.site.doc.location(siteOffset(env.site));
}

export function siteError(env: Env, message: string): TemplateError {
  const text = env.site.text.length > 200 ? `${env.site.text.slice(0, 200)}...` : env.site.text;
  return new TemplateError(`${message} (in expression ${text})`, siteLocation(env));
}

export function unknownAt(env: Env, reason: string): UnknownValue {
  return new UnknownValue(reason, siteLocation(env), env.site.text);
}
