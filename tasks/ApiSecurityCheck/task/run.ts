/**
 * The composition root of ApiSecurityCheck: the agent (TaskHost), the file system and the network
 * wired into the core. Reads the connection and files, runs the check, writes and publishes the
 * reports, annotates, sets output variables and decides the task result.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readApiClientCertificateEndpoint } from '../../common/endpoints/api-client-certificate';
import { FileError, InputError } from '../../common/errors';
import type { TaskContext, TaskOutcome } from '../../common/host/run-task';
import { readNetworkSettings } from '../../common/http/network';
import { oneLine } from '../../common/log/safe-text';
import { writeReport } from '../../ArmTemplateSecurityGate/core/node-deps';
import { checkApi } from '../core/check-api';
import { REPORT_FILES, renderReport, type ReportFormat, type ScanResult, type Severity, type UnknownPolicy } from '../core/report-adapter';
import { createNodeTransport } from './node-transport';

export interface ApiCheckTaskSettings {
  target: { kind: 'connection'; endpointId: string } | { kind: 'url'; url: string };
  /** As given (relative to the working directory, or absolute). */
  openApiSpec?: string;
  expectClientCertificate: boolean;
  expectSubscriptionKey: boolean;
  certificateExpiryDays: number;
  plainHttpUrl?: string;
  probeUnsafeMethods: boolean;
  requestTimeoutSeconds: number;
  maxRequests: number;
  maxConcurrency: number;
  severityThreshold: Severity;
  unknownPolicy: UnknownPolicy;
  attestationFile?: string;
  skipControls: string[];
  reports: Exclude<ReportFormat, 'console'>[];
  reportsFolder: string;
  publishTestResults: boolean;
  testRunTitle: string;
  publishSarif: boolean;
  uploadSummary: boolean;
  maxAnnotations: number;
  /** System.DefaultWorkingDirectory: relative files and annotation paths start here. */
  workDir: string;
}

export const SARIF_ARTIFACT = 'CodeAnalysisLogs';

