/**
 * SARIF 2.1.0 for the Azure DevOps Scans tab (a `CodeAnalysisLogs` artifact) and GitHub code
 * scanning: rules carry help and a numeric security-severity, results carry regions and a
 * partial fingerprint that survives line moves. Passes are left out (they are not alerts).
 */
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { ERROR_RULE_ID } from '../scan';
import type { Control, Severity } from '../model';
import type { Finding, ScanResult } from '../scan-types';
import { controlIndex, type Reporter } from './common';

const SECURITY_SEVERITY: Record<Severity, string> = { high: '7.5', medium: '5.5', low: '3.0' };
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { high: 'error', medium: 'warning', low: 'note' };

function ruleOf(c: Control) {
  const refs = c.meta.references;
  const refLines = [
    refs.azsk?.length ? `AzSK: ${refs.azsk.join(', ')}` : '',
    refs.checkov?.length ? `Checkov: ${refs.checkov.join(', ')}` : '',
    refs.psrule?.length ? `PSRule: ${refs.psrule.join(', ')}` : '',
    refs.mcsb?.length ? `MCSB: ${refs.mcsb.join(', ')}` : '',
  ].filter(Boolean);
  const text = [c.meta.rationale, '', `Remediation: ${c.meta.remediation.text}`, '', c.meta.remediation.snippet, ...(refLines.length ? ['', ...refLines] : [])].join('\n');
  const markdown = [
    `**${c.meta.title}**`,
    '',
    c.meta.rationale,
    '',
    `**Remediation:** ${c.meta.remediation.text}`,
    '',
    '```json',
    c.meta.remediation.snippet,
    '```',
    ...(refLines.length ? ['', ...refLines.map((l) => `- ${l}`)] : []),
  ].join('\n');
  return {
    id: c.meta.id,
    name: c.meta.id.replace(/[^A-Za-z0-9]/g, ''),
    shortDescription: { text: c.meta.title },
    fullDescription: { text: c.meta.rationale },
    help: { text, markdown },
    defaultConfiguration: { level: LEVEL[c.meta.severity] },
    properties: {
      'security-severity': SECURITY_SEVERITY[c.meta.severity],
      tags: ['security', c.meta.featureSet, ...c.meta.resourceTypes].slice(0, 20),
      precision: 'high',
    },
  };
}

const ERROR_RULE = {
  id: ERROR_RULE_ID,
  name: 'TemplateError',
  shortDescription: { text: 'Template could not be evaluated' },
  fullDescription: { text: 'The file looks like an ARM template but could not be parsed or evaluated, so no control could check it.' },
  help: { text: 'Fix the template error at the reported line; nothing in the file was checked.', markdown: 'Fix the template error at the reported line; nothing in the file was checked.' },
  defaultConfiguration: { level: 'error' as const },
  properties: { 'security-severity': SECURITY_SEVERITY.high, tags: ['security'], precision: 'high' },
};

/**
 * A file relative to the root is a URI reference against SRCROOT, each segment percent-encoded
 * (encodeURI left '#' and '?', which cut the path short); a file outside the root (shown as an
 * absolute path) is a file: URI of its own, without a base.
 */
export function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  if (file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file)) return { uri: pathToFileURL(file).href };
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT' };
}

function fingerprint(f: Finding): string {
  return createHash('sha256').update([f.ruleId, f.file, f.resource.type.toLowerCase(), f.resource.name].join('|')).digest('hex').slice(0, 32);
}

/**
 * SARIF 2.1.0 §3.27.9: a result whose kind is not "fail" has level "none". An unknown that does
 * not fail the gate needs a human to review it (kind "review"); one that fails the gate under
 * the unknown policy is reported as a failure.
 */
function kindOf(f: Finding): 'fail' | 'review' {
  return f.outcome === 'unknown' && !f.blocking ? 'review' : 'fail';
}

function levelOf(f: Finding): 'error' | 'warning' | 'note' | 'none' {
  if (kindOf(f) !== 'fail') return 'none';
  if (f.outcome === 'error') return 'error';
  if (f.outcome === 'unknown') return 'error';
  if (f.outcome === 'attested') return LEVEL[f.severity];
  return f.blocking ? 'error' : LEVEL[f.severity] === 'error' ? 'warning' : LEVEL[f.severity];
}

export const sarifReporter: Reporter = {
  format: 'sarif',
  fileName: 'armgate.sarif',
  render(result: ScanResult) {
    const controls = controlIndex(result);
    const used = new Set(result.findings.filter((f) => f.outcome !== 'pass').map((f) => f.ruleId));
    const rules = [...result.controls.map(ruleOf), ...(used.has(ERROR_RULE_ID) ? [ERROR_RULE] : [])];
    const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
    const results = result.findings
      .filter((f) => f.outcome !== 'pass' && ruleIndex.has(f.ruleId))
      .map((f) => {
        const suppressed = f.outcome === 'attested' && f.attestation;
        const inSource = suppressed && f.attestation!.source === f.file;
        return {
          ruleId: f.ruleId,
          ruleIndex: ruleIndex.get(f.ruleId),
          kind: kindOf(f),
          level: levelOf(f),
          message: { text: `${f.resource.type} '${f.resource.name}': ${f.message}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: artifactLocation(f.file),
                region: { startLine: Math.max(1, f.line), startColumn: Math.max(1, f.column) },
              },
              logicalLocations: [{ name: f.resource.name, fullyQualifiedName: `${f.resource.type}/${f.resource.name}`, kind: 'resource' }],
            },
          ],
          partialFingerprints: { 'armgateResource/v1': fingerprint(f) },
          ...(suppressed
            ? {
                suppressions: [
                  {
                    kind: inSource ? 'inSource' : 'external',
                    status: 'accepted',
                    justification: f.attestation!.justification,
                    properties: { approvedBy: f.attestation!.approvedBy ?? '', expiresOn: f.attestation!.expiresOn },
                  },
                ],
              }
            : {}),
          properties: {
            outcome: f.outcome,
            severity: f.severity,
            ...(controls.get(f.ruleId)?.meta.references.azsk?.length ? { azsk: controls.get(f.ruleId)!.meta.references.azsk } : {}),
          },
        };
      });
    const log = {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: result.tool.name, version: result.tool.version, semanticVersion: result.tool.version, rules } },
          originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(result.root.endsWith('/') ? result.root : `${result.root}/`).href } },
          invocations: [
            {
              executionSuccessful: true,
              startTimeUtc: result.startedAt,
              toolExecutionNotifications: result.files
                .filter((s) => s.kind === 'error')
                .map((s) => ({ level: 'error', message: { text: `${s.file}: ${s.error ?? 'could not be evaluated'}` } })),
            },
          ],
          results,
          properties: { baseline: result.baseline.name, verdict: result.verdict.result },
        },
      ],
    };
    return `${JSON.stringify(log, null, 2)}\n`;
  },
};
