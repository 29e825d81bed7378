import type { SharedEntityGateway } from '../state/live';
import { collect, orUndefined, type ArmContext } from './context';

/** Policy fragments (read and written as raw XML, like policies) and groups. */
export function armSharedEntities({ client, rg, svc, call, bounded }: ArmContext): SharedEntityGateway {
  return {
    listPolicyFragments: () => call('Listing policy fragments', async () => (await collect(client.policyFragment.listByService(rg, svc))).map((f) => f.name ?? '')),

    getPolicyFragment: (id) =>
      call(`Reading policy fragment '${id}'`, async () => {
        const f = await orUndefined(() => client.policyFragment.get(rg, svc, id, { format: 'rawxml' }));
        return f ? { etag: f.eTag, value: f.value ?? '', description: f.description ?? undefined } : undefined;
      }),

    putPolicyFragment: (id, value, description) =>
      bounded(`Writing policy fragment '${id}'`, async (abortSignal) => {
        await client.policyFragment.beginCreateOrUpdateAndWait(rg, svc, id, { format: 'rawxml', value, description }, { abortSignal });
      }),

    getGroup: (id) =>
      call(`Reading group '${id}'`, async () => {
        const g = await orUndefined(() => client.group.get(rg, svc, id));
        return g ? { etag: g.eTag, displayName: g.displayName ?? id, description: g.description ?? undefined, type: g.typePropertiesType, externalId: g.externalId ?? undefined, builtIn: g.builtIn === true } : undefined;
      }),

    putGroup: (id, group) => call(`Writing group '${id}'`, async () => void (await client.group.createOrUpdate(rg, svc, id, { ...group }))),

    listCustomGroups: () =>
      call('Listing groups', async () => {
        try {
          return (await collect(client.group.listByService(rg, svc))).filter((g) => g.builtIn !== true && g.typePropertiesType !== 'system').map((g) => g.name ?? '');
        } catch (err) {
          // The Consumption tier has no groups: nothing to prune.
          if ((err as { code?: string }).code === 'MethodNotAllowedInPricingTier') return [];
          throw err;
        }
      }),

    deleteGroup: (id, etag) => call(`Deleting group '${id}'`, async () => void (await client.group.delete(rg, svc, id, etag))),

    listPolicyFragmentReferences: (id) =>
      call(`Listing the policies that include fragment '${id}'`, async () => {
        // The operation is a POST with $top/$skip paging: follow the pages until one comes back short.
        const out: string[] = [];
        for (let skip = 0; ; ) {
          const page = await client.policyFragment.listReferences(rg, svc, id, { top: 100, skip });
          const items = page.value ?? [];
          out.push(...items.map((r) => r.id ?? r.name ?? ''));
          skip += items.length;
          if (items.length < 100 || (page.count !== undefined && skip >= page.count)) return out;
        }
      }),

    deletePolicyFragment: (id, etag) => call(`Deleting policy fragment '${id}'`, async () => void (await client.policyFragment.delete(rg, svc, id, etag))),

    getServiceIdentity: () =>
      call(`Reading the managed identities of service '${svc}'`, async () => {
        const identity = (await client.apiManagementService.get(rg, svc)).identity;
        const type = (identity?.type ?? 'None').toLowerCase();
        return {
          systemAssigned: type.includes('systemassigned'),
          userAssignedClientIds: Object.values(identity?.userAssignedIdentities ?? {}).flatMap((u) => (u.clientId ? [u.clientId.toLowerCase()] : [])),
        };
      }),
  };
}
