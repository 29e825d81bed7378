import type { ProductGateway, ProductState } from '../gateway';
import { collect, orUndefined, type ArmContext } from './context';

/** Products, the APIs in them and the groups given access. */
export function armProducts({ client, rg, svc, call }: ArmContext): ProductGateway {
  return {
    getProduct: (productId) =>
      call(`Reading product '${productId}'`, async () => {
        const p = await orUndefined(() => client.product.get(rg, svc, productId));
        if (!p) return undefined;
        return {
          etag: p.eTag,
          displayName: p.displayName,
          description: p.description ?? undefined,
          terms: p.terms ?? undefined,
          subscriptionRequired: p.subscriptionRequired ?? undefined,
          approvalRequired: p.approvalRequired ?? undefined,
          subscriptionsLimit: p.subscriptionsLimit ?? undefined,
          state: p.state,
        } satisfies ProductState;
      }),

    putProduct: (productId, state) =>
      call(`Writing product '${productId}'`, async () => {
        const { etag: _etag, ...body } = state;
        await client.product.createOrUpdate(rg, svc, productId, { ...body, displayName: body.displayName ?? productId, state: body.state as 'published' | 'notPublished' | undefined });
      }),

    isApiInProduct: (productId, apiId) =>
      call(`Checking whether API '${apiId}' is in product '${productId}'`, async () => (await orUndefined(() => client.productApi.checkEntityExists(rg, svc, productId, apiId)))?.body === true),

    addApiToProduct: (productId, apiId) => call(`Adding API '${apiId}' to product '${productId}'`, async () => void (await client.productApi.createOrUpdate(rg, svc, productId, apiId))),

    listProductGroups: (productId) =>
      call(`Listing groups of product '${productId}'`, async () => (await collect(client.productGroup.listByProduct(rg, svc, productId))).map((g) => g.name ?? '')),

    listGroups: () => call('Listing groups', async () => (await collect(client.group.listByService(rg, svc))).map((g) => g.name ?? '')),

    addGroupToProduct: (productId, groupId) => call(`Adding group '${groupId}' to product '${productId}'`, async () => void (await client.productGroup.createOrUpdate(rg, svc, productId, groupId))),

    removeGroupFromProduct: (productId, groupId) =>
      call(`Removing group '${groupId}' from product '${productId}'`, async () => void (await client.productGroup.delete(rg, svc, productId, groupId))),
  };
}
