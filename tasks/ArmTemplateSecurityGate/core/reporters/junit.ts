/**
 * JUnit XML for the Tests tab: one suite per file, one test case per finding. Failures are
 * control failures; attested and non-blocking unknown findings are skipped with their reason;
 * files that could not be evaluated are errors.
 */
import type { Finding, ScanResult } from '../scan-types';
import { resourceLabel, type Reporter } from './common';

export function xmlEscape(text: string): string {
  // Control characters other than tab/newline, U+FFFE/U+FFFF and unpaired surrogates (text from
  // a template may hold any of them) are not allowed in XML 1.0 at all.
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function testCase(f: Finding): string {
  const name = xmlEscape(`${f.ruleId} ${resourceLabel(f)}`);
  const classname = xmlEscape(f.file.replace(/\.jsonc?$/i, '').replace(/[\\/]/g, '.'));
  const where = `${f.file}:${f.line}:${f.column}`;
  const open = `    <testcase name="${name}" classname="${classname}" file="${xmlEscape(f.file)}" line="${f.line}" time="0">`;
  const body = (tag: string, message: string, type?: string) =>
    `${open}\n      <${tag} message="${xmlEscape(message)}"${type ? ` type="${xmlEscape(type)}"` : ''}>${xmlEscape(`${where}\n${f.title}\n${f.message}`)}</${tag}>\n    </testcase>`;
  switch (f.outcome) {
    case 'fail':
      return body('failure', f.message, f.severity);
    case 'error':
      return body('error', f.message, 'TemplateError');
    case 'unknown':
      return f.blocking ? body('failure', `unknown: ${f.message}`, 'unknown') : `${open}\n      <skipped message="${xmlEscape(`unknown: ${f.message}`)}"/>\n    </testcase>`;
    case 'attested': {
      const a = f.attestation;
      const text = `attested until ${a?.expiresOn ?? '?'}${a?.approvedBy ? ` by ${a.approvedBy}` : ''}: ${a?.justification ?? ''}`;
      return `${open}\n      <skipped message="${xmlEscape(text)}"/>\n    </testcase>`;
    }
    default:
      return `${open}</testcase>`;
  }
}

export const junitReporter: Reporter = {
  format: 'junit',
  fileName: 'TEST-armgate.xml',
  render(result: ScanResult) {
    const byFile = new Map<string, Finding[]>();
    for (const f of result.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    const suites = [...byFile.entries()].map(([file, fs]) => {
      const failures = fs.filter((f) => f.outcome === 'fail' || (f.outcome === 'unknown' && f.blocking)).length;
      const errors = fs.filter((f) => f.outcome === 'error').length;
      const skipped = fs.filter((f) => f.outcome === 'attested' || (f.outcome === 'unknown' && !f.blocking)).length;
      return [
        `  <testsuite name="${xmlEscape(file)}" tests="${fs.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="0" timestamp="${result.startedAt.replace(/\.\d+Z$/, '')}">`,
        ...fs.map(testCase),
        '  </testsuite>',
      ].join('\n');
    });
    const total = result.findings.length;
    const failures = result.findings.filter((f) => f.outcome === 'fail' || (f.outcome === 'unknown' && f.blocking)).length;
    const errors = result.counts.error;
    return [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<testsuites name="armgate" tests="${total}" failures="${failures}" errors="${errors}" time="${(result.durationMs / 1000).toFixed(3)}">`,
      ...suites,
      '</testsuites>',
      '',
    ].join('\n');
  },
};
