/**
 * Azure Policy's condition language (policyRule.if), read strictly from a document and evaluated on
 * one evaluated resource with three outcomes: true, false, or unknown when the answer depends on a
 * value known only at deployment (or on an alias the shipped table does not hold). Unknown never
 * turns into true or false: allOf is false as soon as one part is false, true only when every part
 * is; anyOf the other way round; not keeps unknown.
 */
import { UnknownValue, type EvaluatedResource, type EvaluatedValue } from '../model';
import { findUnknown, isObject, prop } from '../controls/helpers/lookup';
import type { DocNode, DocReader } from '../documents';
import { resolveAlias, tableCoversType, ALIAS_TABLE_VERSION } from './aliases';
import { evaluatePolicyValue, expressionProblem, isExpression, parameterReferences, type PolicyScope } from './expressions';

export const OPERATORS = [
  'equals', 'notEquals', 'like', 'notLike', 'match', 'matchInsensitively', 'notMatch', 'notMatchInsensitively',
  'contains', 'notContains', 'in', 'notIn', 'containsKey', 'notContainsKey', 'less', 'lessOrEquals', 'greater', 'greaterOrEquals', 'exists',
] as const;
export type Operator = (typeof OPERATORS)[number];

export type Condition =
  | { kind: 'allOf' | 'anyOf'; items: Condition[]; line: number }
  | { kind: 'not'; item: Condition; line: number }
  | { kind: 'leaf'; operand: Operand; operator: Operator; expected: unknown; line: number };

export type Operand =
  | { kind: 'field'; field: string }
  | { kind: 'value'; value: unknown }
  | { kind: 'count'; field?: string; value?: unknown; name?: string; where?: Condition };

// ---- reading -------------------------------------------------------------------------------

/** Reads a condition; every problem is an error at its line. Expressions are checked for syntax and known functions. */
export interface ReadOptions {
  /** Declared parameter names (lower case): an expression reading another is an error. */
  parameters: ReadonlySet<string>;
}

export function readCondition(r: DocReader, node: DocNode | undefined, what: string, options: ReadOptions): Condition {
  if (!node || node.kind !== 'map') r.fail(node, `${what} must be a condition (a mapping with field, value or count and an operator, or allOf, anyOf, not)`);
  const keys = node.entries!.map((e) => e.key.toLowerCase());
  const logical = ['allof', 'anyof', 'not'].filter((k) => keys.includes(k));
  if (logical.length) {
    if (node.entries!.length !== 1) r.fail(node, `${what}: '${logical[0]}' stands alone in its mapping`);
    const e = node.entries![0];
    const kind = e.key.toLowerCase() === 'not' ? 'not' : e.key.toLowerCase() === 'allof' ? 'allOf' : 'anyOf';
    if (kind === 'not') return { kind, item: readCondition(r, e.node, `${what}.not`, options), line: node.line };
    const items = r.list(e.node, `${what}.${kind}`);
    if (items.length === 0) r.fail(e.node, `${what}.${kind} must list at least one condition`);
    return { kind, items: items.map((n, i) => readCondition(r, n, `${what}.${kind}[${i}]`, options)), line: node.line };
  }
  const fields = r.map(node, what, ['field', 'value', 'count', ...OPERATORS], { caseInsensitive: true });
  const operands = ['field', 'value', 'count'].filter((k) => fields.has(k));
  if (operands.length !== 1) r.fail(node, `${what} needs exactly one of field, value or count (found ${operands.length ? operands.join(', ') : 'none'})`);
  const operators = OPERATORS.filter((o) => fields.has(o));
  if (operators.length !== 1) r.fail(node, `${what} needs exactly one operator (${OPERATORS.join(', ')}); found ${operators.length ? operators.join(', ') : 'none'}`);
  const operator = operators[0];
  const expectedNode = fields.get(operator)!;
  checkExpressions(r, options, expectedNode);
  if (operator === 'exists' && !isBoolish(expectedNode.value) && !isExpression(expectedNode.value)) r.fail(expectedNode, `${what}: exists takes true or false`);
  if ((operator === 'in' || operator === 'notIn') && expectedNode.kind !== 'list' && !isExpression(expectedNode.value)) {
    r.fail(expectedNode, `${what}: ${operator} takes a list (or an expression giving one)`);
  }
  const operandNode = fields.get(operands[0])!;
  let operand: Operand;
  if (operands[0] === 'field') {
    const field = r.string(operandNode, `${what}.field`);
    checkExpressions(r, options, operandNode);
    operand = { kind: 'field', field };
  } else if (operands[0] === 'value') {
    checkExpressions(r, options, operandNode);
    operand = { kind: 'value', value: operandNode.value };
  } else {
    operand = readCount(r, operandNode, `${what}.count`, options);
  }
  return { kind: 'leaf', operand, operator, expected: expectedNode.value, line: node.line };
}

