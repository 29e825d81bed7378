import type { RevisionInfo } from './gateway';
import type { RetirePolicy } from './model';
import type { DeployDeps } from './sources';
import type { WriteLog } from './write-log';

export function revisionApiId(apiId: string, revision: number, current: boolean): string {
  return current ? apiId : `${apiId};rev=${revision}`;
}

export function newest(revisions: RevisionInfo[]): RevisionInfo | undefined {
  return revisions.reduce<RevisionInfo | undefined>((best, r) => (!best || r.revision > best.revision ? r : best), undefined);
}

/** Release ids must be unique per API; the revision and time make them readable in the portal. */
export function releaseId(revision: number, now: Date): string {
  return `r${revision}-${now.toISOString().replace(/[-:T]/g, '').slice(0, 14)}`;
}

export async function release(apiId: string, revision: number, notes: string | undefined, deps: DeployDeps, writes: WriteLog): Promise<void> {
  const revId = `${apiId};rev=${revision}`;
  await writes.run(`Make revision ${revision} of API '${apiId}' current`, () =>
    deps.gateway.createRelease(apiId, releaseId(revision, deps.now()), deps.gateway.resourceId(`apis/${revId}`), notes),
  );
}

/**
 * Retires revisions beyond the newest `keep` (the current one always stays, and counts): takes them
 * offline or deletes them. Revisions already offline are not touched again.
 */
export async function retireRevisions(apiId: string, policy: RetirePolicy, deps: DeployDeps, writes: WriteLog): Promise<void> {
  if (policy.action === 'none') return;
  const revisions = await deps.gateway.listRevisions(apiId);
  const others = revisions.filter((r) => !r.isCurrent).sort((a, b) => b.revision - a.revision);
  const retire = others.slice(Math.max(0, policy.keep - 1));
  for (const r of retire) {
    if (policy.action === 'offline' && !r.isOnline) continue;
    const id = `${apiId};rev=${r.revision}`;
    const state = await deps.gateway.getApi(id);
    if (!state) continue;
    if (policy.action === 'offline') {
      await writes.run(`Take revision ${r.revision} of API '${apiId}' offline`, () => deps.gateway.takeRevisionOffline(id, state.etag ?? '*'));
    } else {
      await writes.run(`Delete revision ${r.revision} of API '${apiId}'`, () => deps.gateway.deleteRevision(id, state.etag ?? '*'));
    }
  }
}
