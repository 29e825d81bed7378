import * as assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { annotate } from '../../../tasks/common/report/annotate';
import { renderConsole } from '../../../tasks/common/report/console';
import { renderJunit } from '../../../tasks/common/report/junit';
import { mdCode, mdText, renderMarkdown } from '../../../tasks/common/report/markdown';
import type { Finding, Report } from '../../../tasks/common/report/model';
import { renderSarif } from '../../../tasks/common/report/sarif';
import { sarifProblems } from '../../ArmTemplateSecurityGate/sarif-validator';

/** A report of another check than the gate: its subjects are API operations observed at URLs. */
function apiReport(): Report {
  const f = (ruleId: string, outcome: Finding['outcome'], severity: Finding['severity'], name: string, blocking: boolean): Finding => ({
    ruleId,
    title: `Title of ${ruleId}`,
    outcome,
    severity,
    subject: { type: 'GET', name, kind: 'function' },
    place: { url: `https://api.contoso.com${name}` },
    message: `${ruleId} on ${name}`,
    blocking,
  });
  const findings = [
    f('api-tls', 'fail', 'high', '/pets', true),
    f('api-headers', 'fail', 'medium', '/pets', true),
    f('api-cors', 'fail', 'low', '/owners', false),
    f('api-cors', 'unknown', 'low', '/health', false),
    f('api-tls', 'pass', 'high', '/owners', false),
  ];
  const rule = (id: string, severity: Finding['severity']) => ({ id, title: `Title of ${id}`, severity, description: `Why ${id}.`, references: [['OWASP', ['API8']] as [string, string[]]], tags: ['security'] });
  return {
    tool: { name: 'apicheck', version: '1.2.3' },
    title: 'API security check',
    scope: '3 operation(s)',
    scopeMarkdown: '3 operation(s).',
    startedAt: '2026-11-23T10:00:00.000Z',
    durationMs: 1234,
    rules: [rule('api-tls', 'high'), rule('api-headers', 'medium'), rule('api-cors', 'low')],
    findings,
    counts: { pass: 1, fail: 3, unknown: 1, attested: 0, error: 0, skipped: 0 },
    verdict: { result: 'fail', reasons: ["2 control failure(s) at or above severity 'medium'"] },
    expiredAttestations: [],
    unusedAttestations: [],
    uncovered: [],
    problems: [],
    properties: { target: 'https://api.contoso.com' },
    nouns: { rule: 'Check', subject: 'Operation' },
  };
}

describe('common/report: the reporters serve any check, not only templates', () => {
  const report = apiReport();

  it('SARIF: valid 2.1.0, URL places without regions, level from severity, numeric security-severity on rules and results', () => {
    const log = JSON.parse(renderSarif(report));
    assert.deepEqual(sarifProblems(log), []);
    const run = log.runs[0];
    assert.equal(run.originalUriBaseIds, undefined);
    const levels = run.results.map((r: any) => [r.ruleId, r.locations[0].logicalLocations[0].name, r.kind, r.level]);
    assert.deepEqual(levels, [
      ['api-tls', '/pets', 'fail', 'error'],
      ['api-headers', '/pets', 'fail', 'warning'],
      ['api-cors', '/owners', 'fail', 'note'],
      ['api-cors', '/health', 'review', 'none'],
    ]);
    assert.equal(run.results[0].locations[0].physicalLocation.artifactLocation.uri, 'https://api.contoso.com/pets');
    assert.equal(run.results[0].locations[0].physicalLocation.region, undefined);
    assert.deepEqual(run.results.map((r: any) => r.properties['security-severity']), ['7.5', '5.5', '3.0', '3.0']);
    assert.deepEqual(run.tool.driver.rules.map((r: any) => r.properties['security-severity']), ['7.5', '5.5', '3.0']);
    assert.ok(run.results[0].partialFingerprints['apicheckResource/v1']);
  });

  it('JUnit: well-formed, one suite per URL, class names without the scheme', () => {
    const xml = renderJunit(report);
    assert.equal(XMLValidator.validate(xml), true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xml);
    const suites = [doc.testsuites.testsuite].flat();
    assert.deepEqual(suites.map((s: any) => s['@_name']), ['https://api.contoso.com/pets', 'https://api.contoso.com/owners', 'https://api.contoso.com/health']);
    assert.equal([suites[0].testcase].flat()[0]['@_classname'], 'api.contoso.com.pets');
    assert.equal([suites[0].testcase].flat()[0]['@_file'], undefined);
  });

  it('console and Markdown group by URL and use the check\'s own nouns', () => {
    const text = renderConsole(report);
    assert.match(text, /^https:\/\/api\.contoso\.com\/pets\n {2}GET \/pets\n/m);
    assert.match(text, /^3 operation\(s\): 1 passed, 3 failed, 1 unknown, 0 attested, 0 error\(s\)$/m);
    const md = renderMarkdown(report);
    assert.match(md, /^## API security check: Failed$/m);
    assert.match(md, /\| Severity \| Check \| Operation \| Location \| Finding \|/);
    assert.match(md, /`https:\/\/api\.contoso\.com\/pets`/);
  });

  it('annotations: URL places carry no source path, the URL is in the message', () => {
    const issues: Array<[string, string, unknown]> = [];
    const log = { debug() {}, info() {}, warning: (m: string, l?: unknown) => issues.push(['warning', m, l]), error: (m: string, l?: unknown) => issues.push(['error', m, l]) };
    annotate(log, report.findings, { max: 10, sourcePath: () => assert.fail('no file place'), more: (n) => `${n} more` });
    assert.deepEqual(issues[0], ['error', "api-tls: GET '/pets': api-tls on /pets (https://api.contoso.com/pets)", { code: 'api-tls' }]);
    assert.equal(issues.length, 4);
  });

  it('Markdown text from a template or server can neither break the table nor add a link or an image', () => {
    assert.equal(mdText('a|b\nc ![x](https://evil/p.png) <img src=x>'), 'a\\|b c !\\[x\\](https://evil/p.png) \\<img src=x\\>');
    assert.equal(mdCode('a`b'), '``a`b``');
    assert.equal(mdCode('`a'), '`` `a ``');
    assert.equal(mdCode('x|y\r\nz'), '`x\\|y z`');
  });
});
