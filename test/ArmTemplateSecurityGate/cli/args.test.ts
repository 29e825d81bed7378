import * as assert from 'node:assert/strict';
import { parseCli, UsageError } from '../../../tasks/ArmTemplateSecurityGate/cli/args';

describe('armgate argument parsing', () => {
  it('reads scan options into evaluate options and report targets', () => {
    const c = parseCli(
      ['scan', 'infra', '**/*.json', '--parameters', 'p.json', '--format', 'json', '--output', 'out.json', '--format', 'console', '--baseline', '2026-11',
        '--severity-threshold', 'MEDIUM', '--unknown', 'fail', '--attestations', 'a.yml', '--exclude', 'x.json,y/**', '--skip-controls', 'a,b', '--skip-controls', 'c',
        '--no-recurse', '--parameter-map', 'web*.json=params/web.json', '--linked-template', 'https://x/y.json=local/y.json'],
      '/work',
    );
    assert.equal(c.kind, 'scan');
    if (c.kind !== 'scan') return;
    assert.deepEqual(c.options.paths, ['infra', '**/*.json']);
    assert.equal(c.options.root, '/work');
    assert.equal(c.options.parametersFile, 'p.json');
    assert.equal(c.options.severityThreshold, 'medium');
    assert.equal(c.options.unknownPolicy, 'fail');
    assert.equal(c.options.recurse, false);
    assert.deepEqual(c.options.exclude, ['x.json', 'y/**']);
    assert.deepEqual(c.options.skipControls, ['a', 'b', 'c']);
    assert.deepEqual(c.options.parameterMap, [{ template: 'web*.json', parameters: 'params/web.json' }]);
    assert.deepEqual(c.options.linkedTemplateMap, { 'https://x/y.json': 'local/y.json' });
    assert.deepEqual(c.reports, [{ format: 'json', file: 'out.json' }, { format: 'console', file: undefined }]);
  });

  it('rejects mistakes with the option named', () => {
    const bad: Array<[string[], RegExp]> = [
      [['scan'], /^paths: /],
      [['scan', 'x', '--format', 'xml'], /^--format: expected console, json/],
      [['scan', 'x', '--unknown', 'maybe'], /^--unknown: expected fail, warn, pass/],
      [['scan', 'x', '--severity-threshold', 'critical'], /^--severity-threshold/],
      [['scan', 'x', '--format', 'json', '--format', 'sarif'], /^--output: only one format/],
      [['scan', 'x', '--parameter-map', 'nope'], /^--parameter-map: expected <from>=<file>/],
      [['scan', 'x', '--frobnicate'], /^scan: .*frobnicate/],
      [['deploy'], /^command: unknown command 'deploy'/],
      [['scan', 'x', '--baseline', 'nope'], /^--baseline: expected latest, 2026-11 or a date YYYY-MM-DD, got 'nope'/],
    ];
    for (const [argv, message] of bad) {
      assert.throws(() => parseCli(argv, '/'), (e: unknown) => e instanceof UsageError && message.test(e.message), argv.join(' '));
    }
  });

  it('knows help, version and rules', () => {
    assert.equal(parseCli([], '/').kind, 'help');
    assert.equal(parseCli(['--version'], '/').kind, 'version');
    assert.deepEqual(parseCli(['rules', '--format', 'json'], '/'), { kind: 'rules', format: 'json' });
  });
});
