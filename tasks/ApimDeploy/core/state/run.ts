/**
 * A declared-state run (ApimDeploy v2): load and check the state folder, plan against the live
 * service (reads only), check every reference, then — unless it is a dry run — apply the plan in
 * dependency order with bounded parallelism.
 */
import type { FileSystem } from '../../../common/fs/file-system';
import type { Logger } from '../../../common/log/logger';
import { oneLine } from '../../../common/log/safe-text';
import { DeployError } from '../apim-errors';
import { applyPlan, StoppedError } from './apply';
import type { StateGateway } from './live';
import { desiredSecrets, loadDesiredState } from './load-model';
import type { StateRunSettings } from './model';
import { planState, type Plan } from './plan';
import { checkKeyVaultIdentities, keyVaultNamedValuesWritten, preflight } from './preflight';
import { planLines, planMarkdown } from './render';

export interface StateRunDeps {
  gateway: StateGateway;
  fs: FileSystem;
  logger: Logger;
  /** Called with every secret of the model before anything is logged or sent. */
  registerSecret(value: string): void;
  /** The clock (release ids carry the time). */
  now?: () => Date;
}

export interface StateRunOutcome {
  plan: Plan;
  /** Writes sent (0 on a dry run and on an unchanged re-run). */
  writes: number;
  /** The build summary's Markdown. */
  summary: string;
  /** Set when a write failed: the run stopped starting new ones; the message lists applied and not applied. */
  failure?: DeployError;
}

export async function runDeclaredState(s: StateRunSettings, service: string, deps: StateRunDeps): Promise<StateRunOutcome> {
  const { logger } = deps;
  const desired = loadDesiredState(deps.fs, s);
  for (const secret of desiredSecrets(desired)) deps.registerSecret(secret);
  logger.info(
    `Desired state ${oneLine(desired.source)}${s.environment ? ` (environment ${oneLine(s.environment)})` : ''}: ${desired.apis.length} API(s), ${desired.products.length} product(s), ${desired.namedValues.length} named value(s), ${desired.backends.length} backend(s), ${desired.versionSets.length} version set(s), ${desired.policyFragments.length} policy fragment(s), ${desired.groups.length} group(s), ${desired.subscriptions.length} subscription(s)${desired.globalPolicy ? ', the global policy' : ''}`,
  );

  const plan = await planState(desired, deps.gateway, { prune: s.prune, parallelism: s.parallelism });
  for (const line of planLines(plan)) logger.info(line);
  for (const note of plan.notes) logger.warning(`Prune: ${oneLine(note)}`);
  logger.debug(`The plan read the service ${plan.reads} time(s).`);
  preflight(desired, plan);
  const keyVaultValues = keyVaultNamedValuesWritten(desired, plan);
  if (keyVaultValues.length > 0) checkKeyVaultIdentities(keyVaultValues, await deps.gateway.getServiceIdentity());

  if (s.dryRun) {
    return { plan, writes: 0, summary: planMarkdown(plan, { service, dryRun: true }) };
  }
  const result = await applyPlan(plan, desired, deps.gateway, logger, s.parallelism, deps.now, s.offlineCheck);
  if (result.failed.length === 0) {
    return { plan, writes: result.writes, summary: planMarkdown(plan, { service, dryRun: false, outcome: `Applied ${result.applied.length} change(s) with ${result.writes} write(s).` }) };
  }
  const failures = result.failed.filter((f) => !(f.error instanceof StoppedError)).map((f) => `${f.job.label}: ${(f.error as Error)?.message ?? String(f.error)}`);
  const applied = result.applied.map((j) => j.label);
  // A job that was running when another failed stopped before its next write: partly applied.
  const interrupted = result.failed.filter((f) => f.error instanceof StoppedError).map((f) => `${f.job.label} (partly applied)`);
  const notApplied = [...interrupted, ...result.notApplied.map((j) => j.label)];
  logger.error(`Stopped after a failure; no new write was started. Failed: ${failures.join(' | ')}`);
  logger.info(`Applied (${applied.length}): ${applied.join(', ') || 'none'}`);
  logger.info(`Not applied (${notApplied.length}): ${notApplied.join(', ') || 'none'}`);
  const failure = new DeployError(
    `${failures[0]}${failures.length > 1 ? ` (and ${failures.length - 1} more failure(s))` : ''}. Applied ${applied.length} of ${applied.length + failures.length + notApplied.length} change(s); not applied: ${notApplied.join(', ') || 'none'}. Run the task again after fixing the cause: it plans again from what the service now holds.`,
  );
  const outcome = `Stopped after a failure. Applied: ${applied.join(', ') || 'none'}. Failed: ${failures.join(' | ')}. Not applied: ${notApplied.join(', ') || 'none'}.`;
  return { plan, writes: result.writes, summary: planMarkdown(plan, { service, dryRun: false, outcome }), failure };
}
