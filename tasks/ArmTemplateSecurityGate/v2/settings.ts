/** v2 inputs: globs, parameter mapping, baseline, policies, attestations and reports. */
import * as path from 'node:path';
import { InputError } from '../../common/errors';
import type { TaskInputs } from '../../common/host/inputs';
import { SEVERITIES } from '../../common/report/model';
import { baselineNames } from '../core/baselines';
import type { GateTaskSettings } from '../core/gate-settings';
import { REPORT_FORMATS, type ReportFormat } from '../core/reporters';

const POLICIES = ['fail', 'warn', 'pass'] as const;

export function readSettings(inputs: TaskInputs): GateTaskSettings {
  const workDir = path.resolve(inputs.variable('System.DefaultWorkingDirectory') ?? process.cwd());
  const rootFolder = inputs.filePath('rootFolder');
  const root = rootFolder ? path.resolve(workDir, rootFolder) : workDir;
  const templates = inputs.lines('templates');
  if (templates.length === 0) throw new InputError('templates', 'required: one file, folder or glob per line, e.g. **/*.json');

  const baseline = inputs.string('baseline') ?? 'latest';
  if (!baselineNames().some((n) => n.toLowerCase() === baseline.toLowerCase()) && !/^\d{4}-\d{2}-\d{2}$/.test(baseline)) {
    throw new InputError('baseline', `expected ${baselineNames().join(', ')} or a date YYYY-MM-DD, got '${baseline}'`);
  }

  const fileFormats = REPORT_FORMATS.filter((r) => r !== 'console');
  const reports: ReportFormat[] = [];
  for (const f of inputs.list('reports')) {
    const format = fileFormats.find((r) => r === f.toLowerCase());
    if (!format) throw new InputError('reports', `expected a comma-separated list of ${fileFormats.join(', ')}; got '${f}'`);
    reports.push(format);
  }
  const reportsFolderInput = inputs.string('reportsFolder');
  const reportsFolder = reportsFolderInput
    ? path.resolve(workDir, reportsFolderInput)
    : path.join(inputs.variable('Agent.TempDirectory') ?? workDir, 'ArmTemplateSecurityGate');
  const publishTestResults = inputs.bool('publishTestResults', true);
  const publishSarif = inputs.bool('publishSarif', true);
  if (publishSarif && !reports.includes('sarif')) reports.push('sarif');

  return {
    scan: {
      paths: templates,
      root,
      baseFolder: workDir,
      recurse: true,
      exclude: inputs.list('exclude'),
      parameterMap: [...inputs.map('parameterMapping')].map(([template, parameters]) => ({ template, parameters })),
      linkedTemplateMap: Object.fromEntries(inputs.map('linkedTemplates')),
      baseline,
      severityThreshold: inputs.enumOf('severityThreshold', SEVERITIES, 'low'),
      unknownPolicy: inputs.enumOf('unknownPolicy', POLICIES, 'warn'),
      attestationsFile: inputs.filePath('attestationFile'),
      settingsFile: inputs.filePath('settingsFile'),
      controlsFolder: inputs.filePath('controlsFolder'),
      policyPaths: inputs.lines('policyDefinitions'),
      skipControls: inputs.list('skipControls'),
      failIfNoControlsScanned: inputs.bool('failIfNoControlsScanned', false),
    },
    reports,
    reportsFolder,
    publishTestResults,
    testRunTitle: inputs.string('testRunTitle') ?? 'ARM template security gate',
    publishSarif,
    uploadSummary: inputs.bool('uploadSummary', true),
    maxAnnotations: inputs.int('maxAnnotations', 100, { min: 0, max: 1000 }),
    annotationBase: workDir,
  };
}
