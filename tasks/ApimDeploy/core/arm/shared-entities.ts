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
        return g ? { displayName: g.displayName ?? id, description: g.description ?? undefined, type: g.typePropertiesType, externalId: g.externalId ?? undefined, builtIn: g.builtIn === true } : undefined;
      }),

    putGroup: (id, group) => call(`Writing group '${id}'`, async () => void (await client.group.createOrUpdate(rg, svc, id, { ...group }))),

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
