/**
 * When a finding fails the gate, and what the gate says overall. The same rules for every
 * security check: a severity threshold, a policy for results known only later (unknown), outcomes
 * a pipeline treats as passed, and attestations that expire.
 */
import { severityAtLeast, type AppliedAttestation, type Outcome, type Severity, type Verdict } from './model';

export type UnknownPolicy = 'fail' | 'warn' | 'pass';

export interface Policy {
  /** Failures below this severity are reported but do not fail the gate. */
  severityThreshold: Severity;
  /** How unknown findings count. */
  unknownPolicy: UnknownPolicy;
  /** Outcomes that never fail the gate (AzSK TreatAsPassed). */
  treatAsPassed: ReadonlySet<Outcome>;
}

interface Judged {
  outcome: Outcome;
  severity: Severity;
  attestation?: AppliedAttestation;
}

export function isBlocking(f: Judged, policy: Policy): boolean {
  if (f.attestation?.expired) return true;
  if (policy.treatAsPassed.has(f.outcome)) return false;
  switch (f.outcome) {
    case 'error':
      return true;
    case 'fail':
      return severityAtLeast(f.severity, policy.severityThreshold);
    case 'unknown':
      return policy.unknownPolicy === 'fail' && severityAtLeast(f.severity, policy.severityThreshold);
    case 'pass':
    case 'attested':
      return false;
  }
}

export interface VerdictInput {
  findings: ReadonlyArray<Judged & { blocking: boolean }>;
  policy: Policy;
  expiredAttestations: number;
  unusedAttestations: number;
  /** The check's own reasons to fail (after the findings' ones): "no control was evaluated…". */
  reasons?: readonly string[];
  /** The check's own warnings (after the findings' ones): paths that matched nothing, template warnings. */
  warnings?: readonly string[];
  /** How the reason for blocking errors reads; "file(s) or control(s) could not be evaluated" when absent. */
  errorsWhat?: string;
}

export function decideVerdict(input: VerdictInput): Verdict {
  const { policy } = input;
  let blockingFails = 0;
  let blockingUnknown = 0;
  let blockingErrors = 0;
  let softFails = 0;
  let softUnknown = 0;
  const softUnknownCounts = policy.unknownPolicy === 'warn' && !policy.treatAsPassed.has('unknown');
  for (const f of input.findings) {
    const expired = f.attestation?.expired === true;
    if (f.outcome === 'fail') {
      if (!f.blocking) softFails++;
      else if (!expired) blockingFails++;
    } else if (f.outcome === 'unknown') {
      if (!f.blocking) softUnknown += softUnknownCounts ? 1 : 0;
      else if (!expired) blockingUnknown++;
    } else if (f.outcome === 'error' && f.blocking) {
      blockingErrors++;
    }
  }
  const reasons: string[] = [];
  if (blockingFails) reasons.push(`${blockingFails} control failure(s) at or above severity '${policy.severityThreshold}'`);
  if (blockingUnknown) reasons.push(`${blockingUnknown} unknown result(s) under policy 'fail'`);
  if (blockingErrors) reasons.push(`${blockingErrors} ${input.errorsWhat ?? 'file(s) or control(s) could not be evaluated'}`);
  if (input.expiredAttestations) reasons.push(`${input.expiredAttestations} expired attestation(s)`);
  reasons.push(...(input.reasons ?? []));

  const warnings: string[] = [];
  if (softFails) warnings.push(`${softFails} control failure(s) below the severity threshold or treated as passed`);
  if (softUnknown) warnings.push(`${softUnknown} unknown result(s) (values known only at deployment)`);
  if (input.unusedAttestations) warnings.push(`${input.unusedAttestations} attestation(s) matched no finding`);
  warnings.push(...(input.warnings ?? []));

  if (reasons.length > 0) return { result: 'fail', reasons };
  if (warnings.length > 0) return { result: 'warn', reasons: warnings };
  return { result: 'pass', reasons: [] };
}
