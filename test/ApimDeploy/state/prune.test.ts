/**
 * Prune of every declared kind against the APIM emulator in process: version sets, groups, policy
 * fragments, tags, tag links of APIs, product groups, operation policies and the global policy.
 * Each: planned per entity (dry run writes nothing), applied in an order the service accepts (the
 * emulator refuses what the service refuses), nothing outside the scope, unchanged re-run 0 writes.
 */
import * as assert from 'node:assert/strict';
import type { PruneRule } from '../../../tasks/ApimDeploy/core/state/model';
import { planLines } from '../../../tasks/ApimDeploy/core/state/render';
import { MODEL, policy, spec } from './fixture';
import { Harness, actions } from './harness';

const deletes = (o: Parameters<typeof actions>[0]) => actions(o).filter((a) => a.startsWith('delete'));

async function putApi(h: Harness, id: string, extra: Record<string, unknown> = {}): Promise<void> {
  const r = await h.emu.apim.invoke('svc', 'PUT', `/apis/${id}`, { properties: { format: 'openapi', value: spec(id, ['x']), path: id, displayName: id, ...extra } });
  assert.ok(r.status < 300, JSON.stringify(r.body));
}

const FRAGMENT = { format: 'rawxml', value: '<fragment><set-header name="x-f" exists-action="override"><value>1</value></set-header></fragment>' };

async function invoke(h: Harness, method: string, subPath: string, body?: unknown, headers?: Record<string, string>): Promise<void> {
  const r = await h.emu.apim.invoke('svc', method, subPath, body, headers);
  assert.ok(r.status < 300, `${method} ${subPath}: ${JSON.stringify(r.body)}`);
}

/** Applies the state, seeds what `seed` adds, then a dry run and a run with `scope`, and an unchanged re-run. */
async function pruneRun(h: Harness, scope: PruneRule[], seed: () => Promise<void>, o: { parallelism?: number } = {}) {
  assert.equal((await h.run()).failure, undefined);
  await seed();
  const dry = await h.run({ prune: scope, dryRun: true, ...o });
  assert.equal(dry.writeRequests, 0, 'a dry run writes nothing');
  const applied = await h.run({ prune: scope, ...o });
  assert.equal(applied.failure, undefined, applied.failure?.message);
  const again = await h.run({ prune: scope, ...o });
  assert.equal(again.writeRequests, 0, `an unchanged re-run writes nothing: ${actions(again).join(', ')}`);
  return { dry, applied, again };
}

