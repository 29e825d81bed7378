/**
 * CSV with the AzSK ARM Checker columns (ARMCheckerResults_<ts>.csv), so spreadsheets and
 * scripts built on AzSK output keep working; our own columns follow the AzSK ones.
 */
import type { Finding, ScanResult } from '../scan-types';

const AZSK_STATUS: Record<Finding['outcome'], string> = {
  pass: 'Passed',
  fail: 'Failed',
  unknown: 'Verify',
  attested: 'Attested',
  error: 'Error',
};

export const CSV_COLUMNS = [
  'ControlId',
  'FeatureName',
  'Status',
  'SupportedResources',
  'Severity',
  'PropertyPath',
  'LineNumber',
  'CurrentValue',
  'ExpectedProperty',
  'ExpectedValue',
  'ResourcePath',
  'ResourceLineNumber',
  'Description',
  'FilePath',
  'AzSKControlId',
  'ResourceName',
  'Message',
  'Justification',
  'ApprovedBy',
  'ExpiresOn',
] as const;

export function csvCell(value: string | number | undefined): string {
  // One finding, one line: a line break inside a value (a name from a template) is written as a
  // visible escape, so line-based tools and a CSV printed on an agent never see a forged row.
  const s = (value === undefined ? '' : String(value)).replace(/\r/g, '\\r').replace(/\n/g, '\\n');
  // Leading = + - @ would be run as formulas by spreadsheet apps.
  const safe = /^[=+\-@\t]/.test(s) ? `'${s}` : s;
  return /[",]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function renderCsv(result: ScanResult): string {
  const controls = new Map(result.controls.map((c) => [c.meta.id, c]));
  const rows = result.findings.map((f) => {
    const c = controls.get(f.ruleId);
    const severity = f.severity.charAt(0).toUpperCase() + f.severity.slice(1);
    return [
      f.ruleId,
      f.featureSet,
      AZSK_STATUS[f.outcome],
      c ? c.meta.resourceTypes.join(';') : f.resource.type,
      severity,
      '',
      f.line,
      '',
      '',
      '',
      `${f.resource.type}/${f.resource.name}`,
      f.line,
      f.title,
      f.file,
      (c?.meta.references.azsk ?? []).join(';'),
      f.resource.name,
      f.message,
      f.attestation?.justification,
      f.attestation?.approvedBy,
      f.attestation?.expiresOn,
    ].map(csvCell);
  });
  return [CSV_COLUMNS.join(','), ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n';
}
