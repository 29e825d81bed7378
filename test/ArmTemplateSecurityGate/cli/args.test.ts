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
    // The deepest folder holding every given path; files the user names are read from where they typed them.
    assert.equal(c.options.root, '/work');
    assert.equal(c.options.parametersFile, '/work/p.json');
    assert.equal(c.options.attestationsFile, '/work/a.yml');
    assert.equal(c.options.severityThreshold, 'medium');
    assert.equal(c.options.unknownPolicy, 'fail');
    assert.equal(c.options.recurse, false);
    assert.deepEqual(c.options.exclude, ['x.json', 'y/**']);
    assert.deepEqual(c.options.skipControls, ['a', 'b', 'c']);
    assert.deepEqual(c.options.parameterMap, [{ template: 'web*.json', parameters: '/work/params/web.json' }]);
    assert.deepEqual(c.options.linkedTemplateMap, { 'https://x/y.json': '/work/local/y.json' });
    assert.deepEqual(c.reports, [{ format: 'json', file: 'out.json' }, { format: 'console', file: undefined }]);
  });

  it('the default root follows the scanned paths, never the working directory', () => {
    const scan = (argv: string[], cwd: string) => {
      const c = parseCli(['scan', ...argv], cwd);
      assert.equal(c.kind, 'scan');
      return c.kind === 'scan' ? c.options : undefined!;
    };
    const a = scan(['/abs/repo/infra'], '/elsewhere');
    const b = scan(['infra'], '/abs/repo');
    const c = scan(['.'], '/abs/repo/infra');
    for (const o of [a, b, c]) {
      assert.equal(o.root, '/abs/repo/infra');
      assert.deepEqual(o.paths, ['.']);
    }
    const d = scan(['infra/web.json', 'infra/sql/db.json', '--exclude', 'infra/old/**', '--parameter-map', 'infra/web*.json => p.json'], '/abs/repo');
    assert.equal(d.root, '/abs/repo/infra');
    assert.deepEqual(d.paths, ['web.json', 'sql/db.json']);
    assert.deepEqual(d.exclude, ['old/**']);
    assert.deepEqual(d.parameterMap, [{ template: 'web*.json', parameters: '/abs/repo/p.json' }]);
    const e = scan(['infra/**/*.json', '--exclude', '**/old/*.json,x.json'], '/abs/repo');
    assert.equal(e.root, '/abs/repo/infra');
    assert.deepEqual(e.paths, ['**/*.json']);
    assert.deepEqual(e.exclude, ['**/old/*.json', 'x.json']);
    // An explicit --root keeps every path relative to it.
    const f = scan(['infra', '--root', 'repo', '--parameters', 'p.json'], '/abs');
    assert.equal(f.root, '/abs/repo');
    assert.deepEqual(f.paths, ['infra']);
    assert.equal(f.parametersFile, 'p.json');
  });

  it('takes --parameter-map and --linked-template as glob=file or glob => file, like the task inputs', () => {
    const c = parseCli(['scan', 'x', '--root', '/r', '--parameter-map', 'web*.json => p/web.json', '--parameter-map', 'db.json=p/db.json', '--linked-template', 'https://x/t.json?sv=1 => t.json'], '/');
    assert.ok(c.kind === 'scan');
    assert.deepEqual(c.options.parameterMap, [{ template: 'web*.json', parameters: 'p/web.json' }, { template: 'db.json', parameters: 'p/db.json' }]);
    assert.deepEqual(c.options.linkedTemplateMap, { 'https://x/t.json?sv=1': 't.json' });
    assert.throws(() => parseCli(['scan', 'x', '--parameter-map', 'a=b', '--parameter-map', 'a => c'], '/'), /^Error|--parameter-map: 'a' is given twice/);
  });

  it('an unknown option says which known one it resembles', () => {
    const message = (argv: string[]) => {
      try {
        parseCli(argv, '/');
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    assert.equal(message(['scan', 'x', '--severity', 'high']), 'unknown option --severity (did you mean --severity-threshold?)');
    assert.equal(message(['scan', 'x', '--paramters', 'p.json']), 'unknown option --paramters (did you mean --parameters?)');
    assert.equal(message(['scan', 'x', '--atestations=a.yml']), 'unknown option --atestations (did you mean --attestations?)');
    assert.equal(message(['scan', 'x', '--frobnicate']), 'unknown option --frobnicate');
    assert.equal(message(['scan', 'x', '-z']), 'unknown option -z');
    assert.notEqual(message(['scan', '--', '--not-an-option.json']), 'unknown option --not-an-option.json');
  });

  it('rejects mistakes with the option named', () => {
    const bad: Array<[string[], RegExp]> = [
      [['scan'], /^paths: /],
      [['scan', 'x', '--format', 'xml'], /^--format: expected console, json/],
      [['scan', 'x', '--unknown', 'maybe'], /^--unknown: expected fail, warn, pass/],
      [['scan', 'x', '--severity-threshold', 'critical'], /^--severity-threshold/],
      [['scan', 'x', '--format', 'json', '--format', 'sarif'], /^--output: only one format/],
      [['scan', 'x', '--parameter-map', 'nope'], /^--parameter-map: expected <from>=<file>/],
      [['scan', 'x', '--frobnicate'], /^unknown option --frobnicate$/],
      [['deploy'], /^command: unknown command 'deploy'/],
      [['scan', 'x', '--baseline', 'nope'], /^--baseline: expected latest, 2026-11 or a date YYYY-MM-DD, got 'nope'/],
      [['scan', 'x', '--baseline', '2026-13-45'], /^--baseline: expected latest, 2026-11 or a date YYYY-MM-DD, got '2026-13-45'/],
    ];
    for (const [argv, message] of bad) {
      assert.throws(() => parseCli(argv, '/'), (e: unknown) => e instanceof UsageError && message.test(e.message), argv.join(' '));
    }
  });

  it('knows help, version and rules', () => {
    assert.equal(parseCli([], '/').kind, 'help');
    assert.equal(parseCli(['--version'], '/').kind, 'version');
    assert.deepEqual(parseCli(['rules', '--format', 'json'], '/'), { kind: 'rules', format: 'json', catalogue: { root: '/', policyPaths: [] } });
    assert.deepEqual(parseCli(['rules', '--settings', 'sec/armgate.yaml', '--controls', 'sec/controls', '--policy', 'sec/p1.json', '--policy', 'sec/p2'], '/repo'), {
      kind: 'rules',
      format: 'console',
      catalogue: { root: '/repo', settingsFile: '/repo/sec/armgate.yaml', controlsFolder: '/repo/sec/controls', policyPaths: ['/repo/sec/p1.json', '/repo/sec/p2'] },
    });
  });
});
