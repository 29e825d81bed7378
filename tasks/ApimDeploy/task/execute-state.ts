import * as path from 'node:path';
import { createNodeFileSystem } from '../../common/fs/node-file-system';
import type { TaskContext, TaskOutcome } from '../../common/host/run-task';
import { createStateGateway } from '../core/state/arm-state-gateway';
import { planCounts } from '../core/state/render';
import { runDeclaredState } from '../core/state/run';
import type { ApimDeployV2Settings } from '../v2/settings';
import { connectApim } from './apim-connection';

/**
 * ApimDeploy v2 around the declared-state core: signs in with the AzureRM connection as v1 does,
 * runs plan (and apply), uploads the plan as the build summary and publishes the counts.
 */
export async function executeDeclaredState(settings: ApimDeployV2Settings, ctx: TaskContext): Promise<TaskOutcome> {
  const { host, secrets, log: logger } = ctx;
  const gateway = createStateGateway((await connectApim(settings, ctx)).gatewayOptions);
  const fs = createNodeFileSystem({ baseFolder: settings.workingDirectory, baseFolderName: 'System.DefaultWorkingDirectory' });

  logger.info(host.loc('Target', settings.target.serviceName, settings.target.resourceGroup, settings.run.dryRun ? host.loc('ModeDryRun') : host.loc('ModeApply')));
  const out = await runDeclaredState(settings.run, settings.target.serviceName, { gateway, fs, logger, registerSecret: (v) => secrets.register(v), now: () => new Date() });

  // The summary goes through task-lib (##vso[task.uploadsummary]); its text was escaped as Markdown.
  const summaryFile = path.join(settings.tempDirectory, `apim-deploy-plan-${Date.now()}-${process.pid}.md`);
  fs.writeTextAtomic(summaryFile, secrets.redact(out.summary));
  host.uploadSummary(summaryFile);

  const n = planCounts(out.plan);
  host.setVariable('createCount', String(n.create), { isOutput: true });
  host.setVariable('updateCount', String(n.update), { isOutput: true });
  host.setVariable('deleteCount', String(n.delete), { isOutput: true });
  host.setVariable('writeCount', String(out.writes), { isOutput: true });
  if (out.failure) throw out.failure;
  const changes = n.create + n.update + n.delete;
  if (settings.run.dryRun) return { result: 'Succeeded', message: host.loc('DryRunDone', changes) };
  return { result: 'Succeeded', message: changes === 0 ? host.loc('Unchanged') : host.loc('Changed', changes, out.writes) };
}
