import type { InventoryGateway } from '../state/live';
import { collect, orUndefined, type ArmContext } from './context';

const name = (x: { name?: string }) => x.name ?? '';

/**
 * What a declared-state run needs beyond the v1 gateway: listing every entity of a kind (for the
 * prune scope and reference checks) and deleting one. Deletes are conditional (If-Match), as the
 * specification requires.
 */
export function armInventory({ client, rg, svc, call, bounded }: ArmContext): InventoryGateway {
  return {
    listApis: () =>
      call('Listing APIs', async () =>
        (await collect(client.api.listByService(rg, svc)))
          .filter((a) => a.isCurrent !== false && !name(a).includes(';rev='))
          .map(name),
      ),
    listProducts: () => call('Listing products', async () => (await collect(client.product.listByService(rg, svc))).map(name)),
    listBackends: () => call('Listing backends', async () => (await collect(client.backend.listByService(rg, svc))).map(name)),
    listVersionSets: () => call('Listing version sets', async () => (await collect(client.apiVersionSet.listByService(rg, svc))).map(name)),
    listProductApis: (productId) =>
      call(`Listing APIs of product '${productId}'`, async () => ((await orUndefined(() => collect(client.productApi.listByProduct(rg, svc, productId)))) ?? []).map(name)),
    removeApiFromProduct: (productId, apiId) =>
      call(`Removing API '${apiId}' from product '${productId}'`, async () => void (await client.productApi.delete(rg, svc, productId, apiId))),
    deleteApi: (apiId, etag) =>
      bounded(`Deleting API '${apiId}'`, async (abortSignal) => void (await client.api.beginDeleteAndWait(rg, svc, apiId, etag, { deleteRevisions: true, abortSignal }))),
    deleteProduct: (productId, etag) =>
      call(`Deleting product '${productId}'`, async () => void (await client.product.delete(rg, svc, productId, etag, { deleteSubscriptions: true }))),
    deleteNamedValue: (id, etag) => call(`Deleting named value '${id}'`, async () => void (await client.namedValue.delete(rg, svc, id, etag))),
    deleteBackend: (id, etag) => call(`Deleting backend '${id}'`, async () => void (await client.backend.delete(rg, svc, id, etag))),
  };
}
