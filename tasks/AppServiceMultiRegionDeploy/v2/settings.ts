/** v2 inputs: v1's, then strategy, health, swap, app settings and reporting. */
import { InputError } from '../../common/errors';
import { parseMap, type TaskInputs } from '../../common/host/inputs';
import { RUN_FROM_PACKAGE } from '../core/app-settings';
import type { AppSettingsPatch, DeploySettings, HealthCheck } from '../core/model';
import { readSettings as readV1Settings } from '../v1/settings';

const STRATEGIES = ['sequential', 'parallel', 'rolling'] as const;
const SETTING_NAME = /^[A-Za-z0-9_.:-]{1,256}$/;

function readHealth(inputs: TaskInputs): HealthCheck | undefined {
  const raw = inputs.string('healthCheckPath');
  if (!raw) return undefined;
  if (/\s/.test(raw) || /^[a-z][a-z0-9+.-]*:/i.test(raw)) throw new InputError('healthCheckPath', 'expected a path on the app such as /healthz (no host, no spaces)');
  return {
    path: raw.startsWith('/') ? raw : `/${raw}`,
    expectedStatus: inputs.int('healthCheckExpectedStatus', 200, { min: 100, max: 599 }),
    timeoutMs: inputs.int('healthCheckTimeoutSeconds', 30, { min: 1, max: 600 }) * 1000,
    retries: inputs.int('healthCheckRetries', 5, { min: 0, max: 100 }),
    intervalMs: inputs.int('healthCheckIntervalSeconds', 10, { min: 0, max: 600 }) * 1000,
  };
}

/**
 * `NAME = value` lines. Values often come from secret variables, so the input is read without
 * task-lib's debug echo and errors name lines, never values; the values are registered as secrets
 * when the task starts.
 */
function readAppSettings(inputs: TaskInputs): AppSettingsPatch | undefined {
  const set = parseMap('appSettings', inputs.secret('appSettings', { register: false }), { quote: false });
  const remove = inputs.list('removeAppSettings');
  for (const name of [...set.keys(), ...remove]) {
    const input = set.has(name) ? 'appSettings' : 'removeAppSettings';
    if (!SETTING_NAME.test(name)) throw new InputError(input, `'${name.slice(0, 80)}' is not an app setting name (letters, digits, '_', '.', ':', '-')`);
    if (name.toUpperCase() === RUN_FROM_PACKAGE) throw new InputError(input, `${RUN_FROM_PACKAGE} is managed by deploymentMethod (runFromPackage sets it, the other methods remove it)`);
  }
  const both = remove.find((r) => [...set.keys()].some((k) => k.toLowerCase() === r.toLowerCase()));
  if (both) throw new InputError('removeAppSettings', `'${both}' is also set in appSettings`);
  return set.size || remove.length ? { set, remove } : undefined;
}

export function readSettings(inputs: TaskInputs): DeploySettings {
  const base = readV1Settings(inputs);
  const strategy = inputs.enumOf('strategy', STRATEGIES, 'sequential');
  const health = readHealth(inputs);
  if (strategy === 'rolling' && !health) throw new InputError('healthCheckPath', 'is required with strategy rolling: the canary\'s health check decides whether the rest follow');
  const swap = inputs.bool('swapAfterDeploy', false);
  if (swap) {
    if (!health) throw new InputError('healthCheckPath', 'is required with swapAfterDeploy: a slot is swapped only once it is healthy');
    const notSlot = base.targets.find((t) => !t.slot);
    if (notSlot) throw new InputError('swapAfterDeploy', `needs a slot on every target; ${notSlot.label} is production`);
  }
  return {
    ...base,
    strategy,
    maxParallel: inputs.int('maxParallel', 4, { min: 1, max: 32 }),
    continueOnTargetFailure: inputs.bool('continueOnTargetFailure', false),
    health,
    swap: swap ? { preview: inputs.bool('swapWithPreview', false), swapBackOnFailure: inputs.bool('swapBackOnFailure', true) } : undefined,
    appSettings: readAppSettings(inputs),
    report: true,
  };
}
