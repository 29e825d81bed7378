import * as assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { UnknownValue } from '../../../tasks/ArmTemplateSecurityGate/core/model';
import { findReporter, reporters } from '../../../tasks/ArmTemplateSecurityGate/core/reporters';
import { CSV_COLUMNS, csvCell } from '../../../tasks/ArmTemplateSecurityGate/core/reporters/csv';
import { scanWith } from '../../../tasks/ArmTemplateSecurityGate/core/scan';
import type { ScanResult } from '../../../tasks/ArmTemplateSecurityGate/core/scan-types';
import { boolControl, deps, fakeEngine, MemoryFs, resource, ROOT, secureParamControl, template, TEMPLATE_TEXT } from '../fakes';
import { sarifProblems } from '../sarif-validator';

const STORAGE = 'Microsoft.Storage/storageAccounts';

function sample(): ScanResult {
  const fs = new MemoryFs({
    'infra/main.json': TEMPLATE_TEXT,
    'infra/bad.json': '{ "$schema": "deploymentTemplate", "broken" }',
    'attest.yml': [
      'attestations:',
      '  - control: storage-secure',
      '    resource: { name: "st-attested" }',
      '    justification: "Needs <legacy> & \\"old\\" clients, see ticket 42"',
      '    approvedBy: sec@contoso.com',
      '    expiresOn: 2027-01-31',
      '  - control: storage-secure',
      '    resource: { name: "nothing" }',
      '    justification: stale',
      '    expiresOn: 2027-01-31',
    ].join('\n'),
  });
  const engine = fakeEngine(
    fs,
    {
      'infra/main.json': (f) =>
        template(
          f,
          [
            resource(f, STORAGE, 'st-ok', { properties: { secure: true } }, 10),
            resource(f, STORAGE, 'st-bad', { properties: { secure: false } }, 20),
            resource(f, STORAGE, 'st-attested', { properties: { secure: false } }, 30),
            resource(f, STORAGE, 'st-unknown', { properties: { secure: new UnknownValue("uses reference() known only at deployment") } }, 40),
            resource(f, 'Microsoft.Network/virtualNetworks', 'vnet', {}, 50),
          ],
          { parameters: [{ name: 'adminPassword', type: 'string', hasLiteralDefault: true, location: { file: f, line: 4, column: 5 } }] },
        ),
    },
    [boolControl('storage-secure', 'high', [STORAGE]), secureParamControl()],
  );
  return scanWith({ paths: ['infra'], root: ROOT, attestationsFile: 'attest.yml' }, deps(fs), engine);
}

