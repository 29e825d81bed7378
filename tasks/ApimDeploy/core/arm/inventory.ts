import type { PolicyScope } from '../gateway';
import type { InventoryGateway } from '../state/live';
import { collect, orUndefined, type ArmContext } from './context';

const name = (x: { name?: string }) => x.name ?? '';
/** Assigned tags as the plan compares them: id (lower case) -> display name. */
const tagMap = (tags: Array<{ name?: string; displayName?: string }>) => new Map(tags.map((t) => [name(t).toLowerCase(), t.displayName ?? '']));

/**
 * What a declared-state run needs beyond the v1 gateway: listing every entity of a kind (for the
 * prune scope and reference checks) and deleting one. Deletes are conditional (If-Match), as the
 * specification requires.
 */
export function armInventory({ client, rg, svc, call, bounded }: ArmContext): InventoryGateway {
  const deletePolicy = (scope: PolicyScope): Promise<unknown> => {
    switch (scope.kind) {
      case 'global':
        return client.policy.delete(rg, svc, 'policy', '*');
      case 'product':
        return client.productPolicy.delete(rg, svc, scope.productId, 'policy', '*');
      case 'api':
        return client.apiPolicy.delete(rg, svc, scope.apiId, 'policy', '*');
      case 'operation':
        return client.apiOperationPolicy.delete(rg, svc, scope.apiId, scope.operationId, 'policy', '*');
    }
  };
  const scopeText = (scope: PolicyScope): string =>
    scope.kind === 'global' ? 'the global policy' : scope.kind === 'product' ? `the policy of product '${scope.productId}'` : scope.kind === 'api' ? `the policy of API '${scope.apiId}'` : `the policy of operation '${scope.operationId}' of API '${scope.apiId}'`;
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
    listApiVersionSets: () =>
      call('Listing APIs', async () =>
        (await collect(client.api.listByService(rg, svc)))
          .filter((a) => a.isCurrent !== false && !name(a).includes(';rev='))
          .map((a) => ({ apiId: name(a), versionSetId: a.apiVersionSetId ? a.apiVersionSetId.split('/').pop() : undefined })),
      ),
    deleteVersionSet: (id, etag) => call(`Deleting version set '${id}'`, async () => void (await client.apiVersionSet.delete(rg, svc, id, etag))),
    listTags: () => call('Listing tags', async () => (await collect(client.tag.listByService(rg, svc))).map(name)),
    deleteTag: (id, etag) => call(`Deleting tag '${id}'`, async () => void (await client.tag.delete(rg, svc, id, etag))),
    detachTagFromApi: (apiId, tagId) => call(`Removing tag '${tagId}' from API '${apiId}'`, async () => void (await client.tag.detachFromApi(rg, svc, apiId, tagId))),
    listProductTags: (productId) =>
      call(`Listing tags of product '${productId}'`, async () => tagMap((await orUndefined(() => collect(client.tag.listByProduct(rg, svc, productId)))) ?? [])),
    assignTagToProduct: (productId, tagId) => call(`Tagging product '${productId}' with '${tagId}'`, async () => void (await client.tag.assignToProduct(rg, svc, productId, tagId))),
    detachTagFromProduct: (productId, tagId) => call(`Removing tag '${tagId}' from product '${productId}'`, async () => void (await client.tag.detachFromProduct(rg, svc, productId, tagId))),
    listOperationTags: (apiId, operationId) =>
      call(`Listing tags of operation '${operationId}' of API '${apiId}'`, async () => tagMap((await orUndefined(() => collect(client.tag.listByOperation(rg, svc, apiId, operationId)))) ?? [])),
    assignTagToOperation: (apiId, operationId, tagId) =>
      call(`Tagging operation '${operationId}' of API '${apiId}' with '${tagId}'`, async () => void (await client.tag.assignToOperation(rg, svc, apiId, operationId, tagId))),
    detachTagFromOperation: (apiId, operationId, tagId) =>
      call(`Removing tag '${tagId}' from operation '${operationId}' of API '${apiId}'`, async () => void (await client.tag.detachFromOperation(rg, svc, apiId, operationId, tagId))),
    // A policy whose operation or API is already gone (an import removed it) is gone too.
    deletePolicy: (scope) => call(`Deleting ${scopeText(scope)}`, async () => void (await orUndefined(() => deletePolicy(scope)))),
  };
}
