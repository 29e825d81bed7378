import { XMLParser, XMLValidator } from 'fast-xml-parser';
import * as YAML from 'yaml';
import { validationError } from './errors';

/** One operation as APIM stores it after an import. */
export interface ImportedOperation {
  name: string;
  displayName: string;
  method: string;
  urlTemplate: string;
  description?: string;
  templateParameters: { name: string; type: string; required: boolean; description?: string }[];
  request: { queryParameters: { name: string; type: string; required: boolean }[]; headers: { name: string; type: string; required: boolean }[] };
  responses: { statusCode: number; description?: string }[];
}

export interface ImportedSpec {
  title?: string;
  description?: string;
  serviceUrl?: string;
  /** 'soap' for SOAP pass-through, 'graphql', otherwise undefined (http). */
  type?: 'soap' | 'graphql';
  operations: ImportedOperation[];
}

export type SpecKind = 'openapi' | 'openapi+json' | 'swagger-json' | 'wsdl' | 'graphql';

/** Maps an API `format` to the kind of document and whether `value` is a URL. */
export function classifyFormat(format: string): { kind: SpecKind | 'graphql-link'; link: boolean } | undefined {
  switch (format.toLowerCase()) {
    case 'openapi': return { kind: 'openapi', link: false };
    case 'openapi+json': return { kind: 'openapi+json', link: false };
    case 'openapi-link': return { kind: 'openapi', link: true };
    case 'openapi+json-link': return { kind: 'openapi+json', link: true };
    case 'swagger-json': return { kind: 'swagger-json', link: false };
    case 'swagger-link-json': return { kind: 'swagger-json', link: true };
    case 'wsdl': return { kind: 'wsdl', link: false };
    case 'wsdl-link': return { kind: 'wsdl', link: true };
    case 'graphql-link': return { kind: 'graphql-link', link: true };
    default: return undefined;
  }
}

