import type { ApiContract } from '@azure/arm-apimanagement';
import type { ApiGateway, ApiState, RevisionInfo } from '../gateway';
import { collect, orUndefined, type ArmContext } from './context';

export function toApiState(id: string, a: ApiContract & { eTag?: string }): ApiState {
  return {
    id,
    etag: a.eTag,
    displayName: a.displayName,
    path: a.path,
    serviceUrl: a.serviceUrl,
    protocols: a.protocols,
    subscriptionRequired: a.subscriptionRequired,
    subscriptionKeyHeaderName: a.subscriptionKeyParameterNames?.header,
    subscriptionKeyQueryName: a.subscriptionKeyParameterNames?.query,
    description: a.description,
    apiRevision: a.apiRevision,
    isCurrent: a.isCurrent,
    isOnline: a.isOnline,
    apiVersion: a.apiVersion,
    apiVersionSetId: a.apiVersionSetId,
    apiType: a.apiType,
  };
}

/** APIs and their revisions, operations, GraphQL schema and releases. */
export function armApis({ client, rg, svc, call, bounded, raw }: ArmContext): ApiGateway {
  return {
    getApi: (apiId) =>
      call(`Reading API '${apiId}'`, async () => {
        const a = await orUndefined(() => client.api.get(rg, svc, apiId));
        return a ? toApiState(apiId, a) : undefined;
      }),

    listRevisions: (apiId) =>
      call(`Listing revisions of API '${apiId}'`, async () => {
        const list = (await orUndefined(() => collect(client.apiRevision.listByService(rg, svc, apiId)))) ?? [];
        return list.map(
          (r): RevisionInfo => ({ revision: Number(r.apiRevision), isCurrent: r.isCurrent === true, isOnline: r.isOnline !== false, created: r.createdDateTime }),
        );
      }),

    putApi: (apiId, body) =>
      bounded(`Creating or updating API '${apiId}'`, async (abortSignal) => {
        const a = await client.api.beginCreateOrUpdateAndWait(rg, svc, apiId, body, { abortSignal });
        return toApiState(apiId, a);
      }),

    patchApi: (apiId, etag, patch) => call(`Updating API '${apiId}'`, async () => void (await client.api.update(rg, svc, apiId, etag, patch))),

    // isOnline is read-only in the 2024-05-01 specification (and so in the SDK model): the PATCH is
    // sent as raw JSON through the client's own pipeline (same credential, retries and proxy), and
    // since the service may ignore it, retireRevisions reads the revision back afterwards.
    takeRevisionOffline: (apiId, etag) =>
      call(`Taking revision '${apiId}' offline`, async () => void (await raw('PATCH', `apis/${encodeURIComponent(apiId)}`, '', { 'If-Match': etag }, { properties: { isOnline: false } }))),

    deleteRevision: (apiId, etag) => bounded(`Deleting revision '${apiId}'`, async (abortSignal) => void (await client.api.beginDeleteAndWait(rg, svc, apiId, etag, { abortSignal }))),

    listOperations: (apiId) =>
      call(`Listing operations of API '${apiId}'`, async () =>
        (await collect(client.apiOperation.listByApi(rg, svc, apiId))).map((op) => ({ name: op.name ?? '', displayName: op.displayName, method: op.method, urlTemplate: op.urlTemplate })),
      ),

    putGraphQlSchema: (apiId, sdl) =>
      bounded(`Uploading the GraphQL schema of API '${apiId}'`, async (abortSignal) => {
        await client.apiSchema.beginCreateOrUpdateAndWait(rg, svc, apiId, 'graphql', { contentType: 'application/vnd.ms-azure-apim.graphql.schema', value: sdl }, { abortSignal });
      }),

    createRelease: (apiId, releaseId, revisionApiId, notes) =>
      call(`Releasing '${revisionApiId.split('/').pop()}'`, async () => void (await client.apiRelease.createOrUpdate(rg, svc, apiId, releaseId, { apiId: revisionApiId, notes }))),
  };
}
