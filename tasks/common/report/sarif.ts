/**
 * SARIF 2.1.0 for the Azure DevOps Scans tab (a `CodeAnalysisLogs` artifact) and GitHub code
 * scanning: rules carry help and a numeric security-severity (what code-scanning views sort by),
 * results carry a level from their severity, regions, and a partial fingerprint that survives line
 * moves. Passes are left out (they are not alerts).
 */
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { isFilePlace, type Finding, type Report, type Rule, type Severity } from './model';

/** GitHub's bands: critical >= 9.0, high 7.0-8.9, medium 4.0-6.9, low 0.1-3.9. */
export const SECURITY_SEVERITY: Record<Severity, string> = { high: '7.5', medium: '5.5', low: '3.0' };
export const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { high: 'error', medium: 'warning', low: 'note' };

function referenceLines(rule: Rule): string[] {
  return rule.references.filter(([, ids]) => ids.length > 0).map(([label, ids]) => `${label}: ${ids.join(', ')}`);
}

function help(rule: Rule): { text: string; markdown: string } {
  if (rule.help) return rule.help;
  const refs = referenceLines(rule);
  const fix = rule.remediation;
  const text = [rule.description, ...(fix ? ['', `Remediation: ${fix.text}`, ...(fix.snippet ? ['', fix.snippet.text] : [])] : []), ...(refs.length ? ['', ...refs] : [])].join('\n');
  const markdown = [
    `**${rule.title}**`,
    '',
    rule.description,
    ...(fix ? ['', `**Remediation:** ${fix.text}`, ...(fix.snippet ? ['', `\`\`\`${fix.snippet.language}`, fix.snippet.text, '```'] : [])] : []),
    ...(refs.length ? ['', ...refs.map((l) => `- ${l}`)] : []),
  ].join('\n');
  return { text, markdown };
}

function sarifRule(rule: Rule) {
  return {
    id: rule.id,
    name: rule.name ?? rule.id.replace(/[^A-Za-z0-9]/g, ''),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    help: help(rule),
    defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
    properties: { 'security-severity': SECURITY_SEVERITY[rule.severity], tags: rule.tags.slice(0, 20), precision: 'high' },
  };
}

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
  const where = isFilePlace(f.place) ? f.place.file : f.place.url;
  return createHash('sha256').update([f.ruleId, where, f.subject.type.toLowerCase(), f.subject.name].join('|')).digest('hex').slice(0, 32);
}

/**
 * SARIF 2.1.0 §3.27.9: a result whose kind is not "fail" has level "none". An unknown that does
 * not fail the gate needs a human to review it (kind "review"); one that fails the gate under
 * the unknown policy is reported as a failure.
 */
function kindOf(f: Finding): 'fail' | 'review' {
  return f.outcome === 'unknown' && !f.blocking ? 'review' : 'fail';
}

/** The level says how serious the finding is (its severity); whether it fails the gate is the verdict's business. */
function levelOf(f: Finding): 'error' | 'warning' | 'note' | 'none' {
  if (kindOf(f) !== 'fail') return 'none';
  return f.outcome === 'error' ? 'error' : SARIF_LEVEL[f.severity];
}

function physicalLocation(f: Finding) {
  if (!isFilePlace(f.place)) return { artifactLocation: { uri: f.place.url } };
  return { artifactLocation: artifactLocation(f.place.file), region: { startLine: Math.max(1, f.place.line), startColumn: Math.max(1, f.place.column) } };
}

export function renderSarif(report: Report): string {
  const rules = report.rules.map(sarifRule);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results = report.findings
    .filter((f) => f.outcome !== 'pass' && ruleIndex.has(f.ruleId))
    .map((f) => {
      const a = f.outcome === 'attested' ? f.attestation : undefined;
      const inSource = a !== undefined && isFilePlace(f.place) && a.source === f.place.file;
      return {
        ruleId: f.ruleId,
        ruleIndex: ruleIndex.get(f.ruleId),
        kind: kindOf(f),
        level: levelOf(f),
        message: { text: `${f.subject.type} '${f.subject.name}': ${f.message}` },
        locations: [
          {
            physicalLocation: physicalLocation(f),
            logicalLocations: [{ name: f.subject.name, fullyQualifiedName: `${f.subject.type}/${f.subject.name}`, kind: f.subject.kind ?? 'resource' }],
          },
        ],
        partialFingerprints: { [`${report.tool.name}Resource/v1`]: fingerprint(f) },
        ...(a
          ? {
              suppressions: [
                {
                  kind: inSource ? 'inSource' : 'external',
                  status: 'accepted',
                  justification: a.justification,
                  properties: { approvedBy: a.approvedBy ?? '', expiresOn: a.expiresOn },
                },
              ],
            }
          : {}),
        properties: { outcome: f.outcome, severity: f.severity, ...f.properties, 'security-severity': SECURITY_SEVERITY[f.severity] },
      };
    });
  const root = report.root;
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: report.tool.name, version: report.tool.version, semanticVersion: report.tool.version, rules } },
        ...(root !== undefined ? { originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(root.endsWith('/') ? root : `${root}/`).href } } } : {}),
        invocations: [
          {
            executionSuccessful: true,
            startTimeUtc: report.startedAt,
            toolExecutionNotifications: report.problems.map((p) => ({ level: 'error', message: { text: `${p.place}: ${p.message}` } })),
          },
        ],
        results,
        properties: report.properties,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
