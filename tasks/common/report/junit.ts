/**
 * JUnit XML for the Tests tab: one suite per file (or URL), one test case per finding. Failures
 * are check failures; attested and non-blocking unknown findings are skipped with their reason;
 * what could not be evaluated is an error.
 */
import { isFilePlace, type Finding, type Report } from './model';

/**
 * Text for XML 1.0 content and attributes. Characters XML 1.0 forbids (control characters other
 * than tab and line breaks, U+FFFE/U+FFFF, unpaired surrogates; a template may hold any of them)
 * are dropped. Line breaks are written as character references: a parser reads them back as they
 * were (a raw one in an attribute would become a space), and the printed file never breaks a line
 * inside a value.
 */
export function xmlEscape(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

function groupOf(f: Finding): string {
  return isFilePlace(f.place) ? f.place.file : f.place.url;
}

function className(f: Finding): string {
  const p = f.place;
  const base = isFilePlace(p) ? p.file.replace(/\.[^./\\]+$/, '') : p.url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  return base.replace(/[\\/]/g, '.');
}

function testCase(f: Finding): string {
  const p = f.place;
  const name = xmlEscape(`${f.ruleId} ${f.subject.type} '${f.subject.name}'`);
  const where = isFilePlace(p) ? `${p.file}:${p.line}:${p.column}` : p.url;
  const at = isFilePlace(p) ? ` file="${xmlEscape(p.file)}" line="${p.line}"` : '';
  const open = `    <testcase name="${name}" classname="${xmlEscape(className(f))}"${at} time="0">`;
  const body = (tag: string, message: string, type?: string) =>
    `${open}\n      <${tag} message="${xmlEscape(message)}"${type ? ` type="${xmlEscape(type)}"` : ''}>${[where, f.title, f.message].map(xmlEscape).join('\n')}</${tag}>\n    </testcase>`;
  const skipped = (message: string) => `${open}\n      <skipped message="${xmlEscape(message)}"/>\n    </testcase>`;
  switch (f.outcome) {
    case 'fail':
      return body('failure', f.message, f.severity);
    case 'error':
      return body('error', f.message, 'TemplateError');
    case 'unknown':
      return f.blocking ? body('failure', `unknown: ${f.message}`, 'unknown') : skipped(`unknown: ${f.message}`);
    case 'attested': {
      const a = f.attestation;
      return skipped(`attested until ${a?.expiresOn ?? '?'}${a?.approvedBy ? ` by ${a.approvedBy}` : ''}: ${a?.justification ?? ''}`);
    }
    default:
      return `${open}</testcase>`;
  }
}

const failing = (f: Finding) => f.outcome === 'fail' || (f.outcome === 'unknown' && f.blocking);

export function renderJunit(report: Report): string {
  const byGroup = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const g = groupOf(f);
    const list = byGroup.get(g);
    if (list) list.push(f);
    else byGroup.set(g, [f]);
  }
  const timestamp = report.startedAt.replace(/\.\d+Z$/, '');
  const suites = [...byGroup.entries()].map(([group, fs]) => {
    const failures = fs.filter(failing).length;
    const errors = fs.filter((f) => f.outcome === 'error').length;
    const skipped = fs.filter((f) => f.outcome === 'attested' || (f.outcome === 'unknown' && !f.blocking)).length;
    return [
      `  <testsuite name="${xmlEscape(group)}" tests="${fs.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="0" timestamp="${timestamp}">`,
      ...fs.map(testCase),
      '  </testsuite>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(report.tool.name)}" tests="${report.findings.length}" failures="${report.findings.filter(failing).length}" errors="${report.counts.error}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
