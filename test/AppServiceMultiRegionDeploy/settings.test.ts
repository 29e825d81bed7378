import * as assert from 'node:assert/strict';
import { readSettings as readV1 } from '../../tasks/AppServiceMultiRegionDeploy/v1/settings';
import { readSettings as readV2 } from '../../tasks/AppServiceMultiRegionDeploy/v2/settings';
import { FakeHost, inputsOf } from '../helpers/fake-host';

const base = { azureSubscription: 'conn', package: 'drop/app.zip' };

function v1(inputs: Record<string, string>) {
  return readV1(inputsOf(new FakeHost({ inputs: { ...base, ...inputs } })));
}

function v2(inputs: Record<string, string>, host = new FakeHost({ inputs: { ...base, ...inputs } })) {
  return readV2(inputsOf(host));
}

describe('AppServiceMultiRegionDeploy settings', () => {
  describe('targets', () => {
    it('reads resourceGroup/app[/slot] lines; production is the app itself; comments and blanks skipped', () => {
      const s = v1({ targets: 'rg-weu/web\n\n# next\nrg-neu/web/staging\nrg-eus/web/Production' });
      assert.deepEqual(
        s.targets.map((t) => [t.resourceGroup, t.app, t.slot, t.label]),
        [['rg-weu', 'web', undefined, 'rg-weu/web'], ['rg-neu', 'web', 'staging', 'rg-neu/web/staging'], ['rg-eus', 'web', undefined, 'rg-eus/web']],
      );
      assert.deepEqual([s.strategy, s.maxParallel, s.continueOnTargetFailure, s.report, s.method], ['sequential', 1, false, false, 'auto']);
    });

    it('names the line of a malformed or repeated target', () => {
      assert.throws(() => v1({ targets: 'rg/web\nrg/web/a/b' }), /Input 'targets': line 2: expected 'resourceGroup\/appName'/);
      assert.throws(() => v1({ targets: 'rg/-web' }), /line 1: '-web' is not an App Service name/);
      assert.throws(() => v1({ targets: 'rg weu/web' }), /line 1: 'rg weu' is not a resource group name/);
      assert.throws(() => v1({ targets: 'rg/web\nRG/WEB' }), /line 2: RG\/WEB is already given on line 1/);
      assert.throws(() => v1({ targets: '# only a comment' }), /Input 'targets': lists no target/);
    });

    it('takes a single target from the pickers, never both ways at once', () => {
      assert.deepEqual(v1({ resourceGroupName: 'rg', appName: 'web', slotName: 'blue' }).targets.map((t) => t.label), ['rg/web/blue']);
      assert.throws(() => v1({ targets: 'rg/web', appName: 'web' }), /Input 'appName': give the target either in targets or with the pickers/);
      assert.throws(() => v1({ appName: 'web' }), /Input 'resourceGroupName': is required with appName/);
      assert.throws(() => v1({}), /Input 'targets': is required/);
    });
  });

  it('checks the method and the timeout strictly', () => {
    assert.throws(() => v1({ targets: 'rg/web', deploymentMethod: 'webDeploy' }), /Input 'deploymentMethod': expected one of auto, oneDeploy, zipDeploy, runFromPackage/);
    assert.equal(v1({ targets: 'rg/web', deploymentMethod: 'runfrompackage' }).method, 'runFromPackage');
    assert.equal(v1({ targets: 'rg/web', deploymentTimeoutMinutes: '45' }).deploymentTimeoutMs, 45 * 60_000);
    assert.throws(() => v1({ targets: 'rg/web', deploymentTimeoutMinutes: '0' }), /Input 'deploymentTimeoutMinutes'/);
  });

  describe('v2', () => {
    it('rolling and swaps need a health check; swaps need slots', () => {
      assert.throws(() => v2({ targets: 'rg/web', strategy: 'rolling' }), /Input 'healthCheckPath': is required with strategy rolling/);
      assert.throws(() => v2({ targets: 'rg/web/staging', swapAfterDeploy: 'true' }), /Input 'healthCheckPath': is required with swapAfterDeploy/);
      assert.throws(() => v2({ targets: 'rg/web/staging\nrg2/web', swapAfterDeploy: 'true', healthCheckPath: '/h' }), /Input 'swapAfterDeploy': needs a slot on every target; rg2\/web is production/);
      const s = v2({ targets: 'rg/web/staging', swapAfterDeploy: 'true', swapWithPreview: 'true', healthCheckPath: 'healthz', strategy: 'rolling', maxParallel: '8' });
      assert.deepEqual(s.swap, { preview: true, swapBackOnFailure: true });
      assert.deepEqual(s.health, { path: '/healthz', expectedStatus: 200, timeoutMs: 30_000, retries: 5, intervalMs: 10_000 });
      assert.deepEqual([s.strategy, s.maxParallel, s.report], ['rolling', 8, true]);
      assert.throws(() => v2({ targets: 'rg/web', healthCheckPath: 'https://evil.example/h' }), /Input 'healthCheckPath': expected a path/);
    });

    it('reads app settings quietly and never quotes their values in errors', () => {
      const host = new FakeHost({ inputs: { ...base, targets: 'rg/web', appSettings: 'Db__Password = s3cret-value\nMODE=prod', removeAppSettings: 'OLD, OLDER' } });
      const s = v2({}, host);
      assert.deepEqual([...s.appSettings!.set], [['Db__Password', 's3cret-value'], ['MODE', 'prod']]);
      assert.deepEqual(s.appSettings!.remove, ['OLD', 'OLDER']);
      assert.ok(host.secretInputsRead.includes('appSettings'), 'read without task-lib echoing the value');
      assert.throws(() => v2({ targets: 'rg/web', appSettings: 'no-separator-s3cret' }), (e: Error) => /line 1/.test(e.message) && !e.message.includes('s3cret'));
      assert.throws(() => v2({ targets: 'rg/web', appSettings: 'WEBSITE_RUN_FROM_PACKAGE = 1' }), /managed by deploymentMethod/);
      assert.throws(() => v2({ targets: 'rg/web', appSettings: 'A = 1', removeAppSettings: 'a' }), /Input 'removeAppSettings': 'a' is also set/);
    });
  });
});
