/**
 * Requests against the committed Microsoft.Web 2023-12-01 extract: which operation a method and
 * path are, and what is wrong with a body (required properties missing, read-only properties
 * sent, wrong JSON types), as the service's own validation would refuse it.
 */
import extract from './spec/microsoft-web-2023-12-01.json';

export interface SpecOperation {
  operationId: string;
  method: string;
  path: string;
  responses: string[];
  'x-ms-long-running-operation'?: boolean;
  body?: { name: string; required: boolean; schema: Schema };
}

interface Schema {
  $ref?: string;
  type?: string;
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  required?: string[];
  readOnly?: boolean;
  allOf?: Schema[];
}

interface SpecDocument {
  operations: SpecOperation[];
  definitions: Record<string, Schema>;
}

export function webSpec(): SpecDocument {
  return extract;
}

export interface MatchedOperation {
  operation: SpecOperation;
  params: Record<string, string>;
}

/** The operation for a method and path (case-insensitive literals, as ARM matches them). */
export function matchOperation(method: string, requestPath: string): MatchedOperation | undefined {
  const actual = requestPath.split('/').filter(Boolean);
  for (const operation of webSpec().operations) {
    if (operation.method !== method.toUpperCase()) continue;
    const pattern = operation.path.split('/').filter(Boolean);
    if (pattern.length !== actual.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((p, i) => {
      const m = /^\{(.+)\}$/.exec(p);
      if (m) {
        params[m[1]] = decodeURIComponent(actual[i]);
        return true;
      }
      return p.toLowerCase() === actual[i].toLowerCase();
    });
    if (ok) return { operation, params };
  }
  return undefined;
}

/** Problems of a request body for an operation; empty when the service would accept it. */
export function bodyProblems(operation: SpecOperation, body: unknown): string[] {
  if (!operation.body) return [];
  if (body === undefined) return operation.body.required ? [`The request body '${operation.body.name}' is required.`] : [];
  const problems: string[] = [];
  check(operation.body.schema, body, operation.body.name, problems);
  return problems;
}

function resolve(schema: Schema): Schema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/definitions/', '');
  const def = webSpec().definitions[name];
  if (!def) throw new Error(`spec extract has no definition ${name}`);
  return def;
}

/** A schema with its allOf parents merged in (properties and required lists). */
function flatten(schema: Schema): Schema {
  const s = resolve(schema);
  if (!s.allOf) return s;
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const parent of s.allOf.map(flatten)) {
    Object.assign(properties, parent.properties ?? {});
    required.push(...(parent.required ?? []));
  }
  Object.assign(properties, s.properties ?? {});
  required.push(...(s.required ?? []));
  return { ...s, allOf: undefined, properties, required };
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function check(schemaRef: Schema, value: unknown, where: string, problems: string[]): void {
  const schema = flatten(schemaRef);
  const type = schema.type ?? (schema.properties ? 'object' : undefined);
  const actual = typeOf(value);
  if (type && !(actual === type || (type === 'number' && actual === 'integer'))) {
    problems.push(`${where}: expected ${type}, got ${actual}.`);
    return;
  }
  if (type !== 'object' || actual !== 'object') return;
  const obj = value as Record<string, unknown>;
  for (const name of schema.required ?? []) {
    if (obj[name] === undefined || obj[name] === null) problems.push(`${where}.${name}: the property is required.`);
  }
  for (const [name, v] of Object.entries(obj)) {
    const prop = schema.properties?.[name];
    if (prop) {
      if (resolve(prop).readOnly && v !== undefined) problems.push(`${where}.${name}: the property is read-only and must not be sent.`);
      else if (v !== undefined && v !== null) check(prop, v, `${where}.${name}`, problems);
    } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      check(schema.additionalProperties, v, `${where}.${name}`, problems);
    }
  }
}
