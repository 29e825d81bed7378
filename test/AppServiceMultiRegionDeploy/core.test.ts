import * as assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { AxiosInstance, AxiosRequestConfig } from 'axios';
import { patchAppSettings } from '../../tasks/AppServiceMultiRegionDeploy/core/app-settings';
import { deployTarget, resolveMethod, checkMethodForPackage } from '../../tasks/AppServiceMultiRegionDeploy/core/deploy-target';
import { KuduClient } from '../../tasks/AppServiceMultiRegionDeploy/core/kudu';
import type { Target, TargetOutcome } from '../../tasks/AppServiceMultiRegionDeploy/core/model';
import type { Clock, CoreDeps, PackageSource, WebArm } from '../../tasks/AppServiceMultiRegionDeploy/core/ports';
import type { DeploySettings } from '../../tasks/AppServiceMultiRegionDeploy/core/model';
import { outputVariables, summaryMarkdown } from '../../tasks/AppServiceMultiRegionDeploy/core/report';
import { rollout } from '../../tasks/AppServiceMultiRegionDeploy/core/rollout';
import type { Logger } from '../../tasks/common/log/logger';

const t = (label: string): Target => {
  const [resourceGroup, app, slot] = label.split('/');
  return { resourceGroup, app, slot, label };
};

