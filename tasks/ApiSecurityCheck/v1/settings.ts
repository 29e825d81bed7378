/** v1 inputs, read and checked once; the only file that knows their names. */
import * as path from 'node:path';
import { InputError } from '../../common/errors';
import type { TaskInputs } from '../../common/host/inputs';
import type { TaskContext } from '../../common/host/run-task';
import { urlSecrets } from '../../common/http/redact';
import { oneLine } from '../../common/log/safe-text';
import { REPORT_FORMATS, type ReportFormat } from '../core/report';
import type { ApiCheckTaskSettings } from '../task/run';

const SEVERITIES = ['low', 'medium', 'high'] as const;
const UNKNOWN_POLICIES = ['fail', 'warn', 'pass'] as const;

function urlOf(name: string, raw: string, scheme: 'https:' | 'http:'): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(name, `expected an absolute ${scheme.replace(':', '')} URL, got '${oneLine(raw)}'`);
  }
  if (url.protocol !== scheme) throw new InputError(name, `expected an ${scheme.replace(':', '')} URL, got '${oneLine(raw)}'${name === 'url' ? ' (the plain-HTTP check probes http:// by itself)' : ''}`);
  return raw;
}

export function readSettings(inputs: TaskInputs, ctx: Pick<TaskContext, 'secrets'>): ApiCheckTaskSettings {
  const workDir = path.resolve(inputs.variable('System.DefaultWorkingDirectory') ?? process.cwd());
  const connection = inputs.string('apiConnection');
  // A URL may carry a key in its query (?subscription-key=…): read quietly, secrets registered first.
  const rawUrl = inputs.secret('url', { register: false });
  for (const s of rawUrl ? urlSecrets(rawUrl) : []) ctx.secrets.register(s);
  if (connection && rawUrl) throw new InputError('url', "give either 'apiConnection' or 'url', not both");
  if (!connection && !rawUrl) throw new InputError('apiConnection', "required: an 'API with client certificate' service connection, or the API's base URL in 'url'");
  const target: ApiCheckTaskSettings['target'] = connection ? { kind: 'connection', endpointId: connection } : { kind: 'url', url: urlOf('url', rawUrl!, 'https:') };

  const plain = inputs.string('plainHttpUrl');
  const reports: ReportFormat[] = [];
  for (const f of inputs.list('reports')) {
    const format = REPORT_FORMATS.find((r) => r === f.toLowerCase());
    if (!format) throw new InputError('reports', `expected a comma-separated list of ${REPORT_FORMATS.join(', ')}; got '${oneLine(f)}'`);
    if (!reports.includes(format)) reports.push(format);
  }
  const publishSarif = inputs.bool('publishSarif', true);
  if (publishSarif && !reports.includes('sarif')) reports.push('sarif');
  const reportsFolder = inputs.string('reportsFolder');

  return {
    target,
    openApiSpec: inputs.filePath('openApiSpec'),
    expectClientCertificate: inputs.bool('expectClientCertificate', false),
    expectSubscriptionKey: inputs.bool('expectSubscriptionKey', false),
    certificateExpiryDays: inputs.int('certificateExpiryDays', 30, { min: 0, max: 3650 }),
    plainHttpUrl: plain ? urlOf('plainHttpUrl', plain, 'http:') : undefined,
    probeUnsafeMethods: inputs.bool('probeUnsafeMethods', false),
    requestTimeoutSeconds: inputs.int('requestTimeoutSeconds', 10, { min: 1, max: 120 }),
    maxRequests: inputs.int('maxRequests', 200, { min: 10, max: 5000 }),
    maxConcurrency: inputs.int('maxConcurrency', 4, { min: 1, max: 16 }),
    severityThreshold: inputs.enumOf('severityThreshold', SEVERITIES, 'low'),
    unknownPolicy: inputs.enumOf('unknownPolicy', UNKNOWN_POLICIES, 'warn'),
    attestationFile: inputs.filePath('attestationFile'),
    skipControls: inputs.list('skipControls'),
    reports,
    reportsFolder: reportsFolder ? path.resolve(workDir, reportsFolder) : path.join(inputs.variable('Agent.TempDirectory') ?? workDir, 'ApiSecurityCheck'),
    publishTestResults: inputs.bool('publishTestResults', true),
    testRunTitle: inputs.string('testRunTitle') ?? 'API security check',
    publishSarif,
    uploadSummary: inputs.bool('uploadSummary', true),
    maxAnnotations: inputs.int('maxAnnotations', 100, { min: 0, max: 1000 }),
    workDir,
  };
}
