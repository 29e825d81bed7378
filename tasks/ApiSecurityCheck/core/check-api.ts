/**
 * The check as a whole, over injected deps: operations from the definition, probes through the
 * transport, every applicable control over the evidence, and the result in the gate's reporting
 * shape (attestations and verdict included). No file, network or agent access of its own.
 */
import { FileError } from '../../common/errors';
import type { Logger } from '../../common/log/logger';
import { controls as catalogue } from './controls';
import { gatherEvidence } from './gather';
import type { ApiControl, CheckContext, Evidence, Operation, ProbeTransport } from './model';
import { operationsFromDefinition, rootOperation } from './operations';
import { buildReport, UNREACHABLE_RULE_ID, type ApiFinding, type Report, type Severity, type UnknownPolicy } from './report';

export interface ApiCheckOptions {
  baseUrl: string;
  /** The OpenAPI definition: its text and the name reports show for it. */
  definition?: { text: string; displayPath: string };
  /** Default: http:// on port 80 of the base URL's host, same path. */
  plainHttpUrl?: string;
  credentials: CheckContext['credentials'];
  expectClientCertificate: boolean;
  expectSubscriptionKey: boolean;
  certificateExpiryDays: number;
  probeUnsafeMethods: boolean;
  maxRequests: number;
  maxConcurrency: number;
  severityThreshold: Severity;
  unknownPolicy: UnknownPolicy;
  skipControls: string[];
  attestations?: { text: string; displayPath: string };
  /** Folder reported file names are relative to. */
  root: string;
}

export interface ApiCheckDeps {
  transport: ProbeTransport;
  clock: { now(): Date };
  log: Logger;
  /** The catalogue; tests pass their own. */
  controls?: readonly ApiControl[];
}

export interface ApiCheckOutcome {
  report: Report;
  evidence: Evidence;
}

/** The plain-HTTP twin of an https URL: same host and path, port 80. */
export function defaultPlainHttpUrl(baseUrl: string): string {
  const u = new URL(baseUrl);
  u.protocol = 'http:';
  u.port = '';
  return u.toString();
}

/** An Origin no API has reason to trust, unique per run so an allow-list cannot hold it by chance. */
export function probeOrigin(now: Date): string {
  return `https://api-security-check-${now.getTime().toString(36)}.invalid`;
}

export async function checkApi(options: ApiCheckOptions, deps: ApiCheckDeps): Promise<ApiCheckOutcome> {
  const started = deps.clock.now();
  const baseUrl = options.baseUrl;
  let operations: Operation[];
  if (options.definition) {
    operations = operationsFromDefinition(options.definition.text, options.definition.displayPath, baseUrl);
    if (operations.length === 0) throw new FileError(options.definition.displayPath, 'declares no operation to probe');
  } else {
    operations = [rootOperation(baseUrl)];
  }
  const context: CheckContext = {
    baseUrl,
    origin: new URL(baseUrl).origin,
    probeOrigin: probeOrigin(started),
    credentials: options.credentials,
    expectClientCertificate: options.expectClientCertificate,
    expectSubscriptionKey: options.expectSubscriptionKey,
    certificateExpiryDays: options.certificateExpiryDays,
    now: started,
  };
  const skip = new Set(options.skipControls.map((s) => s.trim().toLowerCase()).filter(Boolean));
  const inPlay = (deps.controls ?? catalogue).filter((c) => !skip.has(c.meta.id.toLowerCase()) && c.applies(context));

  const evidence = await gatherEvidence(
    {
      context,
      operations,
      plainHttpUrl: options.plainHttpUrl ?? defaultPlainHttpUrl(baseUrl),
      maxRequests: options.maxRequests,
      maxConcurrency: options.maxConcurrency,
      probeUnsafeMethods: options.probeUnsafeMethods,
    },
    deps.transport,
    deps.log,
  );

  const findings: ApiFinding[] = [];
  const unreachable = unreachableBecause(evidence);
  if (unreachable) {
    findings.push({ ruleId: UNREACHABLE_RULE_ID, title: 'The API could not be reached', severity: 'high', outcome: 'error', message: unreachable });
  }
  for (const control of inPlay) {
    const base = { ruleId: control.meta.id, title: control.meta.title, severity: control.meta.severity };
    try {
        for (const result of control.check(evidence)) findings.push({ ...base, outcome: result.outcome, result, message: result.message });
    } catch (err) {
      deps.log.debug((err as Error).stack ?? String(err));
      findings.push({ ...base, outcome: 'error', message: `the control failed to run: ${(err as Error).message}` });
    }
  }

  const report = buildReport({
    findings,
    controls: inPlay,
    evidence,
    severityThreshold: options.severityThreshold,
    unknownPolicy: options.unknownPolicy,
    attestations: options.attestations,
    root: options.root,
    startedAt: started,
    finishedAt: deps.clock.now(),
  });
  return { report, evidence };
}

/**
 * Nothing at all answered over https (no handshake, no response): the API is down, the URL is
 * wrong or the agent cannot reach it. Every control would be unknown; the check cannot pass.
 */
function unreachableBecause(evidence: Evidence): string | undefined {
  if (evidence.certificate.kind === 'certificate') return undefined;
  const outcomes = evidence.operations.flatMap((op) => [...Object.values(op.probes), op.preflight]);
  if (outcomes.some((o) => o?.kind === 'response' || o?.kind === 'tls-refused')) return undefined;
  const reason = evidence.certificate.kind === 'network' ? evidence.certificate.reason : 'no probe was answered';
  return `${evidence.context.baseUrl} could not be reached over https (${reason}); check the URL and that this agent can reach it`;
}
