/**
 * Plan, pre-flight and apply of the declared-state core against the APIM emulator in process (the
 * real SDK client and ARM gateway): what is created, that an unchanged re-run and a dry run write
 * nothing, what differs per environment, scoped prune, and a failure half-way.
 */
import * as assert from 'node:assert/strict';
import { FileError } from '../../../tasks/common/errors';
import type { PruneRule } from '../../../tasks/ApimDeploy/core/state/model';
import type { StateRunOutcome } from '../../../tasks/ApimDeploy/core/state/run';
import { Harness, actions } from './harness';
import { FORMATS_MODEL, LIBRARY_GRAPHQL, MODEL, SECRET_VALUE, formatsState, policy, sampleState, spec } from './fixture';

describe('ApimDeploy v2: plan and apply (APIM emulator in process)', function () {
  this.timeout(60_000);

  it('creates the whole declared state, then an unchanged re-run writes nothing', async () => {
    const h = new Harness();
    const first = await h.run();
    assert.equal(first.failure, undefined);
    assert.deepEqual(actions(first), [
      'create api orders', 'create api pets', 'create backend orders-backend', 'create globalPolicy policy', 'create namedValue backend-key', 'create namedValue env-name',
      'create namedValue kv-cert', 'create product starter',
    ]);
    const s = h.state;
    assert.equal(s.apis.orders.revisions[1].properties.serviceUrl, 'https://orders.prod.contoso.com');
    assert.match(String(s.apis.orders.revisions[1].policy?.xml), /x-env/);
    assert.match(String(s.apis.orders.revisions[1].operations.listorders.policy?.xml), /x-op/);
    assert.deepEqual([...s.products.starter.apis].sort(), ['orders', 'pets']);
    assert.ok(s.products.starter.groups.includes('developers'));
    assert.equal(s.namedValues['backend-key'].properties.value, SECRET_VALUE);
    assert.equal((s.namedValues['kv-cert'].properties.keyVault as { secretIdentifier?: string } | undefined)?.secretIdentifier, 'https://kv-contoso.vault.azure.net/secrets/cert');
    assert.equal(s.backends['orders-backend'].properties.url, 'https://orders.internal.contoso.com');
    assert.ok(first.writes > 10 && first.writeRequests === first.writes, `${first.writes} writes, ${first.writeRequests} seen`);
    assert.match(first.summary, /\| create \| api \| `orders` \|/);
    assert.ok(h.secrets.includes(SECRET_VALUE));
    for (const line of [...h.log.lines, first.summary]) assert.ok(!line.includes(SECRET_VALUE), line);

    const again = await h.run();
    assert.equal(again.writeRequests, 0);
    assert.equal(again.writes, 0);
    assert.ok(again.plan.changes.every((c) => c.action === 'unchanged'), actions(again).join('\n'));
    assert.ok(h.log.lines.some((l) => l.includes('Plan: 0 to create, 0 to update, 0 to delete, 8 unchanged')), h.log.lines.join('\n'));
  });

  it('creates a WSDL (SOAP pass-through) and a GraphQL API, then an unchanged re-run writes nothing; a changed schema is uploaded again', async () => {
    const h = new Harness();
    h.files = formatsState();
    const plain = { environmentFile: undefined, environment: undefined };
    const first = await h.run(plain);
    assert.equal(first.failure, undefined, String(first.failure));
    assert.deepEqual(actions(first), ['create api calc', 'create api library']);
    const calc = h.state.apis.calc;
    assert.equal(calc.shared.type, 'soap');
    assert.equal(calc.shared.description, 'Calculator', 'the description a WSDL import drops is put back');
    assert.equal(calc.revisions[1].properties.serviceUrl, 'https://soap.contoso.com/calc');
    assert.deepEqual(Object.keys(calc.revisions[1].operations).sort(), ['add', 'subtract']);
    const library = h.state.apis.library;
    assert.equal(library.shared.type, 'graphql');
    assert.equal(library.shared.displayName, 'Library');
    assert.match(JSON.stringify(library.revisions[1].schemas), /type Query/);

    const again = await h.run(plain);
    assert.equal(again.writeRequests, 0);
    assert.equal(again.writes, 0);
    assert.ok(again.plan.changes.every((c) => c.action === 'unchanged'), actions(again).join('\n'));

    h.files['apis/library.graphql'] = LIBRARY_GRAPHQL.replace('title: String', 'title: String\n  author: String');
    const changed = await h.run(plain);
    assert.deepEqual(actions(changed).filter((a) => !a.startsWith('unchanged')), ['update api library: definition']);
    assert.match(JSON.stringify(h.state.apis.library.revisions[1].schemas), /author: String/);
    assert.equal((await h.run(plain)).writeRequests, 0);
  });

  it('imports a WSDL as SOAP-to-REST (soapApiType: http)', async () => {
    const h = new Harness();
    h.files = { ...formatsState(), 'apim.yaml': FORMATS_MODEL.replace('soapApiType: soap', 'soapApiType: http') };
    const plain = { environmentFile: undefined, environment: undefined };
    const first = await h.run(plain);
    assert.equal(first.failure, undefined, String(first.failure));
    // SOAP-to-REST is a plain HTTP API (no 'soap' type) whose operations are REST paths, not SOAP actions.
    assert.equal(h.state.apis.calc.shared.type, undefined);
    assert.equal(h.state.apis.calc.revisions[1].operations.add.properties.urlTemplate, '/Add');
    assert.equal((await h.run(plain)).writeRequests, 0);
  });

  it('a declared revision of a WSDL and a GraphQL API gets the definition and schema, is released; then nothing more', async () => {
    const h = new Harness();
    h.files = formatsState();
    const plain = { environmentFile: undefined, environment: undefined };
    await h.run(plain);
    h.files['apim.yaml'] = FORMATS_MODEL.replace('    path: calc\n', '    path: calc\n    revision: 2\n').replace('    path: library\n', '    path: library\n    revision: 2\n');
    h.files['apis/library.graphql'] = LIBRARY_GRAPHQL.replace('title: String', 'title: String\n  year: Int');
    const r = await h.run(plain);
    assert.equal(r.failure, undefined, String(r.failure));
    assert.equal(h.state.apis.library.current, 2);
    assert.equal(h.state.apis.calc.current, 2);
    assert.match(JSON.stringify(h.state.apis.library.revisions[2].schemas), /year: Int/);
    assert.deepEqual(Object.keys(h.state.apis.calc.revisions[2].operations).sort(), ['add', 'subtract']);
    assert.equal(h.state.apis.calc.shared.description, 'Calculator');
    assert.equal((await h.run(plain)).writeRequests, 0);
  });

  it('refuses to turn an existing API of another type into a SOAP pass-through one, before any write (as v1)', async () => {
    const h = new Harness();
    await h.seed('/apis/calc', { displayName: 'Calc', path: 'calc', protocols: ['https'], serviceUrl: 'https://calc.contoso.com/graphql', apiType: 'graphql' });
    h.files = formatsState();
    const before = h.emu.apim.writeRequests;
    await assert.rejects(h.run({ environmentFile: undefined, environment: undefined }), (e: unknown) => e instanceof FileError && /^state\/apim\.yaml:2: API 'calc' exists as a graphql API; a SOAP pass-through API/.test(e.message));
    assert.equal(h.emu.apim.writeRequests, before);
  });

  it('a dry run plans per environment (with the property that differs) and writes nothing; applying it converges', async () => {
    const h = new Harness();
    await h.run();
    const dry = await h.run({ environment: 'dev', dryRun: true });
    assert.equal(dry.writeRequests, 0);
    assert.deepEqual(actions(dry).filter((a) => a.startsWith('update')), [
      'update api orders: serviceUrl', 'update backend orders-backend: url', 'update namedValue env-name: value', 'update product starter: state',
    ]);
    assert.match(dry.summary, /plan \(dry run, nothing written\)/);
    const apply = await h.run({ environment: 'dev' });
    assert.equal(apply.failure, undefined);
    assert.equal(apply.writes, 4);
    assert.equal(h.state.products.starter.properties.state, 'notPublished');
    assert.equal((await h.run({ environment: 'dev' })).writeRequests, 0);
  });

  it('re-imports a changed definition and keeps the operation policies as declared', async () => {
    const h = new Harness();
    await h.run();
    h.files['apis/orders.yaml'] = spec('Orders', ['listOrders', 'getOrder', 'cancelOrder']);
    const r = await h.run();
    assert.deepEqual(actions(r).filter((a) => a.startsWith('update')), ['update api orders: definition']);
    assert.ok(h.state.apis.orders.revisions[1].operations.cancelorder);
    assert.equal(h.state.apis.orders.revisions[1].properties.serviceUrl, 'https://orders.prod.contoso.com');
    assert.equal((await h.run()).writeRequests, 0);
  });

  describe('tags of products and operations', () => {
    const TAGGED = MODEL.replace('    operationPolicies: apis/orders-ops\n', '    operationPolicies: apis/orders-ops\n    operationTags:\n      listOrders: [read-only, public]\n      getOrder: [read-only]\n').replace(
      '    groups: [developers]\n',
      '    groups: [developers]\n    tags: [gold, Public]\n',
    );

    it('creates missing tags once and assigns them; unchanged re-run and dry run write nothing; what differs is planned per link', async () => {
      const h = new Harness();
      h.files['apim.yaml'] = TAGGED;
      const dry0 = await h.run({ dryRun: true });
      assert.equal(dry0.writeRequests, 0);
      assert.match(dry0.summary, /\| create \| product \| `starter` \| product, apis, groups, tags, policy \|/);
      assert.match(dry0.summary, /\| create \| api \| `orders` \| definition, policy, 1 operation policies, operation tags \|/);

      const first = await h.run();
      assert.equal(first.failure, undefined, first.failure?.message);
      const s = h.state;
      assert.deepEqual([...s.products.starter.tags].sort(), ['gold', 'public']);
      const ops = s.apis.orders.revisions[1].operations;
      assert.deepEqual([...ops.listorders.tags].sort(), ['public', 'read-only']);
      assert.deepEqual([...ops.getorder.tags], ['read-only']);
      assert.deepEqual(Object.keys(s.tags).sort(), ['gold', 'public', 'read-only', 'srk-spec-orders', 'srk-spec-pets']);
      // 'public' is needed by pets, the product and an operation (in parallel jobs): created once.
      assert.deepEqual(h.log.lines.filter((l) => /Create tag/.test(l)).sort(), ["info: Create tag 'gold'...", "info: Create tag 'public'...", "info: Create tag 'read-only'..."]);

      const again = await h.run();
      assert.equal(again.writeRequests, 0);
      assert.ok(again.plan.changes.every((c) => c.action === 'unchanged'), actions(again).join('\n'));

      h.files['apim.yaml'] = TAGGED.replace('getOrder: [read-only]', 'getOrder: [read-only, beta]').replace('tags: [gold, Public]', 'tags: [gold, Public, silver]');
      const dry = await h.run({ dryRun: true });
      assert.equal(dry.writeRequests, 0, 'a dry run writes nothing');
      assert.deepEqual(actions(dry).filter((a) => !a.startsWith('unchanged')), ['update api orders: +tag beta (operation getOrder)', 'update product starter: +tag silver']);
      assert.ok(h.log.lines.includes("info: ~ update api 'orders': +tag beta (operation getOrder)"), h.log.lines.join('\n'));
      assert.match(dry.summary, /\| update \| product \| `starter` \| \+tag silver \|/);
      assert.ok(!h.state.tags.beta && !h.state.tags.silver);

      const applied = await h.run();
      assert.equal(applied.failure, undefined, applied.failure?.message);
      assert.equal(applied.writeRequests, 4, 'two tags created, two links');
      assert.deepEqual([...h.state.apis.orders.revisions[1].operations.getorder.tags].sort(), ['beta', 'read-only']);
      assert.deepEqual([...h.state.products.starter.tags].sort(), ['gold', 'public', 'silver']);
      assert.equal((await h.run()).writeRequests, 0);

      // Without the prune scope, a tag the state no longer lists stays where it is.
      h.files['apim.yaml'] = TAGGED.replace('tags: [gold, Public]', 'tags: [gold]').replace('listOrders: [read-only, public]', 'listOrders: [read-only]');
      const kept = await h.run();
      assert.equal(kept.writeRequests, 0);
      assert.ok(h.state.products.starter.tags.includes('silver'));
      assert.ok(h.state.apis.orders.revisions[1].operations.listorders.tags.includes('public'));
    });

    it('an operation a re-imported definition adds gets its tags after the import; a tag already on the service is not created again', async () => {
      const h = new Harness();
      h.files['apim.yaml'] = TAGGED;
      await h.run();
      h.files['apis/orders.yaml'] = spec('Orders', ['listOrders', 'getOrder', 'cancelOrder']);
      h.files['apim.yaml'] = TAGGED.replace('      getOrder: [read-only]\n', '      getOrder: [read-only]\n      cancelOrder: [gold]\n');
      const r = await h.run();
      assert.equal(r.failure, undefined, r.failure?.message);
      assert.deepEqual(actions(r).filter((a) => a.startsWith('update')), ['update api orders: definition, +tag gold (operation cancelOrder)']);
      assert.deepEqual([...h.state.apis.orders.revisions[1].operations.cancelorder.tags], ['gold']);
      assert.ok(!h.log.lines.some((l) => /Create tag/.test(l)), h.log.lines.join('\n'));
      assert.equal((await h.run()).writeRequests, 0);
    });

    it('with a new revision, the operations of the released revision get their tags', async () => {
      const h = new Harness();
      h.files['apim.yaml'] = TAGGED;
      await h.run();
      h.files['apim.yaml'] = TAGGED.replace('    spec: apis/orders.yaml\n', '    spec: apis/orders.yaml\n    revision: 2\n').replace('getOrder: [read-only]', 'getOrder: [read-only, beta]');
      const r = await h.run();
      assert.equal(r.failure, undefined, r.failure?.message);
      assert.deepEqual(actions(r).filter((a) => a.startsWith('update')), ['update api orders: revision 1 -> 2, +tag beta (operation getOrder)']);
      const orders = h.state.apis.orders;
      assert.equal(orders.current, 2);
      assert.deepEqual([...orders.revisions[2].operations.getorder.tags].sort(), ['beta', 'read-only']);
      assert.deepEqual([...orders.revisions[2].operations.listorders.tags].sort(), ['public', 'read-only']);
      assert.equal((await h.run()).writeRequests, 0);
    });
  });

  it('a declared revision above the current one is created (with path), filled, released; then nothing more', async () => {
    const h = new Harness();
    await h.run();
    h.files['apim.yaml'] = h.files['apim.yaml'].replace('    spec: apis/orders.yaml\n', '    spec: apis/orders.yaml\n    revision: 2\n    revisionDescription: adds cancelOrder\n    releaseNotes: cancel orders\n');
    h.files['apis/orders.yaml'] = spec('Orders', ['listOrders', 'getOrder', 'cancelOrder']);
    h.files['apis/orders-ops/listOrders.xml'] = policy('<set-header name="x-op" exists-action="override"><value>list-v2</value></set-header>');
    const bodies: unknown[] = [];
    const real = h.gateway;
    h.gateway = { ...real, putApi: (id, body) => (bodies.push({ id, body }), real.putApi(id, body)) };
    const r = await h.run();
    assert.equal(r.failure, undefined, r.failure?.message);
    assert.deepEqual(actions(r).filter((a) => a.startsWith('update')), ['update api orders: revision 1 -> 2']);
    const api = h.state.apis.orders;
    assert.equal(api.current, 2);
    assert.ok(api.revisions[2].operations.cancelorder);
    assert.match(String(api.revisions[2].operations.listorders.policy?.xml), /list-v2/);
    assert.match(String(api.revisions[1].operations.listorders.policy?.xml), />list</, 'revision 1 kept what it had');
    assert.deepEqual(Object.values(api.releases).map((x) => x.properties.notes), ['cancel orders']);
    const create = bodies.find((b) => (b as { id: string }).id === 'orders;rev=2') as { body: Record<string, unknown> };
    assert.deepEqual(create.body, { sourceApiId: h.gateway.resourceId('apis/orders'), apiRevisionDescription: 'adds cancelOrder', path: 'orders' });
    assert.equal((await h.run()).writeRequests, 0);

    h.files['apim.yaml'] = h.files['apim.yaml'].replace('revision: 2', 'revision: 1');
    await assert.rejects(h.run(), (e: unknown) => e instanceof FileError && /^state\/apim\.yaml:17: API 'orders': revision 1 is older than the current revision 2/.test(e.message));
  });

  describe('retireRevisions', () => {
    /** orders with `revision: n` and, when given, its retire policy. */
    const declare = (h: Harness, revision: number, retire?: string) => {
      h.files['apim.yaml'] = MODEL.replace('    spec: apis/orders.yaml\n', `    spec: apis/orders.yaml\n    revision: ${revision}\n${retire ? `    retireRevisions: ${retire}\n` : ''}`);
    };
    const revisions = (h: Harness) =>
      Object.fromEntries(Object.entries(h.state.apis.orders.revisions).map(([n, r]) => [n, r.properties.isOnline === false ? 'offline' : 'online']));
    const retirements = (o: StateRunOutcome) => actions(o).filter((a) => a.includes('apiRevision'));

    it('plans and applies: the new revision counts as current, the newest others are kept, offline then delete; unchanged re-runs write nothing', async () => {
      const h = new Harness({ isOnlinePatch: 'apply' });
      await h.run();
      declare(h, 2);
      assert.equal((await h.run()).failure, undefined);

      // 3 becomes current in this run: 2 is the newest other (kept with keep 2), 1 goes offline.
      declare(h, 3, '{ action: offline, keep: 2 }');
      const dry = await h.run({ dryRun: true });
      assert.equal(dry.writeRequests, 0);
      assert.deepEqual(actions(dry).filter((a) => a.startsWith('update')), [
        'update api orders: revision 2 -> 3', 'update apiRevision orders;rev=1: take revision 1 offline (keep 2)',
      ]);
      assert.ok(h.log.lines.includes("info: ~ update apiRevision 'orders;rev=1': take revision 1 offline (keep 2)"), h.log.lines.join('\n'));
      assert.match(dry.summary, /\| update \| apiRevision \| `orders;rev=1` \| take revision 1 offline \(keep 2\) \|/);
      const applied = await h.run();
      assert.equal(applied.failure, undefined, applied.failure?.message);
      assert.equal(h.state.apis.orders.current, 3);
      assert.deepEqual(revisions(h), { 1: 'offline', 2: 'online', 3: 'online' });
      const again = await h.run();
      assert.equal(again.writeRequests, 0);
      assert.deepEqual(retirements(again), [], 'a revision already offline is not planned again');

      // keep 1 with delete: every other revision goes, including 3, which stops being current in this same run.
      declare(h, 4, '{ action: delete, keep: 1 }');
      const del = await h.run();
      assert.equal(del.failure, undefined, del.failure?.message);
      assert.deepEqual(retirements(del), ['delete apiRevision orders;rev=1', 'delete apiRevision orders;rev=2', 'delete apiRevision orders;rev=3']);
      assert.ok(h.log.lines.some((l) => l === "info: - delete apiRevision 'orders;rev=3': delete revision 3 (keep 1)"), h.log.lines.join('\n'));
      assert.deepEqual(revisions(h), { 4: 'online' });
      assert.equal(h.state.apis.orders.current, 4);
      const last = await h.run();
      assert.equal(last.writeRequests, 0);
      assert.deepEqual(retirements(last), []);
    });

    it('without a new revision, retires what is already beyond keep; only declared APIs with a policy are touched', async () => {
      const h = new Harness();
      await h.run();
      declare(h, 2);
      await h.run();
      declare(h, 3);
      await h.run();
      declare(h, 3, '{ action: delete, keep: 2 }');
      const r = await h.run();
      assert.equal(r.failure, undefined, r.failure?.message);
      assert.deepEqual(retirements(r), ['delete apiRevision orders;rev=1']);
      assert.deepEqual(actions(r).filter((a) => !a.startsWith('unchanged')), ['delete apiRevision orders;rev=1'], 'the API itself is unchanged');
      assert.equal(r.writes, 1);
      assert.deepEqual(Object.keys(h.state.apis.orders.revisions), ['2', '3']);
      assert.equal((await h.run()).writeRequests, 0);
    });

    it('a service that ignores the offline request fails the run (offlineCheck fail), or warns (offlineCheck warn)', async () => {
      const h = new Harness({ isOnlinePatch: 'ignore' });
      await h.run();
      declare(h, 2);
      await h.run();
      declare(h, 2, '{ action: offline, keep: 1 }');
      const failed = await h.run();
      assert.ok(failed.failure);
      assert.match(failed.failure.message, /update apiRevision 'orders;rev=1': Revision 1 of API 'orders' is still online after the request to take it offline/);
      assert.match(failed.summary, /Stopped after a failure/);

      const warned = await h.run({ offlineCheck: 'warn' });
      assert.equal(warned.failure, undefined);
      assert.equal(warned.writes, 1);
      assert.ok(h.log.lines.some((l) => /^warning: Revision 1 of API 'orders' is still online .*\(offlineCheck: warn\)/.test(l)), h.log.lines.join('\n'));
      assert.notEqual(h.state.apis.orders.revisions[1].properties.isOnline, false, 'still online: the service ignored the request');
    });
  });

  it('prunes only inside the scope: kind and id pattern', async () => {
    const h = new Harness();
    await h.run();
    const api = (p: string) => ({ format: 'openapi', value: spec(p, ['x']), path: p, displayName: p });
    for (const id of ['legacy-1', 'legacy-2', 'other']) {
      const r = await h.emu.apim.invoke('svc', 'PUT', `/apis/${id}`, { properties: api(id) });
      assert.ok(r.status < 300, JSON.stringify(r.body));
    }
    await h.seed('/namedValues/old-nv', { displayName: 'old-nv', value: 'x' });
    await h.seed('/products/old-product', { displayName: 'Old', subscriptionRequired: false });
    const scope: PruneRule[] = [{ kind: 'api', pattern: 'legacy-*' }, { kind: 'product', pattern: '*' }];
    const dry = await h.run({ prune: scope, dryRun: true });
    assert.deepEqual(actions(dry).filter((a) => a.startsWith('delete')), ['delete api legacy-1', 'delete api legacy-2', 'delete product old-product']);
    assert.equal(dry.writeRequests, 0);
    const r = await h.run({ prune: scope });
    assert.equal(r.failure, undefined);
    assert.deepEqual(Object.keys(h.state.apis).sort(), ['orders', 'other', 'pets']);
    assert.deepEqual(Object.keys(h.state.products).sort(), ['starter']);
    assert.ok(h.state.namedValues['old-nv'], 'a kind outside the scope is never pruned');
    assert.equal((await h.run({ prune: scope })).writeRequests, 0);
  });

  it('pre-flight: a policy naming a missing named value or backend fails with file and line before any write', async () => {
    const h = new Harness();
    h.files['apis/orders-ops/listOrders.xml'] = policy('<set-header name="a" exists-action="override">\n      <value>{{no-such-value}}</value>\n    </set-header>');
    await assert.rejects(h.run(), (e: unknown) => e instanceof FileError && /^state\/apis\/orders-ops\/listOrders\.xml:5: named value '\{\{no-such-value\}\}' does not exist/.test(e.message));
    h.files = sampleState();
    h.files['products/starter.xml'] = policy('<set-backend-service backend-id="billing" />');
    await assert.rejects(h.run(), (e: unknown) => e instanceof FileError && /^state\/products\/starter\.xml:4: backend 'billing' does not exist/.test(e.message));
    assert.equal(h.emu.apim.writeRequests, 0);
  });

  it('pre-flight: a Key Vault named value needs the managed identity it reads with, checked before any write', async () => {
    const UAI = '/subscriptions/x/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/apim-kv';
    const CLIENT = '0f6c3a52-7a4e-4c1e-9d0b-3f9a2c1e5b77';
    const noSystem = new Harness({ identity: { systemAssigned: false } });
    await assert.rejects(noSystem.run(), (e: unknown) => e instanceof FileError && /^state\/apim\.yaml:\d+: the identity of named value 'kv-cert' \(Key Vault, system-assigned identity\) does not exist/.test(e.message));
    await assert.rejects(noSystem.run({ dryRun: true }), FileError, 'a dry run reports it too');
    assert.equal(noSystem.emu.apim.writeRequests, 0);

    const withUser = (clientId: string) => {
      const h = new Harness({ identity: { systemAssigned: false, userAssigned: [{ resourceId: UAI, clientId: CLIENT }] } });
      h.files['apim.yaml'] = MODEL.replace('      secretIdentifier: https://kv-contoso.vault.azure.net/secrets/cert', `      secretIdentifier: https://kv-contoso.vault.azure.net/secrets/cert\n      identityClientId: ${clientId}`);
      return h;
    };
    const other = withUser('11111111-2222-4333-8444-555555555555');
    await assert.rejects(other.run(), (e: unknown) => e instanceof FileError && /user-assigned identity 11111111-2222-4333-8444-555555555555\) does not exist/.test(e.message));
    assert.equal(other.emu.apim.writeRequests, 0);
    const same = withUser(CLIENT.toUpperCase());
    const out = await same.run();
    assert.equal(out.failure, undefined);
    assert.ok(same.state.namedValues['kv-cert'], 'applied with the identity the service has');
  });

  it('the emulator refuses a Key Vault named value the service has no identity for, as the service does', async () => {
    const h = new Harness({ identity: { systemAssigned: false } });
    await assert.rejects(
      h.gateway.putNamedValue('kv', { displayName: 'kv', secret: true, tags: [], keyVault: { secretIdentifier: 'https://kv-contoso.vault.azure.net/secrets/x' } }),
      /system-assigned managed identity/,
    );
  });

  it('policy fragments before the policies that include them, groups before the products that use them', async () => {
    const h = new Harness();
    h.files['apim.yaml'] = h.files['apim.yaml'].replace('groups: [developers]', 'groups: [developers, partners]') +
      'policyFragments:\n  cors-fragment:\n    file: fragments/cors.xml\n    description: CORS for browsers\ngroups:\n  partners:\n    displayName: Partners\n';
    h.files['fragments/cors.xml'] = '<fragment>\n  <cors><allowed-origins><origin>https://{{env-name}}.contoso.com</origin></allowed-origins></cors>\n</fragment>\n';
    h.files['apis/orders-policy.xml'] = h.files['apis/orders-policy.xml'].replace('<base />', '<base />\n    <include-fragment fragment-id="cors-fragment" />');
    const first = await h.run({ parallelism: 8 });
    assert.equal(first.failure, undefined, first.failure?.message);
    assert.ok(actions(first).includes('create policyFragment cors-fragment') && actions(first).includes('create group partners'), actions(first).join('\n'));
    assert.match(String(h.state.policyFragments['cors-fragment'].properties.value), /allowed-origins/);
    assert.ok(h.state.products.starter.groups.includes('partners'));
    assert.equal((await h.run()).writeRequests, 0);

    h.files['fragments/cors.xml'] = h.files['fragments/cors.xml'].replace('https://', 'http://');
    const changed = await h.run();
    assert.deepEqual(actions(changed).filter((a) => a.startsWith('update')), ['update policyFragment cors-fragment: value']);

    // The emulator refuses what the service refuses: an include of a fragment that does not exist.
    await assert.rejects(h.gateway.putPolicy({ kind: 'api', apiId: 'pets' }, policy('<include-fragment fragment-id="nope" />')), /Policy fragment with id 'nope' could not be found/);
  });

  it('pre-flight: an include of an undeclared, missing fragment or a product group that does not exist names file and line', async () => {
    const h = new Harness();
    h.files['apis/orders-policy.xml'] = h.files['apis/orders-policy.xml'].replace('<base />', '<base />\n    <include-fragment fragment-id="missing-fragment" />');
    await assert.rejects(h.run(), (e: unknown) => e instanceof FileError && /^state\/apis\/orders-policy\.xml:4: policy fragment 'missing-fragment' does not exist/.test(e.message));
    h.files = sampleState();
    h.files['apim.yaml'] = h.files['apim.yaml'].replace('groups: [developers]', 'groups: [developers, nobody]');
    await assert.rejects(h.run(), (e: unknown) => e instanceof FileError && /^state\/apim\.yaml:29: group 'nobody' \(given access to a product\) does not exist/.test(e.message));
    assert.equal(h.emu.apim.writeRequests, 0);
  });

  it('a failure stops new writes and reports what was applied and what was not', async () => {
    const h = new Harness();
    let writesAfterFailure = 0;
    let failed = false;
    const real = h.gateway;
    h.gateway = {
      ...real,
      putApi: async (id, body) => {
        if (failed) writesAfterFailure++;
        if (id === 'pets') {
          failed = true;
          throw new Error('Creating API pets failed: HTTP 500');
        }
        return real.putApi(id, body);
      },
      putPolicy: async (scope, xml) => {
        if (failed) writesAfterFailure++;
        return real.putPolicy(scope, xml);
      },
    };
    // Named values first (no dependencies); with one job at a time, pets fails before anything that depends on it starts.
    const r = await h.run({ parallelism: 1 });
    assert.ok(r.failure);
    assert.match(r.failure.message, /create api 'pets': Creating API pets failed: HTTP 500/);
    assert.match(r.failure.message, /not applied: .*create product 'starter'/);
    assert.ok(!h.state.products.starter, 'the product after the failed API was not written');
    assert.equal(writesAfterFailure, 0);
    assert.ok(h.log.lines.some((l) => /^info: Applied \(\d+\): .*create namedValue 'backend-key'/.test(l)), h.log.lines.join('\n'));
    assert.match(r.summary, /Stopped after a failure/);
  });

  it('with writes in parallel, a failure stops the jobs already running before their next write', async () => {
    const h = new Harness();
    const real = h.gateway;
    const sent: string[] = [];
    let failedAt = -1;
    h.gateway = new Proxy(real, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function' || !/^(put|patch|create|update|delete|add|assign|remove)/.test(String(prop))) return value;
        return async (...args: unknown[]) => {
          sent.push(`${String(prop)} ${String(args[0] && typeof args[0] === 'object' ? JSON.stringify(args[0]) : args[0])}`);
          // orders' import is still running when pets fails; its next write must not be sent.
          if (prop === 'putApi' && args[0] === 'orders') await new Promise((r) => setTimeout(r, 400));
          if (prop === 'putApi' && args[0] === 'pets') {
            await new Promise((r) => setTimeout(r, 100));
            failedAt = sent.length;
            throw new Error('Creating API pets failed: HTTP 500');
          }
          return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        };
      },
    });
    const r = await h.run({ parallelism: 8 });
    assert.ok(r.failure);
    assert.ok(failedAt > 0);
    assert.deepEqual(sent.slice(failedAt), [], 'no write was sent after the failure');
    assert.ok(sent.some((w) => w.startsWith('putApi orders')), sent.join('\n'));
    assert.match(r.failure.message, /not applied: .*create api 'orders' \(partly applied\)/);
  });
});
