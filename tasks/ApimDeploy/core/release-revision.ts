import { DeployError } from './apim-errors';
import type { DeployOutputs, ReleaseSettings } from './model';
import { newest, release, retireRevisions } from './revisions';
import type { DeployDeps } from './sources';
import { WriteLog } from './write-log';

/** Makes a given (or the newest) revision current, then retires old ones as asked. */
export async function releaseRevision(s: ReleaseSettings, deps: DeployDeps): Promise<DeployOutputs> {
  const writes = new WriteLog(deps.logger);
  const service = await deps.gateway.getService();
  const api = await deps.gateway.getApi(s.apiId);
  if (!api) throw new DeployError(`API '${s.apiId}' does not exist in the service.`);
  const revisions = await deps.gateway.listRevisions(s.apiId);
  const target = s.revision === undefined ? newest(revisions) : revisions.find((r) => r.revision === s.revision);
  if (!target) {
    throw new DeployError(`API '${s.apiId}' has no revision ${s.revision} (revisions: ${revisions.map((r) => r.revision).sort((a, b) => a - b).join(', ')}).`);
  }
  if (target.isCurrent) writes.unchanged(`revision ${target.revision} of API '${s.apiId}' is already current`);
  else await release(s.apiId, target.revision, s.notes, deps, writes);
  await retireRevisions(s.apiId, s.retire, deps, writes);
  if (writes.writes === 0) deps.logger.info(`API '${s.apiId}': unchanged, nothing written.`);
  const gatewayUrl = service.gatewayUrl && api.path !== undefined ? `${service.gatewayUrl.replace(/\/+$/, '')}/${api.path}`.replace(/\/+$/, '') : undefined;
  return { apiId: s.apiId, apiRevision: String(target.revision), gatewayUrl, writes: writes.writes };
}