function readCount(r: DocReader, node: DocNode, what: string, options: ReadOptions): Operand {
  const fields = r.map(node, what, ['field', 'value', 'name', 'where'], { caseInsensitive: true });
  const field = fields.get('field');
  const value = fields.get('value');
  if ((field === undefined) === (value === undefined)) r.fail(node, `${what} needs either field (an array alias ending in [*]) or value`);
  const name = fields.get('name');
  if (name !== undefined && value === undefined) r.fail(name, `${what}: name goes with value, not with field`);
  const where = fields.get('where');
  const out: Operand = { kind: 'count' };
  if (field !== undefined) {
    out.field = r.string(field, `${what}.field`);
    checkExpressions(r, options, field);
    if (!isExpression(out.field) && !out.field.trim().endsWith('[*]')) r.fail(field, `${what}.field must be an array alias ending in [*], not '${out.field}'`);
  }
  if (value !== undefined) {
    checkExpressions(r, options, value);
    out.value = value.value;
  }
  if (name !== undefined) out.name = r.string(name, `${what}.name`);
  if (where !== undefined) out.where = readCondition(r, where, `${what}.where`, options);
  return out;
}

export function checkExpressions(r: DocReader, options: ReadOptions, node: DocNode): void {
  if (node.kind === 'scalar') {
    if (isExpression(node.value)) {
      const text = node.value as string;
      const problem = expressionProblem(text);
      if (problem) r.fail(node, problem);
      const missing = parameterReferences(text).find((p) => !options.parameters.has(p.toLowerCase()));
      if (missing !== undefined) r.fail(node, `${text} reads parameter '${missing}', which is not declared`);
    }
    return;
  }
  for (const child of node.items ?? node.entries?.map((e) => e.node) ?? []) checkExpressions(r, options, child);
}

function isBoolish(v: unknown): boolean {
  return typeof v === 'boolean' || (typeof v === 'string' && /^(true|false)$/i.test(v));
}

// ---- evaluating ----------------------------------------------------------------------------

export type PathSegment = string | number;

export interface Truth {
  state: boolean | 'unknown';
  /** Why, in words: "location is 'eastus'", "field 'x' is known only at deployment: …". */
  detail: string;
  /** The path of the deciding value in the resource body, for the result's line. */
  at?: PathSegment[];
}

export interface EvaluationScope {
  resource: EvaluatedResource;
  parameters: Readonly<Record<string, EvaluatedValue>>;
}

interface CountFrame {
  /** A field count: the resolved path of the array (lower case, ending in [*]); a value count: its name. */
  path?: string;
  name?: string;
  element: EvaluatedValue;
  at: PathSegment[];
}

interface Context extends EvaluationScope {
  frames: CountFrame[];
}

export function evaluateCondition(condition: Condition, scope: EvaluationScope): Truth {
  return evaluate(condition, { ...scope, frames: [] });
}

function evaluate(c: Condition, ctx: Context): Truth {
  switch (c.kind) {
    case 'not': {
      const t = evaluate(c.item, ctx);
      return { ...t, state: t.state === 'unknown' ? 'unknown' : !t.state };
    }
    case 'allOf':
    case 'anyOf': {
      const decisive = c.kind === 'allOf' ? false : true;
      const results: Truth[] = [];
      for (const item of c.items) {
        const t = evaluate(item, ctx);
        if (t.state === decisive) return t;
        results.push(t);
      }
      const unknown = results.find((t) => t.state === 'unknown');
      if (unknown) return unknown;
      const shown = results.filter((t) => t.detail !== '');
      return { state: !decisive, detail: shown.map((t) => t.detail).join('; '), at: shown.find((t) => t.at)?.at };
    }
    case 'leaf':
      return leaf(c, ctx);
  }
}

