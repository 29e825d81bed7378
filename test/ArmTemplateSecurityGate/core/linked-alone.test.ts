/**
 * A linked template scanned on its own (its parent in the same scan) keeps only its template-wide
 * findings, so its resources are not evaluated there: this must give exactly the results of a scan
 * that evaluates them.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { controls } from '../../../tasks/ArmTemplateSecurityGate/core/controls';
import { createCheckContext } from '../../../tasks/ArmTemplateSecurityGate/core/controls/context';
import { realEngine, scanFs } from '../../../tasks/ArmTemplateSecurityGate/core/evaluate';
import type { TemplateControl } from '../../../tasks/ArmTemplateSecurityGate/core/model';
import { scanFiles, type FileScan } from '../../../tasks/ArmTemplateSecurityGate/core/scan-files';
import { selectControls } from '../../../tasks/ArmTemplateSecurityGate/core/select-controls';
import { scanWith } from '../../../tasks/ArmTemplateSecurityGate/core/scan';
import type { GateDeps, GateEngine, ScanResult } from '../../../tasks/ArmTemplateSecurityGate/core/scan-types';
import { nodeGateDeps } from '../../../tasks/ArmTemplateSecurityGate/task/node-deps';
import { silentLogger, type Logger } from '../../../tasks/common/log/logger';
import { PSCHEMA, SCHEMA } from '../engine/scan-files';

const storage = (name: string) => ({
  type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-05-01', name, location: 'westeurope', kind: 'StorageV2',
  sku: { name: 'Standard_LRS' }, properties: { supportsHttpsTrafficOnly: false },
});

const deployment = (name: string, relativePath: string, parameters: object) => ({
  type: 'Microsoft.Resources/deployments', apiVersion: '2022-09-01', name,
  properties: { mode: 'Incremental', templateLink: { relativePath }, parameters },
});

interface Scan {
  result: ScanResult;
  /** Each evaluated file (relative) with the `resources` option it was evaluated with. */
  calls: Array<[string, boolean | undefined]>;
  announced: string[];
}

/** evaluate() with the real engine, recording how each template was evaluated; `always` evaluates every resource. */
function scan(root: string, always: boolean): Scan {
  const calls: Scan['calls'] = [];
  const announced: string[] = [];
  const deps: GateDeps = { ...nodeGateDeps(silentLogger), clock: { now: () => new Date('2026-12-01T00:00:00Z') }, onSecret: (v) => announced.push(v) };
  const scoped: GateDeps = { ...deps, fs: scanFs(deps.fs) };
  const engine = realEngine(scoped);
  const spy: GateEngine = {
    ...engine,
    loadAndEvaluate: (file, options) => {
      calls.push([path.relative(root, file).split(path.sep).join('/'), options.resources]);
      return engine.loadAndEvaluate(file, always ? { ...options, resources: true } : options);
    },
  };
  const result = scanWith({ paths: ['.'], root }, scoped, spy, createCheckContext);
  return { result, calls, announced };
}

const comparable = (r: ScanResult) => ({ findings: r.findings, files: r.files, uncovered: r.uncovered, counts: r.counts, verdict: r.verdict });

describe('scan: a linked template on its own is not evaluated resource by resource', () => {
  let root: string;
  const write = (name: string, content: object) => {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), JSON.stringify(content, null, 2));
  };
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'armgate-linked-alone-'));
    write('azuredeploy.json', {
      $schema: SCHEMA, contentVersion: '1.0.0.0',
      resources: [
        deployment('child', 'nested/child.json', { n: { value: 'https://contoso.blob.core.windows.net/a/' } }),
        deployment('relay', 'nested/relay.json', {}),
        deployment('secure', 'nested/secure.json', { password: { value: 'parent-Pa55word!' } }),
      ],
    });
    // Its resources would fail (an expression error) and be dropped on their own; template-wide findings stay.
    write('nested/child.json', {
      $schema: SCHEMA, contentVersion: '1.0.0.0',
      parameters: { n: { type: 'string', defaultValue: '' }, adminPassword: { type: 'securestring' } },
      resources: [storage("[concat(parameters('n'), uri(parameters('n'), 'x'))]")],
      outputs: { pw: { type: 'string', value: "[parameters('adminPassword')]" } },
    });
    // Links a template of its own: evaluated whole, its evaluation may be what makes that one linked.
    write('nested/relay.json', { $schema: SCHEMA, contentVersion: '1.0.0.0', resources: [deployment('leaf', 'leaf.json', {})] });
    write('nested/leaf.json', { $schema: SCHEMA, contentVersion: '1.0.0.0', resources: [storage('leafstore')] });
    // A secure default is registered (masked) by evaluating what reads it: evaluated whole.
    write('nested/secure.json', {
      $schema: SCHEMA, contentVersion: '1.0.0.0',
      parameters: { password: { type: 'securestring', defaultValue: 'default-Pa55word!' } },
      resources: [{ ...storage('securestore'), tags: { note: "[parameters('password')]" } }],
    });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('leaves out only the resources of linked templates with no parameter file, no link of their own and no secure default', () => {
    const { calls } = scan(root, false);
    assert.deepEqual(calls, [
      ['azuredeploy.json', undefined],
      ['nested/child.json', false],
      ['nested/leaf.json', false],
      ['nested/relay.json', undefined],
      ['nested/secure.json', false],
    ]);
  });

  it('gives the same findings, file statuses, counts, verdict and announced secrets as evaluating every resource', () => {
    const lazy = scan(root, false);
    const whole = scan(root, true);
    assert.deepEqual(comparable(lazy.result), comparable(whole.result));
    assert.deepEqual(lazy.announced.sort(), whole.announced.sort());
    assert.ok(lazy.announced.includes('default-Pa55word!'), 'the secure default of the linked template is still registered');
    const child = lazy.result.files.find((f) => f.file === 'nested/child.json')!;
    assert.equal(child.linkedFrom, 'azuredeploy.json');
    assert.ok(lazy.result.findings.some((f) => f.file === 'nested/child.json' && f.ruleId.startsWith('template-')), 'template-wide findings of the linked template are kept');
    // Its own defaults make its resource's expression fail; on its own that is not reported either way.
    assert.deepEqual(lazy.result.findings.filter((f) => f.outcome === 'error'), []);
  });
});

