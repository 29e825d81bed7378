/** What several controls share: how a probe's outcome reads, and when a rejection proves something. */
import { oneLine } from '../../../common/log/safe-text';
import type { ApiCheckResult, CheckContext, Evidence, HttpOutcome, IdentityName, OperationEvidence } from '../model';

/** A response header by its lower-case name (headers come from the server: never an Object.prototype member). */
export function header(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  return Object.hasOwn(headers, name) ? headers[name] : undefined;
}

/** A value the server sent (a header, a URL), as one bounded line that cannot carry a command. */
export function shown(value: string, max = 200): string {
  const one = oneLine(value);
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

export function describeOutcome(outcome: HttpOutcome): string {
  switch (outcome.kind) {
    case 'response':
      return `HTTP ${outcome.status}`;
    case 'tls-refused':
      return `refused at the TLS handshake (${outcome.reason})`;
    case 'network':
      return `no answer (${outcome.reason})`;
    case 'skipped':
      return `not sent (${outcome.reason})`;
  }
}

/** 401 or 403: the answer of an API that checked the caller and said no. */
export function isAuthRejection(outcome: HttpOutcome | undefined): boolean {
  return outcome?.kind === 'response' && (outcome.status === 401 || outcome.status === 403);
}

/** The request got past the API's authentication: any answer but 401, 403 or a proxy's 407. */
export function isAccepted(outcome: HttpOutcome | undefined): boolean {
  return outcome?.kind === 'response' && ![401, 403, 407].includes(outcome.status);
}

export function hasCredentials(context: CheckContext): boolean {
  return context.credentials.clientCertificate || context.credentials.subscriptionKey;
}

/** Every HTTPS response that carried the connection's credentials (what a real client gets). */
export function credentialedResponses(evidence: Evidence): Array<{ where: string; headers: Record<string, string> }> {
  const out: Array<{ where: string; headers: Record<string, string> }> = [];
  for (const op of evidence.operations) {
    const full = op.probes.full;
    if (full?.kind === 'response') out.push({ where: operationName(op), headers: full.headers });
  }
  return out;
}

export function operationName(op: OperationEvidence): string {
  return `${op.operation.method} ${op.operation.pathTemplate}`;
}

/**
 * Why a rejection of `identity` would prove nothing for this operation, if it would: the same
 * request with the connection's credentials was not accepted either (a wrong subscription key, a
 * client certificate the API does not trust, an operation that always answers 401). Operations
 * that are not safe are never sent with credentials; for them, the host must have accepted the
 * credentials on some other operation.
 */
export function vacuousBecause(evidence: Evidence, op: OperationEvidence): string | undefined {
  if (!hasCredentials(evidence.context)) return undefined;
  if (op.operation.safe) {
    const full = op.probes.full;
    if (isAccepted(full)) return undefined;
    return `the same request with the connection's credentials was not accepted either (${full ? describeOutcome(full) : 'not sent'}), so a rejection proves nothing`;
  }
  const anyAccepted = evidence.operations.some((o) => isAccepted(o.probes.full));
  return anyAccepted ? undefined : "no request with the connection's credentials was accepted by this API, so a rejection proves nothing";
}

export interface RejectionRule {
  identity: IdentityName;
  /** How the probe differs from a real client, for messages: "without any credentials". */
  without: string;
  /** A refused TLS handshake counts as a rejection (true unless the probe still carries the real client certificate). */
  tlsRefusalRejects: boolean;
}

/**
 * One result per operation probed with `identity`: pass when the API refused (401/403, or the TLS
 * handshake when that is what the missing credential decides), fail when it answered 2xx, unknown
 * when the answer proves neither (another status, no answer, a rejection of the real client too).
 */
export function judgeRejection(evidence: Evidence, rule: RejectionRule): ApiCheckResult[] {
  const results: ApiCheckResult[] = [];
  for (const op of evidence.operations) {
    const probe = op.probes[rule.identity];
    if (!probe) continue;
    const operation = op.operation;
    const result = (outcome: ApiCheckResult['outcome'], message: string) => results.push({ outcome, message, operation });
    if (probe.kind === 'skipped') {
      result('unknown', `not probed: ${probe.reason}`);
      continue;
    }
    if (probe.kind === 'network') {
      result('unknown', `a request ${rule.without} got ${describeOutcome(probe)}`);
      continue;
    }
    if (probe.kind === 'tls-refused' && !rule.tlsRefusalRejects) {
      result('unknown', `a request ${rule.without} was ${describeOutcome(probe)}, which is not about what this control checks`);
      continue;
    }
    const vacuous = vacuousBecause(evidence, op);
    if (probe.kind === 'tls-refused') {
      if (vacuous) result('unknown', `a request ${rule.without} was ${describeOutcome(probe)}, but ${vacuous}`);
      else result('pass', `a request ${rule.without} was ${describeOutcome(probe)}`);
      continue;
    }
    const status = probe.status;
    if (isAuthRejection(probe)) {
      if (vacuous) result('unknown', `a request ${rule.without} got HTTP ${status}, but ${vacuous}`);
      else result('pass', `a request ${rule.without} got HTTP ${status}`);
    } else if (status >= 200 && status < 300) {
      result('fail', `a request ${rule.without} was served: HTTP ${status}`);
    } else if (status >= 300 && status < 400) {
      result('unknown', `a request ${rule.without} was redirected (HTTP ${status}${probe.headers.location ? ` to ${shown(probe.headers.location)}` : ''}); the redirect was not followed`);
    } else {
      result('unknown', `a request ${rule.without} got HTTP ${status}, not 401 or 403, so it is not clear the API checked the caller`);
    }
  }
  return results;
}