/** A value read for a condition: one value, several (an array alias outside a count), or unknown. */
type Read =
  | { kind: 'one'; value: EvaluatedValue | undefined; at?: PathSegment[] }
  | { kind: 'each'; items: Read[]; at?: PathSegment[] }
  /** unset: the property may as well be absent (an alias the table lacks), so even `exists` is unknown. */
  | { kind: 'unknown'; reason: string; at?: PathSegment[]; unset?: 'maybe' };

function leaf(c: Extract<Condition, { kind: 'leaf' }>, ctx: Context): Truth {
  const expected = evaluatePolicyValue(c.expected, policyScope(ctx));
  const u = findUnknown(expected);
  if (u) return { state: 'unknown', detail: `the value to compare with is known only at deployment: ${u.reason}` };
  let read: Read;
  let label: string;
  if (c.operand.kind === 'count') {
    const counted = count(c.operand, ctx);
    if (counted.kind === 'unknown') return { state: 'unknown', detail: counted.reason, at: counted.at };
    label = `the count of ${c.operand.field ?? 'values'}${c.operand.where ? ' meeting the where condition' : ''}`;
    if (counted.min !== counted.max) {
      const low = compare(c.operator, counted.min, expected);
      const high = compare(c.operator, counted.max, expected);
      // Every count the unknown elements allow gives the same answer, or the answer is unknown.
      const all = Array.from({ length: counted.max - counted.min + 1 }, (_, i) => compare(c.operator, counted.min + i, expected));
      if (all.every((x) => x === low) && low === high) return { state: low, detail: `${label} is between ${counted.min} and ${counted.max}`, at: counted.at };
      return { state: 'unknown', detail: `${label} is between ${counted.min} and ${counted.max}: ${counted.reason}`, at: counted.at };
    }
    read = { kind: 'one', value: counted.min, at: counted.at };
  } else if (c.operand.kind === 'value') {
    const v = evaluatePolicyValue(c.operand.value, policyScope(ctx));
    const inner = findUnknown(v);
    read = inner ? { kind: 'unknown', reason: inner.reason } : { kind: 'one', value: v === null ? undefined : v };
    label = typeof c.operand.value === 'string' ? `value ${c.operand.value}` : 'the value';
  } else {
    const name = fieldName(c.operand.field, ctx);
    if (name instanceof UnknownValue) return { state: 'unknown', detail: `the field name is known only at deployment: ${name.reason}` };
    read = readField(name, ctx);
    label = name;
  }
  return judge(read, c.operator, expected, label);
}

function judge(read: Read, operator: Operator, expected: EvaluatedValue, label: string): Truth {
  if (read.kind === 'unknown') {
    if (operator === 'exists' && read.unset === undefined) return { state: true === expectsTrue(expected), detail: `${label} is set (its value is known only at deployment)`, at: read.at };
    return { state: 'unknown', detail: `${label}: ${read.reason}`, at: read.at };
  }
  if (read.kind === 'each') {
    // An array alias outside count: the condition holds when every member meets it (none for an empty array).
    let firstUnknown: Truth | undefined;
    for (const item of read.items) {
      const t = judge(item, operator, expected, label);
      if (t.state === false) return t;
      if (t.state === 'unknown') firstUnknown ??= t;
    }
    if (firstUnknown) return firstUnknown;
    return { state: true, detail: read.items.length ? `every member of ${label} meets "${operator} ${shortly(expected)}"` : `${label} has no members`, at: read.at };
  }
  const value = read.value;
  if (value !== undefined && operator !== 'exists') {
    const inner = findUnknown(value);
    if (inner) return { state: 'unknown', detail: `${label} is known only at deployment: ${inner.reason}`, at: read.at };
  }
  const state = compare(operator, value, expected);
  const shown = value === undefined ? 'not set' : `${shortly(value)}`;
  return { state, detail: label === 'type' ? '' : `${label} is ${shown} (${state ? '' : 'not '}${operator} ${shortly(expected)})`, at: read.at };
}