describe('reporters', () => {
  const result = sample();

  it('lists every format once', () => {
    assert.deepEqual(reporters.map((r) => r.format).sort(), ['console', 'csv', 'json', 'junit', 'markdown', 'sarif']);
    assert.equal(findReporter('SARIF')?.format, 'sarif');
    assert.equal(findReporter('xml'), undefined);
  });

  it('json: the machine contract', () => {
    const doc = JSON.parse(findReporter('json')!.render(result)) as { results: Array<Record<string, unknown>> };
    const bad = doc.results.find((r) => (r.resource as { name: string }).name === 'st-bad')!;
    assert.deepEqual(
      { ruleId: bad.ruleId, outcome: bad.outcome, severity: bad.severity, file: bad.file, line: bad.line, resource: bad.resource, message: bad.message },
      { ruleId: 'storage-secure', outcome: 'fail', severity: 'high', file: 'infra/main.json', line: 22, resource: { type: STORAGE, name: 'st-bad' }, message: 'secure is off' },
    );
    assert.deepEqual(
      [...new Set(doc.results.map((r) => r.outcome))].sort(),
      ['attested', 'error', 'fail', 'pass', 'unknown'],
    );
    const err = doc.results.find((r) => r.outcome === 'error')!;
    assert.equal(err.file, 'infra/bad.json');
    assert.equal(err.line, 7);
  });

  it('junit: characters XML 1.0 forbids never reach the file, valid pairs do', () => {
    const r = sample();
    const failing = r.findings.find((f) => f.outcome === 'fail')!;
    r.findings = [{ ...failing, message: 'a\uD800b\uDFFFc\uFFFEd\uFFFF e\u0001 \uD83D\uDE00' }];
    const xml = findReporter('junit')!.render(r);
    assert.doesNotMatch(xml, /[\uFFFE\uFFFF\u0001]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    assert.match(xml, /abcd e \uD83D\uDE00/);
  });

  it('sarif: file names with #, ? or spaces, and files outside the root, give URIs that resolve to the file', () => {
    const r = sample();
    const failing = r.findings.find((f) => f.outcome === 'fail')!;
    r.findings = [{ ...failing, file: 'infra/web #2?.json' }, { ...failing, file: '/elsewhere/x.json' }];
    const log = JSON.parse(findReporter('sarif')!.render(r)) as any;
    assert.deepEqual(sarifProblems(log), []);
    const base = log.runs[0].originalUriBaseIds.SRCROOT.uri as string;
    const [inside, outside] = log.runs[0].results.map((x: any) => x.locations[0].physicalLocation.artifactLocation);
    assert.equal(inside.uriBaseId, 'SRCROOT');
    assert.equal(decodeURIComponent(new URL(inside.uri, base).pathname), `${new URL(base).pathname}infra/web #2?.json`);
    assert.deepEqual(outside, { uri: 'file:///elsewhere/x.json' });
  });

  it('sarif: validates against the 2.1.0 schema, with help, security-severity, regions and suppressions', () => {
    const log = JSON.parse(findReporter('sarif')!.render(result)) as any;
    assert.deepEqual(sarifProblems(log), []);
    const run = log.runs[0];
    const rule = run.tool.driver.rules.find((r: any) => r.id === 'storage-secure');
    assert.equal(rule.properties['security-severity'], '7.5');
    assert.match(rule.help.markdown, /```json/);
    assert.ok(run.tool.driver.rules.some((r: any) => r.id === 'template-error'));
    assert.ok(!run.results.some((r: any) => r.message.text.includes("'st-ok'")), 'passes are not alerts');
    const bad = run.results.find((r: any) => r.message.text.includes("'st-bad'"));
    assert.equal(bad.level, 'error');
    assert.deepEqual(bad.locations[0].physicalLocation.region, { startLine: 22, startColumn: 7 });
    assert.equal(bad.locations[0].physicalLocation.artifactLocation.uri, 'infra/main.json');
    const attested = run.results.find((r: any) => r.message.text.includes("'st-attested'"));
    assert.equal(attested.suppressions[0].kind, 'external');
    assert.match(attested.suppressions[0].justification, /legacy/);
    const unknown = run.results.find((r: any) => r.message.text.includes("'st-unknown'"));
    assert.equal(unknown.kind, 'review');
    // §3.27.9: any kind but "fail" has level "none"; the schema cannot check that, so it is checked here.
    assert.equal(unknown.level, 'none');
    for (const x of run.results) if (x.kind !== 'fail') assert.equal(x.level, 'none', x.message.text);
    const strict = JSON.parse(findReporter('sarif')!.render({ ...result, findings: result.findings.map((f) => (f.outcome === 'unknown' ? { ...f, blocking: true } : f)) })) as any;
    const blockingUnknown = strict.runs[0].results.find((r: any) => r.message.text.includes("'st-unknown'"));
    assert.deepEqual([blockingUnknown.kind, blockingUnknown.level], ['fail', 'error']);
    assert.equal(run.results[0].ruleIndex, run.tool.driver.rules.findIndex((r: any) => r.id === run.results[0].ruleId));
  });

  it('junit: well-formed, one test case per finding, failures and skips where they belong', () => {
    const xml = findReporter('junit')!.render(result);
    assert.equal(XMLValidator.validate(xml), true);
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(xml);
    const cases = doc.testsuites.testsuite.flatMap((s: any) => s.testcase);
    assert.equal(cases.length, result.findings.length);
    const byName = (n: string) => cases.find((c: any) => c['@_name'].includes(n));
    assert.ok(byName("'st-bad'").failure);
    assert.ok(byName("'st-ok'").failure === undefined && byName("'st-ok'").skipped === undefined);
    assert.match(byName("'st-attested'").skipped['@_message'], /attested until 2027-01-31 by sec@contoso.com: Needs <legacy> & "old" clients/);
    assert.ok(byName("'st-unknown'").skipped);
    assert.ok(byName('template-error').error);
    assert.equal(doc.testsuites['@_failures'], '2');
  });

  it('csv: AzSK columns first, one row per finding, quoted safely', () => {
    const text = findReporter('csv')!.render(result);
    const lines = text.trim().split('\r\n');
    assert.equal(lines[0], CSV_COLUMNS.join(','));
    assert.ok(lines[0].startsWith('ControlId,FeatureName,Status,SupportedResources,Severity,PropertyPath,LineNumber'));
    assert.equal(lines.length, result.findings.length + 1);
    const bad = lines.find((l) => l.includes('st-bad'))!;
    assert.match(bad, /^storage-secure,Storage,Failed,Microsoft\.Storage\/storageAccounts,High,,22,/);
    assert.ok(lines.some((l) => l.includes(',Verify,')));
    assert.ok(lines.some((l) => l.includes(',Attested,')));
    assert.equal(csvCell('a,"b"'), '"a,""b"""');
    assert.equal(csvCell('=cmd()'), "'=cmd()");
  });

  it('markdown: verdict, counts, failures with file:line, attestations and uncovered types', () => {
    const md = findReporter('markdown')!.render(result);
    assert.match(md, /^## ARM template security gate: Failed/);
    assert.match(md, /\| `storage-secure` \| Microsoft\.Storage\/storageAccounts `st-bad` \| `infra\/main\.json:22` \|/);
    assert.match(md, /### Attested[\s\S]*Needs \\<legacy\\>/);
    assert.match(md, /### Attestations that matched nothing[\s\S]*`storage-secure` on name nothing \(`attest.yml:7`\)/);
    assert.match(md, /Microsoft\.Network\/virtualNetworks \(1\)/);
  });

  it('console: grouped by file and resource, coloured only when asked', () => {
    const plain = findReporter('console')!.render(result);
    assert.doesNotMatch(plain, /\u001b\[/);
    assert.match(plain, /infra\/main\.json/);
    assert.match(plain, / {2}Microsoft\.Storage\/storageAccounts st-bad\n {4}FAIL +high +storage-secure {2}infra\/main\.json:22:7\n +secure is off/);
    assert.match(plain, /attested until 2027-01-31 by sec@contoso.com/);
    assert.match(plain, /Gate FAILED: /);
    assert.doesNotMatch(plain, /st-ok/);
    assert.match(findReporter('console')!.render(result, { verbose: true }), /st-ok/);
    assert.match(findReporter('console')!.render(result, { color: true }), /\u001b\[31mFAIL/);
  });
});
