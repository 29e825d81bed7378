/**
 * The gate's verdict: the common rules (tasks/common/report/verdict.ts) plus what only a template
 * scan knows: no control evaluated when the pipeline asked for one, templates that warned (a
 * linked template not followed leaves resources unchecked: never a clean pass), and paths that
 * matched nothing.
 */
import { decideVerdict, isBlocking, type Policy } from '../../common/report/verdict';
import type { EvaluateOptions, FileStatus, Finding, Verdict } from './scan-types';

export function gatePolicy(options: Pick<EvaluateOptions, 'severityThreshold' | 'unknownPolicy' | 'treatAsPassed'>): Policy {
  return {
    severityThreshold: options.severityThreshold ?? 'low',
    unknownPolicy: options.unknownPolicy ?? 'warn',
    treatAsPassed: new Set(options.treatAsPassed ?? []),
  };
}

export interface GateVerdictInput {
  /** Their `blocking` is set here. */
  findings: Finding[];
  policy: Policy;
  options: Pick<EvaluateOptions, 'failIfNoControlsScanned'>;
  files: readonly FileStatus[];
  pathWarnings: readonly string[];
  expired: number;
  unused: number;
  /** Controls whose failures are warnings (Azure Policy effect audit). */
  advisory?: ReadonlySet<string>;
}

export function gateVerdict(input: GateVerdictInput): Verdict {
  let evaluated = 0;
  let audited = 0;
  for (const f of input.findings) {
    f.blocking = isBlocking(f, input.policy);
    if (f.outcome !== 'error') evaluated++;
    if (f.outcome !== 'error' && input.advisory?.has(f.ruleId) && !f.attestation?.expired) {
      f.blocking = false;
      if (f.outcome === 'fail') audited++;
    }
  }
  const reasons: string[] = [];
  if (input.options.failIfNoControlsScanned && evaluated === 0) reasons.push('no control was evaluated against any resource');
  const warnings: string[] = [];
  let templateWarnings = 0;
  let first: string | undefined;
  for (const s of input.files) {
    for (const d of s.diagnostics) {
      if (d.severity !== 'warning') continue;
      templateWarnings++;
      first ??= `${s.file}:${d.line}: ${d.message}`;
    }
  }
  if (templateWarnings) warnings.push(`${templateWarnings} template warning(s), first: ${first}`);
  warnings.push(...input.pathWarnings);
  if (audited) warnings.push(`${audited} failure(s) of audit policies (effect audit: reported, never blocking)`);
  return decideVerdict({
    // Audit failures are said above; counted again there they would read as below the threshold.
    findings: input.advisory?.size ? input.findings.filter((f) => !(f.outcome === 'fail' && !f.blocking && input.advisory!.has(f.ruleId))) : input.findings,
    policy: input.policy,
    expiredAttestations: input.expired,
    unusedAttestations: input.unused,
    reasons,
    warnings,
  });
}
