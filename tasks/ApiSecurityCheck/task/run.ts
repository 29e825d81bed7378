/**
 * The composition root of ApiSecurityCheck: the agent (TaskHost), the file system and the network
 * wired into the core. Reads the connection and files, runs the check, writes and publishes the
 * reports, annotates, sets output variables and decides the task result.
 */
import * as path from 'node:path';
import { readApiClientCertificateEndpoint } from '../../common/endpoints/api-client-certificate';
import { InputError } from '../../common/errors';
import type { FileSystem } from '../../common/fs/file-system';
import { createNodeFileSystem } from '../../common/fs/node-file-system';
import type { TaskContext, TaskOutcome } from '../../common/host/run-task';
import { readNetworkSettings } from '../../common/http/network';
import { oneLine } from '../../common/log/safe-text';
import { annotate } from '../../common/report/annotate';
import { publishReports } from '../../common/report/publish';
import { checkApi } from '../core/check-api';
import { REPORT_FILES, renderReport, type ReportFormat, type Severity, type UnknownPolicy } from '../core/report';
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
  reports: ReportFormat[];
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

/** A file input's text, and its path as reports and annotations show it (relative to the working directory when inside it). */
function readInputFile(fs: FileSystem, input: string, given: string, workDir: string): { text: string; displayPath: string } {
  if (fs.isDirectory(given)) throw new InputError(input, `'${oneLine(given)}' is a folder; give a file`);
  const abs = path.resolve(workDir, given);
  const rel = path.relative(workDir, abs);
  const displayPath = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : abs;
  return { text: fs.readText(given), displayPath };
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

  const fs = createNodeFileSystem({ baseFolder: settings.workDir, baseFolderName: 'System.DefaultWorkingDirectory' });
  const definition = settings.openApiSpec ? readInputFile(fs, 'openApiSpec', settings.openApiSpec, settings.workDir) : undefined;
  const attestations = settings.attestationFile ? readInputFile(fs, 'attestationFile', settings.attestationFile, settings.workDir) : undefined;
  const transport = createNodeTransport({ network, secrets, log, endpoint, timeoutMs: settings.requestTimeoutSeconds * 1000 });
  log.info(host.loc('Checking', oneLine(baseUrl), definition ? definition.displayPath : host.loc('BaseUrlOnly')));

  const { report, evidence } = await checkApi(
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
  log.info(renderReport(report, 'console').trimEnd());

  const wanted = new Set(settings.reports);
  if (settings.uploadSummary) wanted.add('markdown');
  if (settings.publishTestResults) wanted.add('junit');
  const jobs = [...wanted].map((format) => ({
    format,
    // No secret is ever in a finding; the registry's redaction is the second lock.
    render: () => secrets.redact(renderReport(report, format)),
    // SARIF sits alone in its folder: the Scans tab reads *.sarif at the artifact root.
    file: path.join(format === 'sarif' ? path.join(settings.reportsFolder, SARIF_ARTIFACT) : settings.reportsFolder, REPORT_FILES[format]),
  }));
  const written = new Map<string, string>();
  for (const { format, file } of publishReports(jobs, { write: (file, text) => fs.writeTextAtomic(file, text), print: (text) => log.info(text) })) {
    if (file === undefined) continue;
    written.set(format, file);
    log.debug(`wrote the ${format} report to ${file}`);
  }

  // Definition paths are already relative to the agent's working directory, as sourcepath wants them.
  annotate(log, report.findings, { max: settings.maxAnnotations, sourcePath: (place) => place.file, more: (n) => host.loc('MoreAnnotations', n) });
  const junit = written.get('junit');
  if (settings.publishTestResults && junit) host.publishTestResults('JUnit', [junit], settings.testRunTitle);
  const sarif = written.get('sarif');
  if (settings.publishSarif && sarif) host.uploadArtifact(SARIF_ARTIFACT, SARIF_ARTIFACT, path.dirname(sarif));
  const markdown = written.get('markdown');
  if (settings.uploadSummary && markdown) host.uploadSummary(markdown);

  const c = report.counts;
  const outputs: Record<string, string> = {
    passCount: String(c.pass),
    failCount: String(c.fail),
    unknownCount: String(c.unknown),
    attestedCount: String(c.attested),
    errorCount: String(c.error),
    operationCount: String(evidence.operations.length),
    requestCount: String(evidence.requestsSent),
    verdict: report.verdict.result,
  };
  if (sarif) outputs.sarifFile = sarif;
  for (const [name, value] of Object.entries(outputs)) host.setVariable(name, value, { isOutput: true });

  const counts = host.loc('Counts', evidence.operations.length, c.pass, c.fail, c.unknown, c.attested, c.error);
  const reasons = report.verdict.reasons.map(oneLine).join('; ');
  switch (report.verdict.result) {
    case 'fail':
      return { result: 'Failed', message: host.loc('CheckFailed', reasons, counts) };
    case 'warn':
      return { result: 'SucceededWithIssues', message: host.loc('CheckWarned', reasons, counts) };
    case 'pass':
      return { result: 'Succeeded', message: host.loc('CheckPassed', counts) };
  }
}
