/**
 * AppServiceMultiRegionDeploy end to end: the bundled v1 and v2 tasks run as the agent runs them,
 * sign in through the real @azure/identity, reach ARM through @azure/arm-appservice and Kudu and
 * the apps through the one HTTP client, all against the Web emulator. Every Microsoft.Web request
 * they send is checked against the 2023-12-01 specification extract.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { agentNode24 } from '../../scripts/agent-node';
import { runTask } from '../../scripts/task-runner';
import { carriesCommand } from '../../tasks/common/log/safe-text';
import { azureRmConnectionEnv, type Emulators, type SlotState, type WebEmulator } from '../emulators';
import { bundleVersion, explain, output, runDeploy, startWebEmulators, SUB, TENANT, writeZip } from './fixture';

describe('e2e: AppServiceMultiRegionDeploy (bundled task, Web emulator)', function () {
  this.timeout(180_000);
  let emu: Emulators;
  let web: WebEmulator;
  let v1: string;
  let v2: string;
  let work: string;
  const slot = (rg: string, app: string, s = 'production'): SlotState => web.slot(SUB, rg, app, s);
  const versionOf = (rg: string, app: string, s = 'production') => slot(rg, app, s).content?.version;

  before(async () => {
    [v1, v2] = await Promise.all([bundleVersion('v1'), bundleVersion('v2')]);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-appsvc-work-'));
    emu = await startWebEmulators();
    web = emu.web!;
    // The same app name in three resource groups (three regions), each with a staging slot.
    await web.addSite({ subscriptionId: SUB, resourceGroup: 'rg-weu', name: 'contoso-web', location: 'westeurope', slots: ['staging'], appSettings: { KEEP_ME: 'yes', OLD_FLAG: 'on' } });
    await web.addSite({ subscriptionId: SUB, resourceGroup: 'rg-neu', name: 'contoso-web', location: 'northeurope', slots: ['staging'] });
    await web.addSite({ subscriptionId: SUB, resourceGroup: 'rg-eus', name: 'contoso-web', location: 'eastus', slots: ['staging'] });
    await web.addSite({ subscriptionId: SUB, resourceGroup: 'rg-linux', name: 'contoso-api', location: 'westeurope', kind: 'app,linux' });
    await web.addSite({ subscriptionId: SUB, resourceGroup: 'rg-locked', name: 'contoso-locked', location: 'swedencentral', scmBasicAuth: false });
    await writeZip(path.join(work, 'app-v1.zip'), { 'version.txt': 'v1', 'index.html': '<h1>v1</h1>' });
    await writeZip(path.join(work, 'app-v2.zip'), { 'version.txt': 'v2', 'index.html': '<h1>v2</h1>' });
    fs.mkdirSync(path.join(work, 'site', 'css'), { recursive: true });
    fs.writeFileSync(path.join(work, 'site', 'version.txt'), 'folder-1');
    fs.writeFileSync(path.join(work, 'site', 'css', 'app.css'), 'body{}');
  });

  after(async () => {
    await emu?.close();
    for (const d of [v1, v2, work]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  afterEach(function () {
    // Every Microsoft.Web request of every test is a valid 2023-12-01 request (the spec check).
    if (this.currentTest?.state === 'passed') assert.deepEqual(web.specViolations, [], JSON.stringify(web.specViolations, null, 1));
    web.health = () => 200;
  });

  const noCommandLines = (stdout: string) =>
    stdout.split(/\r?\n/).filter((l) => carriesCommand(l) && !/^##vso\[(task\.(setvariable|setsecret|complete|uploadsummary|issue|logissue|debug)|task\.setprogress)/.test(l.trim()));

  describe('v1', () => {
    it('deploys to two regions one after another, by resource group, never touching the same app name elsewhere', async () => {
      const eusRequests = slot('rg-eus', 'contoso-web').kudu.requests.length;
      const r = await runDeploy(emu, v1, work, { targets: 'rg-weu/contoso-web\n# a comment\nrg-neu/contoso-web', package: 'app-v1.zip', deploymentMethod: 'zipDeploy' });
      assert.equal(r.effectiveResult, 'Succeeded', explain(r));
      assert.equal(versionOf('rg-weu', 'contoso-web'), 'v1');
      assert.equal(versionOf('rg-neu', 'contoso-web'), 'v1');
      assert.equal(versionOf('rg-eus', 'contoso-web'), undefined, 'the app of the same name in rg-eus is left alone');
      assert.equal(slot('rg-eus', 'contoso-web').kudu.requests.length, eusRequests);
      const [weu] = slot('rg-weu', 'contoso-web').kudu.deployments.slice(-1);
      const [neu] = slot('rg-neu', 'contoso-web').kudu.deployments.slice(-1);
      assert.ok(neu.received >= weu.done, 'sequential: the second upload starts after the first deployment finished');
      assert.equal(weu.api, 'zipdeploy');
      assert.equal(weu.auth, 'basic');
      assert.match(r.stdout, /New version on: rg-weu\/contoso-web, rg-neu\/contoso-web/);
    });

    it('stops at the first failure, prints the Kudu log safely and says which targets got the new version', async () => {
      slot('rg-neu', 'contoso-web').kudu.failNext({ statusText: 'npm install failed', log: ['npm ERR! code E404', '##vso[task.setvariable variable=pwned]owned', 'line\r\n##[error]forged'] });
      const eusBefore = slot('rg-eus', 'contoso-web').kudu.deployments.length;
      const r = await runDeploy(emu, v1, work, { targets: 'rg-weu/contoso-web\nrg-neu/contoso-web\nrg-eus/contoso-web', package: 'app-v2.zip', deploymentMethod: 'zipDeploy' });
      assert.equal(r.effectiveResult, 'Failed', explain(r));
      assert.match(r.resultMessage ?? '', /rg-neu\/contoso-web/);
      assert.match(r.stdout, /npm ERR! code E404/);
      assert.equal(output(r, 'pwned'), undefined, 'a Kudu log line never becomes a pipeline command');
      assert.deepEqual(noCommandLines(r.stdout), []);
      assert.equal(slot('rg-eus', 'contoso-web').kudu.deployments.length, eusBefore, 'the third target is not started');
      assert.equal(versionOf('rg-weu', 'contoso-web'), 'v2');
      assert.equal(versionOf('rg-neu', 'contoso-web'), 'v1', 'the failed deployment left the previous version');
      assert.match(r.stdout, /New version on: rg-weu\/contoso-web\b/);
      assert.match(r.stdout, /Not on the new version: rg-neu\/contoso-web \(failed\), rg-eus\/contoso-web \(skipped\)/);
    });

    it('deploys with a Microsoft Entra token when basic publishing credentials are disabled', async () => {
      const before = emu.arm.countRequests('POST', /contoso-locked\/config\/publishingcredentials\/list/);
      const r = await runDeploy(emu, v1, work, { targets: 'rg-locked/contoso-locked', package: 'app-v1.zip', deploymentMethod: 'oneDeploy' });
      assert.equal(r.effectiveResult, 'Succeeded', explain(r));
      const [d] = slot('rg-locked', 'contoso-locked').kudu.deployments.slice(-1);
      assert.equal(d.auth, 'bearer');
      assert.equal(d.api, 'publish');
      assert.equal(versionOf('rg-locked', 'contoso-locked'), 'v1');
      assert.equal(emu.arm.countRequests('POST', /contoso-locked\/config\/publishingcredentials\/list/), before, 'no publishing credentials are read');
      assert.match(r.stdout, /Microsoft Entra token/);
    });

    it('auto: OneDeploy (clean) on Linux, Run From Package on Windows; a folder is zipped on the fly', async () => {
      const r = await runDeploy(emu, v1, work, { targets: 'rg-linux/contoso-api\nrg-eus/contoso-web', package: 'site' });
      assert.equal(r.effectiveResult, 'Succeeded', explain(r));
      const [linux] = slot('rg-linux', 'contoso-api').kudu.deployments.slice(-1);
      assert.deepEqual([linux.api, linux.type, linux.clean], ['publish', 'zip', true]);
      assert.deepEqual(linux.files, ['css/app.css', 'version.txt']);
      const [win] = slot('rg-eus', 'contoso-web').kudu.deployments.slice(-1);
      assert.deepEqual([win.api, win.runFromPackage], ['zipdeploy', true]);
      assert.equal(slot('rg-eus', 'contoso-web').appSettings.WEBSITE_RUN_FROM_PACKAGE, '1');
      assert.equal(versionOf('rg-eus', 'contoso-web'), 'folder-1');
    });

    it('waits out a deployment already in progress (409) and rides out Kudu gateway errors', async () => {
      const kudu = slot('rg-eus', 'contoso-web').kudu;
      const before = kudu.countRequests('POST', '/api/zipdeploy');
      kudu.occupy(2);
      kudu.faults.add({ method: 'POST', path: '/api/zipdeploy', status: 503, times: 1 });
      kudu.faults.add({ method: 'GET', path: '/api/deployments/latest', status: 500, times: 1 });
      const r = await runDeploy(emu, v1, work, { targets: 'rg-eus/contoso-web', package: 'app-v2.zip', deploymentMethod: 'zipDeploy' });
      assert.equal(r.effectiveResult, 'Succeeded', explain(r));
      assert.match(r.stdout, /another deployment is in progress/);
      assert.equal(kudu.countRequests('POST', '/api/zipdeploy') - before, 4, 'sent again after the 503 and the two 409s');
      assert.deepEqual(kudu.faults.pending, [], 'both faults were met (the 500 on a status poll was retried)');
      assert.equal(versionOf('rg-eus', 'contoso-web'), 'v2');
      assert.equal(slot('rg-eus', 'contoso-web').appSettings.WEBSITE_RUN_FROM_PACKAGE, undefined, 'Zip Deploy removes WEBSITE_RUN_FROM_PACKAGE=1');
    });

    it('fails cleanly on bad targets and on a package pattern matching two files, before any deployment', async () => {
      const count = web.specLog.length;
      const bad = await runDeploy(emu, v1, work, { targets: 'rg-weu/contoso-web\nrg-weu', package: 'app-v1.zip' });
      assert.equal(bad.effectiveResult, 'Failed');
      assert.match(bad.resultMessage ?? '', /Input 'targets': line 2: expected 'resourceGroup\/appName'/);
      const two = await runDeploy(emu, v1, work, { targets: 'rg-weu/contoso-web', package: 'app-*.zip' });
      assert.equal(two.effectiveResult, 'Failed');
      assert.match(two.resultMessage ?? '', /2 files or folders match, expected exactly one: app-v1\.zip, app-v2\.zip/);
      const missing = await runDeploy(emu, v1, work, { targets: 'rg-missing/contoso-web', package: 'app-v1.zip' });
      assert.equal(missing.effectiveResult, 'Failed');
      assert.match(missing.resultMessage ?? '', /rg-missing\/contoso-web/);
      assert.deepEqual(web.specLog.slice(count).filter((e) => e.method !== 'GET' && !/\/list$/.test(e.path)), [], 'nothing was written (reads only)');
    });
  });

  describe('v2', () => {
    it('parallel: three regions at once, each reported in output variables and the build summary', async () => {
      for (const rg of ['rg-weu', 'rg-neu', 'rg-eus']) slot(rg, 'contoso-web').kudu.buildMs = 2000;
      try {
        const r = await runDeploy(emu, v2, work, { targets: 'rg-weu/contoso-web\nrg-neu/contoso-web\nrg-eus/contoso-web', package: 'app-v1.zip', deploymentMethod: 'oneDeploy', strategy: 'parallel', maxParallel: '3' });
        assert.equal(r.effectiveResult, 'Succeeded', explain(r));
        const last = ['rg-weu', 'rg-neu', 'rg-eus'].map((rg) => slot(rg, 'contoso-web').kudu.deployments.slice(-1)[0]);
        assert.ok(Math.max(...last.map((d) => d.received)) < Math.min(...last.map((d) => d.done)), 'the three deployments overlap');
        assert.equal(output(r, 'deployedTargets'), 'rg-weu/contoso-web,rg-neu/contoso-web,rg-eus/contoso-web');
        assert.equal(output(r, 'rg_neu_contoso_web_result'), 'Succeeded');
        assert.equal(output(r, 'rg_neu_contoso_web_url'), `https://${slot('rg-neu', 'contoso-web').app.hostName}/`);
        const results = JSON.parse(output(r, 'deploymentResults') ?? '[]') as Array<{ region: string; result: string }>;
        assert.deepEqual(results.map((x) => [x.region, x.result]), [['westeurope', 'Succeeded'], ['northeurope', 'Succeeded'], ['eastus', 'Succeeded']]);
        assert.equal(r.summaries.length, 1);
        const md = fs.readFileSync(r.summaries[0], 'utf8');
        assert.match(md, /\| Region \| Resource group \| App \| Slot \| Result \| Duration \| URL \|/);
        assert.match(md, /\| northeurope \| rg-neu \| contoso-web \| production \| Succeeded \| \d+\.\d s \| https:\/\/127\.0\.0\.1:\d+\/ \|/);
      } finally {
        for (const rg of ['rg-weu', 'rg-neu', 'rg-eus']) slot(rg, 'contoso-web').kudu.buildMs = 40;
      }
    });

    it('rolling: the canary first, health-checked, then the rest', async () => {
      const r = await runDeploy(emu, v2, work, {
        targets: 'rg-neu/contoso-web\nrg-weu/contoso-web\nrg-eus/contoso-web',
        package: 'app-v2.zip',
        deploymentMethod: 'zipDeploy',
        strategy: 'rolling',
        healthCheckPath: '/healthz',
        healthCheckIntervalSeconds: '0',
      });
      assert.equal(r.effectiveResult, 'Succeeded', explain(r));
      const canary = slot('rg-neu', 'contoso-web');
      const canaryHealth = canary.app.findRequests('GET', '/healthz').slice(-1)[0];
      for (const rg of ['rg-weu', 'rg-eus']) {
        const d = slot(rg, 'contoso-web').kudu.deployments.slice(-1)[0];
        assert.ok(d.received > canaryHealth.time, `${rg} starts after the canary was found healthy`);
        assert.equal(versionOf(rg, 'contoso-web'), 'v2');
      }
    });

    it('rolling: an unhealthy canary stops the rollout', async () => {
      web.health = (s) => (s.site.resourceGroup === 'rg-weu' && s.content?.version === 'v1' ? 503 : 200);
      const before = ['rg-neu', 'rg-eus'].map((rg) => slot(rg, 'contoso-web').kudu.deployments.length);
      const r = await runDeploy(emu, v2, work, {
        targets: 'rg-weu/contoso-web\nrg-neu/contoso-web\nrg-eus/contoso-web',
        package: 'app-v1.zip',
        deploymentMethod: 'zipDeploy',
        strategy: 'rolling',
        healthCheckPath: '/healthz',
        healthCheckRetries: '2',
        healthCheckIntervalSeconds: '0',
      });
      assert.equal(r.effectiveResult, 'Failed', explain(r));
      assert.match(r.resultMessage ?? '', /rg-weu\/contoso-web: deployed, but not healthy: HTTP 503/);
      assert.equal(slot('rg-weu', 'contoso-web').app.countRequests('GET', '/healthz') >= 3, true);
      assert.deepEqual(['rg-neu', 'rg-eus'].map((rg) => slot(rg, 'contoso-web').kudu.deployments.length), before, 'no other region was touched');
      assert.equal(output(r, 'rg_neu_contoso_web_result'), 'Skipped');
      assert.equal(output(r, 'failedTargets'), 'rg-weu/contoso-web,rg-neu/contoso-web,rg-eus/contoso-web');
    });

    it('slot: deploys to staging, swaps with preview once healthy; production runs the new version', async () => {
      await runDeploy(emu, v1, work, { targets: 'rg-weu/contoso-web', package: 'app-v1.zip', deploymentMethod: 'zipDeploy' });
      const swaps = web.swaps.length;
      const r = await runDeploy(emu, v2, work, {
        targets: 'rg-weu/contoso-web/staging',
        package: 'app-v2.zip',
        deploymentMethod: 'oneDeploy',
        healthCheckPath: '/healthz',
        healthCheckIntervalSeconds: '0',
        swapAfterDeploy: 'true',
        swapWithPreview: 'true',
      });
      assert.equal(r.effectiveResult, 'Succeeded', explain(r));
      assert.equal(versionOf('rg-weu', 'contoso-web'), 'v2');
      assert.equal(versionOf('rg-weu', 'contoso-web', 'staging'), 'v1', 'the previous version waits in the slot');
      assert.equal(web.swaps.length, swaps + 1);
      assert.ok(emu.arm.countRequests('POST', /slots\/staging\/applySlotConfig$/) >= 1, 'swap with preview applied production settings first');
      assert.equal(output(r, 'rg_weu_contoso_web_staging_url'), `https://${slot('rg-weu', 'contoso-web').app.hostName}/`);
    });

    it('slot: swaps back when production is unhealthy after the swap', async () => {
      await runDeploy(emu, v1, work, { targets: 'rg-neu/contoso-web', package: 'app-v1.zip', deploymentMethod: 'zipDeploy' });
      web.health = (s) => (s.site.resourceGroup === 'rg-neu' && s.name === 'production' && s.content?.version === 'v2' ? 500 : 200);
      const swaps = web.swaps.length;
      const r = await runDeploy(emu, v2, work, {
        targets: 'rg-neu/contoso-web/staging',
        package: 'app-v2.zip',
        deploymentMethod: 'zipDeploy',
        healthCheckPath: '/healthz',
        healthCheckRetries: '1',
        healthCheckIntervalSeconds: '0',
        swapAfterDeploy: 'true',
      });
      assert.equal(r.effectiveResult, 'Failed', explain(r));
      assert.equal(web.swaps.length, swaps + 2, 'swapped, then swapped back');
      assert.equal(versionOf('rg-neu', 'contoso-web'), 'v1', 'production runs the previous version again');
      assert.equal(output(r, 'rg_neu_contoso_web_staging_result'), 'SwappedBack');
      assert.match(r.resultMessage ?? '', /swapped back/);
    });

    it('app settings as a patch: read, changed, written back; secret values never logged', async () => {
      const secretValue = 'Sup3r-Secret-Db-Pa55';
      const r = await runDeploy(
        emu,
        v2,
        work,
        { targets: 'rg-weu/contoso-web\nrg-weu/contoso-web/staging', package: 'app-v2.zip', deploymentMethod: 'zipDeploy', appSettings: `Db__Password = ${secretValue}\nFEATURE_X = true`, removeAppSettings: 'OLD_FLAG' },
        { secrets: { dbPassword: secretValue }, variables: { 'System.Debug': 'true' } },
      );
      assert.equal(r.effectiveResult, 'Succeeded', explain(r));
      const prod = slot('rg-weu', 'contoso-web').appSettings;
      assert.equal(prod.Db__Password, secretValue);
      assert.equal(prod.FEATURE_X, 'true');
      assert.equal(prod.KEEP_ME, 'yes', 'settings not named stay');
      assert.equal(prod.OLD_FLAG, undefined);
      assert.equal(slot('rg-weu', 'contoso-web', 'staging').appSettings.Db__Password, secretValue);
      const leaks = `${r.stdout}\n${r.stderr}`.split(/\r?\n/).filter((l) => l.includes(secretValue) && !l.startsWith('##vso[task.setsecret]'));
      assert.deepEqual(leaks, [], 'the secret value is in no log line (only registered as a secret)');
      assert.ok(r.secrets.includes(secretValue), 'the value is registered with the agent');
      assert.match(r.stdout, /app settings updated \(set Db__Password, FEATURE_X; removed OLD_FLAG\)/);
      const siteWrite = web.specLog.filter((e) => e.operationId === 'WebApps_UpdateApplicationSettings').slice(-1)[0];
      assert.equal(siteWrite.status, 202, 'the site write is a long-running operation, followed to its end');
    });

    it('runs on the Node 24 handler runtime, signed in with workload identity federation', async function () {
      this.timeout(300_000); // the first run on a machine fetches Node 24 from the npm registry
      const id = '0d7a1c3e-5f2b-4e6d-8a9c-1b2c3d4e5f24';
      const env = azureRmConnectionEnv(emu, { scheme: 'WorkloadIdentityFederation' }, { id, tenantId: TENANT, clientId: 'c0c0c0c0-0000-4000-8000-00000000b024', subscriptionId: SUB });
      const r = await runTask({
        taskDir: v2,
        cwd: work,
        node: agentNode24(),
        inputs: { azureSubscription: id, targets: 'rg-weu/contoso-web\nrg-eus/contoso-web', package: 'app-v1.zip', deploymentMethod: 'oneDeploy', strategy: 'parallel' },
        env,
        timeoutMs: 120_000,
      });
      assert.equal(r.effectiveResult, 'Succeeded', explain(r));
      assert.equal(versionOf('rg-weu', 'contoso-web'), 'v1');
      assert.equal(versionOf('rg-eus', 'contoso-web'), 'v1');
      assert.ok(emu.entra.issuances.some((i) => i.method === 'federated' && i.clientId === 'c0c0c0c0-0000-4000-8000-00000000b024'), 'signed in with a federated assertion');
    });
  });
});
