/**
 * Subscriptions (apimsubscriptions.json, 2024-05-01). As the service: GET and list never return the
 * keys (only listSecrets does); create requires `scope` and `displayName`; the scope is `/apis`,
 * `/apis/{apiId}` or `/products/{productId}` (relative or as a full resource id) of an entity that
 * exists; `state` is one of the specification's values. Every service has the built-in `master`
 * subscription (all APIs), which cannot be deleted.
 */
import * as crypto from 'crypto';
import type { ApimEmulator, ApimRouter } from './apim-emulator';
import { ApimError, notFound, validationError } from './errors';
import { resolveApi } from './routes-apis';
import { getProduct } from './routes-products';
import { ApimServiceState, checkIfMatch, compact, Entity, key, newEtag, now, upsertEntity } from './state';

const TYPE = 'Microsoft.ApiManagement/service/subscriptions';
export const SUBSCRIPTION_STATES = ['suspended', 'active', 'expired', 'submitted', 'rejected', 'cancelled'] as const;
/** The path parameter `sid` (SubscriptionEntityIdParameter): at most 256 characters, none of `*#&+:<>?`. */
const SID = /^[^*#&+:<>?]{1,256}$/;

/** Properties the service keeps but never returns from GET or list. */
const SECRET = ['primaryKey', 'secondaryKey'];

function generatedKey(): string {
  return crypto.randomBytes(16).toString('hex');
}

/** `/products/x`, `/apis/y`, `/apis` or the same below the service's resource id -> the relative form, checked. */
function checkScope(svc: ApimServiceState, value: unknown): string {
  const raw = typeof value === 'string' ? value : '';
  const rel = raw.toLowerCase().startsWith(svc.id.toLowerCase()) ? raw.slice(svc.id.length) : raw;
  const parts = rel.split('/').filter(Boolean);
  const bad = () => validationError({ target: 'scope', message: "Subscription scope should be one of '/apis', '/apis/{apiId}', '/products/{productId}'" });
  if (!rel.startsWith('/') || parts.length < 1 || parts.length > 2) throw bad();
  const [kind, id] = [parts[0].toLowerCase(), parts[1]];
  if (kind === 'apis' && id === undefined) return '/apis';
  if (kind === 'apis' && id !== undefined) return `/apis/${resolveApi(svc, decodeURIComponent(id)).api.name}`;
  if (kind === 'products' && id !== undefined) return `/products/${getProduct(svc, decodeURIComponent(id)).name}`;
  throw bad();
}

function checkState(value: unknown): void {
  if (value !== undefined && value !== null && !(SUBSCRIPTION_STATES as readonly unknown[]).includes(value)) {
    throw validationError({ target: 'state', message: `'state' must be one of ${SUBSCRIPTION_STATES.join(', ')}, not '${String(value)}'.` });
  }
}

function contract(svc: ApimServiceState, s: Entity): Record<string, unknown> {
  const props = Object.fromEntries(Object.entries(s.properties).filter(([k]) => !SECRET.includes(k)));
  const scope = String(props.scope);
  return {
    id: `${svc.id}/subscriptions/${s.name}`,
    type: TYPE,
    name: s.name,
    // The service returns the scope as a full resource id (the service's own for the all-access `master`).
    properties: { ...props, scope: scope === '/' ? `${svc.id}/` : `${svc.id}${scope}` },
  };
}

function getSubscription(svc: ApimServiceState, sid: string): Entity {
  const s = svc.subscriptions[key(sid)];
  if (!s) throw notFound('Subscription');
  return s;
}

/** The built-in all-access subscription every service has. */
export function masterSubscription(): Entity {
  const t = now();
  return {
    name: 'master',
    properties: { scope: '/', displayName: 'Built-in all-access subscription', state: 'active', allowTracing: true, primaryKey: generatedKey(), secondaryKey: generatedKey(), createdDate: t },
    etag: newEtag(),
    createdDateTime: t,
    updatedDateTime: t,
  };
}

export function registerSubscriptionRoutes(r: ApimRouter, emu: ApimEmulator): void {
  r.add('GET', '/subscriptions', (c) => emu.page(c, Object.values(c.svc.subscriptions).map((s) => contract(c.svc, s))));
  r.add('GET', '/subscriptions/:sid', (c) => {
    const s = getSubscription(c.svc, c.params.sid);
    return { status: 200, body: contract(c.svc, s), headers: { ETag: s.etag } };
  });
  r.add('HEAD', '/subscriptions/:sid', (c) => ({ status: 200, headers: { ETag: getSubscription(c.svc, c.params.sid).etag } }));
  r.add('PUT', '/subscriptions/:sid', (c) => {
    if (!SID.test(c.params.sid)) throw validationError({ target: 'sid', message: `'${c.params.sid}' is not a valid subscription identifier.` });
    const existing = c.svc.subscriptions[key(c.params.sid)];
    checkIfMatch(c.headers['if-match'], existing?.etag, false);
    const p = c.props;
    if (typeof p.displayName !== 'string' || p.displayName.length < 1 || p.displayName.length > 100) {
      throw validationError({ target: 'displayName', message: "'displayName' is required (1 to 100 characters)." });
    }
    if (p.scope === undefined || p.scope === null) throw validationError({ target: 'scope', message: "'scope' is required." });
    const scope = checkScope(c.svc, p.scope);
    checkState(p.state);
    const old = existing?.properties ?? {};
    const props = compact({
      ownerId: (p.ownerId as string | undefined) ?? undefined,
      scope,
      displayName: p.displayName,
      // Without a state the specification creates the subscription `submitted`; a PUT over an existing one keeps its state.
      state: (p.state as string | undefined) ?? (old.state as string | undefined) ?? 'submitted',
      allowTracing: (p.allowTracing as boolean | undefined) ?? (old.allowTracing as boolean | undefined) ?? false,
      primaryKey: (p.primaryKey as string | undefined) ?? (old.primaryKey as string | undefined) ?? generatedKey(),
      secondaryKey: (p.secondaryKey as string | undefined) ?? (old.secondaryKey as string | undefined) ?? generatedKey(),
      createdDate: (old.createdDate as string | undefined) ?? now(),
    });
    const { entity, created } = upsertEntity(c.svc.subscriptions, c.params.sid, props);
    return { status: created ? 201 : 200, body: contract(c.svc, entity), headers: { ETag: entity.etag } };
  });
  r.add('PATCH', '/subscriptions/:sid', (c) => {
    const s = getSubscription(c.svc, c.params.sid);
    checkIfMatch(c.headers['if-match'], s.etag, true);
    const p = c.props;
    if (p.displayName !== undefined && (typeof p.displayName !== 'string' || p.displayName.length < 1 || p.displayName.length > 100)) {
      throw validationError({ target: 'displayName', message: "'displayName' must have 1 to 100 characters." });
    }
    checkState(p.state);
    const scope = p.scope !== undefined ? checkScope(c.svc, p.scope) : undefined;
    if (key(s.name) === 'master' && scope !== undefined && scope !== s.properties.scope) {
      throw validationError({ target: 'scope', message: 'The scope of the built-in all-access subscription cannot be changed.' });
    }
    const next = { ...s.properties, ...compact({ ...p }), ...(scope !== undefined ? { scope } : {}) };
    upsertEntity(c.svc.subscriptions, s.name, next);
    return { status: 200, body: contract(c.svc, s), headers: { ETag: s.etag } };
  });
  r.add('DELETE', '/subscriptions/:sid', (c) => {
    const s = c.svc.subscriptions[key(c.params.sid)];
    if (!s) return { status: 204 };
    checkIfMatch(c.headers['if-match'], s.etag, true);
    if (key(s.name) === 'master') {
      // Emulator's choice of status (the specification gives only `default`): the all-access subscription stays.
      throw new ApimError(400, 'ValidationError', 'The built-in all-access subscription cannot be deleted.');
    }
    delete c.svc.subscriptions[key(c.params.sid)];
    return { status: 200 };
  });
  r.add('POST', '/subscriptions/:sid/listSecrets', (c) => {
    const s = getSubscription(c.svc, c.params.sid);
    return { status: 200, body: { primaryKey: s.properties.primaryKey, secondaryKey: s.properties.secondaryKey }, headers: { ETag: s.etag } };
  });
}
