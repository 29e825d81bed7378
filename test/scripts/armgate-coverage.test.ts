import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BENCHMARKS } from '../../scripts/bench/index';
import { COVERAGE_FIGURE, coverageOf, measureCoverage } from '../../scripts/bench/armgate-coverage';
import { removeDir } from './helpers';

const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

describe('scripts/bench/armgate-coverage', () => {
  it('is listed in the benchmark index', () => {
    assert.ok(BENCHMARKS.some((b) => b.name === 'armgate-coverage'));
    assert.strictEqual(COVERAGE_FIGURE, 'armgate: corpus resources with a control');
  });

  it('leaves nested deployments out of both sides and groups uncovered types case-insensitively', () => {
    const at = { file: 't.json', line: 1, name: 'x' };
    const c = coverageOf({
      counts: { resources: 6 } as never,
      uncovered: [
        { ...at, type: 'Microsoft.Resources/deployments' },
        { ...at, type: 'Microsoft.Foo/bars' },
        { ...at, type: 'microsoft.foo/BARS' },
      ],
    });
    assert.deepStrictEqual(c, { resources: 5, covered: 3, percent: 60, uncoveredTypes: [{ type: 'Microsoft.Foo/bars', count: 2 }] });
    assert.strictEqual(coverageOf({ counts: { resources: 0 } as never, uncovered: [] }).percent, 0);
  });

  it('measures a corpus folder: a resource inside a nested deployment counts, the deployment does not', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armgate-coverage-'));
    try {
      const template = {
        $schema: SCHEMA,
        contentVersion: '1.0.0.0',
        resources: [
          { type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-05-01', name: 'st1', location: 'westeurope', kind: 'StorageV2', sku: { name: 'Standard_LRS' }, properties: {} },
          { type: 'Microsoft.Foo/bars', apiVersion: '2023-01-01', name: 'bar', properties: {} },
          {
            type: 'Microsoft.Resources/deployments',
            apiVersion: '2022-09-01',
            name: 'inner',
            properties: {
              mode: 'Incremental',
              template: {
                $schema: SCHEMA,
                contentVersion: '1.0.0.0',
                resources: [{ type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-05-01', name: 'st2', location: 'westeurope', kind: 'StorageV2', sku: { name: 'Standard_LRS' }, properties: {} }],
              },
            },
          },
        ],
      };
      fs.writeFileSync(path.join(dir, 'main.json'), JSON.stringify(template));
      const c = measureCoverage(dir);
      assert.strictEqual(c.resources, 3);
      assert.strictEqual(c.covered, 2);
      assert.deepStrictEqual(c.uncoveredTypes, [{ type: 'Microsoft.Foo/bars', count: 1 }]);
    } finally {
      removeDir(dir);
    }
  });
});