function parsingError(message: string): never {
  throw validationError({ target: 'representation', message: `Parsing error(s): ${message}` });
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** OpenAPI 2 (swagger-json) or 3 (openapi YAML / openapi+json). */
export function parseOpenApi(text: string, kind: 'openapi' | 'openapi+json' | 'swagger-json'): ImportedSpec {
  let doc: unknown;
  try {
    doc = kind === 'openapi' ? YAML.parse(text) : JSON.parse(text);
  } catch (err) {
    parsingError(`The input is not valid ${kind === 'openapi' ? 'YAML' : 'JSON'}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!isRecord(doc)) {
    parsingError('The document root must be an object.');
  }
  if (kind === 'swagger-json') {
    if (doc.swagger !== '2.0') {
      parsingError(`The input is not a Swagger 2.0 document (found ${doc.openapi ? `openapi '${String(doc.openapi)}'` : 'no swagger field'}); use format 'openapi' or 'openapi+json' for OpenAPI 3.`);
    }
  } else if (typeof doc.openapi !== 'string' || !/^3\.\d+(\.\d+)?$/.test(doc.openapi)) {
    parsingError(`The input OpenAPI file is not valid for the OpenAPI specification https://swagger.io/specification/v3/ (openapi field is ${doc.openapi === undefined ? 'missing' : `'${String(doc.openapi)}'`}).`);
  }
  const info = doc.info;
  if (!isRecord(info) || typeof info.title !== 'string') {
    parsingError("The 'info' object with a 'title' is required.");
  }
  if (!isRecord(doc.paths)) {
    parsingError("The 'paths' object is required.");
  }
  const operations: ImportedOperation[] = [];
  const used = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!isRecord(item)) {
      continue;
    }
    const shared = Array.isArray(item.parameters) ? item.parameters.filter(isRecord) : [];
    for (const method of METHODS) {
      const op = item[method];
      if (!isRecord(op)) {
        continue;
      }
      const params = [...shared, ...(Array.isArray(op.parameters) ? op.parameters.filter(isRecord) : [])].map((p) => resolveRef(doc, p));
      const byIn = (where: string) => params.filter((p) => p.in === where).map((p) => ({
        name: String(p.name),
        type: paramType(p),
        required: p.required === true || where === 'path',
        ...(typeof p.description === 'string' ? { description: p.description } : {}),
      }));
      const operationId = typeof op.operationId === 'string' && op.operationId ? op.operationId : undefined;
      const name = uniqueName(operationId ? sanitizeName(operationId) : sanitizeName(`${method}-${path}`).toLowerCase(), used);
      operations.push({
        name,
        displayName: (typeof op.summary === 'string' && op.summary) || operationId || `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        urlTemplate: path,
        ...(typeof op.description === 'string' ? { description: op.description } : {}),
        templateParameters: byIn('path'),
        request: { queryParameters: byIn('query').map(stripDescription), headers: byIn('header').map(stripDescription) },
        responses: isRecord(op.responses)
          ? Object.entries(op.responses).filter(([code]) => /^\d{3}$/.test(code)).map(([code, r]) => ({
            statusCode: Number(code),
            ...(isRecord(r) && typeof r.description === 'string' ? { description: r.description } : {}),
          }))
          : [],
      });
    }
  }
  return {
    title: info.title,
    description: typeof info.description === 'string' ? info.description : undefined,
    serviceUrl: kind === 'swagger-json' ? swaggerServiceUrl(doc) : openApi3ServiceUrl(doc),
    operations,
  };
}

function stripDescription<T extends { description?: string }>(p: T): Omit<T, 'description'> {
  const { description: _ignored, ...rest } = p;
  return rest;
}

function resolveRef(doc: Record<string, unknown>, p: Record<string, unknown>): Record<string, unknown> {
  if (typeof p.$ref !== 'string' || !p.$ref.startsWith('#/')) {
    return p;
  }
  let node: unknown = doc;
  for (const part of p.$ref.slice(2).split('/')) {
    node = isRecord(node) ? node[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  if (!isRecord(node)) {
    parsingError(`Reference '${p.$ref}' could not be resolved.`);
  }
  return node;
}

function paramType(p: Record<string, unknown>): string {
  if (typeof p.type === 'string') {
    return p.type;
  }
  return isRecord(p.schema) && typeof p.schema.type === 'string' ? p.schema.type : 'string';
}

function swaggerServiceUrl(doc: Record<string, unknown>): string | undefined {
  if (typeof doc.host !== 'string' || !doc.host) {
    return undefined;
  }
  const schemes = Array.isArray(doc.schemes) ? doc.schemes.map(String) : [];
  const scheme = schemes.includes('https') ? 'https' : schemes[0] ?? 'https';
  const basePath = typeof doc.basePath === 'string' ? doc.basePath : '';
  return `${scheme}://${doc.host}${basePath === '/' ? '' : basePath}`;
}

function openApi3ServiceUrl(doc: Record<string, unknown>): string | undefined {
  const server = Array.isArray(doc.servers) ? doc.servers.find(isRecord) : undefined;
  if (!server || typeof server.url !== 'string') {
    return undefined;
  }
  const vars = isRecord(server.variables) ? server.variables : {};
  const url = server.url.replace(/\{([^}]+)\}/g, (_m, v: string) => {
    const def = vars[v];
    return isRecord(def) && def.default !== undefined ? String(def.default) : '';
  });
  // A relative server URL is relative to where the document was served from; inline imports have none.
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url.replace(/\/$/, '') : undefined;
}

/** WSDL 1.1. `apiType` 'soap' = pass-through (POST /?soapAction=...), 'http' = SOAP-to-REST (POST /{operation}). */
export function parseWsdl(text: string, apiType: 'soap' | 'http', selector?: { wsdlServiceName?: string; wsdlEndpointName?: string }): ImportedSpec {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    parsingError(`${valid.err.msg} Line ${valid.err.line}, position ${valid.err.col}.`);
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    removeNSPrefix: true,
    isArray: (name) => ['service', 'port', 'binding', 'operation', 'portType'].includes(name),
  });
  const root = parser.parse(text) as Record<string, unknown>;
  const defs = root.definitions;
  if (!isRecord(defs)) {
    parsingError("The root element must be a WSDL 1.1 'definitions' element.");
  }
  const services = (defs.service as unknown[] | undefined ?? []).filter(isRecord);
  if (services.length === 0) {
    parsingError('The WSDL defines no service.');
  }
  let service: Record<string, unknown> | undefined;
  if (selector?.wsdlServiceName) {
    service = services.find((s) => localName(s['@_name']) === selector.wsdlServiceName);
    if (!service) {
      throw validationError({ target: 'wsdlSelector', message: `Service '${selector.wsdlServiceName}' was not found in the WSDL. Services: ${services.map((s) => String(s['@_name'])).join(', ')}.` });
    }
  } else if (services.length > 1) {
    throw validationError({ target: 'wsdlSelector', message: `The WSDL defines ${services.length} services (${services.map((s) => String(s['@_name'])).join(', ')}); set wsdlSelector.wsdlServiceName and wsdlEndpointName.` });
  } else {
    service = services[0];
  }
  const ports = (service.port as unknown[] | undefined ?? []).filter(isRecord);
  const port = selector?.wsdlEndpointName ? ports.find((p) => localName(p['@_name']) === selector.wsdlEndpointName) : ports[0];
  if (!port) {
    throw validationError({ target: 'wsdlSelector', message: `Endpoint '${selector?.wsdlEndpointName ?? ''}' was not found in service '${String(service['@_name'])}'. Endpoints: ${ports.map((p) => String(p['@_name'])).join(', ')}.` });
  }
  const bindingName = localName(port['@_binding']);
  const binding = (defs.binding as unknown[] | undefined ?? []).filter(isRecord).find((b) => b['@_name'] === bindingName);
  if (!binding) {
    parsingError(`Binding '${bindingName}' referenced by endpoint '${String(port['@_name'])}' is not defined.`);
  }
  const address = isRecord(port.address) ? port.address['@_location'] : undefined;
  const used = new Set<string>();
  const operations = (binding.operation as unknown[] | undefined ?? []).filter(isRecord).map((op): ImportedOperation => {
    const opName = String(op['@_name']);
    const soapOp = Array.isArray(op.operation) ? op.operation.find(isRecord) : undefined;
    const soapAction = soapOp && typeof soapOp['@_soapAction'] === 'string' ? soapOp['@_soapAction'] : opName;
    return {
      name: uniqueName(sanitizeName(opName).toLowerCase(), used),
      displayName: opName,
      method: 'POST',
      urlTemplate: apiType === 'soap' ? `/?soapAction=${soapAction}` : `/${opName}`,
      templateParameters: [],
      request: { queryParameters: [], headers: [] },
      responses: [{ statusCode: 200 }],
    };
  });
  return {
    title: String(service['@_name']),
    // A WSDL import leaves the description empty (the real service wipes it too).
    description: undefined,
    serviceUrl: typeof address === 'string' ? address : undefined,
    type: apiType === 'soap' ? 'soap' : undefined,
    operations,
  };
}

/** Enough of GraphQL SDL to list the root fields; each becomes an operation `query-<field>` etc. */
export function parseGraphQlSdl(sdl: string): ImportedSpec {
  const text = sdl.replace(/"""[\s\S]*?"""/g, '').replace(/"(?:[^"\\\n]|\\.)*"/g, '""').replace(/#[^\n]*/g, '');
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '{') {
      depth++;
    } else if (text[i] === '}' && --depth < 0) {
      parsingError(`Unexpected '}' at line ${lineOf(text, i)}.`);
    }
  }
  if (depth !== 0) {
    parsingError('Unexpected end of the GraphQL schema: a \'{\' is not closed.');
  }
  const roots: Record<string, string> = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' };
  const schemaBlock = /\bschema\s*\{([^}]*)\}/.exec(text);
  if (schemaBlock) {
    for (const m of schemaBlock[1].matchAll(/(query|mutation|subscription)\s*:\s*(\w+)/g)) {
      roots[m[1]] = m[2];
    }
  }
  const fieldsOf = (typeName: string): string[] => {
    const out: string[] = [];
    for (const m of text.matchAll(new RegExp(`(?:extend\\s+)?type\\s+${typeName}\\b[^{]*\\{([^}]*)\\}`, 'g'))) {
      const body = m[1].replace(/\([^)]*\)/g, '');
      for (const f of body.matchAll(/(\w+)\s*:/g)) {
        out.push(f[1]);
      }
    }
    return out;
  };
  const operations: ImportedOperation[] = [];
  for (const [kind, typeName] of Object.entries(roots)) {
    for (const field of fieldsOf(typeName)) {
      operations.push({
        name: `${kind}-${field}`.toLowerCase(), displayName: field, method: 'POST', urlTemplate: '/graphql',
        templateParameters: [], request: { queryParameters: [], headers: [] }, responses: [{ statusCode: 200 }],
      });
    }
  }
  if (!operations.some((o) => o.name.startsWith('query-'))) {
    parsingError(`The schema has no '${roots.query}' type with fields; a GraphQL schema needs a query root type.`);
  }
  return { type: 'graphql', operations };
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

function localName(v: unknown): string {
  return String(v ?? '').replace(/^.*:/, '');
}

/** APIM resource names allow letters, digits and - _ . ~ (other characters become '-'). */
export function sanitizeName(s: string): string {
  return s.replace(/[{}]/g, '').replace(/[^A-Za-z0-9._~-]+/g, '-').replace(/-{2,}/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'operation';
}

function uniqueName(base: string, used: Set<string>): string {
  let name = base;
  for (let i = 2; used.has(name.toLowerCase()); i++) {
    name = `${base}-${i}`;
  }
  used.add(name.toLowerCase());
  return name;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
