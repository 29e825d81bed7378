import * as crypto from 'crypto';
import { ApimError, ifMatchRequired, preconditionFailed } from './errors';

/** Any named APIM entity: products, groups, version sets, named values, tags, backends, releases, schemas. */
export interface Entity {
  name: string;
  properties: Record<string, unknown>;
  etag: string;
  createdDateTime: string;
  updatedDateTime: string;
}

export interface PolicyRecord {
  /** Canonical `xml` form (policy expressions XML-escaped). */
  xml: string;
  etag: string;
}

export interface OperationRecord extends Entity {
  policy?: PolicyRecord;
  tags: string[];
}

export interface RevisionRecord {
  rev: number;
  /** Per-revision properties (serviceUrl, protocols, subscription settings, apiRevisionDescription, isOnline...). */
  properties: Record<string, unknown>;
  etag: string;
  createdDateTime: string;
  updatedDateTime: string;
  operations: Record<string, OperationRecord>;
  policy?: PolicyRecord;
  schemas: Record<string, Entity>;
}

export interface ApiRecord {
  name: string;
  /** Properties shared by all revisions: only the current revision may change them. */
  shared: Record<string, unknown>;
  current: number;
  revisions: Record<string, RevisionRecord>;
  releases: Record<string, Entity>;
  tags: string[];
}

export interface ProductRecord extends Entity {
  apis: string[];
  groups: string[];
  policy?: PolicyRecord;
  tags: string[];
}

export interface ApimServiceState {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  /** ARM id of the service. */
  id: string;
  sku: string;
  gatewayUrl: string;
  minApiVersion?: string;
  maxApiVersion?: string;
  /** What a PATCH of the read-only `isOnline` does (see ApimServiceOptions.isOnlinePatch). */
  isOnlinePatch?: 'ignore' | 'apply';
  /** The managed identities a Key Vault named value can read its secret with. */
  identity?: { systemAssigned: boolean; userAssignedClientIds: string[] };
  apis: Record<string, ApiRecord>;
  products: Record<string, ProductRecord>;
  groups: Record<string, Entity>;
  versionSets: Record<string, Entity>;
  namedValues: Record<string, Entity>;
  policyFragments: Record<string, Entity>;
  tags: Record<string, Entity>;
  backends: Record<string, Entity>;
  /** Keys (primaryKey, secondaryKey) are kept in the properties and never returned by GET or list. */
  subscriptions: Record<string, Entity>;
  policy?: PolicyRecord;
}

export const SHARED_API_PROPERTIES = ['displayName', 'description', 'path', 'apiVersion', 'apiVersionSetId', 'apiVersionDescription', 'type'] as const;

export function newEtag(): string {
  return `"${crypto.randomBytes(9).toString('base64')}"`;
}

export function now(): string {
  return new Date().toISOString();
}

export function key(name: string): string {
  return name.toLowerCase();
}

/** JSON with sorted keys, so equal content compares equal whatever the insertion order. */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return value;
  });
}

/** Creates or replaces an entity; keeps ETag and timestamps when nothing changed. */
export function upsertEntity(coll: Record<string, Entity>, name: string, properties: Record<string, unknown>): { entity: Entity; created: boolean } {
  const existing = coll[key(name)];
  if (existing) {
    if (stableJson(existing.properties) !== stableJson(properties)) {
      existing.properties = properties;
      existing.etag = newEtag();
      existing.updatedDateTime = now();
    }
    return { entity: existing, created: false };
  }
  const t = now();
  const entity: Entity = { name, properties, etag: newEtag(), createdDateTime: t, updatedDateTime: t };
  coll[key(name)] = entity;
  return { entity, created: true };
}

function normaliseEtag(tag: string): string {
  return tag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
}

/**
 * If-Match semantics of the APIM management API: optional on PUT (absent or `*` = upsert), required
 * on PATCH and DELETE of entities whose spec says so; a mismatch is 412.
 */
export function checkIfMatch(header: string | undefined, etag: string | undefined, required: boolean): void {
  if (header === undefined || header === '') {
    if (required) {
      throw ifMatchRequired();
    }
    return;
  }
  if (etag === undefined) {
    // Nothing to match against; a PUT with a concrete ETag for an entity that is gone.
    if (header.trim() !== '*') {
      throw preconditionFailed();
    }
    return;
  }
  const wanted = header.split(',').map(normaliseEtag);
  if (!wanted.includes('*') && !wanted.includes(normaliseEtag(etag))) {
    throw preconditionFailed();
  }
}

export function requireString(props: Record<string, unknown>, field: string, opts: { max?: number; pattern?: RegExp } = {}): string {
  const v = props[field];
  if (typeof v !== 'string' || v === '') {
    throw new ApimError(400, 'ValidationError', 'One or more fields contain incorrect values:', [{ code: 'ValidationError', target: field, message: `'${field}' is required.` }]);
  }
  if (opts.max && v.length > opts.max) {
    throw new ApimError(400, 'ValidationError', 'One or more fields contain incorrect values:', [{ code: 'ValidationError', target: field, message: `'${field}' must be at most ${opts.max} characters long.` }]);
  }
  if (opts.pattern && !opts.pattern.test(v)) {
    throw new ApimError(400, 'ValidationError', 'One or more fields contain incorrect values:', [{ code: 'ValidationError', target: field, message: `'${field}' has an invalid value '${v}'.` }]);
  }
  return v;
}

export function optionalType(props: Record<string, unknown>, field: string, type: 'string' | 'boolean' | 'number' | 'object'): void {
  const v = props[field];
  if (v === undefined || v === null) {
    return;
  }
  const ok = type === 'object' ? typeof v === 'object' && !Array.isArray(v) : typeof v === type;
  if (!ok) {
    throw new ApimError(400, 'ValidationError', 'One or more fields contain incorrect values:', [{ code: 'ValidationError', target: field, message: `'${field}' must be a ${type}.` }]);
  }
}

/** Drops undefined values so contracts look like the service's JSON. */
export function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