describe('scan: a linked template listed before the template that links it', () => {
  let root: string;
  const write = (name: string, content: object) => fs.writeFileSync(path.join(root, name), JSON.stringify(content, null, 2));
  const parameters = (values: Record<string, string>) => ({ $schema: PSCHEMA, contentVersion: '1.0.0.0', parameters: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v }])) });
  // Throws on every template: a debug line (its stack) per template, logged while the template is evaluated.
  const boom: TemplateControl = {
    kind: 'template',
    meta: { ...controls.find((c) => c.kind === 'template')!.meta, id: 'test-boom' },
    check: (t) => {
      const e = new Error(`boom in ${t.file}`);
      e.stack = e.message; // the same line whichever test line ran the scan
      throw e;
    },
  };

  interface Run { scan: FileScan; calls: Array<[string, boolean | undefined]>; lines: Array<[string, string]>; announced: string[] }

  /** scanFiles alone (its drafts in the order it made them), with every log line and announced secret in order. */
  function run(always: boolean): Run {
    const calls: Run['calls'] = [];
    const lines: Run['lines'] = [];
    const announced: string[] = [];
    const logger: Logger = { debug: (m) => lines.push(['debug', m]), info: (m) => lines.push(['info', m]), warning: (m) => lines.push(['warning', m]), error: (m) => lines.push(['error', m]) };
    const base: GateDeps = { ...nodeGateDeps(logger), clock: { now: () => new Date('2026-12-01T00:00:00Z') }, onSecret: (v) => announced.push(v) };
    const deps: GateDeps = { ...base, fs: scanFs(base.fs) };
    const engine = realEngine(deps);
    const spy: GateEngine = {
      ...engine,
      loadAndEvaluate: (file, options) => {
        calls.push([path.relative(root, file), options.resources]);
        return engine.loadAndEvaluate(file, always ? { ...options, resources: true } : options);
      },
    };
    const show = (p: string) => path.relative(root, p).split(path.sep).join('/');
    const selection = selectControls([...engine.controls, boom], undefined, []);
    const scan = scanFiles({ options: { paths: ['.'], root }, root, deps, engine: spy, selection, createContext: createCheckContext, show });
    return { scan, calls, lines, announced };
  }

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'armgate-linked-first-'));
    // Listed first; linked from z-main.json only. On its own its resource's expression fails, and its
    // secure default is announced (evaluated after the others, it must still be announced first).
    write('a-linked.json', {
      $schema: SCHEMA, contentVersion: '1.0.0.0',
      parameters: { n: { type: 'string', defaultValue: '' }, adminPassword: { type: 'securestring' }, token: { type: 'securestring', defaultValue: 'a-Default-Secret!' } },
      resources: [{ ...storage("[concat(parameters('n'), uri(parameters('n'), 'x'))]"), tags: { token: "[parameters('token')]" } }],
      outputs: { pw: { type: 'string', value: "[parameters('adminPassword')]" } },
    });
    // A template of its own, between them: a secret from its parameter file, a warning from a malformed inline attestation.
    write('b-own.json', {
      $schema: SCHEMA, contentVersion: '1.0.0.0',
      parameters: { secret: { type: 'securestring' } },
      resources: [{ ...storage('bstore'), tags: { note: "[parameters('secret')]" }, metadata: { armgate: { attestations: [{ control: 'storage-secure', expiresOn: '2027-06-30' }] } } }],
    });
    write('b-own.parameters.json', parameters({ secret: 'b-Secret-Value!' }));
    // The parent, listed last: a secret of its own passed to the child, and a link to a missing file (a warning).
    write('z-main.json', {
      $schema: SCHEMA, contentVersion: '1.0.0.0',
      parameters: { zsecret: { type: 'securestring' } },
      resources: [
        deployment('child', 'a-linked.json', { n: { value: 'https://contoso.blob.core.windows.net/a/' }, adminPassword: { value: "[parameters('zsecret')]" } }),
        deployment('gone', 'missing.json', {}),
      ],
    });
    write('z-main.parameters.json', parameters({ zsecret: 'z-Secret-Value!' }));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('waits only for the templates of its own top folder: one linked from another folder is evaluated in full, with the same results', () => {
    fs.mkdirSync(path.join(root, 'm'));
    fs.mkdirSync(path.join(root, 'p'));
    fs.renameSync(path.join(root, 'a-linked.json'), path.join(root, 'm', 'a-linked.json'));
    write('p/main.json', { $schema: SCHEMA, contentVersion: '1.0.0.0', resources: [deployment('child', '../m/a-linked.json', { n: { value: 'https://contoso.blob.core.windows.net/a/' } })] });
    const lazy = run(false);
    assert.deepEqual(lazy.calls.filter(([f]) => f.startsWith('m') || f.startsWith('p')), [['m/a-linked.json', undefined], ['p/main.json', undefined]]);
    assert.equal(lazy.scan.files.find((f) => f.file === 'm/a-linked.json')?.linkedFrom, 'p/main.json');
    const whole = run(true);
    assert.deepEqual(lazy.scan, whole.scan);
    assert.deepEqual(lazy.lines, whole.lines);
    assert.deepEqual(lazy.announced, whole.announced);
  });

  it('does not evaluate the linked template resource by resource, though it comes first', () => {
    const { calls } = run(false);
    // It waits for the template that links to it, and is evaluated right after it.
    assert.deepEqual(calls, [['b-own.json', undefined], ['z-main.json', undefined], ['a-linked.json', false]]);
  });

  it('keeps results, log lines and announced secrets in discovery order, as evaluating every resource in turn gives them', () => {
    const lazy = run(false);
    const whole = run(true);
    assert.deepEqual(lazy.scan, whole.scan);
    assert.deepEqual(lazy.lines, whole.lines);
    assert.deepEqual(lazy.announced, whole.announced);

    const order = ['a-linked.json', 'b-own.json', 'z-main.json'];
    assert.deepEqual(lazy.scan.files.map((f) => f.file), ['a-linked.json', 'b-own.json', 'b-own.parameters.json', 'z-main.json', 'z-main.parameters.json']);
    assert.equal(lazy.scan.files[0].linkedFrom, 'z-main.json');
    // Each file's drafts together, in discovery order: z-main.json's last, though it was evaluated first
    // (some of them are located in a-linked.json, whose resources it deploys).
    const draftFiles = lazy.scan.drafts.map((d) => d.file);
    const b = draftFiles.indexOf('b-own.json');
    const afterB = draftFiles.lastIndexOf('b-own.json') + 1;
    assert.ok(b > 0, draftFiles.join(', '));
    assert.ok(lazy.scan.drafts.slice(0, b).every((d) => d.file === 'a-linked.json' && d.templateWide), 'the linked template first, with only its template-wide findings');
    assert.ok(draftFiles.slice(b, afterB).every((f) => f === 'b-own.json'), draftFiles.join(', '));
    const parent = draftFiles.slice(afterB);
    assert.ok(parent.includes('z-main.json') && parent.every((f) => f === 'z-main.json' || f === 'a-linked.json'), draftFiles.join(', '));
    const booms = lazy.lines.filter(([level, m]) => level === 'debug' && m.includes('boom in')).map(([, m]) => /boom in (\S+)/.exec(m)![1]);
    assert.deepEqual(booms, order);
    const warnings = lazy.lines.filter(([level]) => level === 'warning').map(([, m]) => m);
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(warnings[0], /^b-own\.json:\d+: .*justification/);
    assert.match(warnings[1], /^z-main\.json:\d+: linked template 'missing\.json' not found/);
    assert.deepEqual(lazy.announced, ['a-Default-Secret!', 'b-Secret-Value!', 'z-Secret-Value!']);
    // Masked per template: the parent's secret in its own results, the other's nowhere in them.
    assert.ok(!/Secret-Value!|Default-Secret!/.test(JSON.stringify(lazy.scan)));
  });
});
