import { createHash } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseDocument } from 'yaml';
import { FileError } from '../../common/errors';
import type { ApiSettings, SpecFormat } from './model';
import { parseUserXml } from './xml-document';

/** A definition checked locally and shaped as APIM's import expects it. */
export interface LoadedSpec {
  kind: 'openapi2' | 'openapi3' | 'wsdl' | 'graphql';
  /** APIM content format (KnownContentFormat), or undefined for GraphQL, imported as a schema. */
  format?: string;
  value: string;
  title?: string;
  /** Operation ids the definition declares (operationId / WSDL operation names); empty when it names none. */
  operationIds: string[];
  /** Fingerprint of what the import would send, to detect an unchanged definition. */
  hash: string;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * Parses and checks a definition, so a broken one fails here (naming the file and line) instead of
 * after other resources were already written.
 */
export function loadSpec(text: string, source: string, wanted: SpecFormat, wsdl: ApiSettings['wsdl']): LoadedSpec {
  const body = text.replace(/^\uFEFF/, '');
  if (!body.trim()) throw new FileError(source, 'the API definition is empty');
  const kind = wanted === 'auto' ? detect(body) : wanted;
  switch (kind) {
    case 'openapi':
      return openApi(body, source);
    case 'wsdl':
      return wsdlSpec(body, source, wsdl);
    case 'graphql':
      return graphQl(body, source);
  }
}

function detect(body: string): Exclude<SpecFormat, 'auto'> {
  const t = body.trimStart();
  if (t.startsWith('<')) return 'wsdl';
  if (/^\s*(schema|type|extend|interface|input|enum|union|scalar|directive)\b[^:]*[{@]/m.test(t) && !/^\s*(openapi|swagger)\s*:/m.test(t)) return 'graphql';
  return 'openapi';
}

function openApi(body: string, source: string): LoadedSpec {
  const json = body.trimStart().startsWith('{');
  let doc: Record<string, unknown>;
  if (json) {
    try {
      doc = JSON.parse(body) as Record<string, unknown>;
    } catch (err) {
      const m = /position (\d+)/.exec((err as Error).message);
      const line = m ? body.slice(0, Number(m[1])).split('\n').length : undefined;
      throw new FileError(source, `not valid JSON: ${(err as Error).message}`, line);
    }
  } else {
    const parsed = parseDocument(body);
    const first = parsed.errors[0];
    if (first) throw new FileError(source, `not valid YAML: ${first.message.split('\n')[0]}`, first.linePos?.[0]?.line, first.linePos?.[0]?.col);
    doc = parsed.toJS() as Record<string, unknown>;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new FileError(source, 'an OpenAPI definition must be an object');
  const v2 = doc.swagger !== undefined;
  const version = String(v2 ? doc.swagger : (doc.openapi ?? ''));
  if (v2 ? version !== '2.0' : !/^3\.[01]\.\d+$/.test(version)) {
    throw new FileError(source, v2 ? `swagger '${version}' is not supported (expected 2.0)` : `no 'openapi: 3.x.y' or 'swagger: "2.0"' field; is this an OpenAPI definition?`, lineOfKey(body, v2 ? 'swagger' : 'openapi'));
  }
  const info = doc.info as Record<string, unknown> | undefined;
  if (!info || typeof info.title !== 'string' || !info.title.trim()) throw new FileError(source, `'info.title' is missing (APIM needs it as the default display name)`, lineOfKey(body, 'info'));
  const paths = doc.paths as Record<string, Record<string, unknown>> | undefined;
  if (!paths || typeof paths !== 'object') throw new FileError(source, `'paths' is missing`);
  const operationIds: string[] = [];
  for (const [p, item] of Object.entries(paths)) {
    if (!p.startsWith('/')) throw new FileError(source, `path '${p}' must start with '/'`, lineOfKey(body, p));
    for (const method of HTTP_METHODS) {
      const op = item?.[method] as Record<string, unknown> | undefined;
      if (!op || typeof op.operationId !== 'string') continue;
      if (operationIds.includes(op.operationId)) throw new FileError(source, `operationId '${op.operationId}' is used twice`, lineOfKey(body, op.operationId));
      operationIds.push(op.operationId);
    }
  }
  let format: string;
  let value = body;
  if (v2) {
    // APIM imports Swagger 2.0 only as JSON; YAML is converted, not rejected.
    format = 'swagger-json';
    if (!json) value = JSON.stringify(doc, null, 2);
  } else {
    format = json ? 'openapi+json' : 'openapi';
  }
  return { kind: v2 ? 'openapi2' : 'openapi3', format, value, title: info.title, operationIds, hash: fingerprint([format, value]) };
}

function wsdlSpec(body: string, source: string, wsdl: ApiSettings['wsdl']): LoadedSpec {
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new FileError(source, `WSDL is not well-formed XML: ${valid.err.msg}`, valid.err.line, valid.err.col);
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, isArray: (name) => ['portType', 'operation', 'service', 'port', 'interface'].includes(name) });
  const doc = parseUserXml<Record<string, Record<string, unknown>>>(parser, body, source, 'the WSDL');
  const root = doc.definitions ?? doc.description;
  if (!root) throw new FileError(source, `the root element must be WSDL <definitions> (1.1) or <description> (2.0)`, 1);
  const operationIds: string[] = [];
  for (const pt of [...((root.portType as Array<Record<string, unknown>>) ?? []), ...((root.interface as Array<Record<string, unknown>>) ?? [])]) {
    for (const op of (pt.operation as Array<Record<string, unknown>>) ?? []) {
      if (typeof op['@name'] === 'string' && !operationIds.includes(op['@name'])) operationIds.push(op['@name']);
    }
  }
  const services = ((root.service as Array<Record<string, unknown>>) ?? []).map((s) => String(s['@name']));
  const wantedService = wsdl?.serviceName;
  if (wantedService && !services.includes(wantedService)) {
    throw new FileError(source, `WSDL has no service '${wantedService}' (services: ${services.join(', ') || 'none'})`);
  }
  if (!wantedService && services.length > 1) {
    throw new FileError(source, `WSDL has several services (${services.join(', ')}); say which one to import`);
  }
  const soapApiType = wsdl?.soapApiType ?? 'soap';
  return {
    kind: 'wsdl',
    format: 'wsdl',
    value: body,
    title: typeof root['@name'] === 'string' ? root['@name'] : undefined,
    operationIds,
    hash: fingerprint(['wsdl', body, wantedService ?? '', wsdl?.endpointName ?? '', soapApiType]),
  };
}

function graphQl(body: string, source: string): LoadedSpec {
  // No full GraphQL parser here: catch the mistakes that would otherwise reach APIM (unbalanced braces, no types).
  let depth = 0;
  let line = 1;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\n') line++;
    if (c === '"') inString = !inString;
    if (inString) continue;
    if (c === '#') {
      while (i < body.length && body[i] !== '\n') i++;
      line++;
      continue;
    }
    if (c === '{') depth++;
    if (c === '}' && --depth < 0) throw new FileError(source, `GraphQL schema has an unmatched '}'`, line);
  }
  if (depth !== 0) throw new FileError(source, `GraphQL schema has an unclosed '{'`, line);
  if (!/\btype\s+(Query|Mutation|Subscription)\b|\bschema\s*\{/.test(body)) throw new FileError(source, `GraphQL schema defines no Query, Mutation or Subscription type`);
  return { kind: 'graphql', value: body, operationIds: [], hash: fingerprint(['graphql', body]) };
}

function lineOfKey(text: string, key: string): number | undefined {
  const at = text.search(new RegExp(`["']?${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*:`));
  return at < 0 ? undefined : text.slice(0, at).split('\n').length;
}

export function fingerprint(parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}
