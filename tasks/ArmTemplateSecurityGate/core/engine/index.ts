/**
 * Public API of the ARM template engine: load a template (with its parameter file and
 * nested / linked templates) and evaluate it into the model the controls check.
 */
import { EvaluatedTemplate, EvaluatedValue, TemplateError } from '../model';
import { evaluateString } from './evaluator';
import { Ast, classifyString, parseExpression as parseAst, ExpressionSyntaxError } from './expression';
import { JsonValue, parseJsonDocument } from './json-source';
import { LIMITS, LimitError, withBudget } from './limits';
import { DeploymentContext, Env, withSite } from './runtime';
import {
  DEFAULT_CONTEXT, EngineFs, JsonKind, LoadOptions, ParamValues, TemplateScope, classifyValue, findParameterFileImpl, loadAndEvaluateImpl,
} from './template';
import { fromPlain } from './values';
export { isInsideFolder } from './template';

export type { Ast, DeploymentContext, EngineFs, JsonKind, LoadOptions };
export { DEFAULT_CONTEXT, ExpressionSyntaxError };
export { uniqueString, armGuid } from './hash';
export { LIMITS } from './limits';
export { DocumentCache } from './document-cache';
export { REDACTED, SecretTracker } from './secrets';

/**
 * Evaluates `file` (an ARM deployment template) with its parameter file (explicit, or
 * `<name>.parameters.json[c]` beside it). Throws TemplateError for a file it cannot evaluate;
 * linked templates that cannot be found become diagnostics.
 */
export function loadAndEvaluate(file: string, options: LoadOptions): EvaluatedTemplate {
  return loadAndEvaluateImpl(file, options);
}

/** The conventional parameter file of a template, if it exists. */
export function findParameterFile(templatePath: string, fs: EngineFs): string | undefined {
  return findParameterFileImpl(templatePath, fs);
}

/** Classifies JSON text by its `$schema`; unreadable JSON is 'other'. */
export function classifyJsonText(text: string): JsonKind {
  // Cheap pre-check so folders of unrelated JSON are not fully parsed.
  if (!/deployment(Template|Parameters)\.json/i.test(text)) return 'other';
  // Beyond ARM's size limit a file is classified by its $schema alone: evaluation refuses it
  // (naming the limit), and parsing it whole just to classify it would cost what the limit saves.
  if (text.length > LIMITS.templateBytes) {
    const schema = /"\$schema"\s*:\s*"([^"]*)"/.exec(text)?.[1]?.toLowerCase() ?? '';
    return schema.includes('deploymentparameters.json') ? 'parameters' : schema.includes('deploymenttemplate.json') ? 'template' : 'other';
  }
  try {
    return classifyValue(parseJsonDocument('<text>', '<text>', text).value);
  } catch (e) {
    if (e instanceof TemplateError) return 'other';
    throw e;
  }
}

/** Reads `file` through `fs` and classifies it. */
export function classifyJson(file: string, fs: EngineFs): JsonKind {
  return classifyJsonText(fs.readFile(file));
}

export function isTemplateDocument(text: string): boolean {
  return classifyJsonText(text) === 'template';
}

/** Parses an expression string: "[concat('a', 'b')]" (brackets included). */
export function parseExpression(text: string): Ast {
  const c = classifyString(text);
  if ('literal' in c) throw new ExpressionSyntaxError(`'${text}' is not an expression (it must start with '[' and end with ']')`, 0);
  return parseAst(c.expr);
}

export interface ExpressionOptions {
  /** Parameter values (already evaluated); declared as parameters of a synthetic template. */
  parameters?: Record<string, EvaluatedValue>;
  /** Parameter declarations (type, defaultValue) for parameters without a value. */
  parameterDeclarations?: Record<string, JsonValue>;
  variables?: Record<string, JsonValue>;
  functions?: JsonValue[];
  deploymentContext?: Partial<DeploymentContext>;
}

/**
 * Evaluates one JSON string value ("[...]", "[[literal]" or a plain literal) in a synthetic
 * template holding the given parameters, variables and functions. For tests and tooling: throws
 * TemplateError for an expression that cannot be evaluated, also inside what it reads.
 */
export function evaluateExpression(text: string, options: ExpressionOptions = {}): EvaluatedValue {
  const declared = new Map<string, JsonValue>(Object.entries(options.parameterDeclarations ?? {}));
  for (const k of Object.keys(options.parameters ?? {})) if (!declared.has(k)) declared.set(k, { type: 'object' });
  const params = Object.fromEntries(declared);
  const tplText = JSON.stringify({
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    parameters: params,
    variables: options.variables ?? {},
    functions: options.functions ?? [],
    resources: [],
    expression: text,
  });
  const { doc, value } = parseJsonDocument('<expression>', '/expression.json', tplText);
  const supplied = new ParamValues();
  for (const [k, v] of Object.entries(options.parameters ?? {})) supplied.set(k.toLowerCase(), fromPlain(v, `parameter '${k}'`));
  const scope = TemplateScope.standalone(doc, value as { [k: string]: EvaluatedValue }, supplied, options.deploymentContext);
  const holder = value as { [k: string]: JsonValue };
  const env: Env = withSite(scope.env, { doc, offset: doc.memberOffset(holder, 'expression') ?? 0, text });
  try {
    const v = withBudget(scope.budget, () => evaluateString(text, env));
    // One expression: an error inside a variable or parameter it reads is its error.
    const error = scope.errors()[0];
    if (error) throw new TemplateError(error.message, error.location);
    return v;
  } catch (e) {
    if (e instanceof LimitError) throw new TemplateError(e.message, e.location ?? doc.location(doc.memberOffset(holder, 'expression') ?? 0));
    throw e;
  }
}