describe('ApimDeploy v2: prune of every declared kind (APIM emulator in process)', function () {
  this.timeout(60_000);

  it('version sets: after the APIs that leave them; one an API still belongs to is kept with a warning', async () => {
    const h = new Harness();
    const scope: PruneRule[] = [{ kind: 'versionSet', pattern: '*' }, { kind: 'api', pattern: 'retired' }];
    const { dry, applied } = await pruneRun(
      h,
      scope,
      async () => {
        for (const id of ['vs-old', 'vs-used', 'vs-gone']) await h.seed(`/apiVersionSets/${id}`, { displayName: id, versioningScheme: 'Segment' });
        await putApi(h, 'legacy', { apiVersion: 'v1', apiVersionSetId: `/apiVersionSets/vs-used` });
        await putApi(h, 'retired', { apiVersion: 'v1', apiVersionSetId: `/apiVersionSets/vs-gone` });
        // A slow API delete: the version set's delete must still wait for it.
        h.emu.arm.faults.add({ method: 'DELETE', path: /\/apis\/retired$/, delayMs: 150, times: 1 });
      },
      { parallelism: 8 },
    );
    assert.deepEqual(deletes(dry), ['delete api retired', 'delete versionSet vs-gone', 'delete versionSet vs-old']);
    assert.match(dry.summary, /\| delete \| versionSet \| `vs-gone` \|/);
    assert.match(dry.summary, /version set 'vs-used' is kept: API\(s\) 'legacy' still belong to it/);
    assert.ok(h.log.lines.some((l) => /^warning: Prune: version set 'vs-used' is kept/.test(l)), h.log.lines.join('\n'));
    assert.deepEqual(deletes(applied), deletes(dry));
    assert.deepEqual(Object.keys(h.state.versionSets).sort(), ['vs-used']);
    assert.ok(h.state.apis.legacy, 'an API outside the scope stays');
    // The emulator refuses what the service refuses: a version set an API still belongs to.
    await assert.rejects(h.gateway.deleteVersionSet('vs-used', '*'), /Version set 'vs-used' cannot be deleted: API\(s\) 'legacy' belong to it/);
  });

  it('version sets: only ids that match the pattern', async () => {
    const h = new Harness();
    const { applied } = await pruneRun(h, [{ kind: 'versionSet', pattern: 'team-a-*' }], async () => {
      for (const id of ['team-a-old', 'team-b-old']) await h.seed(`/apiVersionSets/${id}`, { displayName: id, versioningScheme: 'Segment' });
    });
    assert.deepEqual(deletes(applied), ['delete versionSet team-a-old']);
    assert.deepEqual(Object.keys(h.state.versionSets), ['team-b-old']);
  });

  it('groups: never a built-in one; a group a declared product gives access to is kept', async () => {
    const h = new Harness();
    h.files['apim.yaml'] = MODEL.replace('groups: [developers]', 'groups: [developers, partners]');
    await h.seed('/groups/partners', { displayName: 'Partners' });
    const { dry } = await pruneRun(h, [{ kind: 'group', pattern: '*' }], () => h.seed('/groups/old-team', { displayName: 'Old team' }));
    assert.deepEqual(deletes(dry), ['delete group old-team']);
    assert.match(dry.summary, /group 'partners' is kept: product\(s\) 'starter' give it access/);
    assert.deepEqual(Object.keys(h.state.groups).sort(), ['administrators', 'developers', 'guests', 'partners']);
    // The emulator refuses what the service refuses: deleting a built-in (type system) group.
    await assert.rejects(h.gateway.deleteGroup('guests', '*'), /Built-in group 'guests' cannot be deleted/);
    assert.equal(h.state.groups.guests?.properties.type, 'system');
  });

  it('groups: a Consumption service has none, so the scope prunes nothing there', async () => {
    const h = new Harness({ sku: 'Consumption' });
    h.files['apim.yaml'] = MODEL.replace('    groups: [developers]\n', '');
    await assert.rejects(h.gateway.listGroups(), /MethodNotAllowedInPricingTier/, 'the emulator refuses groups on Consumption, as the service does');
    const r = await h.run({ prune: [{ kind: 'group', pattern: '*' }] });
    assert.equal(r.failure, undefined, r.failure?.message);
    assert.deepEqual(deletes(r), []);
  });

  it('policy fragments: after the policies that stop including them; one a policy outside the run still includes is kept', async () => {
    const h = new Harness();
    const fragment = (text: string) => ({ format: 'rawxml', value: `<fragment><set-header name="x-f" exists-action="override"><value>${text}</value></set-header></fragment>` });
    const { dry, applied } = await pruneRun(
      h,
      [{ kind: 'policyFragment', pattern: '*' }],
      async () => {
        for (const id of ['old-frag', 'used-frag', 'moving-frag']) await h.seed(`/policyFragments/${id}`, fragment(id));
        await putApi(h, 'legacy');
        await invoke(h, 'PUT', '/apis/legacy/policies/policy', { properties: { format: 'rawxml', value: policy('<include-fragment fragment-id="used-frag" />') } });
        // The declared API's policy includes a fragment the state no longer has: the run rewrites it first.
        await invoke(h, 'PUT', '/apis/orders/policies/policy', { properties: { format: 'rawxml', value: policy('<include-fragment fragment-id="moving-frag" />') } });
        // A slow policy write: the fragment's delete must still wait for it.
        h.emu.arm.faults.add({ method: 'PUT', path: /\/apis\/orders\/policies\/policy$/, delayMs: 150, times: 1 });
      },
      { parallelism: 8 },
    );
    assert.deepEqual(deletes(dry), ['delete policyFragment moving-frag', 'delete policyFragment old-frag']);
    assert.ok(actions(dry).includes('update api orders: policy'), actions(dry).join('\n'));
    assert.match(dry.summary, /policy fragment 'used-frag' is kept: 'apis\/legacy\/policies\/policy' still include\(s\) it/);
    assert.deepEqual(deletes(applied), deletes(dry));
    assert.deepEqual(Object.keys(h.state.policyFragments), ['used-frag']);
    // The emulator refuses what the service refuses: a fragment a policy still includes.
    await assert.rejects(h.gateway.deletePolicyFragment('used-frag', '*'), /Policy fragment 'used-frag' cannot be deleted: it is included by 1 policy/);
    assert.deepEqual(await h.gateway.listPolicyFragmentReferences('used-frag'), [`${h.emu.state().id}/apis/legacy/policies/policy`]);
  });

  it('policy fragments: one only an undeclared operation policy includes goes after that policy (both kinds in the scope)', async () => {
    const h = new Harness();
    const scope: PruneRule[] = [{ kind: 'policyFragment', pattern: '*' }, { kind: 'apiOperationPolicy', pattern: 'orders' }];
    const { dry } = await pruneRun(
      h,
      scope,
      async () => {
        await h.seed('/policyFragments/op-frag', { format: 'rawxml', value: '<fragment><set-header name="x-f" exists-action="override"><value>1</value></set-header></fragment>' });
        await invoke(h, 'PUT', '/apis/orders/operations/getOrder/policies/policy', { properties: { format: 'rawxml', value: policy('<include-fragment fragment-id="op-frag" />') } });
        h.emu.arm.faults.add({ method: 'DELETE', path: /\/operations\/getOrder\/policies\/policy$/, delayMs: 150, times: 1 });
      },
      { parallelism: 8 },
    );
    assert.deepEqual(deletes(dry), ['delete apiOperationPolicy orders/getOrder', 'delete policyFragment op-frag']);
    assert.deepEqual(h.state.policyFragments, {});
    // Only the fragment in the scope: the operation policy stays, so the fragment is kept.
    const h2 = new Harness();
    const only = await pruneRun(h2, [{ kind: 'policyFragment', pattern: '*' }], async () => {
      await h2.seed('/policyFragments/op-frag', { format: 'rawxml', value: '<fragment><set-header name="x-f" exists-action="override"><value>1</value></set-header></fragment>' });
      await invoke(h2, 'PUT', '/apis/orders/operations/getOrder/policies/policy', { properties: { format: 'rawxml', value: policy('<include-fragment fragment-id="op-frag" />') } });
    });
    assert.deepEqual(deletes(only.dry), []);
    assert.match(only.dry.summary, /policy fragment 'op-frag' is kept: 'apis\/orders\/operations\/getOrder\/policies\/policy' still include\(s\) it/);
  });

  it('tags: undeclared ones go (and leave the APIs they were on); declared tags and definition fingerprints stay', async () => {
    const h = new Harness();
    const { dry } = await pruneRun(h, [{ kind: 'tag', pattern: '*' }], async () => {
      for (const id of ['old-tag', 'stale']) await h.seed(`/tags/${id}`, { displayName: id });
      await invoke(h, 'PUT', '/apis/pets/tags/stale');
    });
    assert.deepEqual(deletes(dry), ['delete tag old-tag', 'delete tag stale']);
    assert.deepEqual(Object.keys(h.state.tags).sort(), ['public', 'srk-spec-orders', 'srk-spec-pets']);
    assert.deepEqual([...h.state.apis.pets.tags].sort(), ['public', 'srk-spec-pets']);
  });

  it('tag links (apiTags): detached from the declared APIs in scope only; the tag itself stays', async () => {
    const h = new Harness();
    const { dry } = await pruneRun(h, [{ kind: 'apiTag', pattern: 'pets' }], async () => {
      await h.seed('/tags/stale', { displayName: 'stale' });
      await invoke(h, 'PUT', '/apis/pets/tags/stale');
      await invoke(h, 'PUT', '/apis/orders/tags/stale');
    });
    assert.deepEqual(actions(dry).filter((a) => a.startsWith('update')), ['update api pets: -tag stale']);
    assert.deepEqual([...h.state.apis.pets.tags].sort(), ['public', 'srk-spec-pets']);
    assert.ok(h.state.apis.orders.tags.includes('stale'), 'an API outside the scope keeps its tags');
    assert.ok(h.state.tags.stale);
  });

  const OP_TAGS = '    operationPolicies: apis/orders-ops\n    operationTags:\n      listOrders: [read-only]\n';
  const tagged = (productTags: string) => MODEL.replace('    operationPolicies: apis/orders-ops\n', OP_TAGS).replace('    groups: [developers]\n', `    groups: [developers]\n    tags: ${productTags}\n`);

  it('tag links of products (productTags): detached from the declared products in scope only; declared ones and the tag itself stay', async () => {
    const h = new Harness();
    h.files['apim.yaml'] = tagged('[gold]').replace('globalPolicy: global.xml', '  silver:\n    displayName: Silver\n    apis: [pets]\nglobalPolicy: global.xml');
    const { dry, applied } = await pruneRun(h, [{ kind: 'productTag', pattern: 'starter' }], async () => {
      await h.seed('/tags/stale', { displayName: 'Stale' });
      await invoke(h, 'PUT', '/products/starter/tags/stale');
      await invoke(h, 'PUT', '/products/silver/tags/stale');
    });
    assert.deepEqual(actions(dry).filter((a) => !a.startsWith('unchanged')), ['update product starter: -tag stale']);
    assert.match(dry.summary, /\| update \| product \| `starter` \| -tag stale \|/);
    assert.deepEqual(actions(applied).filter((a) => !a.startsWith('unchanged')), ['update product starter: -tag stale']);
    assert.deepEqual([...h.state.products.starter.tags], ['gold']);
    assert.deepEqual([...h.state.products.silver.tags], ['stale'], 'a product outside the scope keeps its tags');
    assert.ok(h.state.tags.stale, 'the tag itself is not in the scope');
  });

  it('tag links of operations (operationTags): detached from the operations of the declared APIs in scope only; declared ones stay', async () => {
    const h = new Harness();
    h.files['apim.yaml'] = tagged('[gold]');
    const { dry } = await pruneRun(h, [{ kind: 'operationTag', pattern: 'ord*' }], async () => {
      await h.seed('/tags/stale', { displayName: 'stale' });
      for (const at of ['/apis/orders/operations/listOrders', '/apis/orders/operations/getOrder', '/apis/pets/operations/listPets']) await invoke(h, 'PUT', `${at}/tags/stale`);
    });
    assert.deepEqual(actions(dry).filter((a) => !a.startsWith('unchanged')), ['update api orders: -tag stale (operation listOrders), -tag stale (operation getOrder)']);
    const ops = h.state.apis.orders.revisions[1].operations;
    assert.deepEqual([...ops.listorders.tags], ['read-only']);
    assert.deepEqual([...ops.getorder.tags], []);
    assert.deepEqual([...h.state.apis.pets.revisions[1].operations.listpets.tags], ['stale'], 'an API outside the scope keeps its operation tags');
    assert.ok(h.state.tags.stale);
  });

  it('tag links of operations: read again after an import, so an operation the new definition drops is not detached (the service would refuse)', async () => {
    const h = new Harness();
    h.files['apim.yaml'] = tagged('[gold]');
    await h.run();
    await h.seed('/tags/stale', { displayName: 'stale' });
    await invoke(h, 'PUT', '/apis/orders/operations/getOrder/tags/stale');
    h.files['apis/orders.yaml'] = spec('Orders', ['listOrders']);
    const scope: PruneRule[] = [{ kind: 'operationTag', pattern: 'orders' }];
    const dry = await h.run({ prune: scope, dryRun: true });
    assert.deepEqual(actions(dry).filter((a) => a.startsWith('update')), ['update api orders: definition, -tag stale (operation getOrder)']);
    const r = await h.run({ prune: scope });
    assert.equal(r.failure, undefined, r.failure?.message);
    assert.deepEqual(Object.keys(h.state.apis.orders.revisions[1].operations), ['listorders']);
    assert.ok(!h.log.lines.some((l) => /Remove tag 'stale'/.test(l)), h.log.lines.join('\n'));
    assert.equal((await h.run({ prune: scope })).writeRequests, 0);
  });

  it('tags with the link kinds: a tag only undeclared links use is detached, then deleted; tags only a product or operation declares stay', async () => {
    const h = new Harness();
    h.files['apim.yaml'] = tagged('[gold]');
    const scope: PruneRule[] = [{ kind: 'tag', pattern: '*' }, { kind: 'productTag', pattern: '*' }, { kind: 'operationTag', pattern: '*' }];
    assert.equal((await h.run()).failure, undefined);
    await h.seed('/tags/stale', { displayName: 'stale' });
    await invoke(h, 'PUT', '/products/starter/tags/stale');
    await invoke(h, 'PUT', '/apis/orders/operations/listOrders/tags/stale');
    const dry = await h.run({ prune: scope, dryRun: true, parallelism: 8 });
    assert.equal(dry.writeRequests, 0);
    const planned = ['delete tag stale', 'update api orders: -tag stale (operation listOrders)', 'update product starter: -tag stale'];
    assert.deepEqual(actions(dry).filter((a) => !a.startsWith('unchanged')), planned);
    const applied = await h.run({ prune: scope, parallelism: 8 });
    assert.equal(applied.failure, undefined, applied.failure?.message);
    assert.deepEqual(Object.keys(h.state.tags).sort(), ['gold', 'public', 'read-only', 'srk-spec-orders', 'srk-spec-pets']);
    // The tag goes after the detaches (a detach after the tag is gone could be refused).
    const at = (re: RegExp) => h.log.lines.findIndex((l) => re.test(l));
    const deleted = at(/Delete tag 'stale' \(prune\)/);
    assert.ok(deleted > at(/Remove tag 'stale' from product 'starter'/) && deleted > at(/Remove tag 'stale' from operation 'listOrders'/), h.log.lines.join('\n'));
    assert.ok(at(/Remove tag 'stale' from product 'starter'/) >= 0 && at(/Remove tag 'stale' from operation 'listOrders'/) >= 0);
    assert.equal((await h.run({ prune: scope })).writeRequests, 0);
  });

  it('product groups: groups a declared product does not list are removed, also the administrators a new product gets', async () => {
    const h = new Harness();
    h.files['apim.yaml'] = MODEL.replace('globalPolicy: global.xml', '  gold:\n    displayName: Gold\n    apis: [orders]\n    groups: [guests]\nglobalPolicy: global.xml');
    const scope: PruneRule[] = [{ kind: 'productGroup', pattern: '*' }];
    // First run with the scope: gold is created (the service adds administrators) and cleaned at once.
    const first = await h.run({ prune: scope });
    assert.equal(first.failure, undefined, first.failure?.message);
    assert.deepEqual([...h.state.products.gold.groups], ['guests']);
    assert.deepEqual([...h.state.products.starter.groups], ['developers']);
    assert.equal((await h.run({ prune: scope })).writeRequests, 0);
    await invoke(h, 'PUT', '/products/starter/groups/guests');
    const dry = await h.run({ prune: [{ kind: 'productGroup', pattern: 'gold' }], dryRun: true });
    assert.deepEqual(actions(dry).filter((a) => a.startsWith('update')), [], 'starter is outside the scope');
    const r = await h.run({ prune: scope });
    assert.deepEqual(actions(r).filter((a) => a.startsWith('update')), ['update product starter: -group guests']);
    assert.deepEqual([...h.state.products.starter.groups], ['developers']);
  });

  it('operation policies (apiOperationPolicies): ones a declared API does not declare are deleted; other APIs are untouched', async () => {
    const h = new Harness();
    const { dry } = await pruneRun(h, [{ kind: 'apiOperationPolicy', pattern: 'orders' }], async () => {
      await invoke(h, 'PUT', '/apis/orders/operations/getOrder/policies/policy', { properties: { format: 'rawxml', value: policy('<set-header name="x-old" exists-action="override"><value>1</value></set-header>') } });
      await invoke(h, 'PUT', '/apis/pets/operations/listPets/policies/policy', { properties: { format: 'rawxml', value: policy('<set-header name="x-pets" exists-action="override"><value>1</value></set-header>') } });
    });
    assert.deepEqual(deletes(dry), ['delete apiOperationPolicy orders/getOrder']);
    assert.match(dry.summary, /\| delete \| apiOperationPolicy \| `orders\/getOrder` \|/);
    const ops = h.state.apis.orders.revisions[1].operations;
    assert.equal(ops.getorder.policy, undefined);
    assert.match(String(ops.listorders.policy?.xml), /x-op/, 'the declared operation policy stays');
    assert.ok(h.state.apis.pets.revisions[1].operations.listpets.policy, 'outside the scope');
  });

  it('API policies (apiPolicies): the policy of a declared API that declares none goes, before a fragment it includes; other APIs are untouched', async () => {
    const h = new Harness();
    const scope: PruneRule[] = [{ kind: 'apiPolicy', pattern: '*' }, { kind: 'policyFragment', pattern: '*' }];
    const { dry, applied } = await pruneRun(
      h,
      scope,
      async () => {
        await h.seed('/policyFragments/api-frag', FRAGMENT);
        await invoke(h, 'PUT', '/apis/pets/policies/policy', { properties: { format: 'rawxml', value: policy('<include-fragment fragment-id="api-frag" />') } });
        await putApi(h, 'legacy');
        await invoke(h, 'PUT', '/apis/legacy/policies/policy', { properties: { format: 'rawxml', value: policy('<set-header name="x-legacy" exists-action="override"><value>1</value></set-header>') } });
        // A slow policy delete: the fragment's delete must still wait for it.
        h.emu.arm.faults.add({ method: 'DELETE', path: /\/apis\/pets\/policies\/policy$/, delayMs: 150, times: 1 });
      },
      { parallelism: 8 },
    );
    assert.deepEqual(deletes(dry), ['delete apiPolicy pets', 'delete policyFragment api-frag']);
    assert.match(dry.summary, /\| delete \| apiPolicy \| `pets` \|/);
    assert.ok(planLines(dry.plan).includes("- delete apiPolicy 'pets'"), planLines(dry.plan).join('\n'));
    assert.deepEqual(deletes(applied), deletes(dry));
    assert.equal(h.state.apis.pets.revisions[1].policy, undefined);
    assert.deepEqual(h.state.policyFragments, {});
    assert.match(String(h.state.apis.orders.revisions[1].policy?.xml), /<policies>/, 'a declared API policy stays');
    assert.ok(h.state.apis.legacy.revisions[1].policy, 'an API the state does not declare is not in a link scope');
    // Out of the scope: the policy stays, and so does the fragment it includes.
    const h2 = new Harness();
    const only = await pruneRun(h2, [{ kind: 'apiPolicy', pattern: 'orders' }, { kind: 'policyFragment', pattern: '*' }], async () => {
      await h2.seed('/policyFragments/api-frag', FRAGMENT);
      await invoke(h2, 'PUT', '/apis/pets/policies/policy', { properties: { format: 'rawxml', value: policy('<include-fragment fragment-id="api-frag" />') } });
    });
    assert.deepEqual(deletes(only.dry), []);
    assert.match(only.dry.summary, /policy fragment 'api-frag' is kept: 'apis\/pets\/policies\/policy' still include\(s\) it/);
    assert.ok(h2.state.apis.pets.revisions[1].policy);
  });

  it('API policies (apiPolicies): with a new revision, the copied policy is deleted from it after its release', async () => {
    const h = new Harness();
    const { applied } = await pruneRun(h, [{ kind: 'apiPolicy', pattern: 'pets' }], async () => {
      await invoke(h, 'PUT', '/apis/pets/policies/policy', { properties: { format: 'rawxml', value: policy('<set-header name="x-old" exists-action="override"><value>1</value></set-header>') } });
      h.files['apim.yaml'] = MODEL.replace('    spec: apis/pets.yaml\n', '    spec: apis/pets.yaml\n    revision: 2\n');
    });
    assert.deepEqual(deletes(applied), ['delete apiPolicy pets']);
    assert.equal(h.state.apis.pets.revisions[2].policy, undefined, 'the new current revision holds no policy');
    assert.ok(h.state.apis.pets.revisions[1].policy, 'a non-current revision keeps its own');
  });

  it('product policies (productPolicies): the policy of a declared product that declares none goes, before a fragment it includes', async () => {
    const h = new Harness();
    h.files['apim.yaml'] = MODEL.replace('globalPolicy: global.xml', '  gold:\n    displayName: Gold\n    apis: [orders]\n  silver:\n    displayName: Silver\nglobalPolicy: global.xml');
    const scope: PruneRule[] = [{ kind: 'productPolicy', pattern: 'gold' }, { kind: 'policyFragment', pattern: 'prod-*' }];
    const { dry, applied } = await pruneRun(
      h,
      scope,
      async () => {
        await h.seed('/policyFragments/prod-frag', FRAGMENT);
        await invoke(h, 'PUT', '/products/gold/policies/policy', { properties: { format: 'rawxml', value: policy('<include-fragment fragment-id="prod-frag" />') } });
        await invoke(h, 'PUT', '/products/silver/policies/policy', { properties: { format: 'rawxml', value: policy('<set-header name="x-silver" exists-action="override"><value>1</value></set-header>') } });
        h.emu.arm.faults.add({ method: 'DELETE', path: /\/products\/gold\/policies\/policy$/, delayMs: 150, times: 1 });
      },
      { parallelism: 8 },
    );
    assert.deepEqual(deletes(dry), ['delete policyFragment prod-frag', 'delete productPolicy gold']);
    assert.match(dry.summary, /\| delete \| productPolicy \| `gold` \|/);
    assert.deepEqual(deletes(applied), deletes(dry));
    assert.equal(h.state.products.gold.policy, undefined);
    assert.deepEqual(h.state.policyFragments, {});
    assert.ok(h.state.products.silver.policy, 'silver is outside the scope');
    assert.ok(h.state.products.starter.policy, 'a declared product policy stays');
  });

  it('product groups on a Consumption service: nothing to prune (it has no groups), with a note instead of a failure', async () => {
    const h = new Harness({ sku: 'Consumption' });
    h.files['apim.yaml'] = MODEL.replace('    groups: [developers]\n', '').replace('globalPolicy: global.xml', '  gold:\n    displayName: Gold\nglobalPolicy: global.xml');
    // The emulator refuses what the service refuses: a product's groups on Consumption.
    assert.equal((await h.run()).failure, undefined);
    await assert.rejects(h.gateway.listProductGroups('starter'), /MethodNotAllowedInPricingTier/);
    // gold exists now; bronze is new (no administrators link to list or remove on this tier).
    h.files['apim.yaml'] = h.files['apim.yaml'].replace('globalPolicy: global.xml', '  bronze:\n    displayName: Bronze\nglobalPolicy: global.xml');
    const scope: PruneRule[] = [{ kind: 'productGroup', pattern: '*' }];
    const dry = await h.run({ prune: scope, dryRun: true });
    assert.equal(dry.failure, undefined, dry.failure?.message);
    assert.match(dry.summary, /product groups are not pruned: the service is on the Consumption tier, which has no groups/);
    assert.ok(h.log.lines.some((l) => /^warning: Prune: product groups are not pruned/.test(l)), h.log.lines.join('\n'));
    const r = await h.run({ prune: scope });
    assert.equal(r.failure, undefined, r.failure?.message);
    assert.deepEqual(actions(r).filter((a) => !a.startsWith('unchanged')), ['create product bronze']);
    assert.equal((await h.run({ prune: scope })).writeRequests, 0);
  });

  it('product groups: the plan of a new product shows the administrators link the service adds and the prune removes', async () => {
    const h = new Harness();
    assert.equal((await h.run()).failure, undefined);
    h.files['apim.yaml'] = MODEL.replace('globalPolicy: global.xml', '  gold:\n    displayName: Gold\n    groups: [guests]\nglobalPolicy: global.xml');
    const dry = await h.run({ prune: [{ kind: 'productGroup', pattern: 'gold' }], dryRun: true });
    assert.equal(dry.writeRequests, 0);
    const gold = dry.plan.changes.find((c) => c.kind === 'product' && c.id === 'gold');
    assert.deepEqual(gold?.differs, ['product', 'groups', '-group administrators (added by the service on create)']);
    assert.match(dry.summary, /\| create \| product \| `gold` \| product, groups, -group administrators \(added by the service on create\) \|/);
    // Declared, it stays; outside the scope, nothing is said about it.
    h.files['apim.yaml'] = h.files['apim.yaml'].replace('groups: [guests]', 'groups: [guests, administrators]');
    const declared = await h.run({ prune: [{ kind: 'productGroup', pattern: 'gold' }], dryRun: true });
    assert.deepEqual(declared.plan.changes.find((c) => c.id === 'gold')?.differs, ['product', 'groups']);
    h.files['apim.yaml'] = h.files['apim.yaml'].replace('groups: [guests, administrators]', 'groups: [guests]');
    const outside = await h.run({ prune: [{ kind: 'productGroup', pattern: 'starter' }], dryRun: true });
    assert.deepEqual(outside.plan.changes.find((c) => c.id === 'gold')?.differs, ['product', 'groups']);
    const applied = await h.run({ prune: [{ kind: 'productGroup', pattern: 'gold' }] });
    assert.equal(applied.failure, undefined, applied.failure?.message);
    assert.deepEqual([...h.state.products.gold.groups], ['guests']);
  });

  it('named values and backends: deleted after the removal of a policy that uses them, even a slow one', async () => {
    const h = new Harness();
    // When each delete starts and ends: the named value and backend deletes must start after the policy delete ended.
    const events: string[] = [];
    const inner = h.gateway;
    const timed =
      <A extends unknown[]>(name: string, fn: (...a: A) => Promise<void>) =>
      async (...a: A) => {
        events.push(`start ${name}`);
        await fn(...a);
        events.push(`end ${name}`);
      };
    h.gateway = {
      ...inner,
      resourceId: (r: string) => inner.resourceId(r),
      deletePolicy: timed('deletePolicy', (s) => inner.deletePolicy(s)),
      deleteNamedValue: timed('deleteNamedValue', (id, e) => inner.deleteNamedValue(id, e)),
      deleteBackend: timed('deleteBackend', (id, e) => inner.deleteBackend(id, e)),
    };
    const scope: PruneRule[] = [{ kind: 'namedValue', pattern: 'old-*' }, { kind: 'backend', pattern: 'old-*' }, { kind: 'apiOperationPolicy', pattern: 'orders' }];
    const { dry, applied } = await pruneRun(
      h,
      scope,
      async () => {
        await h.seed('/namedValues/old-nv', { displayName: 'old-nv', value: 'x' });
        await h.seed('/backends/old-be', { url: 'https://old.contoso.com', protocol: 'http' });
        const xml = policy('<set-header name="x-old" exists-action="override"><value>{{old-nv}}</value></set-header>\n    <set-backend-service backend-id="old-be" />');
        await invoke(h, 'PUT', '/apis/orders/operations/getOrder/policies/policy', { properties: { format: 'rawxml', value: xml } });
        // A slow policy delete: the deletes of what it uses must still wait for it.
        h.emu.arm.faults.add({ method: 'DELETE', path: /\/operations\/getOrder\/policies\/policy$/, delayMs: 200, times: 1 });
      },
      { parallelism: 8 },
    );
    assert.deepEqual(deletes(dry), ['delete apiOperationPolicy orders/getOrder', 'delete backend old-be', 'delete namedValue old-nv']);
    assert.deepEqual(deletes(applied), deletes(dry));
    const policyDone = events.indexOf('end deletePolicy');
    assert.ok(policyDone >= 0, events.join(', '));
    assert.ok(events.indexOf('start deleteNamedValue') > policyDone, `named value delete after the policy delete: ${events.join(', ')}`);
    assert.ok(events.indexOf('start deleteBackend') > policyDone, `backend delete after the policy delete: ${events.join(', ')}`);
    assert.equal(h.state.namedValues['old-nv'], undefined);
    assert.equal(h.state.backends['old-be'], undefined);
  });

  it('named values and backends: one a policy, fragment or backend that stays still uses is kept with a warning', async () => {
    const h = new Harness();
    const scope: PruneRule[] = [{ kind: 'namedValue', pattern: '*' }, { kind: 'backend', pattern: '*' }];
    const { dry, applied } = await pruneRun(h, scope, async () => {
      for (const id of ['kept-nv', 'frag-nv', 'be-nv', 'gone-be-nv', 'gone-nv']) await h.seed(`/namedValues/${id}`, { displayName: id, value: 'x' });
      await h.seed('/backends/kept-be', { url: 'https://kept.contoso.com', protocol: 'http', credentials: { header: { 'x-k': ['{{be-nv}}'] } } });
      await h.seed('/backends/gone-be', { url: 'https://gone.contoso.com', protocol: 'http', credentials: { header: { 'x-k': ['{{gone-be-nv}}'] } } });
      await h.seed('/policyFragments/kept-frag', { format: 'rawxml', value: '<fragment><set-header name="x-f" exists-action="override"><value>{{frag-nv}}</value></set-header></fragment>' });
      // An API outside the run (not declared, not in an apis scope): its policy stays as it is.
      await putApi(h, 'legacy');
      const xml = policy('<set-header name="x-k" exists-action="override"><value>{{kept-nv}}</value></set-header>\n    <set-backend-service backend-id="kept-be" />');
      await invoke(h, 'PUT', '/apis/legacy/policies/policy', { properties: { format: 'rawxml', value: xml } });
    });
    // Declared named values and backends are never candidates; the backend that goes releases the named value it used.
    assert.deepEqual(deletes(dry), ['delete backend gone-be', 'delete namedValue gone-be-nv', 'delete namedValue gone-nv']);
    assert.match(dry.summary, /named value 'kept-nv' is kept: 'apis\/legacy\/policies\/policy' still use\(s\) it/);
    assert.match(dry.summary, /named value 'frag-nv' is kept: 'policyFragments\/kept-frag' still use\(s\) it/);
    assert.match(dry.summary, /named value 'be-nv' is kept: 'backends\/kept-be' still use\(s\) it/);
    assert.match(dry.summary, /backend 'kept-be' is kept: 'apis\/legacy\/policies\/policy' still use\(s\) it/);
    assert.ok(h.log.lines.some((l) => /^warning: Prune: named value 'kept-nv' is kept/.test(l)), h.log.lines.join('\n'));
    assert.deepEqual(deletes(applied), deletes(dry));
    assert.deepEqual(Object.keys(h.state.namedValues).sort(), ['backend-key', 'be-nv', 'env-name', 'frag-nv', 'kept-nv', 'kv-cert']);
    assert.deepEqual(Object.keys(h.state.backends).sort(), ['kept-be', 'orders-backend']);
  });

  it('the global policy: deleted when the state declares none and it is in the scope, kept otherwise', async () => {
    const h = new Harness();
    assert.equal((await h.run()).failure, undefined);
    h.files['apim.yaml'] = MODEL.replace('globalPolicy: global.xml\n', '');
    const without = await h.run({ prune: [{ kind: 'api', pattern: 'nothing-*' }] });
    assert.deepEqual(deletes(without), []);
    assert.ok(h.state.policy, 'not in the scope: kept');
    const dry = await h.run({ prune: [{ kind: 'globalPolicy', pattern: '*' }], dryRun: true });
    assert.deepEqual(deletes(dry), ['delete globalPolicy policy']);
    assert.equal(dry.writeRequests, 0);
    await h.run({ prune: [{ kind: 'globalPolicy', pattern: '*' }] });
    assert.equal(h.state.policy, undefined);
    assert.equal((await h.run({ prune: [{ kind: 'globalPolicy', pattern: '*' }] })).writeRequests, 0);
  });
});
