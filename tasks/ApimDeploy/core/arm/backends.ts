import type { BackendContract } from '@azure/arm-apimanagement';
import type { BackendGateway, BackendState } from '../gateway';
import { onlyNamedValueReferences } from '../policy-xml';
import { orUndefined, type ArmContext } from './context';

export function toBackendState(b: BackendContract & { eTag?: string }): BackendState {
  return {
    etag: b.eTag,
    url: b.url,
    protocol: b.protocol,
    title: b.title ?? undefined,
    description: b.description ?? undefined,
    resourceId: b.resourceId ?? undefined,
    tls: b.tls,
    credentials: b.credentials,
  };
}

export function armBackends({ client, rg, svc, call, onSecretRead }: ArmContext): BackendGateway {
  return {
    getBackend: (id) =>
      call(`Reading backend '${id}'`, async () => {
        const b = await orUndefined(() => client.backend.get(rg, svc, id));
        // Every credential the service holds (header and query values too, e.g. x-functions-key or
        // code=) is a secret from here on: the PATCH sends them back and an error may echo them.
        const c = b?.credentials;
        const held = [...Object.values(c?.header ?? {}).flat(), ...Object.values(c?.query ?? {}).flat(), ...(c?.authorization?.parameter ? [c.authorization.parameter] : [])];
        for (const value of held) if (!onlyNamedValueReferences(value)) onSecretRead(value);
        return b ? toBackendState(b) : undefined;
      }),

    createBackend: (id, body) => call(`Creating backend '${id}'`, async () => void (await client.backend.createOrUpdate(rg, svc, id, { ...body }))),

    updateBackend: (id, etag, patch) => call(`Updating backend '${id}'`, async () => void (await client.backend.update(rg, svc, id, etag, { ...patch }))),
  };
}
