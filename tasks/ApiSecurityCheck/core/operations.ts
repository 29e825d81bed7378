/**
 * The operations to probe: every operation of an OpenAPI 2.0 or 3.x definition, with sample values
 * for its path and required query and header parameters, or the base URL alone when there is no
 * definition. The deployed API's URL is the base: `servers` and `basePath` of the definition are
 * not used, since the check is about the API as deployed, wherever that is.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { FileError } from '../../common/errors';
import type { Operation } from './model';

export const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS'];
/** Sent only with probeUnsafeMethods, and then without credentials or a body. */
export const UNSAFE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];
/** TRACE echoes requests (credentials included) and is never sent. */
const METHODS = [...SAFE_METHODS, ...UNSAFE_METHODS, 'TRACE'];

/** Headers a definition may declare that are ours to set (or never to send). */
const RESERVED_HEADERS = /^(authorization|cookie|ocp-apim-subscription-key|origin|host|content-length|access-control-request-method)$/i;

export function rootOperation(baseUrl: string): Operation {
  return { method: 'GET', pathTemplate: '/', url: baseUrl, headers: {}, safe: true };
}

export function joinUrl(baseUrl: string, path: string): string {
  const base = new URL(baseUrl);
  const [pathPart, query = ''] = path.split('?', 2);
  base.pathname = `${base.pathname.replace(/\/+$/, '')}${pathPart}`;
  if (query) for (const [k, v] of new URLSearchParams(query)) base.searchParams.append(k, v);
  return base.toString();
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function asObject(value: Json | undefined): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

/** Operations of a definition (JSON or YAML); errors name the file and line. */
export function operationsFromDefinition(text: string, file: string, baseUrl: string): Operation[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new FileError(file, `not valid JSON or YAML: ${e.message.split('\n')[0]}`, lineCounter.linePos(e.pos[0]).line);
  }
  const root = asObject(doc.toJS({ maxAliasCount: 100 }) as Json);
  if (!root) throw new FileError(file, 'an OpenAPI definition must be an object');
  const v2 = root.swagger !== undefined;
  const version = String(v2 ? root.swagger : (root.openapi ?? ''));
  if (v2 ? version !== '2.0' : !/^3\.\d+\.\d+/.test(version)) {
    throw new FileError(file, v2 ? `swagger '${version}' is not supported (expected 2.0)` : "no 'openapi: 3.x.y' or 'swagger: \"2.0\"' field; is this an OpenAPI definition?", 1);
  }
  const paths = asObject(root.paths);
  if (!paths) throw new FileError(file, "'paths' is missing or not a mapping", 1);

  /** The line of the last key (or sequence item) of `keys` that the document has. */
  const lineOf = (...keys: string[]): number | undefined => {
    let node: unknown = doc.contents;
    let line: number | undefined;
    for (const key of keys) {
      let next: unknown;
      let at: [number, number, number] | undefined;
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
        if (!pair) return line;
        at = (pair.key as YamlNode).range ?? undefined;
        next = pair.value;
      } else if (isSeq(node) && /^\d+$/.test(key)) {
        next = node.items[Number(key)];
        at = (next as YamlNode | undefined)?.range ?? undefined;
        if (next === undefined) return line;
      } else {
        return line;
      }
      if (at) line = lineCounter.linePos(at[0]).line;
      node = next;
    }
    return line;
  };
  /** The object a value stands for (following local $refs) and the keys that lead to it from the root. */
  const resolveAt = (value: Json | undefined, at: string[]): { obj?: JsonObject; at: string[] } => {
    let obj = asObject(value);
    for (let depth = 0; typeof obj?.$ref === 'string'; depth++) {
      const ref = obj.$ref;
      if (depth > 10 || !ref.startsWith('#/')) return { at };
      at = ref.slice(2).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
      let target: Json | undefined = root;
      for (const part of at) {
        const o = asObject(target);
        target = o && Object.hasOwn(o, part) ? o[part] : undefined;
      }
      obj = asObject(target);
    }
    return { obj, at };
  };
  const resolve = (value: Json | undefined): JsonObject | undefined => resolveAt(value, []).obj;

  // Where a parameter may be; any other `in` is a typo (in: pth) that would leave the parameter
  // silently unused, so it is an error of the definition, like every other one this reader finds.
  const placements = v2 ? ['query', 'header', 'path', 'formData', 'body'] : ['query', 'header', 'path', 'cookie'];
  const parametersAt = (list: Json | undefined, at: string[]): JsonObject[] => {
    if (!Array.isArray(list)) return [];
    const out: JsonObject[] = [];
    list.forEach((p, i) => {
      const { obj: param, at: paramAt } = resolveAt(p, [...at, String(i)]);
      if (!param) return;
      if (!placements.includes(param.in as string)) {
        const name = typeof param.name === 'string' ? `parameter '${param.name}'` : 'a parameter';
        const pointer = `#/${paramAt.map((k) => k.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
        const found = param.in === undefined ? "has no 'in'" : `has in: ${JSON.stringify(param.in)}`;
        throw new FileError(file, `${name} (${pointer}) ${found}; ${v2 ? 'Swagger 2.0' : 'OpenAPI 3.x'} allows in: ${placements.join(', ')}`, lineOf(...paramAt, 'in') ?? lineOf(...paramAt));
      }
      out.push(param);
    });
    return out;
  };

  const out: Operation[] = [];
  for (const [path, rawItem] of Object.entries(paths)) {
    if (!path.startsWith('/')) throw new FileError(file, `path '${path}' must start with '/'`, lineOf('paths', path));
    const { obj: item, at: itemAt } = resolveAt(rawItem, ['paths', path]);
    if (!item) continue;
    const shared = parametersAt(item.parameters, [...itemAt, 'parameters']);
    for (const [key, rawOp] of Object.entries(item)) {
      const method = key.toUpperCase();
      if (!METHODS.includes(method)) continue;
      const op = asObject(rawOp);
      if (!op) continue;
      const params = new Map<string, JsonObject>();
      for (const param of [...shared, ...parametersAt(op.parameters, [...itemAt, key, 'parameters'])]) {
        if (typeof param.name === 'string') params.set(`${param.in as string}:${param.name}`, param);
      }
      let resolvedPath = path;
      const query = new URLSearchParams();
      const headers = new Map<string, string>();
      for (const param of params.values()) {
        const name = param.name as string;
        const where = param.in as string;
        if (where === 'path') resolvedPath = resolvedPath.split(`{${name}}`).join(encodeURIComponent(sampleValue(param, resolve)));
        else if (where === 'query' && param.required === true) query.append(name, sampleValue(param, resolve));
        else if (where === 'header' && param.required === true && !RESERVED_HEADERS.test(name)) headers.set(name, sampleValue(param, resolve));
      }
      // A path parameter the operation does not declare still needs a value.
      resolvedPath = resolvedPath.replace(/\{[^}/]+\}/g, '1');
      const q = query.toString();
      out.push({
        method,
        pathTemplate: path,
        url: joinUrl(baseUrl, q ? `${resolvedPath}?${q}` : resolvedPath),
        headers: Object.fromEntries(headers),
        safe: SAFE_METHODS.includes(method),
        operationId: typeof op.operationId === 'string' ? op.operationId : undefined,
        location: { file, line: lineOf('paths', path, key) ?? lineOf('paths', path) ?? 1 },
      });
    }
  }
  return out;
}

/**
 * A value the definition offers (example, examples, x-example, default, first enum value), else
 * one that fits the type and format. Probes only need the request to reach the operation.
 */
export function sampleValue(param: JsonObject, resolve: (value: Json | undefined) => JsonObject | undefined = asObject): string {
  const schema = resolve(param.schema) ?? param;
  const firstExample = (): Json | undefined => {
    const examples = asObject(param.examples);
    if (examples) {
      for (const ex of Object.values(examples)) {
        const value = resolve(ex)?.value;
        if (value !== undefined) return value;
      }
    }
    return undefined;
  };
  const candidates = [param.example, firstExample(), param['x-example'], schema.example, schema.default, Array.isArray(schema.enum) ? schema.enum[0] : undefined];
  const given = candidates.find((c) => c !== undefined && c !== null && typeof c !== 'object');
  if (given !== undefined) return String(given);
  const type = typeof schema.type === 'string' ? schema.type : Array.isArray(schema.type) ? String(schema.type.find((t) => t !== 'null') ?? 'string') : 'string';
  const format = typeof schema.format === 'string' ? schema.format : '';
  switch (type) {
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' && schema.minimum > 1 ? String(schema.minimum) : '1';
    case 'boolean':
      return 'true';
    case 'array': {
      const items = resolve(schema.items);
      return items ? sampleValue({ schema: items }, resolve) : 'sample';
    }
    default:
      switch (format) {
        case 'uuid':
          return '00000000-0000-4000-8000-000000000001';
        case 'date':
          return '2026-01-01';
        case 'date-time':
          return '2026-01-01T00:00:00Z';
        case 'email':
          return 'probe@example.com';
        case 'uri':
          return 'https://example.com/';
        default:
          return 'sample';
      }
  }
}
