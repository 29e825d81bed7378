/**
 * v1 inputs mirror the AzSK ARM Template Checker task, so an AzSK pipeline migrates by changing
 * the task name. AzSK read TreatAsPassed and FailTaskIfNoControlsScanned from pipeline
 * variables; both are inputs here and the variables still work when the input is empty.
 */
import * as path from 'node:path';
import { InputError } from '../../common/errors';
import type { TaskInputs } from '../../common/host/inputs';
import type { GateTaskSettings } from '../core/gate-task';
import type { Outcome } from '../core/model';
import { readBool, readList } from '../core/task-inputs';

/** AzSK statuses -> our outcomes. Verify and Manual both meant "needs a human", like our unknown. */
const AZSK_STATUS: Record<string, Outcome | null> = {
  verify: 'unknown',
  manual: 'unknown',
  failed: 'fail',
  error: 'error',
  passed: null,
};

export function readSettings(inputs: TaskInputs): GateTaskSettings {
  const host = inputs.host;
  const root = path.resolve(host.getVariable('System.DefaultWorkingDirectory') ?? process.cwd());
  const template = host.getInput('ARMTemplateFilePath');
  if (!template) throw new InputError('ARMTemplateFilePath', 'required: an ARM template file or a folder of templates');

  const treatInput = host.getInput('TreatAsPassed') ?? host.getVariable('TreatAsPassed');
  const treatAsPassed: Outcome[] = [];
  for (const status of readList(host, 'TreatAsPassed', treatInput)) {
    const mapped = AZSK_STATUS[status.toLowerCase()];
    if (mapped === undefined) throw new InputError('TreatAsPassed', `expected a comma-separated list of Verify, Manual, Failed, Error; got '${status}'`);
    if (mapped) treatAsPassed.push(mapped);
  }
  const failIfNone = readBool(host, 'FailTaskIfNoControlsScanned', false, host.getInput('FailTaskIfNoControlsScanned') ?? host.getVariable('FailTaskIfNoControlsScanned'));

  const reportsFolder = path.join(host.getVariable('Agent.TempDirectory') ?? root, 'ArmTemplateSecurityGate');
  return {
    scan: {
      paths: [template],
      root,
      recurse: readBool(host, 'Recurse', false),
      exclude: readList(host, 'ExcludeFiles'),
      parametersFile: host.filePathSupplied('ARMTemplateParameterFilePath') ? host.getInput('ARMTemplateParameterFilePath') : undefined,
      baseline: 'latest',
      severityThreshold: 'low',
      // AzSK failed the task on Verify unless TreatAsPassed said otherwise.
      unknownPolicy: 'fail',
      treatAsPassed,
      failIfNoControlsScanned: failIfNone,
    },
    skipControlsFile: host.filePathSupplied('SkipControlsFromFile') ? host.getInput('SkipControlsFromFile') : undefined,
    reports: ['csv', 'markdown'],
    reportsFolder,
    publishTestResults: false,
    testRunTitle: 'ARM template security gate',
    publishSarif: false,
    uploadSummary: true,
    maxAnnotations: 100,
    annotationBase: root,
  };
}
