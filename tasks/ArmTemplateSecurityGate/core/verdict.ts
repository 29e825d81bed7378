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
}

export function gateVerdict(input: GateVerdictInput): Verdict {
  let evaluated = 0;
  for (const f of input.findings) {
    f.blocking = isBlocking(f, input.policy);
    if (f.outcome !== 'error') evaluated++;
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
  return decideVerdict({
    findings: input.findings,
    policy: input.policy,
    expiredAttestations: input.expired,
    unusedAttestations: input.unused,
    reasons,
    warnings,
  });
}
