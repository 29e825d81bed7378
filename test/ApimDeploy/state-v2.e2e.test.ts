/**
 * ApimDeploy v2 end to end: the bundled task (what the vsix ships) runs as the agent runs it against
 * the APIM emulator. The emulator's counters prove that an unchanged re-run and a dry run write
 * nothing, that prune stays in its scope and that a failure stops new writes.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleEntry } from '../../scripts/build';
import { runTask, type RunTaskResult } from '../../scripts/task-runner';
import { startEmulators, type Emulators } from '../emulators';
import { stopWatching, watchRequests } from './spec-watch';
import { MODEL, SECRET_VALUE, sampleState, spec } from './state/fixture';

const REPO = path.resolve(__dirname, '..', '..', '..');
const TENANT = '72f988bf-0000-4000-8000-00000000a201';
const SUB = '11111111-2222-4333-8444-55555555a201';
const CONN = '5b1d1f7e-8f3c-4d1a-9a55-0d6a2f4ca201';
const SECRET = 'apim-v2-spn-secret-4e1b';
const CLIENT = 'a1a1a1a1-0000-4000-8000-00000000a201';

describe('e2e: ApimDeploy v2 (bundled task, APIM emulator)', function () {
  this.timeout(180_000);
  let emu: Emulators;
  let taskDir: string;
  let work: string;

  before(async () => {
    taskDir = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-apim2-'));
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-apim2-work-'));
    const v2 = path.join(REPO, 'tasks', 'ApimDeploy', 'v2');
    fs.copyFileSync(path.join(v2, 'task.json'), path.join(taskDir, 'task.json'));
    const report = await bundleEntry(path.join(v2, 'index.ts'), path.join(taskDir, 'index.js'), { minify: false });
    assert.deepEqual(report.problems, []);
    emu = await startEmulators({ apim: true });
    emu.arm.addSubscription({ subscriptionId: SUB, tenantId: TENANT });
    emu.arm.addResourceGroup(SUB, 'rg-apim');
    emu.entra.registerClient({ tenantId: TENANT, clientId: CLIENT, secret: SECRET });
    // Every request the bundled v2 task sends is checked against the 2024-05-01 specification.
    watchRequests(emu.apim!, 'suite');
  });

  after(async () => {
    if (emu?.apim) stopWatching(emu.apim);
    await emu?.close();
    for (const d of [taskDir, work]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  /** A fresh service and state folder per test. */
  function setup(service: string, files: Record<string, string> = sampleState()): string {
    emu.apim!.addService(SUB, 'rg-apim', service);
    const folder = path.join(work, service);
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(folder, rel)), { recursive: true });
      fs.writeFileSync(path.join(folder, rel), text);
    }
    return service;
  }

  async function run(service: string, inputs: Record<string, string> = {}): Promise<RunTaskResult & { writes: number; summary: string }> {
    const before = emu.apim!.writeRequests;
    const r = await runTask({
      taskDir,
      cwd: work,
      inputs: { azureSubscription: CONN, resourceGroupName: 'rg-apim', serviceName: service, stateFolder: service, environmentFile: `${service}/environments.yaml`, environment: 'prod', ...inputs },
      endpoints: [
        {
          id: CONN,
          url: `${emu.arm.url}/`,
          scheme: 'ServicePrincipal',
          parameters: { tenantid: TENANT, serviceprincipalid: CLIENT, serviceprincipalkey: SECRET, authenticationType: 'spnKey' },
          data: { environment: 'AzureCloud', subscriptionId: SUB, activeDirectoryAuthority: `${emu.entra.url}/` },
        },
      ],
      certificates: { caInfo: emu.caFile },
      keepTempDir: true,
    });
    const summary = r.summaries[0] && fs.existsSync(r.summaries[0]) ? fs.readFileSync(r.summaries[0], 'utf8') : '';
    fs.rmSync(r.tempDir, { recursive: true, force: true });
    return { ...r, writes: emu.apim!.writeRequests - before, summary };
  }

  const ok = (r: RunTaskResult) => assert.equal(r.effectiveResult, 'Succeeded', `${r.resultMessage}\n${r.stdout}\n${r.stderr}`);
  const output = (r: RunTaskResult, name: string) => r.variables.find((v) => v.name === name)?.value;
  const svc = (name: string) => emu.apim!.service(name);

  it('first apply creates the declared state; the unchanged re-run and a dry run write nothing', async () => {
    const s = setup('apim-v2-first');
    const dry0 = await run(s, { dryRun: 'true' });
    ok(dry0);
    assert.equal(dry0.writes, 0);
    assert.equal(output(dry0, 'createCount'), '8');
    assert.match(dry0.summary, /dry run, nothing written/);

    const first = await run(s);
    ok(first);
    assert.ok(first.writes > 10, `${first.writes}`);
    assert.equal(output(first, 'writeCount'), String(first.writes));
    assert.deepEqual(Object.keys(svc(s).apis).sort(), ['orders', 'pets']);
    assert.equal(svc(s).apis.orders.revisions[1].properties.serviceUrl, 'https://orders.prod.contoso.com');
    assert.match(first.summary, /\| create \| product \| `starter` \|/);
    assert.ok(first.secrets.includes(SECRET_VALUE), 'the secret named value is registered with the agent');
    // The one place the value may appear is the command that registers it with the agent's masker.
    for (const line of [...first.stdout.split('\n').filter((l) => !l.startsWith('##vso[task.setsecret]')), first.summary]) assert.ok(!line.includes(SECRET_VALUE), line);

    const again = await run(s);
    ok(again);
    assert.equal(again.writes, 0);
    assert.equal(output(again, 'writeCount'), '0');
    assert.match(again.stdout, /Plan: 0 to create, 0 to update, 0 to delete, 8 unchanged/);

    const dry = await run(s, { environment: 'dev', dryRun: 'true' });
    ok(dry);
    assert.equal(dry.writes, 0);
    assert.equal(output(dry, 'updateCount'), '4');
    assert.match(dry.stdout, /~ update backend 'orders-backend': url/);
    assert.match(dry.summary, /\| update \| namedValue \| `env-name` \| value \|/);
  });

  it('prunes only the kinds and ids in the scope', async () => {
    const s = setup('apim-v2-prune');
    ok(await run(s));
    for (const id of ['legacy-1', 'keep-me']) {
      const r = await emu.apim!.invoke(s, 'PUT', `/apis/${id}`, { properties: { format: 'openapi', value: spec(id, ['x']), path: id } });
      assert.ok(r.status < 300, JSON.stringify(r.body));
    }
    await emu.apim!.invoke(s, 'PUT', '/backends/old-backend', { properties: { url: 'https://old.contoso.com', protocol: 'http' } });
    const r = await run(s, { prune: 'true', pruneScope: 'apis: legacy-*' });
    ok(r);
    assert.equal(output(r, 'deleteCount'), '1');
    assert.deepEqual(Object.keys(svc(s).apis).sort(), ['keep-me', 'orders', 'pets']);
    assert.ok(svc(s).backends['old-backend'], 'backends were not in the scope');
    assert.equal((await run(s, { prune: 'true', pruneScope: 'apis: legacy-*' })).writes, 0);
  });

  it('prunes version sets, groups, policy fragments and tags in the scope, after what used them; a dry run writes nothing; the rest is untouched', async () => {
    const s = setup('apim-v2-prune-kinds');
    ok(await run(s));
    const put = async (subPath: string, properties?: Record<string, unknown>) => {
      const r = await emu.apim!.invoke(s, 'PUT', subPath, properties ? { properties } : undefined);
      assert.ok(r.status < 300, `${subPath}: ${JSON.stringify(r.body)}`);
    };
    for (const id of ['vs-old', 'vs-gone', 'keep-set']) await put(`/apiVersionSets/${id}`, { displayName: id, versioningScheme: 'Segment' });
    await put('/apis/legacy-1', { format: 'openapi', value: spec('legacy', ['x']), path: 'legacy', displayName: 'legacy', apiVersion: 'v1', apiVersionSetId: '/apiVersionSets/vs-gone' });
    await put('/apis/keep-me', { format: 'openapi', value: spec('keep', ['x']), path: 'keep', displayName: 'keep' });
    for (const id of ['old-team', 'other-team']) await put(`/groups/${id}`, { displayName: id });
    const fragment = (id: string) => ({ format: 'rawxml', value: `<fragment><set-header name="x-f" exists-action="override"><value>${id}</value></set-header></fragment>` });
    for (const id of ['old-frag', 'legacy-frag', 'kept-frag']) await put(`/policyFragments/${id}`, fragment(id));
    const include = (id: string) => ({ format: 'rawxml', value: `<policies><inbound><base /><include-fragment fragment-id="${id}" /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>` });
    await put('/apis/legacy-1/policies/policy', include('legacy-frag'));
    await put('/apis/keep-me/policies/policy', include('kept-frag'));
    for (const id of ['old-tag', 'other-tag']) await put(`/tags/${id}`, { displayName: id });
    const scope = 'apis: legacy-*\nversionSets: vs-*\ngroups: old-*\npolicyFragments\ntags: old-*';

    const dry = await run(s, { prune: 'true', pruneScope: scope, dryRun: 'true' });
    ok(dry);
    assert.equal(dry.writes, 0);
    assert.equal(output(dry, 'deleteCount'), '7');
    for (const row of ['api \\| `legacy-1`', 'versionSet \\| `vs-gone`', 'versionSet \\| `vs-old`', 'group \\| `old-team`', 'policyFragment \\| `legacy-frag`', 'policyFragment \\| `old-frag`', 'tag \\| `old-tag`']) {
      assert.match(dry.summary, new RegExp(`\\| delete \\| ${row} \\|`), row);
    }
    assert.match(dry.stdout, /##vso\[task\.logissue type=warning[^\]]*\]Prune: policy fragment 'kept-frag' is kept: 'apis\/keep-me\/policies\/policy' still include\(s\) it/);

    // A slow API delete: the version set and the fragment it used must still wait for it.
    emu.arm.faults.add({ method: 'DELETE', path: `/service/${s}/apis/legacy-1`, delayMs: 300, times: 1 });
    try {
      const r = await run(s, { prune: 'true', pruneScope: scope, parallelism: '16' });
      ok(r);
    } finally {
      emu.arm.faults.clear();
    }
    const state = svc(s);
    assert.deepEqual(Object.keys(state.apis).sort(), ['keep-me', 'orders', 'pets']);
    assert.deepEqual(Object.keys(state.versionSets).sort(), ['keep-set']);
    assert.deepEqual(Object.keys(state.groups).sort(), ['administrators', 'developers', 'guests', 'other-team']);
    assert.deepEqual(Object.keys(state.policyFragments).sort(), ['kept-frag']);
    assert.ok(state.tags['other-tag'] && !state.tags['old-tag']);
    assert.ok(state.tags['srk-spec-orders'], 'definition fingerprints stay');
    assert.equal((await run(s, { prune: 'true', pruneScope: scope })).writes, 0);
  });

  it('tags products and operations: assigned once, unchanged re-run and dry runs write nothing, prune detaches only in its scope', async () => {
    const tagged = MODEL.replace('    operationPolicies: apis/orders-ops\n', '    operationPolicies: apis/orders-ops\n    operationTags:\n      listOrders: [read-only, public]\n').replace(
      '    groups: [developers]\n',
      '    groups: [developers]\n    tags: [gold]\n',
    );
    const s = setup('apim-v2-tags', { ...sampleState(), 'apim.yaml': tagged });
    const dry0 = await run(s, { dryRun: 'true' });
    ok(dry0);
    assert.equal(dry0.writes, 0);
    assert.match(dry0.summary, /\| create \| product \| `starter` \| product, apis, groups, tags, policy \|/);

    const first = await run(s);
    ok(first);
    assert.deepEqual([...svc(s).products.starter.tags], ['gold']);
    assert.deepEqual([...svc(s).apis.orders.revisions[1].operations.listorders.tags].sort(), ['public', 'read-only']);
    assert.match(first.stdout, /Tag product 'starter' with 'gold'/);
    assert.match(first.stdout, /Tag operation 'listOrders' of API 'orders' with 'read-only'/);
    const again = await run(s);
    ok(again);
    assert.equal(again.writes, 0);

    // Links the state does not declare: on starter, on an operation of orders, and on pets (outside the scope).
    for (const [method, subPath, body] of [
      ['PUT', '/tags/legacy', { properties: { displayName: 'legacy' } }],
      ['PUT', '/products/starter/tags/legacy'],
      ['PUT', '/apis/orders/operations/getOrder/tags/legacy'],
      ['PUT', '/apis/pets/operations/listPets/tags/legacy'],
    ] as const) {
      const r = await emu.apim!.invoke(s, method, subPath, body);
      assert.ok(r.status < 300, `${subPath}: ${JSON.stringify(r.body)}`);
    }
    const scope = 'productTags: starter\noperationTags: orders';
    const dry = await run(s, { prune: 'true', pruneScope: scope, dryRun: 'true' });
    ok(dry);
    assert.equal(dry.writes, 0);
    assert.equal(output(dry, 'updateCount'), '2');
    assert.match(dry.stdout, /~ update product 'starter': -tag legacy/);
    assert.match(dry.stdout, /~ update api 'orders': -tag legacy \(operation getOrder\)/);
    assert.match(dry.summary, /\| update \| api \| `orders` \| -tag legacy \(operation getOrder\) \|/);
    assert.ok(svc(s).products.starter.tags.includes('legacy'), 'the dry run detached nothing');

    const pruned = await run(s, { prune: 'true', pruneScope: scope });
    ok(pruned);
    assert.equal(pruned.writes, 2);
    assert.deepEqual([...svc(s).products.starter.tags], ['gold']);
    assert.deepEqual([...svc(s).apis.orders.revisions[1].operations.getorder.tags], []);
    assert.deepEqual([...svc(s).apis.orders.revisions[1].operations.listorders.tags].sort(), ['public', 'read-only']);
    assert.deepEqual([...svc(s).apis.pets.revisions[1].operations.listpets.tags], ['legacy'], 'pets is outside the scope');
    assert.ok(svc(s).tags.legacy, 'the tag itself is not in the scope');
    assert.equal((await run(s, { prune: 'true', pruneScope: scope })).writes, 0);
  });

  it('a failure mid-apply stops new writes and reports applied and not applied', async () => {
    const s = setup('apim-v2-fail');
    emu.arm.faults.add({ method: 'PUT', path: `/service/${s}/apis/pets`, status: 400, code: 'ValidationError', times: 1000 });
    try {
      const r = await run(s, { parallelism: '1' });
      assert.equal(r.effectiveResult, 'Failed', r.stdout);
      assert.match(r.resultMessage ?? '', /create api 'pets'.*Applied \d+ of \d+ change\(s\); not applied: .*create product 'starter'/);
      assert.match(r.stdout, /Not applied \(\d+\): .*create product 'starter'/);
      assert.equal(Object.keys(svc(s).products).filter((p) => p === 'starter').length, 0, 'nothing was written after the failure');
      assert.equal(svc(s).policy, undefined);
      assert.match(r.summary, /Stopped after a failure/);
    } finally {
      emu.arm.faults.clear();
    }
  });

  it('retireRevisions: planned in a dry run, applied after the release; a revision left online fails or warns (offlineCheck); delete converges', async () => {
    const s = setup('apim-v2-retire');
    ok(await run(s));
    const declare = (retire: string) =>
      fs.writeFileSync(path.join(work, s, 'apim.yaml'), `retireRevisions: ${retire}\n${MODEL.replace('    spec: apis/orders.yaml\n', '    spec: apis/orders.yaml\n    revision: 2\n')}`);
    declare('{ action: offline, keep: 1 }');
    const dry = await run(s, { dryRun: 'true' });
    ok(dry);
    assert.equal(dry.writes, 0);
    assert.match(dry.stdout, /~ update apiRevision 'orders;rev=1': take revision 1 offline \(keep 1\)/);
    assert.match(dry.summary, /\| update \| apiRevision \| `orders;rev=1` \| take revision 1 offline \(keep 1\) \|/);
    assert.equal(output(dry, 'updateCount'), '2');

    // The emulator, like a service may, ignores the read-only isOnline: the read-back fails the run by default.
    const failed = await run(s);
    assert.equal(failed.effectiveResult, 'Failed', failed.stdout);
    assert.match(failed.resultMessage ?? '', /update apiRevision 'orders;rev=1': Revision 1 of API 'orders' is still online after the request to take it offline/);
    assert.equal(svc(s).apis.orders.current, 2, 'the release before it was applied');
    const warned = await run(s, { offlineCheck: 'warn' });
    ok(warned);
    assert.equal(warned.writes, 1);
    assert.ok(warned.issues.some((i) => i.type === 'warning' && /Revision 1 of API 'orders' is still online/.test(i.message)), JSON.stringify(warned.issues));

    declare('{ action: delete, keep: 1 }');
    const deleted = await run(s);
    ok(deleted);
    assert.equal(output(deleted, 'deleteCount'), '1');
    assert.match(deleted.stdout, /- delete apiRevision 'orders;rev=1': delete revision 1 \(keep 1\)/);
    assert.deepEqual(Object.keys(svc(s).apis.orders.revisions), ['2']);
    assert.deepEqual(Object.keys(svc(s).apis.pets.revisions), ['1'], 'the default applies to pets, which has nothing beyond keep');
    const again = await run(s);
    ok(again);
    assert.equal(again.writes, 0);
  });

  it('declares subscriptions: created after their product, keys never printed, re-run and dry run write nothing, prune in scope only and never master', async () => {
    const subscriptions = (partnerState: string) => `subscriptions:
  partner-a:
    displayName: Partner A
    scope: { product: starter }
    state: ${partnerState}
  all-apis:
    displayName: All APIs
    scope: allApis
    state: active
    allowTracing: false
`;
    const s = setup('apim-v2-subscriptions', { ...sampleState(), 'apim.yaml': `${MODEL}${subscriptions('active')}` });
    const first = await run(s);
    ok(first);
    const subs = svc(s).subscriptions;
    assert.deepEqual(Object.keys(subs).sort(), ['all-apis', 'master', 'partner-a']);
    assert.equal(subs['partner-a'].properties.scope, '/products/starter');
    assert.equal(subs['partner-a'].properties.state, 'active');
    assert.match(first.stdout, /\+ create subscription 'partner-a': scope product 'starter', state active/);
    assert.match(first.summary, /\| create \| subscription \| `partner-a` \|/);
    const product = first.stdout.indexOf("Create product 'starter'");
    assert.ok(product >= 0 && product < first.stdout.indexOf("Create subscription 'partner-a'"), first.stdout);
    // The keys the service generated appear nowhere in what the task printed.
    const keys = Object.values(svc(s).subscriptions).flatMap((x) => [String(x.properties.primaryKey), String(x.properties.secondaryKey)]);
    assert.equal(keys.length, 6);
    const noKeys = (r: { stdout: string; stderr: string; summary: string }) => {
      for (const k of keys) assert.ok(![r.stdout, r.stderr, r.summary].some((t) => t.includes(k)), 'a subscription key was printed');
    };
    noKeys(first);
    const again = await run(s);
    ok(again);
    assert.equal(again.writes, 0);
    noKeys(again);

    fs.writeFileSync(path.join(work, s, 'apim.yaml'), `${MODEL}${subscriptions('suspended')}`);
    const dry = await run(s, { dryRun: 'true' });
    ok(dry);
    assert.equal(dry.writes, 0);
    assert.equal(output(dry, 'updateCount'), '1');
    assert.match(dry.stdout, /~ update subscription 'partner-a': state/);
    const updated = await run(s);
    ok(updated);
    assert.equal(updated.writes, 1);
    assert.equal(svc(s).subscriptions['partner-a'].properties.state, 'suspended');

    for (const id of ['legacy-1', 'other-1']) {
      const r = await emu.apim!.invoke(s, 'PUT', `/subscriptions/${id}`, { properties: { displayName: id, scope: '/apis/pets', state: 'active' } });
      assert.ok(r.status < 300, JSON.stringify(r.body));
    }
    const pruned = await run(s, { prune: 'true', pruneScope: 'subscriptions: legacy-*' });
    ok(pruned);
    assert.equal(output(pruned, 'deleteCount'), '1');
    assert.deepEqual(Object.keys(svc(s).subscriptions).sort(), ['all-apis', 'master', 'other-1', 'partner-a']);
    const all = await run(s, { prune: 'true', pruneScope: 'subscriptions' });
    ok(all);
    assert.deepEqual(Object.keys(svc(s).subscriptions).sort(), ['all-apis', 'master', 'partner-a'], 'master is never pruned');
    noKeys(pruned);
    noKeys(all);
    assert.equal((await run(s, { prune: 'true', pruneScope: 'subscriptions' })).writes, 0);
  });

  it('a bad model file fails naming file and line, writing nothing', async () => {
    const s = setup('apim-v2-bad', { ...sampleState(), 'apim.yaml': MODEL.replace('    path: pets', '    path: pets\n    serviceURL: https://x') });
    const r = await run(s);
    assert.equal(r.effectiveResult, 'Failed');
    assert.match(r.resultMessage ?? '', /apim-v2-bad[\\/]apim\.yaml:26: unknown key 'apis\.pets\.serviceURL'/);
    assert.equal(r.writes, 0);
  });
});
