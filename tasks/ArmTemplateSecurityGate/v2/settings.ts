/** v2 inputs: globs, parameter mapping, baseline, policies, attestations and reports. */
import * as path from 'node:path';
import { InputError } from '../../common/errors';
import type { TaskInputs } from '../../common/host/inputs';
import { baselineNames } from '../core/baselines';
import type { GateTaskSettings } from '../core/gate-task';
import { REPORT_FORMATS, type ReportFormat } from '../core/reporters';
import { readBool, readEnum, readInt, readList, readPairs } from '../core/task-inputs';

export function readSettings(inputs: TaskInputs): GateTaskSettings {
  const host = inputs.host;
  const workDir = path.resolve(host.getVariable('System.DefaultWorkingDirectory') ?? process.cwd());
  const root = host.filePathSupplied('rootFolder') ? path.resolve(workDir, host.getInput('rootFolder')!) : workDir;
  const templates = (host.getInput('templates') ?? '').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  if (templates.length === 0) throw new InputError('templates', 'required: one file, folder or glob per line, e.g. **/*.json');

  const baseline = host.getInput('baseline') ?? 'latest';
  const names = baselineNames().map((n) => n.toLowerCase());
  if (!names.includes(baseline.toLowerCase()) && !/^\d{4}-\d{2}-\d{2}$/.test(baseline)) {
    throw new InputError('baseline', `expected ${baselineNames().join(', ')} or a date YYYY-MM-DD, got '${baseline}'`);
  }

  const reports: ReportFormat[] = [];
  for (const f of readList(host, 'reports')) {
    const format = REPORT_FORMATS.find((r) => r === f.toLowerCase());
    if (!format || format === 'console') throw new InputError('reports', `expected a comma-separated list of ${REPORT_FORMATS.filter((r) => r !== 'console').join(', ')}; got '${f}'`);
    reports.push(format);
  }
  const reportsFolder = host.getInput('reportsFolder')
    ? path.resolve(workDir, host.getInput('reportsFolder')!)
    : path.join(host.getVariable('Agent.TempDirectory') ?? workDir, 'ArmTemplateSecurityGate');
  const publishTestResults = readBool(host, 'publishTestResults', true);
  const publishSarif = readBool(host, 'publishSarif', true);
  if (publishSarif && !reports.includes('sarif')) reports.push('sarif');

  const attestations = host.filePathSupplied('attestationFile') ? host.getInput('attestationFile') : undefined;
  return {
    scan: {
      paths: templates,
      root,
      recurse: true,
      exclude: readList(host, 'exclude'),
      parameterMap: readPairs(host, 'parameterMapping').map(([template, parameters]) => ({ template, parameters })),
      linkedTemplateMap: Object.fromEntries(readPairs(host, 'linkedTemplates')),
      baseline,
      severityThreshold: readEnum(host, 'severityThreshold', ['low', 'medium', 'high'] as const, 'low'),
      unknownPolicy: readEnum(host, 'unknownPolicy', ['fail', 'warn', 'pass'] as const, 'warn'),
      attestationsFile: attestations,
      skipControls: readList(host, 'skipControls'),
      failIfNoControlsScanned: readBool(host, 'failIfNoControlsScanned', false),
    },
    reports,
    reportsFolder,
    publishTestResults,
    testRunTitle: host.getInput('testRunTitle') ?? 'ARM template security gate',
    publishSarif,
    uploadSummary: readBool(host, 'uploadSummary', true),
    maxAnnotations: readInt(host, 'maxAnnotations', 100, 0, 1000),
    annotationBase: workDir,
  };
}
