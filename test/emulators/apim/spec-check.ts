/**
 * Checks one request to an API Management service against the Microsoft.ApiManagement 2024-05-01
 * specification kept in test/emulators/specs/apim-2024-05-01 (definitions and operations this
 * repository uses): the operation exists, api-version is 2024-05-01, query parameters are the
 * operation's and of the right type, If-Match is there where required, and the body matches its
 * definition (types, required, enums, lengths, patterns with ajv; read-only and unknown properties
 * with the walk below, which ajv does not do for swagger's allOf models).
 *
 * The emulator runs it on every request a client sends (not on `invoke`, which seeds) and keeps
 * what it finds in `ApimEmulator.invalidRequests`; test/ApimDeploy/spec-watch.ts fails a test on it.
 */
import AjvDraft04 from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv';
import definitions from '../specs/apim-2024-05-01/definitions.json';
import operations from '../specs/apim-2024-05-01/operations.json';

export type SpecIssueKind = 'no-operation' | 'api-version' | 'query' | 'if-match' | 'body' | 'read-only' | 'unknown-property';

export interface SpecIssue {
  kind: SpecIssueKind;
  message: string;
}

export interface SpecFinding {
  method: string;
  /** Below the service, e.g. `/apis/echo;rev=2`. */
  path: string;
  operationId?: string;
  issues: SpecIssue[];
}

interface Operation {
  id: string;
  method: string;
  path: string;
  query?: string[];
  body?: string;
  ifMatch?: 'optional' | 'required';
}

interface QueryParameter {
  type: 'string' | 'integer' | 'boolean';
  minimum?: number;
  enum?: string[];
}

interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  allOf?: Schema[];
  readOnly?: boolean;
  'x-srk-open'?: string;
}

/**
 * Read-only properties we send on purpose. The only one: taking a revision offline has no other
 * way in the specification than PATCHing `isOnline`, which it marks read-only; the service may
 * ignore it, so the task reads the revision back afterwards (offlineCheck) instead of trusting it.
 */
const TOLERATED_READ_ONLY: Array<{ operationId: string; pointer: string }> = [{ operationId: 'Api_Update', pointer: '/properties/isOnline' }];

const DEFS = definitions.definitions as unknown as Record<string, Schema>;
const OPERATIONS = operations.operations as Operation[];
const QUERY = operations.queryParameters as Record<string, QueryParameter>;
export const SPEC_API_VERSION = operations.apiVersion;

let ajv: AjvDraft04 | undefined;
const validators = new Map<string, ValidateFunction>();

function bodyValidator(name: string): ValidateFunction {
  let v = validators.get(name);
  if (!v) {
    if (!ajv) {
      ajv = new AjvDraft04({ strict: false, allErrors: true });
      ajv.addSchema({ id: 'apim-2024-05-01', definitions: definitions.definitions }, 'apim-2024-05-01');
    }
    v = ajv.compile({ $ref: `apim-2024-05-01#/definitions/${name}` });
    validators.set(name, v);
  }
  return v;
}

function matchOperation(method: string, segments: string[]): Operation | undefined {
  return OPERATIONS.find((op) => {
    if (op.method !== method) return false;
    const parts = op.path.split('/').filter(Boolean);
    return parts.length === segments.length && parts.every((p, i) => p.startsWith('{') || p.toLowerCase() === segments[i].toLowerCase());
  });
}

function resolve(schema: Schema): Schema {
  let s = schema;
  while (s.$ref) {
    const name = s.$ref.replace(/^#\/definitions\//, '');
    const found = DEFS[name];
    if (!found) throw new Error(`spec-check: no definition '${name}'`);
    s = found;
  }
  return s;
}

/** Properties of a model with those of its allOf parents. */
function propertiesOf(schema: Schema): Record<string, Schema> {
  const s = resolve(schema);
  const out: Record<string, Schema> = {};
  for (const parent of s.allOf ?? []) Object.assign(out, propertiesOf(parent));
  return Object.assign(out, s.properties ?? {});
}

/** Read-only and unknown properties, recursively (what the JSON Schema keywords do not catch). */
function walk(schema: Schema, value: unknown, pointer: string, out: Array<{ kind: 'read-only' | 'unknown-property'; pointer: string }>): void {
  const s = resolve(schema);
  if (s['x-srk-open'] || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    if (s.items) value.forEach((item, i) => walk(s.items!, item, `${pointer}/${i}`, out));
    return;
  }
  const props = propertiesOf(s);
  const modelled = Object.keys(props).length > 0 || (s.allOf?.length ?? 0) > 0;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    const at = `${pointer}/${k}`;
    const p = props[k];
    if (p) {
      if (resolve(p).readOnly || p.readOnly) out.push({ kind: 'read-only', pointer: at });
      else walk(p, v, at, out);
    } else if (typeof s.additionalProperties === 'object') {
      walk(s.additionalProperties, v, at, out);
    } else if (modelled && s.additionalProperties !== true) {
      out.push({ kind: 'unknown-property', pointer: at });
    }
  }
}