describe('AppServiceMultiRegionDeploy core', () => {
  describe('app settings patch', () => {
    it('sets and removes keys, keeps the rest, and reports names only', () => {
      const change = patchAppSettings({ KEEP: '1', old: 'x', Mode: 'dev' }, { set: new Map([['MODE', 'prod'], ['NEW', 'y']]), remove: ['OLD'] }, false, 'rg/web');
      assert.deepEqual(change?.next, { KEEP: '1', MODE: 'prod', NEW: 'y' });
      assert.deepEqual([change?.changed, change?.removed], [['MODE', 'NEW'], ['old']]);
    });

    it('writes nothing when nothing changes; manages WEBSITE_RUN_FROM_PACKAGE by method', () => {
      assert.equal(patchAppSettings({ A: '1' }, { set: new Map([['A', '1']]), remove: ['B'] }, false, 'x'), undefined);
      assert.deepEqual(patchAppSettings({}, undefined, true, 'x')?.next, { WEBSITE_RUN_FROM_PACKAGE: '1' });
      assert.deepEqual(patchAppSettings({ WEBSITE_RUN_FROM_PACKAGE: '1', A: 'a' }, undefined, false, 'x')?.next, { A: 'a' });
      assert.throws(() => patchAppSettings({ WEBSITE_RUN_FROM_PACKAGE: 'https://blob/app.zip' }, undefined, true, 'rg/web'), /rg\/web runs from a package URL/);
    });
  });

  it('auto picks OneDeploy on Linux and for jar/war, Run From Package on Windows; zip methods refuse jar/war', () => {
    const site = (kind: string) => ({ kind, location: 'x', defaultHostName: 'h', scmHostName: 's' });
    assert.equal(resolveMethod('auto', 'zip', site('app,linux')), 'oneDeploy');
    assert.equal(resolveMethod('auto', 'war', site('app')), 'oneDeploy');
    assert.equal(resolveMethod('auto', 'folder', site('app')), 'runFromPackage');
    assert.equal(resolveMethod('zipDeploy', 'zip', site('app,linux')), 'zipDeploy');
    assert.throws(() => checkMethodForPackage('zipDeploy', 'jar'), /a \.jar package needs oneDeploy/);
  });

  describe('rollout', () => {
    const outcome = (target: Target, ok: boolean): TargetOutcome => ({ target, result: ok ? 'Succeeded' : 'Failed', deployed: ok, durationMs: 1 });
    const targets = ['a/x', 'b/x', 'c/x', 'd/x'].map(t);

    it('rolling: a failed canary skips everything else', async () => {
      const started: string[] = [];
      const r = await rollout(targets, { strategy: 'rolling', maxParallel: 2, continueOnTargetFailure: true }, async (x) => {
        started.push(x.label);
        return outcome(x, false);
      });
      assert.deepEqual(started, ['a/x']);
      assert.deepEqual(r.map((o) => o.result), ['Failed', 'Skipped', 'Skipped', 'Skipped']);
    });

    it('parallel is bounded, and stops starting targets after a failure unless told to continue', async () => {
      let running = 0;
      let peak = 0;
      const run = (failOn: string) => async (x: Target) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((res) => setTimeout(res, 10));
        running--;
        return outcome(x, x.label !== failOn);
      };
      const stopped = await rollout(targets, { strategy: 'parallel', maxParallel: 2, continueOnTargetFailure: false }, run('a/x'));
      assert.equal(peak, 2);
      assert.deepEqual(stopped.map((o) => o.result), ['Failed', 'Succeeded', 'Skipped', 'Skipped']);
      const all = await rollout(targets, { strategy: 'parallel', maxParallel: 3, continueOnTargetFailure: true }, run('a/x'));
      assert.deepEqual(all.map((o) => o.result), ['Failed', 'Succeeded', 'Succeeded', 'Succeeded']);
    });
  });

  it('reports: variable names from labels, a table no name can break', () => {
    const o: TargetOutcome = { target: t('rg-1/web|x/blue'), result: 'Failed', deployed: false, durationMs: 1234, region: 'westeurope', message: 'bad\nthing | <b>' };
    const vars = outputVariables([o]);
    assert.ok(vars.some((v) => v.name === 'rg_1_web_x_blue_result' && v.value === 'Failed'));
    const md = summaryMarkdown([o]);
    assert.equal(md.trim().split('\n').length, 5);
    assert.match(md, /\| westeurope \| rg-1 \| web\\\|x \| blue \| Failed: bad thing \\\| &lt;b> \| 1\.2 s \| — \|/);
  });

  describe('one target: ARM round trips before the upload', () => {
    const settings = { method: 'oneDeploy', deploymentTimeoutMs: 60_000 } as DeploySettings;
    const pkg: PackageSource = { kind: 'zip', name: 'app.zip', size: 3, open: () => Readable.from([Buffer.from('zip')]) };
    /** A fake ARM whose reads answer one tick apart, recording which calls were out at once. */
    const fakeArm = (policy: () => Promise<boolean>) => {
      const events: string[] = [];
      const call = <T>(name: string, value: () => Promise<T>) => async () => {
        events.push(`start ${name}`);
        await new Promise((resolve) => setImmediate(resolve));
        const v = await value();
        events.push(`end ${name}`);
        return v;
      };
      const arm = {
        getSite: call('getSite', async () => ({ location: 'westeurope', kind: 'app,linux', defaultHostName: 'web.example', scmHostName: 'web.scm.example' })),
        listAppSettings: call('listAppSettings', async () => ({})),
        scmBasicAuthAllowed: call('scmBasicAuthAllowed', policy),
        publishingCredentials: call('publishingCredentials', async () => ({ userName: '$web', password: 'pub-pass-1' })),
      } as unknown as WebArm;
      return { arm, events };
    };
    const deps = (arm: WebArm, auth: string[]): CoreDeps => ({
      arm,
      http: {
        post: async (_url: string, _body: unknown, config?: AxiosRequestConfig) => {
          auth.push(String(config?.headers?.Authorization));
          return { status: 200, headers: {} };
        },
      } as unknown as AxiosInstance,
      probeHttp: {} as AxiosInstance,
      kuduToken: async () => 'entra-token-1',
      registerSecret: () => undefined,
      pkg,
      log: { debug() {}, info() {}, warning() {}, error() {} },
      clock: { now: () => 0, sleep: async () => undefined },
    });

    it('reads the SCM policy together with the app and its settings, then lists the credentials only when they are allowed', async () => {
      const { arm, events } = fakeArm(async () => true);
      const auth: string[] = [];
      const outcome = await deployTarget(t('rg/web'), settings, deps(arm, auth));
      assert.equal(outcome.result, 'Succeeded', outcome.message);
      assert.deepEqual(events.slice(0, 3).sort(), ['start getSite', 'start listAppSettings', 'start scmBasicAuthAllowed'], 'one wave of reads');
      assert.ok(events.indexOf('start publishingCredentials') > events.indexOf('end scmBasicAuthAllowed'));
      assert.deepEqual(auth, [`Basic ${Buffer.from('$web:pub-pass-1').toString('base64')}`]);
    });

    it('uses an Entra token, never listing the credentials, when the policy forbids them or cannot be read', async () => {
      for (const policy of [async () => false, async () => Promise.reject(new Error('403 AuthorizationFailed'))]) {
        const { arm, events } = fakeArm(policy);
        const auth: string[] = [];
        const outcome = await deployTarget(t('rg/web'), settings, deps(arm, auth));
        assert.equal(outcome.result, 'Succeeded', outcome.message);
        assert.ok(!events.includes('start publishingCredentials'));
        assert.deepEqual(auth, ['Bearer entra-token-1']);
      }
    });
  });

  describe('Kudu client', () => {
    const quiet: Logger = { debug() {}, info() {}, warning() {}, error() {} };
    const pkg: PackageSource = { kind: 'zip', name: 'app.zip', size: 3, open: () => Readable.from([Buffer.from('zip')]) };
    let now = 0;
    const clock: Clock = { now: () => now, sleep: async (ms) => void (now += ms) };
    const fakeHttp = (answer: (method: string, url: string, config?: AxiosRequestConfig) => { status: number; data?: unknown; headers?: Record<string, string> }) =>
      ({
        post: async (url: string, _body: unknown, config?: AxiosRequestConfig) => ({ headers: {}, ...answer('POST', url, config) }),
        get: async (url: string, config?: AxiosRequestConfig) => ({ headers: {}, ...answer('GET', url, config) }),
      }) as unknown as AxiosInstance;

    it('does not follow a status URL on another host with the credentials', async () => {
      const http = fakeHttp((m) => (m === 'POST' ? { status: 202, headers: { location: 'https://evil.example/api/deployments/latest' } } : { status: 200 }));
      const kudu = new KuduClient({ http, baseUrl: 'https://scm.example', authorization: async () => 'Basic x', log: quiet, clock, label: 'rg/web' });
      await assert.rejects(kudu.deploy('zipDeploy', pkg, now + 60_000), /named a status URL on another host \(https:\/\/evil\.example\); not following it/);
    });

    it('gives up at the deadline, saying Kudu may still finish', async () => {
      now = 0;
      const http = fakeHttp((m) => (m === 'POST' ? { status: 202, headers: { location: 'https://scm.example/api/deployments/latest' } } : { status: 202, data: { id: 'd1', status: 1 } }));
      const kudu = new KuduClient({ http, baseUrl: 'https://scm.example', authorization: async () => 'Basic x', log: quiet, clock, label: 'rg/web' });
      await assert.rejects(kudu.deploy('oneDeploy', pkg, 20_000), /Kudu deployment d1 to rg\/web did not finish in time \(last status Building\); Kudu may still complete it/);
      assert.ok(now <= 20_000);
    });

    it('explains a refused credential', async () => {
      const http = fakeHttp(() => ({ status: 401, data: 'Unauthorized' }));
      const kudu = new KuduClient({ http, baseUrl: 'https://scm.example', authorization: async () => 'Bearer t', log: quiet, clock, label: 'rg/web' });
      await assert.rejects(kudu.deploy('oneDeploy', pkg, now + 1000), /Kudu upload for rg\/web failed: HTTP 401: Kudu refused the credentials/);
    });
  });
});
