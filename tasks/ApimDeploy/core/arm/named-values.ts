import type { NamedValueContract } from '@azure/arm-apimanagement';
import type { NamedValueGateway, NamedValueState } from '../gateway';
import { collect, orUndefined, type ArmContext } from './context';

export function toNamedValueState(n: NamedValueContract & { eTag?: string }): NamedValueState {
  return {
    etag: n.eTag,
    displayName: n.displayName ?? n.name ?? '',
    secret: n.secret === true,
    tags: n.tags ?? [],
    value: n.secret ? undefined : (n.value ?? undefined),
    keyVault: n.keyVault?.secretIdentifier ? { secretIdentifier: n.keyVault.secretIdentifier, identityClientId: n.keyVault.identityClientId ?? undefined } : undefined,
  };
}

/** Named values; a secret value read from the service is registered before anything can print it. */
export function armNamedValues({ client, rg, svc, call, bounded, onSecretRead }: ArmContext): NamedValueGateway {
  return {
    listNamedValues: () =>
      call('Listing named values', async () => (await collect(client.namedValue.listByService(rg, svc))).map((n) => ({ name: n.name ?? '', displayName: n.displayName }))),

    getNamedValue: (id) =>
      call(`Reading named value '${id}'`, async () => {
        const n = await orUndefined(() => client.namedValue.get(rg, svc, id));
        return n ? toNamedValueState(n) : undefined;
      }),

    readNamedValueSecret: (id) =>
      call(`Reading the value of named value '${id}'`, async () => {
        const value = (await client.namedValue.listValue(rg, svc, id)).value ?? '';
        onSecretRead(value);
        return value;
      }),

    putNamedValue: (id, body, etag) =>
      bounded(`Writing named value '${id}'`, async (abortSignal) => {
        await client.namedValue.beginCreateOrUpdateAndWait(rg, svc, id, { ...body }, { ifMatch: etag, abortSignal });
      }),
  };
}
