import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { evaluate } from '../../../tasks/ArmTemplateSecurityGate/core/evaluate';
import { nodeGateDeps } from '../../../tasks/ArmTemplateSecurityGate/task/node-deps';
import { silentLogger } from '../../../tasks/common/log/logger';

const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
const PARAMS_SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#';

/** A template whose only resource fails storage-https-only and carries `marker` in its name. */
function storageTemplate(marker: string) {
  return {
    $schema: SCHEMA,
    contentVersion: '1.0.0.0',
    parameters: { n: { type: 'string', defaultValue: marker } },
    resources: [
      {
        type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-05-01', name: "[parameters('n')]", location: 'westeurope', kind: 'StorageV2',
        sku: { name: 'Standard_LRS' }, properties: { supportsHttpsTrafficOnly: false, minimumTlsVersion: 'TLS1_2', allowBlobPublicAccess: false },
      },
    ],
  };
}

function deployment(name: string, templateLink: object) {
  return { type: 'Microsoft.Resources/deployments', apiVersion: '2022-09-01', name, properties: { mode: 'Incremental', templateLink } };
}

function write(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2));
}

describe('scan reads only inside the scan root', () => {
  let tmp: string;
  let root: string;
  const warnings: string[] = [];
  const deps = () => nodeGateDeps({ ...silentLogger, warning: (m) => warnings.push(m) });

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'armgate-contain-')));
    root = path.join(tmp, 'repo');
    fs.mkdirSync(root);
    warnings.length = 0;
    // Outside the root: what a hostile template under review would like the gate to read.
    write(path.join(tmp, 'outside.json'), storageTemplate('outsidesecret'));
    write(path.join(tmp, 'outside.parameters.json'), { $schema: PARAMS_SCHEMA, contentVersion: '1.0.0.0', parameters: { n: { value: 'outsideparam' } } });
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('does not follow a linked template (relativePath with .., absolute, file: URI, symlink) out of the root', () => {
    fs.symlinkSync(path.join(tmp, 'outside.json'), path.join(root, 'infra-link.json'));
    write(path.join(root, 'infra', 'main.json'), {
      $schema: SCHEMA,
      contentVersion: '1.0.0.0',
      resources: [
        deployment('dotdot', { relativePath: '../../outside.json' }),
        deployment('absolute', { relativePath: path.join(tmp, 'outside.json') }),
        deployment('fileuri', { uri: `file://${path.join(tmp, 'outside.json')}` }),
        deployment('symlink', { relativePath: '../infra-link.json' }),
      ],
    });
    const r = evaluate({ paths: ['infra'], root }, deps());
    assert.deepEqual(r.findings.filter((f) => f.ruleId === 'storage-https-only'), []);
    assert.doesNotMatch(JSON.stringify(r), /outsidesecret/);
    const diags = r.files.find((f) => f.file === 'infra/main.json')!.diagnostics;
    assert.equal(diags.filter((d) => /resolves outside the scan root/.test(d.message)).length, 4, JSON.stringify(diags));
    // Resources left unchecked are never a clean pass.
    assert.equal(r.verdict.result, 'warn');
    assert.match(r.verdict.reasons.join('\n'), /4 template warning\(s\), first: infra\/main\.json:\d+: linked template '\.\.\/\.\.\/outside\.json' resolves outside/);
  });

  it('still follows linked templates elsewhere in the root, also through .. and a mapped relative path', () => {
    write(path.join(root, 'modules', 'storage.json'), storageTemplate('insidemodule'));
    write(path.join(root, 'vendor', 'copy.json'), storageTemplate('mappedcopy'));
    write(path.join(root, 'infra', 'main.json'), {
      $schema: SCHEMA,
      contentVersion: '1.0.0.0',
      resources: [deployment('up', { relativePath: '../modules/storage.json' }), deployment('mapped', { relativePath: 'gone/storage.json' })],
    });
    // The mapped file is named relative to the root, as every other path is.
    const r = evaluate({ paths: ['infra/main.json'], root, linkedTemplateMap: { 'gone/storage.json': 'vendor/copy.json' } }, deps());
    const names = r.findings.filter((f) => f.ruleId === 'storage-https-only').map((f) => f.resource.name).sort();
    assert.deepEqual(names, ['insidemodule', 'mappedcopy']);
  });

  it('does not read a parameter file beside the template that links out of the root', () => {
    write(path.join(root, 'main.json'), storageTemplate('fromdefault'));
    fs.symlinkSync(path.join(tmp, 'outside.parameters.json'), path.join(root, 'main.parameters.json'));
    const r = evaluate({ paths: ['main.json'], root }, deps());
    assert.doesNotMatch(JSON.stringify(r.findings), /outsideparam/);
    assert.equal(r.findings.find((f) => f.ruleId === 'storage-https-only')?.resource.name, 'fromdefault');
    assert.ok(r.files[0].diagnostics.some((d) => /outside the scan root/.test(d.message)));
  });

  it('walks folders without following symlinks out of the root or around a cycle', () => {
    write(path.join(root, 'infra', 'a.json'), storageTemplate('inside'));
    write(path.join(tmp, 'elsewhere', 'b.json'), storageTemplate('outsidesecret'));
    fs.symlinkSync(path.join(tmp, 'elsewhere'), path.join(root, 'infra', 'escape'));
    fs.symlinkSync(path.join(tmp, 'elsewhere', 'b.json'), path.join(root, 'infra', 'b.json'));
    fs.symlinkSync(path.join(root, 'infra'), path.join(root, 'infra', 'loop'));
    for (const paths of [['infra'], ['infra/**/*.json']]) {
      const r = evaluate({ paths, root }, deps());
      assert.deepEqual(r.files.map((f) => f.file), ['infra/a.json'], paths[0]);
    }
  });
});