// ---- fields ---------------------------------------------------------------------------------

function policyScope(ctx: Context): PolicyScope {
  return {
    parameters: ctx.parameters,
    apiVersion: ctx.resource.apiVersion,
    field: (name) => {
      const r = readField(name, ctx);
      return readToValue(r, name);
    },
    current: (name) => {
      const frame = name === undefined ? ctx.frames[ctx.frames.length - 1] : findFrame(ctx, name);
      if (!frame) return new UnknownValue(`current(${name === undefined ? '' : `'${name}'`}) is used outside a count that defines it`);
      return frame.element;
    },
  };
}

function readToValue(r: Read, name: string): EvaluatedValue {
  if (r.kind === 'unknown') return new UnknownValue(`${name}: ${r.reason}`);
  if (r.kind === 'each') return r.items.map((i) => readToValue(i, name));
  return r.value === undefined ? null : r.value;
}

function findFrame(ctx: Context, name: string): CountFrame | undefined {
  const lower = name.toLowerCase();
  for (let i = ctx.frames.length - 1; i >= 0; i--) {
    const f = ctx.frames[i];
    if (f.name !== undefined && f.name.toLowerCase() === lower) return f;
    if (f.path !== undefined) {
      const resolved = resolveFieldPath(name, ctx.resource);
      if (resolved.kind === 'path' && resolved.path.toLowerCase() === f.path) return f;
    }
  }
  return undefined;
}

function fieldName(field: string, ctx: Context): string | UnknownValue {
  if (!isExpression(field)) return field;
  const v = evaluatePolicyValue(field, policyScope(ctx));
  if (v instanceof UnknownValue) return v;
  if (typeof v !== 'string') return new UnknownValue(`the field expression ${field} does not give a name`);
  return v;
}

/** What a field name stands for on a resource: a property path, a value of the resource itself, or nothing. */
type FieldTarget =
  | { kind: 'path'; path: string }
  | { kind: 'value'; read: Read }
  | { kind: 'absent' }
  | { kind: 'unknownAlias'; alias: string };

