import type { Logger } from '../../common/log/logger';
import { DeployError } from './apim-errors';
import type { ApimGateway, RevisionInfo } from './gateway';
import type { OfflineCheck, RetirePolicy } from './model';
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

/** One revision to retire and how: what both v1 and a v2 plan compute from the revisions listed. */
export interface RetireStep {
  revision: number;
  action: 'offline' | 'delete';
}

/**
 * Revisions beyond the newest `keep` (the current one always stays, and counts; the newest
 * non-current ones are kept next). Revisions already offline are not taken offline again.
 */
export function revisionsToRetire(revisions: readonly RevisionInfo[], action: 'offline' | 'delete', keep: number): RetireStep[] {
  const others = revisions.filter((r) => !r.isCurrent).sort((a, b) => b.revision - a.revision);
  return others
    .slice(Math.max(0, keep - 1))
    .filter((r) => action === 'delete' || r.isOnline)
    .map((r) => ({ revision: r.revision, action }));
}

/** Retires revisions beyond the newest `keep`: takes them offline or deletes them. */
export async function retireRevisions(apiId: string, policy: RetirePolicy, deps: DeployDeps, writes: WriteLog): Promise<void> {
  if (policy.action === 'none') return;
  for (const step of revisionsToRetire(await deps.gateway.listRevisions(apiId), policy.action, policy.keep)) {
    const id = `${apiId};rev=${step.revision}`;
    const state = await deps.gateway.getApi(id);
    if (!state) continue;
    if (step.action === 'offline') {
      await writes.run(`Take revision ${step.revision} of API '${apiId}' offline`, () => deps.gateway.takeRevisionOffline(id, state.etag ?? '*'));
      await checkOffline(apiId, step.revision, policy.offlineCheck, deps.gateway, deps.logger);
    } else {
      await writes.run(`Delete revision ${step.revision} of API '${apiId}'`, () => deps.gateway.deleteRevision(id, state.etag ?? '*'));
    }
  }
}

/**
 * The PATCH that takes a revision offline sets `isOnline`, which the 2024-05-01 specification
 * marks read-only: a service that ignores it answers 200 and leaves the revision online. Success
 * is what the service reports when the revision is read back, not the PATCH's answer.
 */
export async function checkOffline(apiId: string, revision: number, offlineCheck: OfflineCheck | undefined, gateway: Pick<ApimGateway, 'getApi'>, logger: Logger): Promise<void> {
  const after = await gateway.getApi(`${apiId};rev=${revision}`);
  // Gone in the meantime (deleted by someone else) is not online either.
  if (!after || after.isOnline === false) return;
  const what =
    `Revision ${revision} of API '${apiId}' is still online after the request to take it offline: the service ignored 'isOnline', ` +
    `which the API Management REST specification (2024-05-01) marks read-only.`;
  if ((offlineCheck ?? 'fail') === 'warn') {
    logger.warning(`${what} It stays reachable at its revision URL (offlineCheck: warn).`);
    return;
  }
  throw new DeployError(`${what} Delete old revisions instead (retireRevisions: delete), or set offlineCheck to warn to accept this.`);
}