function checkQuery(op: Operation, query: URLSearchParams, issues: SpecIssue[]): void {
  const versions = query.getAll('api-version');
  if (versions.length !== 1 || versions[0] !== SPEC_API_VERSION) {
    issues.push({ kind: 'api-version', message: `api-version must be ${SPEC_API_VERSION} (sent: ${versions.join(', ') || 'none'})` });
  }
  const allowed = new Set(op.query ?? []);
  for (const [name, value] of query) {
    if (name === 'api-version') continue;
    // nextLinks the service hands out carry a continuation token; following them is how paging works.
    if (name === '$skiptoken' && allowed.has('$top')) continue;
    const def = QUERY[name];
    if (!allowed.has(name) || !def) {
      issues.push({ kind: 'query', message: `query parameter '${name}' is not a parameter of ${op.id}` });
      continue;
    }
    const bad =
      (def.type === 'integer' && (!/^-?\d+$/.test(value) || (def.minimum !== undefined && Number(value) < def.minimum))) ||
      (def.type === 'boolean' && value !== 'true' && value !== 'false') ||
      (def.enum !== undefined && !def.enum.includes(value));
    if (bad) issues.push({ kind: 'query', message: `query parameter '${name}=${value}' is not a valid ${def.enum ? `value (${def.enum.join(', ')})` : def.type}` });
  }
}

/** What is wrong with one request; an empty `issues` when it is valid. `segments` are decoded, below the service. */
export function checkRequest(method: string, segments: string[], query: URLSearchParams, headers: Record<string, string | undefined>, body: unknown): SpecFinding {
  const path = `/${segments.join('/')}`;
  const op = matchOperation(method.toUpperCase(), segments);
  if (!op) {
    return { method, path, issues: [{ kind: 'no-operation', message: `${method} ${path} is not an operation of the 2024-05-01 specification kept in test/emulators/specs` }] };
  }
  const issues: SpecIssue[] = [];
  checkQuery(op, query, issues);
  if (op.ifMatch === 'required' && !headers['if-match']) {
    issues.push({ kind: 'if-match', message: `${op.id} requires the If-Match header` });
  }
  if (op.body && body !== undefined) {
    const validate = bodyValidator(op.body);
    if (!validate(body)) {
      for (const e of validate.errors ?? []) {
        const extra = e.params && 'missingProperty' in e.params ? ` ('${String(e.params.missingProperty)}')` : e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : '';
        issues.push({ kind: 'body', message: `body${e.instancePath || ''}: ${e.message ?? 'invalid'}${extra}` });
      }
    }
    const found: Array<{ kind: 'read-only' | 'unknown-property'; pointer: string }> = [];
    walk({ $ref: `#/definitions/${op.body}` }, body, '', found);
    for (const f of found) {
      if (f.kind === 'read-only' && TOLERATED_READ_ONLY.some((t) => t.operationId === op.id && t.pointer === f.pointer)) continue;
      issues.push({ kind: f.kind, message: f.kind === 'read-only' ? `body${f.pointer} is read-only in ${op.body}` : `body${f.pointer} is not a property of ${op.body}` });
    }
  } else if (op.body && ['PUT', 'PATCH'].includes(op.method)) {
    issues.push({ kind: 'body', message: `${op.id} needs a body (${op.body})` });
  }
  return { method, path, operationId: op.id, issues };
}

/** One line per issue, for a test failure. */
export function describeFindings(findings: SpecFinding[]): string {
  return findings.map((f) => `${f.method} ${f.path}${f.operationId ? ` (${f.operationId})` : ''}: ${f.issues.map((i) => i.message).join('; ')}`).join('\n');
}