const TAG = /^tags(?:\.(.+)|\[['"]?(.+?)['"]?\])$/i;

function resolveFieldPath(field: string, resource: EvaluatedResource): FieldTarget {
  const name = field.trim();
  const lower = name.toLowerCase();
  switch (lower) {
    case 'type':
      return { kind: 'value', read: { kind: 'one', value: resource.type } };
    case 'fullname':
      return { kind: 'value', read: nameRead(resource.name) };
    case 'name':
      return { kind: 'value', read: nameRead(resource.name.split('/').pop() ?? resource.name) };
    case 'id':
      return { kind: 'value', read: { kind: 'unknown', reason: "field('id') holds the subscription and resource group of the deployment" } };
    case 'location':
      return { kind: 'value', read: locationRead(resource) };
    case 'kind':
    case 'tags':
    case 'identity.type':
    case 'identity.userassignedidentities':
      return { kind: 'path', path: name };
  }
  const tag = TAG.exec(name);
  if (tag) return { kind: 'value', read: tagRead(resource, tag[1] ?? tag[2] ?? '') };
  if (!name.includes('/')) return { kind: 'path', path: name };
  const alias = resolveAlias(name);
  if (alias) {
    const path = alias.paths.get(resource.type.toLowerCase());
    return path === undefined ? { kind: 'absent' } : { kind: 'path', path };
  }
  return belongsTo(name, resource.type) ? { kind: 'unknownAlias', alias: name } : { kind: 'absent' };
}

/**
 * Whether an alias the table does not hold could be one of this resource's: it is of the resource's
 * namespace and not written under another type the table knows (Microsoft.Web/sites/config/x is no
 * alias of a site when the table holds sites/config).
 */
function belongsTo(alias: string, type: string): boolean {
  const a = alias.toLowerCase().split('/');
  const t = type.toLowerCase();
  if (a[0] !== t.split('/')[0]) return false;
  for (let i = a.length - 1; i >= 2; i--) {
    const candidate = a.slice(0, i).join('/');
    if (candidate === t) return true;
    if (tableCoversType(candidate)) return false;
  }
  return true;
}

function nameRead(name: string): Read {
  // A name known only at deployment reads as its expression text ("[parameters('name')]").
  return /\[[^\]]*\(/.test(name) ? { kind: 'unknown', reason: `the name ${name} is known only at deployment` } : { kind: 'one', value: name };
}

/** Azure stores locations in their short form ("West Europe" is westeurope), which policies compare. */
function locationRead(resource: EvaluatedResource): Read {
  const v = prop(resource.body, 'location');
  if (v instanceof UnknownValue) return { kind: 'unknown', reason: `location is known only at deployment: ${v.reason}`, at: ['location'] };
  if (typeof v === 'string') return { kind: 'one', value: v.replace(/\s+/g, '').toLowerCase(), at: ['location'] };
  return { kind: 'one', value: v === null ? undefined : v, at: ['location'] };
}

function tagRead(resource: EvaluatedResource, tag: string): Read {
  const tags = prop(resource.body, 'tags');
  if (tags instanceof UnknownValue) return { kind: 'unknown', reason: `tags are known only at deployment: ${tags.reason}`, at: ['tags'] };
  if (!isObject(tags)) return { kind: 'one', value: undefined, at: ['tags'] };
  const v = prop(tags, tag);
  if (v instanceof UnknownValue) return { kind: 'unknown', reason: `tag '${tag}' is known only at deployment: ${v.reason}`, at: ['tags', tag] };
  return { kind: 'one', value: v === null ? undefined : v, at: ['tags', tag] };
}

function readField(field: string, ctx: Context): Read {
  const target = resolveFieldPath(field, ctx.resource);
  switch (target.kind) {
    case 'value':
      return target.read;
    case 'absent':
      return { kind: 'one', value: undefined };
    case 'unknownAlias':
      return { kind: 'unknown', reason: `alias '${target.alias}' is not in the gate's alias table (version ${ALIAS_TABLE_VERSION}), so its value is not known`, unset: 'maybe' };
    case 'path': {
      const segments = parseAliasPath(target.path);
      // Inside a count over this array, [*] is the current element.
      const lower = target.path.toLowerCase();
      for (let i = ctx.frames.length - 1; i >= 0; i--) {
        const f = ctx.frames[i];
        if (f.path !== undefined && (lower === f.path || lower.startsWith(`${f.path}.`) || lower.startsWith(`${f.path}[`))) {
          return walk(f.element, parseAliasPath(target.path.slice(f.path.length)), f.at);
        }
      }
      return walk(ctx.resource.body, segments, []);
    }
  }
}

/** "properties.rules[*].value" → ['properties', 'rules', '*', 'value']; "['a.b']" keeps dots in a key. */
export function parseAliasPath(path: string): string[] {
  const out: string[] = [];
  const re = /\.?([^.[\]]+)|\[\*\]|\[['"]([^'"]*)['"]\]|\[(\d+)\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path)) !== null) {
    if (m[0] === '[*]') out.push('*');
    else out.push(m[1] ?? m[2] ?? m[3] ?? '');
  }
  return out;
}

function walk(root: EvaluatedValue, segments: readonly string[], at: PathSegment[]): Read {
  let current: EvaluatedValue | undefined = root;
  const here = [...at];
  for (let i = 0; i < segments.length; i++) {
    if (current instanceof UnknownValue) return { kind: 'unknown', reason: `${here.join('.') || 'the value'} is known only at deployment: ${current.reason}`, at: here };
    const seg = segments[i];
    if (seg === '*') {
      if (current === undefined || current === null) return { kind: 'each', items: [], at: here };
      if (!Array.isArray(current)) return { kind: 'one', value: undefined, at: here };
      const rest = segments.slice(i + 1);
      const items = current.map((el, n) => walk(el, rest, [...here, n]));
      return { kind: 'each', items: items.flatMap((r) => (r.kind === 'each' ? r.items : [r])), at: here };
    }
    if (!isObject(current)) return { kind: 'one', value: undefined, at: here };
    const next = prop(current, seg);
    const key = Object.keys(current).find((k) => k.toLowerCase() === seg.toLowerCase()) ?? seg;
    here.push(key);
    current = next === null ? undefined : next;
    if (current === undefined) return { kind: 'one', value: undefined, at: here };
  }
  if (current instanceof UnknownValue) return { kind: 'unknown', reason: `${here.join('.')} is known only at deployment: ${current.reason}`, at: here };
  return { kind: 'one', value: current, at: here };
}

// ---- count ----------------------------------------------------------------------------------

type Counted = { kind: 'range'; min: number; max: number; reason: string; at?: PathSegment[] } | { kind: 'unknown'; reason: string; at?: PathSegment[] };

function count(op: Extract<Operand, { kind: 'count' }>, ctx: Context): Counted & { min: number; max: number } | Extract<Counted, { kind: 'unknown' }> {
  let elements: Array<{ value: EvaluatedValue; at: PathSegment[] }>;
  let frame: (element: EvaluatedValue, at: PathSegment[]) => CountFrame;
  let at: PathSegment[] | undefined;
  if (op.field !== undefined) {
    const name = fieldName(op.field, ctx);
    if (name instanceof UnknownValue) return { kind: 'unknown', reason: `the counted field is known only at deployment: ${name.reason}` };
    const target = resolveFieldPath(name, ctx.resource);
    const read = readField(name, ctx);
    if (read.kind === 'unknown') return { kind: 'unknown', reason: `${name}: ${read.reason}`, at: read.at };
    at = read.at;
    const items = read.kind === 'each' ? read.items : [];
    elements = [];
    for (const item of items) {
      if (item.kind === 'unknown') return { kind: 'unknown', reason: `${name}: ${item.reason}`, at: item.at };
      if (item.kind === 'one') elements.push({ value: item.value ?? null, at: item.at ?? [] });
    }
    const path = target.kind === 'path' ? target.path.toLowerCase() : name.toLowerCase();
    frame = (element, elAt) => ({ path, element, at: elAt });
  } else {
    const v = evaluatePolicyValue(op.value, policyScope(ctx));
    if (v instanceof UnknownValue) return { kind: 'unknown', reason: `the counted value is known only at deployment: ${v.reason}` };
    const list = Array.isArray(v) ? v : [v];
    elements = list.map((value) => ({ value, at: [] }));
    frame = (element) => ({ name: op.name, element, at: [] });
  }
  let min = 0;
  let max = 0;
  let reason = '';
  let decidingAt: PathSegment[] | undefined;
  for (const el of elements) {
    if (!op.where) {
      min++;
      max++;
      continue;
    }
    const t = evaluate(op.where, { ...ctx, frames: [...ctx.frames, frame(el.value, el.at)] });
    if (t.state === true) {
      min++;
      max++;
      decidingAt ??= t.at ?? el.at;
    } else if (t.state === 'unknown') {
      max++;
      reason ||= t.detail;
      decidingAt ??= t.at ?? el.at;
    }
  }
  return { kind: 'range', min, max, reason, at: decidingAt ?? at };
}

// ---- operators --------------------------------------------------------------------------------

function expectsTrue(expected: EvaluatedValue): boolean {
  return expected === true || (typeof expected === 'string' && expected.toLowerCase() === 'true');
}

function text(v: EvaluatedValue | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** Equality as Azure Policy compares: strings without regard to case, "true" equal to true. */
export function same(a: EvaluatedValue | undefined, b: EvaluatedValue | undefined): boolean {
  if (a === undefined || a === null) return b === undefined || b === null;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  const ta = text(a);
  const tb = text(b);
  if (ta !== undefined && tb !== undefined) return ta.toLowerCase() === tb.toLowerCase();
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => same(prop(a, k), prop(b, k)));
  }
  return false;
}

function compare(operator: Operator, value: EvaluatedValue | undefined, expected: EvaluatedValue): boolean {
  const present = value !== undefined && value !== null;
  switch (operator) {
    case 'exists':
      return present === expectsTrue(expected);
    case 'equals':
      return present && same(value, expected);
    case 'notEquals':
      return !present || !same(value, expected);
    case 'in':
      return present && Array.isArray(expected) && expected.some((e) => same(value, e));
    case 'notIn':
      return !present || !Array.isArray(expected) || !expected.some((e) => same(value, e));
    case 'like':
      return present && like(value, expected);
    case 'notLike':
      return !present || !like(value, expected);
    case 'match':
    case 'matchInsensitively':
      return present && match(value, expected, operator === 'matchInsensitively');
    case 'notMatch':
    case 'notMatchInsensitively':
      return !present || !match(value, expected, operator === 'notMatchInsensitively');
    case 'contains':
      return present && contains(value, expected);
    case 'notContains':
      return !present || !contains(value, expected);
    case 'containsKey':
      return present && isObject(value) && typeof expected === 'string' && prop(value, expected) !== undefined;
    case 'notContainsKey':
      return !present || !isObject(value) || typeof expected !== 'string' || prop(value, expected) === undefined;
    case 'less':
    case 'lessOrEquals':
    case 'greater':
    case 'greaterOrEquals': {
      if (!present) return false;
      const d = order(value, expected);
      if (d === undefined) return false;
      return operator === 'less' ? d < 0 : operator === 'lessOrEquals' ? d <= 0 : operator === 'greater' ? d > 0 : d >= 0;
    }
  }
}

function like(value: EvaluatedValue, pattern: EvaluatedValue): boolean {
  const v = text(value);
  const p = text(pattern);
  if (v === undefined || p === undefined) return false;
  const re = new RegExp(`^${p.split('*').map(escapeRegExp).join('.*')}$`, 'is');
  return re.test(v);
}

/** match: '#' a digit, '?' a letter, '.' any character, anything else itself. */
function match(value: EvaluatedValue, pattern: EvaluatedValue, insensitive: boolean): boolean {
  const v = text(value);
  const p = text(pattern);
  if (v === undefined || p === undefined || v.length !== p.length) return false;
  for (let i = 0; i < p.length; i++) {
    const pc = p[i];
    const vc = v[i];
    if (pc === '#') {
      if (!/[0-9]/.test(vc)) return false;
    } else if (pc === '?') {
      if (!/\p{L}/u.test(vc)) return false;
    } else if (pc !== '.' && (insensitive ? pc.toLowerCase() !== vc.toLowerCase() : pc !== vc)) return false;
  }
  return true;
}

function contains(value: EvaluatedValue, expected: EvaluatedValue): boolean {
  if (Array.isArray(value)) return value.some((v) => same(v, expected));
  const v = text(value);
  const e = text(expected);
  return v !== undefined && e !== undefined && v.toLowerCase().includes(e.toLowerCase());
}

/** Numbers by value (numeric texts too), dates by time, other texts without regard to case. */
function order(a: EvaluatedValue, b: EvaluatedValue): number | undefined {
  const na = typeof a === 'number' ? a : typeof a === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(a) ? Number(a) : undefined;
  const nb = typeof b === 'number' ? b : typeof b === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(b) ? Number(b) : undefined;
  if (na !== undefined && nb !== undefined) return na - nb;
  const ta = text(a);
  const tb = text(b);
  if (ta === undefined || tb === undefined) return undefined;
  const da = /^\d{4}-\d{2}-\d{2}/.test(ta) ? Date.parse(ta) : NaN;
  const db = /^\d{4}-\d{2}-\d{2}/.test(tb) ? Date.parse(tb) : NaN;
  if (!Number.isNaN(da) && !Number.isNaN(db)) return da - db;
  const la = ta.toLowerCase();
  const lb = tb.toLowerCase();
  return la < lb ? -1 : la > lb ? 1 : 0;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function shortly(v: EvaluatedValue | undefined): string {
  const t = JSON.stringify(v);
  if (t === undefined) return 'nothing';
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
}
