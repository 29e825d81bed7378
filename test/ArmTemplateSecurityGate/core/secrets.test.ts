import * as assert from 'node:assert/strict';
import { evaluate } from '../../../tasks/ArmTemplateSecurityGate/core/evaluate';
import { SecretTracker } from '../../../tasks/ArmTemplateSecurityGate/core/engine/secrets';
import { nodeGateDeps } from '../../../tasks/ArmTemplateSecurityGate/task/node-deps';
import { findReporter, REPORT_FORMATS } from '../../../tasks/ArmTemplateSecurityGate/core/reporters';
import { fixtures } from '../paths';

const SECRET = 'S3cr3t-Value-XYZ';
/** What the template derives from it, and the secureObject leaf (with a quote, so JSON escapes it). */
const DERIVED = [Buffer.from(SECRET).toString('base64'), SECRET.toUpperCase(), `site-${SECRET}`];
const OBJ_SECRET = 'Obj"Secret-Quoted-987';
const FORMS = [SECRET, ...DERIVED, OBJ_SECRET, JSON.stringify(OBJ_SECRET).slice(1, -1)];

function leaks(text: string): string[] {
  return FORMS.filter((f) => text.includes(f));
}

describe('secure parameter values', () => {
  it('never reach a report, a finding, a log line; each is announced before it is logged about', () => {
    const events: string[] = [];
    const deps = nodeGateDeps({
      debug: (m) => events.push(`log:${m}`),
      info: (m) => events.push(`log:${m}`),
      warning: (m) => events.push(`log:${m}`),
      error: (m) => events.push(`log:${m}`),
    });
    deps.onSecret = (v) => events.push(`secret:${v}`);
    const r = evaluate({ paths: ['secrets'], root: fixtures() }, deps);

    // The scan did judge the secret-derived values (the check is not vacuous).
    const tls = r.findings.find((f) => f.ruleId === 'storage-min-tls-version')!;
    assert.equal(tls.message, 'properties.minimumTlsVersion is "***", which is not a version (expected 1.2 or later).');
    assert.equal(tls.outcome, 'fail');
    const blob = r.findings.find((f) => f.ruleId === 'storage-no-public-blob-access')!;
    assert.equal(blob.outcome, 'fail');
    assert.match(blob.message, /found "\*\*\*"/);
    assert.match(r.findings.find((f) => f.ruleId === 'storage-https-only')!.message, /\{"apiKey":"\*\*\*"\}/);
    const error = r.findings.find((f) => f.outcome === 'error')!;
    assert.match(error.message, /cannot convert "\*\*\*" to an integer/);
    assert.ok(r.findings.some((f) => f.resource.type === 'Microsoft.Web/sites' && f.resource.name === '***'), 'a name built from the secret is masked');

    for (const format of REPORT_FORMATS) {
      const text = findReporter(format)!.render(r, { color: false, verbose: true });
      assert.deepEqual(leaks(text), [], `${format} report`);
      assert.ok(text.includes('***'), `${format} report shows the mask`);
    }
    assert.deepEqual(events.filter((e) => e.startsWith('log:') && leaks(e).length > 0), []);

    const secrets = events.filter((e) => e.startsWith('secret:')).map((e) => e.slice(7));
    for (const f of [SECRET, OBJ_SECRET, ...DERIVED]) assert.ok(secrets.includes(f), `${f} announced`);
    assert.ok(!secrets.includes('contoso'), 'plain parameters are not secrets');
    const firstAboutBroken = events.findIndex((e) => e.startsWith('log:') && e.includes('broken.json'));
    if (firstAboutBroken !== -1) assert.ok(events.indexOf(`secret:${SECRET}`) < firstAboutBroken);
  });

  describe('SecretTracker', () => {
    it('masks values and their JSON-escaped form, longest first', () => {
      const heard: string[] = [];
      const t = new SecretTracker((v) => heard.push(v));
      t.addValue({ a: 'pa"ss-1', b: ['abcd', 3, true, null] });
      t.add('abcd');
      t.add('');
      assert.deepEqual(heard, ['pa"ss-1', 'pa\\"ss-1', 'abcd']);
      assert.equal(t.redact('x pa"ss-1 {"a":"pa\\"ss-1"} abcdabcd'), 'x *** {"a":"***"} ******');
    });

    it('masks values computed from a secret; short ones only where they stand as a word, and without announcing them', () => {
      const heard: string[] = [];
      const t = new SecretTracker((v) => heard.push(v));
      t.add('hunter22');
      t.addDerived('aHVudGVyMjI=');
      t.addDerived('h2');
      assert.deepEqual(heard, ['hunter22', 'aHVudGVyMjI=']);
      assert.equal(t.redact('aHVudGVyMjI= | h2 | "h2" | sh2x | hunter22'), '*** | *** | "***" | sh2x | ***');
      assert.equal(new SecretTracker().redact('unchanged'), 'unchanged');
    });
  });
});
