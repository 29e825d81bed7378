/**
 * The machine-readable contract (docs/armgate.md): `results` keys are stable; fields are only
 * ever added, never renamed or removed.
 */
import type { ScanResult } from '../scan-types';

export function renderJson(result: ScanResult): string {
  const results = result.findings.map((f) => ({
    ruleId: f.ruleId,
    outcome: f.outcome,
    severity: f.severity,
    file: f.file,
    line: f.line,
    column: f.column,
    resource: { type: f.resource.type, name: f.resource.name },
    message: f.message,
    title: f.title,
    blocking: f.blocking,
    ...(f.attestedOutcome ? { attestedOutcome: f.attestedOutcome } : {}),
    ...(f.attestation ? { attestation: f.attestation } : {}),
  }));
  return `${JSON.stringify(
    {
      tool: result.tool,
      baseline: result.baseline,
      verdict: result.verdict,
      counts: result.counts,
      results,
      uncovered: result.uncovered,
      attestations: { unused: result.unusedAttestations, expired: result.expiredAttestations },
      unmatchedPaths: result.unmatchedPaths,
      files: result.files,
      ...(result.settingsFile !== undefined ? { settings: result.settingsFile } : {}),
      exclusions: result.exclusions,
      excluded: result.excluded,
      notEvaluated: result.notEvaluated,
    },
    null,
    2,
  )}\n`;
}
