/**
 * v1 inputs mirror the AzSK ARM Template Checker task, so an AzSK pipeline migrates by changing
 * the task name. AzSK read TreatAsPassed and FailTaskIfNoControlsScanned from pipeline
 * variables; both are inputs here and the variables still work when the input is empty (or, for
 * FailTaskIfNoControlsScanned, false: its default).
 */
import * as path from 'node:path';
import { InputError } from '../../common/errors';
import { linesOf, type TaskInputs } from '../../common/host/inputs';
import type { GateTaskSettings } from '../core/gate-settings';
import type { Outcome } from '../core/model';

/** AzSK statuses -> our outcomes. Verify and Manual both meant "needs a human", like our unknown. */
const AZSK_STATUS = new Map<string, Outcome | null>([
  ['verify', 'unknown'],
  ['manual', 'unknown'],
  ['failed', 'fail'],
  ['error', 'error'],
  ['passed', null],
]);

/** An input, or when it is empty the pipeline variable of the same name (AzSK's way). */
function inputOrVariable(inputs: TaskInputs, name: string): string | undefined {
  return inputs.string(name) ?? inputs.variable(name);
}

function treatAsPassed(inputs: TaskInputs): Outcome[] {
  const out: Outcome[] = [];
  const values = linesOf(inputOrVariable(inputs, 'TreatAsPassed')).flatMap((l) => l.split(/[,;]/)).map((v) => v.trim()).filter(Boolean);
  for (const status of values) {
    const mapped = AZSK_STATUS.get(status.toLowerCase());
    if (mapped === undefined) throw new InputError('TreatAsPassed', `expected a comma-separated list of Verify, Manual, Failed, Error; got '${status}'`);
    if (mapped) out.push(mapped);
  }
  return out;
}

function failIfNoControls(inputs: TaskInputs): boolean {
  // The agent sends task.json's default ('false') when a pipeline leaves the input out, so 'false'
  // cannot mean "not set": the AzSK variable can still turn the check on.
  if (inputs.bool('FailTaskIfNoControlsScanned', false)) return true;
  const v = inputs.variable('FailTaskIfNoControlsScanned');
  if (v === undefined) return false;
  if (/^true$/i.test(v.trim())) return true;
  if (/^false$/i.test(v.trim())) return false;
  throw new InputError('FailTaskIfNoControlsScanned', `expected true or false (from the pipeline variable), got '${v}'`);
}

export function readSettings(inputs: TaskInputs): GateTaskSettings {
  const root = path.resolve(inputs.variable('System.DefaultWorkingDirectory') ?? process.cwd());
  const template = inputs.string('ARMTemplateFilePath');
  if (!template) throw new InputError('ARMTemplateFilePath', 'required: an ARM template file or a folder of templates');
  const reportsFolder = path.join(inputs.variable('Agent.TempDirectory') ?? root, 'ArmTemplateSecurityGate');
  return {
    scan: {
      paths: [template],
      root,
      baseFolder: root,
      recurse: inputs.bool('Recurse', false),
      exclude: inputs.list('ExcludeFiles'),
      parametersFile: inputs.filePath('ARMTemplateParameterFilePath'),
      baseline: 'latest',
      severityThreshold: 'low',
      // AzSK failed the task on Verify unless TreatAsPassed said otherwise.
      unknownPolicy: 'fail',
      treatAsPassed: treatAsPassed(inputs),
      failIfNoControlsScanned: failIfNoControls(inputs),
    },
    skipControlsFile: inputs.filePath('SkipControlsFromFile'),
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