function readInputFile(input: string, given: string, workDir: string): { text: string; displayPath: string } {
  const abs = path.resolve(workDir, given);
  const rel = path.relative(workDir, abs);
  const displayPath = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : abs;
  let text: string;
  try {
    if (fs.statSync(abs).isDirectory()) throw new InputError(input, `'${oneLine(given)}' is a folder; give a file`);
    text = fs.readFileSync(abs, 'utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new FileError(displayPath, `${input}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return { text, displayPath };
}

function commonName(subject: string): string | undefined {
  return /(?:^|,\s*)CN=([^,]+)/.exec(subject)?.[1];
}

export async function executeApiCheck(settings: ApiCheckTaskSettings, ctx: TaskContext): Promise<TaskOutcome> {
  const { host, secrets, log } = ctx;
  const network = readNetworkSettings(host, secrets);
  let baseUrl: string;
  let endpoint: Parameters<typeof createNodeTransport>[0]['endpoint'];
  let credentials: { clientCertificate: boolean; subscriptionKey: boolean };
  if (settings.target.kind === 'connection') {
    const e = readApiClientCertificateEndpoint(host, settings.target.endpointId, secrets, { expiryWarningDays: settings.certificateExpiryDays });
    for (const w of e.warnings) log.warning(`Service connection '${e.id}': ${w}`);
    log.info(host.loc('ClientCertificate', e.clientCertificate.subject, e.clientCertificate.issuer, e.clientCertificate.validTo.toISOString().slice(0, 10), e.chainLength ?? 'PFX'));
    baseUrl = e.url;
    endpoint = { tls: e.tls, headers: e.headers, commonName: commonName(e.clientCertificate.subject) };
    credentials = { clientCertificate: true, subscriptionKey: Boolean(e.subscriptionKey) };
  } else {
    baseUrl = settings.target.url;
    credentials = { clientCertificate: Boolean(network.clientCert), subscriptionKey: false };
  }
  if (settings.expectClientCertificate && !credentials.clientCertificate) {
    throw new InputError('expectClientCertificate', "is true, but there is no client certificate to compare with: give 'apiConnection' (an 'API with client certificate' service connection)");
  }
  if (settings.expectSubscriptionKey && !credentials.subscriptionKey) {
    throw new InputError('expectSubscriptionKey', "is true, but there is no subscription key to compare with: give 'apiConnection' with its 'subscriptionKey' field filled in");
  }

  const definition = settings.openApiSpec ? readInputFile('openApiSpec', settings.openApiSpec, settings.workDir) : undefined;
  const attestations = settings.attestationFile ? readInputFile('attestationFile', settings.attestationFile, settings.workDir) : undefined;
  const transport = createNodeTransport({ network, secrets, log, endpoint, timeoutMs: settings.requestTimeoutSeconds * 1000 });
  log.info(host.loc('Checking', oneLine(baseUrl), definition ? definition.displayPath : host.loc('BaseUrlOnly')));

  const { result, evidence } = await checkApi(
    {
      baseUrl,
      definition,
      plainHttpUrl: settings.plainHttpUrl,
      credentials,
      expectClientCertificate: settings.expectClientCertificate,
      expectSubscriptionKey: settings.expectSubscriptionKey,
      certificateExpiryDays: settings.certificateExpiryDays,
      probeUnsafeMethods: settings.probeUnsafeMethods,
      maxRequests: settings.maxRequests,
      maxConcurrency: settings.maxConcurrency,
      severityThreshold: settings.severityThreshold,
      unknownPolicy: settings.unknownPolicy,
      skipControls: settings.skipControls,
      attestations,
      root: settings.workDir,
    },
    { transport, clock: { now: () => new Date() }, log },
  );
  log.info(renderReport(result, 'console', evidence));

  const wanted = new Set(settings.reports);
  if (settings.uploadSummary) wanted.add('markdown');
  if (settings.publishTestResults) wanted.add('junit');
  // Every report is rendered before any is written, so a failure leaves no mixed set behind.
  const rendered = [...wanted].map((format) => ({ format, text: secrets.redact(renderReport(result, format, evidence)) }));
  const written = new Map<ReportFormat, string>();
  for (const { format, text } of rendered) {
    // SARIF sits alone in its folder: the Scans tab reads *.sarif at the artifact root.
    const folder = format === 'sarif' ? path.join(settings.reportsFolder, SARIF_ARTIFACT) : settings.reportsFolder;
    const file = path.join(folder, REPORT_FILES[format]);
    writeReport(file, text);
    written.set(format, file);
    log.debug(`wrote the ${format} report to ${file}`);
  }

  annotate(ctx, result, settings);
  const junit = written.get('junit');
  if (settings.publishTestResults && junit) host.publishTestResults('JUnit', [junit], settings.testRunTitle);
  const sarif = written.get('sarif');
  if (settings.publishSarif && sarif) host.uploadArtifact(SARIF_ARTIFACT, SARIF_ARTIFACT, path.dirname(sarif));
  const markdown = written.get('markdown');
  if (settings.uploadSummary && markdown) host.uploadSummary(markdown);

  const c = result.counts;
  const outputs: Record<string, string> = {
    passCount: String(c.pass),
    failCount: String(c.fail),
    unknownCount: String(c.unknown),
    attestedCount: String(c.attested),
    errorCount: String(c.error),
    operationCount: String(evidence.operations.length),
    requestCount: String(evidence.requestsSent),
    verdict: result.verdict.result,
  };
  if (sarif) outputs.sarifFile = sarif;
  for (const [name, value] of Object.entries(outputs)) host.setVariable(name, value, { isOutput: true });

  const counts = host.loc('Counts', evidence.operations.length, c.pass, c.fail, c.unknown, c.attested, c.error);
  const reasons = result.verdict.reasons.join('; ');
  switch (result.verdict.result) {
    case 'fail':
      return { result: 'Failed', message: host.loc('CheckFailed', reasons, counts) };
    case 'warn':
      return { result: 'SucceededWithIssues', message: host.loc('CheckWarned', reasons, counts) };
    default:
      return { result: 'Succeeded', message: host.loc('CheckPassed', counts) };
  }
}

/** Blocking findings as errors, other failures and unknowns as warnings, each capped at maxAnnotations. */
function annotate({ host, log }: TaskContext, result: ScanResult, settings: ApiCheckTaskSettings): void {
  const errors = result.findings.filter((f) => f.blocking);
  const warnings = result.findings.filter((f) => !f.blocking && (f.outcome === 'fail' || f.outcome === 'unknown'));
  for (const [list, type] of [
    [errors, 'error'],
    [warnings, 'warning'],
  ] as const) {
    for (const f of list.slice(0, settings.maxAnnotations)) {
      // Operations from a definition point at its line; host-wide findings have no file to point at.
      const inFile = f.file !== '' && !/^https?:\/\//i.test(f.file);
      const location = inFile ? { sourcePath: f.file, lineNumber: f.line, columnNumber: f.column, code: f.ruleId } : { code: f.ruleId };
      log[type](`${f.ruleId}: ${f.resource.name}: ${f.message}`, location);
    }
    if (list.length > settings.maxAnnotations) log.info(host.loc('MoreAnnotations', list.length - settings.maxAnnotations));
  }
}
