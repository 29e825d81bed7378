/** v1 inputs: the only file that knows their names (v2 reads these too, then its own). */
import * as path from 'node:path';
import { InputError } from '../../common/errors';
import type { TaskInputs } from '../../common/host/inputs';
import type { DeploySettings, Target } from '../core/model';
import { numberedLines, parseTargets } from '../core/targets';

const METHODS = ['auto', 'oneDeploy', 'zipDeploy', 'runFromPackage'] as const;

/**
 * `targets` lists `resourceGroup/appName[/slot]` lines; a single target may instead be picked
 * with resourceGroupName, appName and slotName (the pickers of the classic editor).
 */
function readTargets(inputs: TaskInputs): Target[] {
  const text = inputs.string('targets');
  const rg = inputs.string('resourceGroupName');
  const app = inputs.string('appName');
  const slot = inputs.string('slotName');
  if (text) {
    const picked = [['resourceGroupName', rg], ['appName', app], ['slotName', slot]].find(([, v]) => v !== undefined);
    if (picked) throw new InputError(picked[0]!, 'give the target either in targets or with the pickers (resourceGroupName, appName, slotName), not both');
    const targets = parseTargets('targets', numberedLines(text));
    if (targets.length === 0) throw new InputError('targets', 'lists no target (only comments or blank lines)');
    return targets;
  }
  if (!rg && !app) throw new InputError('targets', "is required: one 'resourceGroup/appName[/slot]' per line (or pick a single app with resourceGroupName and appName)");
  if (!rg) throw new InputError('resourceGroupName', 'is required with appName');
  if (!app) throw new InputError('appName', 'is required with resourceGroupName');
  return parseTargets('appName', [{ text: [rg, app, slot].filter(Boolean).join('/'), line: 1 }]);
}

export function readSettings(inputs: TaskInputs): DeploySettings {
  const packagePattern = inputs.filePath('package');
  if (!packagePattern) throw new InputError('package', 'is required: a .zip, .jar or .war file or a folder (a glob matching exactly one)');
  return {
    connection: inputs.required('azureSubscription'),
    targets: readTargets(inputs),
    packagePattern,
    method: inputs.enumOf('deploymentMethod', METHODS, 'auto'),
    strategy: 'sequential',
    maxParallel: 1,
    continueOnTargetFailure: false,
    deploymentTimeoutMs: inputs.int('deploymentTimeoutMinutes', 20, { min: 1, max: 360 }) * 60_000,
    report: false,
    workingDirectory: path.resolve(inputs.variable('System.DefaultWorkingDirectory') ?? process.cwd()),
  };
}
