import type { SubscriptionGateway, SubscriptionState } from '../state/live';
import { collect, type ArmContext } from './context';

/**
 * Subscriptions. Only their settings are read and written: the keys are never asked for (they are
 * returned only by listSecrets, which this module does not call) and never copied from a response.
 */
export function armSubscriptions({ client, rg, svc, call }: ArmContext): SubscriptionGateway {
  const toState = (s: { name?: string; eTag?: string; scope?: string; displayName?: string; state?: string; allowTracing?: boolean }): SubscriptionState => ({
    id: s.name ?? '',
    etag: s.eTag,
    scope: s.scope ?? '',
    displayName: s.displayName ?? undefined,
    state: s.state ?? '',
    allowTracing: s.allowTracing ?? undefined,
  });
  return {
    listSubscriptions: () => call('Listing subscriptions', async () => (await collect(client.subscription.list(rg, svc))).map(toState)),

    // No `notify`: the service's default (false) sends no e-mail to the owner for a state change made by a deployment.
    createSubscription: (id, body) => call(`Creating subscription '${id}'`, async () => void (await client.subscription.createOrUpdate(rg, svc, id, { ...body }))),

    updateSubscription: (id, etag, patch) => call(`Updating subscription '${id}'`, async () => void (await client.subscription.update(rg, svc, id, etag, { ...patch }))),

    deleteSubscription: (id, etag) => call(`Deleting subscription '${id}'`, async () => void (await client.subscription.delete(rg, svc, id, etag))),
  };
}
