import type { TagGateway } from '../gateway';
import { collect, orUndefined, type ArmContext } from './context';

export function armTags({ client, rg, svc, call }: ArmContext): TagGateway {
  return {
    listApiTags: (apiId) =>
      call(`Listing tags of API '${apiId}'`, async () => {
        const tags = (await orUndefined(() => collect(client.tag.listByApi(rg, svc, apiId)))) ?? [];
        return new Map(tags.map((t) => [(t.name ?? '').toLowerCase(), t.displayName ?? '']));
      }),

    getTag: (tagId) => call(`Reading tag '${tagId}'`, async () => (await orUndefined(() => client.tag.get(rg, svc, tagId)))?.displayName),

    putTag: (tagId, displayName) => call(`Writing tag '${tagId}'`, async () => void (await client.tag.createOrUpdate(rg, svc, tagId, { displayName }))),

    assignTagToApi: (apiId, tagId) => call(`Tagging API '${apiId}' with '${tagId}'`, async () => void (await client.tag.assignToApi(rg, svc, apiId, tagId))),
  };
}
