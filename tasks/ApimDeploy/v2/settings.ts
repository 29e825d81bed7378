/** v2 inputs: the only file that knows their names. Every value is checked here, naming the input. */
import * as path from 'node:path';
import { InputError } from '../../common/errors';
import type { TaskInputs } from '../../common/host/inputs';
import { oneLine } from '../../common/log/safe-text';
import { PRUNABLE_KINDS, pluralKind, type PruneRule, type StateRunSettings } from '../core/state/model';
import type { ServiceTarget } from '../core/model';

export interface ApimDeployV2Settings {
  connection: string;
  target: ServiceTarget;
  lroTimeoutMs: number;
  workingDirectory: string;
  /** Agent.TempDirectory, where the build summary is written before it is uploaded. */
  tempDirectory: string;
  run: StateRunSettings;
}

/** Lines of `<kind>` or `<kind>: <id glob>`; kinds accept a plural (`apis`). */
function pruneScope(inputs: TaskInputs): PruneRule[] {
  return inputs.lines('pruneScope').map((line) => {
    const m = /^([A-Za-z]+)\s*(?::\s*(\S+))?$/.exec(line);
    const kind = m && PRUNABLE_KINDS.find((k) => k.toLowerCase() === m[1]!.toLowerCase() || pluralKind(k).toLowerCase() === m[1]!.toLowerCase());
    if (!m || !kind) throw new InputError('pruneScope', `'${oneLine(line)}' is not '<kind>' or '<kind>: <id pattern>' (kinds: ${PRUNABLE_KINDS.map(pluralKind).join(', ')})`);
    return { kind, pattern: m[2] ?? '*' };
  });
}

export function readSettings(inputs: TaskInputs): ApimDeployV2Settings {
  const workingDirectory = path.resolve(inputs.variable('System.DefaultWorkingDirectory') ?? process.cwd());
  const stateFolder = inputs.filePath('stateFolder');
  if (!stateFolder) throw new InputError('stateFolder', `is required: the folder that holds apim.yaml`);
  const environmentFile = inputs.filePath('environmentFile');
  const environment = inputs.string('environment');
  if (environmentFile && !environment) throw new InputError('environment', `is required with an environmentFile: the name of the section to apply (e.g. dev, prod)`);
  const prune = inputs.bool('prune', false);
  const scope = prune ? pruneScope(inputs) : [];
  if (prune && scope.length === 0) throw new InputError('pruneScope', `is required when prune is on: one kind per line, optionally with an id pattern (e.g. 'apis: orders-*'); nothing outside it is ever deleted`);
  return {
    connection: inputs.required('azureSubscription'),
    target: { resourceGroup: inputs.required('resourceGroupName'), serviceName: inputs.required('serviceName') },
    lroTimeoutMs: inputs.int('timeoutMinutes', 30, { min: 1, max: 240 }) * 60_000,
    workingDirectory,
    tempDirectory: inputs.variable('Agent.TempDirectory') ?? workingDirectory,
    run: {
      stateFolder,
      environmentFile,
      environment: environmentFile ? environment : undefined,
      dryRun: inputs.bool('dryRun', false),
      prune: scope,
      parallelism: inputs.int('parallelism', 8, { min: 1, max: 32 }),
      offlineCheck: inputs.enumOf('offlineCheck', ['fail', 'warn'] as const, 'fail'),
    },
  };
}
