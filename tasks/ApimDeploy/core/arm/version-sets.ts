import type { VersionSetGateway, VersionSetState } from '../gateway';
import { orUndefined, type ArmContext } from './context';

export function armVersionSets({ client, rg, svc, call }: ArmContext): VersionSetGateway {
  return {
    getVersionSet: (id) =>
      call(`Reading version set '${id}'`, async () => {
        const v = await orUndefined(() => client.apiVersionSet.get(rg, svc, id));
        return v ? ({ etag: v.eTag, displayName: v.displayName, scheme: v.versioningScheme, headerName: v.versionHeaderName ?? undefined, queryName: v.versionQueryName ?? undefined } satisfies VersionSetState) : undefined;
      }),

    putVersionSet: (id, state) =>
      call(`Writing version set '${id}'`, async () =>
        void (await client.apiVersionSet.createOrUpdate(rg, svc, id, { displayName: state.displayName, versioningScheme: state.scheme, versionHeaderName: state.headerName, versionQueryName: state.queryName })),
      ),
  };
}
