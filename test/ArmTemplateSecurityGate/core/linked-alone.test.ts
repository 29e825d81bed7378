/**
 * A linked template scanned on its own (its parent in the same scan) keeps only its template-wide
 * findings, so its resources are not evaluated there: this must give exactly the results of a scan
 * that evaluates them.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createCheckContext } from '../../../tasks/ArmTemplateSecurityGate/core/controls/context';
import { realEngine, scanFs } from '../../../tasks/ArmTemplateSecurityGate/core/evaluate';
import { scanWith } from '../../../tasks/ArmTemplateSecurityGate/core/scan';
import type { GateDeps, GateEngine, ScanResult } from '../../../tasks/ArmTemplateSecurityGate/core/scan-types';
import { nodeGateDeps } from '../../../tasks/ArmTemplateSecurityGate/task/node-deps';
import { silentLogger } from '../../../tasks/common/log/logger';
import { SCHEMA } from '../engine/scan-files';

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
