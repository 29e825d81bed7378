/**
 * Declared subscriptions compared with the service's, from one listing: settings only (display
 * name, scope, state, allowTracing). The keys are the service's: never declared, read or planned.
 */
import { FileError } from '../../../common/errors';
import type { StateGateway, SubscriptionState, SubscriptionWrite } from './live';
import type { DesiredState, PruneRule, SubscriptionDecl, SubscriptionScope } from './model';
import type { PlannedChange } from './plan';
import { inScope } from './prune';

/** The built-in all-access subscription: never declared, never pruned. */
export const MASTER_SUBSCRIPTION = 'master';

const lower = (s: string) => s.toLowerCase();

/** The scope as a write sends it, relative to the service. */
export function scopePath(scope: SubscriptionScope): string {
  return scope.kind === 'allApis' ? '/apis' : `/${scope.kind === 'product' ? 'products' : 'apis'}/${scope.id}`;
}

/** The service returns the scope as a resource id (`…/service/x/products/starter`); compared relative to the service, case-insensitively. */
export function relativeScope(scope: string): string {
  const m = /\/providers\/Microsoft\.ApiManagement\/service\/[^/]+(\/.*)?$/i.exec(scope);
  const rel = (m ? (m[1] ?? '') : scope).replace(/\/+$/, '');
  return lower(rel || '/');
}

export function describeScope(scope: SubscriptionScope): string {
  return scope.kind === 'allApis' ? 'all APIs' : `${scope.kind} '${scope.id}'`;
}

/** What differs, as the patch to send (only declared properties). */
function subscriptionPatch(d: SubscriptionDecl, live: SubscriptionState): SubscriptionWrite {
  const patch: SubscriptionWrite = {};
  if ((live.displayName ?? '') !== d.displayName) patch.displayName = d.displayName;
  if (relativeScope(live.scope) !== lower(scopePath(d.scope))) patch.scope = scopePath(d.scope);
  if (d.state !== undefined && lower(live.state) !== d.state) patch.state = d.state;
  if (d.allowTracing !== undefined && (live.allowTracing ?? false) !== d.allowTracing) patch.allowTracing = d.allowTracing;
  return patch;
}

export function planSubscriptions(desired: DesiredState, live: readonly SubscriptionState[], prune: readonly PruneRule[]): PlannedChange[] {
  const byId = new Map(live.map((s) => [lower(s.id), s]));
  const out: PlannedChange[] = desired.subscriptions.map((d) => {
    const current = byId.get(lower(d.id));
    if (!current) {
      return { kind: 'subscription', id: d.id, action: 'create', differs: [`scope ${describeScope(d.scope)}`, ...(d.state ? [`state ${d.state}`] : [])], work: { kind: 'subscription', decl: d, patch: {} } };
    }
    const patch = subscriptionPatch(d, current);
    const differs = Object.keys(patch);
    return { kind: 'subscription', id: d.id, action: differs.length ? 'update' : 'unchanged', differs, work: { kind: 'subscription', decl: d, etag: current.etag, patch } };
  });
  // Prune candidates: undeclared subscriptions whose id matches the scope, except the built-in all-access one.
  const declared = new Set(desired.subscriptions.map((d) => lower(d.id)));
  for (const s of live) {
    if (declared.has(lower(s.id)) || lower(s.id) === MASTER_SUBSCRIPTION || !inScope(prune, 'subscription', s.id)) continue;
    out.push({ kind: 'subscription', id: s.id, action: 'delete', differs: [], work: { kind: 'delete', etag: s.etag ?? '*' } });
  }
  return out;
}

/**
 * The product or API a declared subscription names must be declared or exist in the service, and
 * not be deleted by the run's prune: the service would refuse the write only after others were made.
 */
export async function checkSubscriptionScopes(desired: DesiredState, g: StateGateway, changes: readonly PlannedChange[]): Promise<void> {
  const deleted = (kind: string) => new Set(changes.filter((c) => c.action === 'delete' && c.kind === kind).map((c) => lower(c.id)));
  const goneProducts = deleted('product');
  const goneApis = deleted('api');
  // Several subscriptions may name the same product or API: it is read once.
  const reads = new Map<string, Promise<boolean>>();
  const existsLive = (kind: 'product' | 'api', id: string): Promise<boolean> => {
    const key = `${kind}/${lower(id)}`;
    let read = reads.get(key);
    if (read === undefined) {
      read = kind === 'product' ? g.getProduct(id).then((x) => x !== undefined) : g.getApi(id).then((x) => x !== undefined);
      reads.set(key, read);
    }
    return read;
  };
  for (const d of desired.subscriptions) {
    const scope = d.scope;
    if (scope.kind === 'allApis') continue;
    const declared = scope.kind === 'product' ? desired.products : desired.apis;
    if (declared.some((x) => lower(x.id) === lower(scope.id))) continue;
    const gone = (scope.kind === 'product' ? goneProducts : goneApis).has(lower(scope.id));
    const exists = !gone && (await existsLive(scope.kind, scope.id));
    if (!exists) {
      throw new FileError(d.source, `subscription '${d.id}': ${scope.kind} '${scope.id}' ${gone ? 'is deleted by the prune of this run' : 'does not exist in the service or the state'}; declare it under ${scope.kind === 'product' ? 'products' : 'apis'} or fix the scope`, d.line);
    }
  }
}
