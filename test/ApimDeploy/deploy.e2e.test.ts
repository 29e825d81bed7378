/**
 * ApimDeploy end to end: the bundled task (what the vsix ships) runs as the agent runs it, signs in
 * through the real @azure/identity and talks to the APIM emulator through @azure/arm-apimanagement.
 * The emulator's write counter proves idempotency and that invalid inputs write nothing.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleEntry } from '../../scripts/build';
import { runTask, type RunTaskOptions, type RunTaskResult } from '../../scripts/task-runner';
import { createServicePrincipalCertificate, startEmulators, type Emulators } from '../emulators';
import { stopWatching, watchRequests } from './spec-watch';

const REPO = path.resolve(__dirname, '..', '..', '..');
const SPECS = path.join(REPO, 'test', 'fixtures', 'apim', 'specs');
const TENANT = '72f988bf-0000-4000-8000-00000000a001';
const SUB = '11111111-2222-4333-8444-55555555a001';
const CONN = '5b1d1f7e-8f3c-4d1a-9a55-0d6a2f4ca001';
const SECRET = 'apim-spn-secret-7c2f9e1a';
const CLIENT = 'a1a1a1a1-0000-4000-8000-00000000a001';
const SVC = 'apim-contoso';

const POLICY = `<policies>
  <inbound>
    <base />
    <set-header name="x-op" exists-action="override"><value>{{op-name}}</value></set-header>
  </inbound>
  <backend><base /></backend>
  <outbound><base /></outbound>
  <on-error><base /></on-error>
</policies>
`;

describe('e2e: ApimDeploy (bundled task, APIM emulator)', function () {
  this.timeout(180_000);
  let emu: Emulators;
  let taskDir: string;
  let work: string;

  before(async () => {
    taskDir = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-apim-'));
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-apim-work-'));
    const v1 = path.join(REPO, 'tasks', 'ApimDeploy', 'v1');
    fs.copyFileSync(path.join(v1, 'task.json'), path.join(taskDir, 'task.json'));
    const report = await bundleEntry(path.join(v1, 'index.ts'), path.join(taskDir, 'index.js'), { minify: false });
    assert.deepEqual(report.problems, []);
    emu = await startEmulators({ apim: true });
    emu.arm.addSubscription({ subscriptionId: SUB, tenantId: TENANT });
    emu.arm.addResourceGroup(SUB, 'rg-apim');
    emu.apim!.addService(SUB, 'rg-apim', SVC);
    watchRequests(emu.apim!, 'suite');
    emu.apim!.addService(SUB, 'rg-apim', 'apim-consumption', { sku: 'Consumption' });
    // A service that applies the read-only isOnline (SVC ignores it, as a read-only property is).
    emu.apim!.addService(SUB, 'rg-apim', 'apim-applies', { isOnlinePatch: 'apply' });
    emu.entra.registerClient({ tenantId: TENANT, clientId: CLIENT, secret: SECRET });
    await emu.apim!.invoke(SVC, 'PUT', '/namedValues/op-name', { properties: { displayName: 'op-name', value: 'list' } });
    await emu.apim!.invoke(SVC, 'PUT', '/products/starter', { properties: { displayName: 'Starter', state: 'published', subscriptionRequired: true } });

    fs.copyFileSync(path.join(SPECS, 'petstore-v3.yaml'), path.join(work, 'petstore.yaml'));
    fs.copyFileSync(path.join(SPECS, 'petstore-v2.json'), path.join(work, 'petstore-v2.json'));
    fs.copyFileSync(path.join(SPECS, 'calculator.wsdl'), path.join(work, 'calculator.wsdl'));
    fs.copyFileSync(path.join(SPECS, 'library.graphql'), path.join(work, 'library.graphql'));
    fs.mkdirSync(path.join(work, 'ops'));
    fs.writeFileSync(path.join(work, 'ops', 'listPets.xml'), POLICY);
    fs.writeFileSync(path.join(work, 'ops', 'showPetById.xml'), POLICY.replace('{{op-name}}', 'show'));
  });

  after(async () => {
    if (emu?.apim) stopWatching(emu.apim);
    await emu?.close();
    for (const d of [taskDir, work]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  const spnKey = { scheme: 'ServicePrincipal', parameters: { tenantid: TENANT, serviceprincipalid: CLIENT, serviceprincipalkey: SECRET, authenticationType: 'spnKey' } };

  function run(inputs: Record<string, string>, auth: { scheme: string; parameters: Record<string, string> } = spnKey, more: Partial<RunTaskOptions> = {}, data: Record<string, string> = {}) {
    return runTask({
      taskDir,
      cwd: work,
      inputs: { azureSubscription: CONN, resourceGroupName: 'rg-apim', serviceName: SVC, ...inputs },
      endpoints: [
        {
          id: CONN,
          url: `${emu.arm.url}/`,
          scheme: auth.scheme,
          parameters: auth.parameters,
          data: { environment: 'AzureCloud', subscriptionId: SUB, subscriptionName: 'Contoso', activeDirectoryAuthority: `${emu.entra.url}/`, ...data },
        },
      ],
      certificates: { caInfo: emu.caFile },
      ...more,
    });
  }

  function ok(r: RunTaskResult): RunTaskResult {
    assert.equal(r.effectiveResult, 'Succeeded', `${r.resultMessage}\n${r.stdout}\n${r.stderr}`);
    return r;
  }

  function output(r: RunTaskResult, name: string): string | undefined {
    return r.variables.find((v) => v.name === name)?.value;
  }

  async function get(subPath: string): Promise<Record<string, any>> {
    const reply = await emu.apim!.invoke(SVC, 'GET', subPath);
    assert.equal(reply.status, 200, `GET ${subPath}: ${JSON.stringify(reply.body)}`);
    return reply.body as Record<string, any>;
  }

  async function status(subPath: string, method = 'GET'): Promise<number> {
    return (await emu.apim!.invoke(SVC, method, subPath)).status;
  }

  const petsInputs = {
    action: 'api',
    apiId: 'pets',
    specFile: 'petstore.yaml',
    apiPath: 'pets',
    serviceUrl: 'https://pets.backend.contoso.com',
    apiDisplayName: 'Pets',
    products: 'starter',
    apiTags: 'public',
    policySource: 'template',
    policyTemplate: '- rateLimitByKey: { calls: 100, renewalPeriod: 60 }\n- cors: { allowedOrigins: [https://app.contoso.com], allowedMethods: [GET, POST] }\n',
    operationPoliciesFolder: 'ops',
  };

  it('api: creates the API with policies, product link and outputs (service principal secret); a re-run writes nothing', async () => {
    const r = ok(await run(petsInputs));
    assert.equal(output(r, 'apiId'), 'pets');
    assert.equal(output(r, 'apiRevision'), '1');
    assert.equal(output(r, 'gatewayUrl'), `https://${SVC}.azure-api.net/pets`);
    const api = await get('/apis/pets');
    assert.equal(api.properties.displayName, 'Pets');
    assert.equal(api.properties.serviceUrl, 'https://pets.backend.contoso.com');
    const policy = await get('/apis/pets/policies/policy?format=rawxml');
    assert.match(policy.properties.value, /<cors allow-credentials="false"/);
    assert.match(policy.properties.value, /rate-limit-by-key calls="100"/);
    const opPolicy = await get('/apis/pets/operations/showPetById/policies/policy?format=rawxml');
    assert.match(opPolicy.properties.value, /<value>show<\/value>/);
    assert.ok((await status('/products/starter/apis/pets', 'HEAD')) < 300, 'linked to the product');
    assert.ok(!`${r.stdout}${r.stderr}`.split('\n').some((l) => !l.startsWith('##vso[task.setsecret]') && l.includes(SECRET)), 'secret not printed');

    const writes = emu.apim!.writes;
    const writeRequests = emu.apim!.writeRequests;
    const again = ok(await run(petsInputs));
    assert.equal(emu.apim!.writes, writes, 'no state change on the re-run');
    assert.equal(emu.apim!.writeRequests, writeRequests, `no write request at all on the re-run:\n${again.stdout.split('\n').filter((l) => !l.startsWith('##')).join('\n')}`);
    assert.equal(output(again, 'writeCount'), '0');
    assert.match(again.stdout, /unchanged, nothing written/);
  });

  it('api: re-import of a changed definition keeps the backend URL, display name and description', async () => {
    const inputs = { action: 'api', apiId: 'keep', specFile: 'petstore.yaml', apiPath: 'keep', serviceUrl: 'https://keep.backend.contoso.com', apiDisplayName: 'Keep me', apiDescription: 'Our words' };
    ok(await run(inputs));
    fs.writeFileSync(path.join(work, 'petstore-changed.yaml'), fs.readFileSync(path.join(work, 'petstore.yaml'), 'utf8').replace('showPetById', 'getPet'));
    ok(await run({ action: 'api', apiId: 'keep', specFile: 'petstore-changed.yaml', apiPath: 'keep' }));
    const api = await get('/apis/keep');
    assert.equal(api.properties.serviceUrl, 'https://keep.backend.contoso.com');
    assert.equal(api.properties.displayName, 'Keep me');
    assert.equal(api.properties.description, 'Our words');
    assert.equal(await status('/apis/keep/operations/getPet'), 200, 'the changed definition was imported');
  });

  it('api: revision flow — new revision, then make it current, then retire the old one', async () => {
    const base = { action: 'api', apiId: 'rev', apiPath: 'rev', serviceUrl: 'https://rev.backend.contoso.com' };
    ok(await run({ ...base, specFile: 'petstore.yaml' }));
    const r2 = ok(await run({ ...base, specFile: 'petstore-changed.yaml', revisionMode: 'newRevision', revisionDescription: 'getPet' }));
    assert.equal(output(r2, 'apiRevision'), '2');
    assert.equal((await get('/apis/rev')).properties.apiRevision, '1', 'revision 2 is not current yet');
    assert.equal(await status('/apis/rev;rev=2/operations/getPet'), 200);

    const writes = emu.apim!.writes;
    ok(await run({ ...base, specFile: 'petstore-changed.yaml', revisionMode: 'newRevision' }));
    assert.equal(emu.apim!.writes, writes, 'unchanged definition: no third revision');

    const r3 = ok(await run({ ...base, specFile: 'petstore-changed.yaml', revisionMode: 'newRevisionCurrent', releaseNotes: 'getPet is live', retireRevisions: 'delete', keepRevisions: '1' }));
    assert.equal(output(r3, 'apiRevision'), '2');
    assert.equal((await get('/apis/rev')).properties.apiRevision, '2');
    const revisions = (await get('/apis/rev/revisions')).value as Array<{ properties?: { apiRevision: string }; apiRevision?: string }>;
    assert.deepEqual(revisions.map((x) => x.apiRevision ?? x.properties?.apiRevision), ['2']);
  });

  for (const [scheme, extra] of [
    ['Segment', {}],
    ['Header', { versionHeaderName: 'X-Api-Version' }],
    ['Query', { versionQueryName: 'v' }],
  ] as const) {
    it(`api: a version in a version set (${scheme})`, async () => {
      const id = `orders-${scheme.toLowerCase()}-v2`;
      const r = ok(await run({ action: 'api', apiId: id, specFile: 'petstore-v2.json', apiPath: `orders-${scheme.toLowerCase()}`, apiVersion: 'v2', versioningScheme: scheme, ...extra }));
      const vsId = `orders-${scheme.toLowerCase()}-versions`;
      const vs = await get(`/apiVersionSets/${vsId}`);
      assert.equal(vs.properties.versioningScheme, scheme);
      if (scheme === 'Header') assert.equal(vs.properties.versionHeaderName, 'X-Api-Version');
      if (scheme === 'Query') assert.equal(vs.properties.versionQueryName, 'v');
      const api = await get(`/apis/${id}`);
      assert.equal(api.properties.apiVersion, 'v2');
      assert.match(api.properties.apiVersionSetId, new RegExp(`/apiVersionSets/${vsId}$`, 'i'));
      assert.equal(output(r, 'gatewayUrl'), `https://${SVC}.azure-api.net/orders-${scheme.toLowerCase()}${scheme === 'Segment' ? '/v2' : ''}`);
    });
  }

  it('api: WSDL (SOAP pass-through) and GraphQL definitions', async () => {
    ok(await run({ action: 'api', apiId: 'calc', specFile: 'calculator.wsdl', apiPath: 'calc', soapApiType: 'soap', apiDescription: 'Calculator' }));
    assert.equal((await get('/apis/calc')).properties.type, 'soap');
    assert.equal((await get('/apis/calc')).properties.description, 'Calculator');
    ok(await run({ action: 'api', apiId: 'library', specFile: 'library.graphql', apiPath: 'library', serviceUrl: 'https://library.backend.contoso.com/graphql' }));
    assert.equal((await get('/apis/library')).properties.type, 'graphql');
    const ops = (await get('/apis/library/operations')).value as unknown[];
    assert.ok(ops.length > 0, 'the schema produced operations');
  });

  it('api: policy templates for X-Forwarded-For ip filtering and Entra validate-jwt are rendered and accepted', async () => {
    const template = [
      '- ipFilter: { action: allow, ranges: [10.0.0.0/8], addresses: [203.0.113.7], clientAddressFrom: x-forwarded-for, trustedProxyHops: 1, proxyRanges: [172.16.0.0/24] }',
      `- validateJwt: { tenantId: ${TENANT}, audiences: [api://pets], requiredClaims: { roles: [Pets.Read] } }`,
      '- rateLimitByKey: { calls: 5, key: clientIp }',
    ].join('\n');
    ok(await run({ action: 'api', apiId: 'guarded', specFile: 'petstore.yaml', apiPath: 'guarded', policySource: 'template', policyTemplate: template }));
    const xml = (await get('/apis/guarded/policies/policy?format=rawxml')).properties.value as string;
    assert.match(xml, /<ip-filter action="allow"><address-range from="172\.16\.0\.0" to="172\.16\.0\.255" \/><\/ip-filter>/);
    assert.match(xml, /X-Forwarded-For/);
    assert.match(xml, /<openid-config url="https:\/\/login\.microsoftonline\.com\/[^/]+\/v2\.0\/\.well-known\/openid-configuration" \/>/);
    assert.match(xml, /<claim name="roles" match="any"><value>Pets\.Read<\/value><\/claim>/);
  });

  describe('invalid inputs fail clearly and write nothing', () => {
    const cases: Array<[string, () => Record<string, string>, RegExp]> = [
      ['malformed policy XML (file:line)', () => {
        fs.writeFileSync(path.join(work, 'broken.xml'), '<policies>\n  <inbound>\n    <base />\n  </inbund>\n</policies>\n');
        return { policySource: 'file', policyFile: 'broken.xml' };
      }, /broken\.xml:4:\d+: policy XML is not well-formed/],
      ['a named value that does not exist', () => {
        fs.writeFileSync(path.join(work, 'nv.xml'), POLICY.replace('{{op-name}}', '{{no-such-value}}'));
        return { policySource: 'file', policyFile: 'nv.xml' };
      }, /nv\.xml:4: named value '\{\{no-such-value\}\}' does not exist/],
      ['a definition that does not parse', () => {
        fs.writeFileSync(path.join(work, 'bad.json'), '{ "openapi": "3.0.1", "info": { "title": "x" }, "paths": { "/a": { } ');
        return { specFile: 'bad.json' };
      }, /bad\.json(:\d+)?: not valid JSON/],
      ['a definition file that does not exist (the path looked at)', () => ({ specFile: 'no-such-spec.yaml' }), /no-such-spec\.yaml: cannot read: no such file \(looked for .*no-such-spec\.yaml\); check the path/],
      ['a definition path that is a folder', () => ({ specFile: 'ops' }), /ops: cannot read: .*ops is a folder; give the path of a file/],
      ['an operation policies folder that is a file', () => ({ operationPoliciesFolder: 'petstore.yaml' }), /petstore\.yaml: cannot list the folder: .*petstore\.yaml is not a folder/],
      ['an operation policy for an unknown operation', () => {
        fs.mkdirSync(path.join(work, 'ops-bad'), { recursive: true });
        fs.writeFileSync(path.join(work, 'ops-bad', 'nosuchOp.xml'), POLICY);
        return { operationPoliciesFolder: 'ops-bad' };
      }, /nosuchOp\.xml: the definition has no operation 'nosuchop'/],
    ];
    for (const [name, prepare, expected] of cases) {
      it(name, async () => {
        const before = emu.apim!.writeRequests;
        const r = await run({ action: 'api', apiId: 'never', specFile: 'petstore.yaml', apiPath: 'never', products: 'starter', ...prepare() });
        assert.equal(r.effectiveResult, 'Failed');
        assert.match(r.resultMessage ?? '', expected);
        assert.equal(emu.apim!.writeRequests, before, 'no write request was sent');
        assert.equal(await status('/apis/never'), 404);
      });
    }
  });

  it('api: retries an injected 429 on the import and completes', async () => {
    emu.arm.faults.add({ method: 'PUT', path: /\/apis\/throttled$/, status: 429, retryAfterSeconds: 1, times: 1 });
    const start = emu.arm.requests.length;
    ok(await run({ action: 'api', apiId: 'throttled', specFile: 'petstore.yaml', apiPath: 'throttled' }));
    const puts = emu.arm.requests.slice(start).filter((q) => q.method === 'PUT' && /\/apis\/throttled$/.test(q.path));
    assert.deepEqual(puts.map((p) => p.status).slice(0, 2), [429, 201]);
  });

  it('api: a failed long-running import fails the task with the service message', async () => {
    emu.apim!.failApiPuts(1, { code: 'ValidationError', message: 'Injected failure: the API import failed.' });
    const r = await run({ action: 'api', apiId: 'lro-fails', specFile: 'petstore.yaml', apiPath: 'lro-fails' });
    assert.equal(r.effectiveResult, 'Failed');
    assert.match(r.resultMessage ?? '', /lro-fails/);
    assert.match(r.resultMessage ?? '', /Injected failure|failed/i);
    assert.equal(await status('/apis/lro-fails'), 404);
  });

  it('product: creates it with groups and a policy; re-run unchanged; Consumption skips groups with a warning', async () => {
    const inputs = { action: 'product', productId: 'gold', productDisplayName: 'Gold', productState: 'published', productSubscriptionRequired: 'true', productApprovalRequired: 'true', productSubscriptionsLimit: '3', productGroups: 'developers', policySource: 'template', policyTemplate: '- quotaByKey: { calls: 1000, renewalPeriod: 3600, key: subscription }' };
    const r = ok(await run(inputs));
    assert.equal(output(r, 'productId'), 'gold');
    const p = await get('/products/gold');
    assert.equal(p.properties.state, 'published');
    assert.equal(p.properties.subscriptionsLimit, 3);
    assert.ok((await status('/products/gold/groups/developers', 'HEAD')) < 300, 'group linked');
    assert.match((await get('/products/gold/policies/policy?format=rawxml')).properties.value, /quota-by-key calls="1000"/);
    const before = emu.apim!.writeRequests;
    ok(await run(inputs));
    assert.equal(emu.apim!.writeRequests, before);

    const c = ok(await run({ ...inputs, serviceName: 'apim-consumption', policySource: 'none' }));
    assert.ok(c.issues.some((i) => i.type === 'warning' && /Consumption tier, which has no groups/.test(i.message)));
  });

  it('globalPolicy: sets the service policy (no <base /> at that scope); a re-run writes nothing', async () => {
    const inputs = { action: 'globalPolicy', policySource: 'template', policyTemplate: '- checkHeader: { name: X-Env, values: [prod], failedCheckHttpCode: 403 }' };
    ok(await run(inputs));
    const xml = (await get('/policies/policy?format=rawxml')).properties.value as string;
    assert.match(xml, /<check-header name="X-Env"/);
    assert.doesNotMatch(xml, /<base/);
    const before = emu.apim!.writeRequests;
    ok(await run(inputs));
    assert.equal(emu.apim!.writeRequests, before);
  });

  it('releaseRevision: makes the newest revision current and takes older ones offline (a service that applies isOnline)', async () => {
    const base = { action: 'api', serviceName: 'apim-applies', apiId: 'rel', apiPath: 'rel', serviceUrl: 'https://rel.backend.contoso.com' };
    ok(await run({ ...base, specFile: 'petstore.yaml' }));
    ok(await run({ ...base, specFile: 'petstore-changed.yaml', revisionMode: 'newRevision' }));
    const r = ok(await run({ action: 'releaseRevision', serviceName: 'apim-applies', apiId: 'rel', releaseNotes: 'ship it', retireRevisions: 'offline', keepRevisions: '1' }));
    assert.equal(output(r, 'apiRevision'), '2');
    assert.equal(((await emu.apim!.invoke('apim-applies', 'GET', '/apis/rel')).body as { properties: { apiRevision: string } }).properties.apiRevision, '2');
    assert.equal(((await emu.apim!.invoke('apim-applies', 'GET', '/apis/rel;rev=1')).body as { properties: { isOnline: boolean } }).properties.isOnline, false);
    assert.deepEqual(r.issues.filter((i) => i.type === 'warning'), []);
    const before = emu.apim!.writeRequests;
    ok(await run({ action: 'releaseRevision', serviceName: 'apim-applies', apiId: 'rel', retireRevisions: 'offline', keepRevisions: '1' }));
    assert.equal(emu.apim!.writeRequests, before, 'already current and offline: nothing to do');
  });

  it('releaseRevision: a revision the service leaves online fails the task (offlineCheck fail), or warns (offlineCheck warn)', async () => {
    const base = { action: 'api', apiId: 'rel-ignored', apiPath: 'rel-ignored', serviceUrl: 'https://rel.backend.contoso.com' };
    ok(await run({ ...base, specFile: 'petstore.yaml' }));
    ok(await run({ ...base, specFile: 'petstore-changed.yaml', revisionMode: 'newRevision' }));
    const failed = await run({ action: 'releaseRevision', apiId: 'rel-ignored', retireRevisions: 'offline', keepRevisions: '1' });
    assert.equal(failed.effectiveResult, 'Failed');
    assert.match(failed.resultMessage ?? '', /Revision 1 of API 'rel-ignored' is still online after the request to take it offline/);
    assert.equal((await get('/apis/rel-ignored')).properties.apiRevision, '2', 'the release itself was made');
    assert.equal((await get('/apis/rel-ignored;rev=1')).properties.isOnline, true);
    const warned = ok(await run({ action: 'releaseRevision', apiId: 'rel-ignored', retireRevisions: 'offline', keepRevisions: '1', offlineCheck: 'warn' }));
    assert.ok(warned.issues.some((i) => i.type === 'warning' && /Revision 1 of API 'rel-ignored' is still online/.test(i.message)), JSON.stringify(warned.issues));
  });

  describe('namedValue and backend', () => {
    const NV_SECRET = 'nv-Secret-e2e-5d81c0a7';

    /**
     * Lines of the task's output that show a value, other than its setsecret command. Secret inputs
     * are read without task-lib's `##vso[task.debug]<input>=<value>` echo (TaskHost.getSecretInput),
     * so that line counts too: the debug log says `<input>=***` instead.
     */
    function linesShowing(r: RunTaskResult, value: string): string[] {
      return `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.includes(value) && !l.startsWith('##vso[task.setsecret]'));
    }

    it('namedValue: a secret value is created, masked, unchanged on re-run (compared through listValue), and a change is one write', async () => {
      const inputs = { action: 'namedValue', namedValueId: 'orders-key', namedValueValue: NV_SECRET, namedValueTags: 'orders' };
      const before = emu.apim!.writes;
      const first = emu.arm.requests.length;
      const r = ok(await run(inputs));
      assert.equal(output(r, 'namedValueId'), 'orders-key');
      assert.equal(emu.apim!.writes, before + 1);
      assert.ok(r.commands.some((c) => c.command === 'task.setsecret' && c.message === NV_SECRET), 'registered with the agent');
      assert.deepEqual(linesShowing(r, NV_SECRET), [], 'the secret is printed nowhere else');
      const nv = await get('/namedValues/orders-key');
      assert.equal(nv.properties.secret, true);
      assert.equal(nv.properties.value, undefined, 'GET does not return a secret value');
      assert.deepEqual(nv.properties.tags, ['orders']);
      assert.equal(((await emu.apim!.invoke(SVC, 'POST', '/namedValues/orders-key/listValue')).body as { value: string }).value, NV_SECRET);
      const lroPolls = emu.arm.requests.slice(first).filter((q) => q.method === 'GET' && /\/operation(Statuses|Results)\//.test(q.path)).length;
      assert.ok(lroPolls >= 2, 'the PUT was awaited as a long-running operation (status polls, then the final GET)');

      const start = emu.arm.requests.length;
      const writeRequests = emu.apim!.writeRequests;
      const again = ok(await run(inputs));
      assert.equal(emu.apim!.writeRequests, writeRequests, 'no write request on the re-run');
      assert.equal(output(again, 'writeCount'), '0');
      assert.match(again.stdout, /Named value 'orders-key': unchanged, nothing written\./);
      assert.ok(emu.arm.requests.slice(start).some((q) => q.method === 'POST' && /\/namedValues\/orders-key\/listValue$/.test(q.path)), 'compared with listValue');
      assert.deepEqual(linesShowing(again, NV_SECRET), []);

      // With System.Debug, where a leak would show: the SDK and HTTP layers log at debug level.
      const rotated = ok(await run({ ...inputs, namedValueValue: `${NV_SECRET}-rotated` }, spnKey, { variables: { 'System.Debug': 'true' } }));
      assert.equal(emu.apim!.writeRequests, writeRequests + 1, 'one write');
      assert.equal(output(rotated, 'writeCount'), '1');
      assert.match(rotated.stdout, /Update named value 'orders-key' \(secret value\): value changed/);
      assert.deepEqual(linesShowing(rotated, `${NV_SECRET}-rotated`), []);
      assert.deepEqual(linesShowing(rotated, NV_SECRET), [], 'nor the old value listValue returned');
      assert.ok(rotated.stdout.split('\n').filter((l) => l.startsWith('##vso[task.debug]')).length > 10, 'debug output was on');
      assert.ok(rotated.stdout.split('\n').includes('##vso[task.debug]namedValueValue=***'), 'the quiet read is logged without its value');
    });

    it('namedValue: a Key Vault reference with a user-assigned identity; re-run unchanged', async () => {
      const inputs = {
        action: 'namedValue', namedValueId: 'kv-key', namedValueDisplayName: 'kv.key', namedValueSource: 'keyVault',
        namedValueKeyVaultSecret: 'https://contoso-kv.vault.azure.net/secrets/orders-key', namedValueIdentityClientId: '0f0e0d0c-0000-4000-8000-000000000001',
      };
      ok(await run(inputs));
      const nv = await get('/namedValues/kv-key');
      assert.equal(nv.properties.displayName, 'kv.key');
      assert.equal(nv.properties.secret, true);
      assert.deepEqual({ ...nv.properties.keyVault, lastStatus: undefined }, { secretIdentifier: inputs.namedValueKeyVaultSecret, identityClientId: inputs.namedValueIdentityClientId, lastStatus: undefined });
      const writeRequests = emu.apim!.writeRequests;
      const again = ok(await run(inputs));
      assert.equal(emu.apim!.writeRequests, writeRequests);
      assert.match(again.stdout, /Named value 'kv-key': unchanged/);
    });

    it('backend: header credential referencing a named value; re-run unchanged; a URL change is one write; TLS off warns', async () => {
      const inputs = {
        action: 'backend', backendId: 'orders-func', backendUrl: 'https://orders-func.azurewebsites.net/api', backendTitle: 'Orders functions',
        backendResourceId: `https://management.azure.com/subscriptions/${SUB}/resourceGroups/rg-apim/providers/Microsoft.Web/sites/orders-func`,
        backendHeaders: 'x-functions-key: {{op-name}}', backendAuthScheme: 'Basic', backendAuthParameter: 'b3JkZXJzOnMzY3JldA==',
      };
      const r = ok(await run(inputs, spnKey, { variables: { 'System.Debug': 'true' } }));
      assert.equal(output(r, 'backendId'), 'orders-func');
      const b = await get('/backends/orders-func');
      assert.equal(b.properties.url, inputs.backendUrl);
      assert.equal(b.properties.protocol, 'http');
      assert.deepEqual(b.properties.tls, { validateCertificateChain: true, validateCertificateName: true });
      assert.deepEqual(b.properties.credentials.header, { 'x-functions-key': ['{{op-name}}'] });
      assert.deepEqual(linesShowing(r, inputs.backendAuthParameter), [], 'the authorization parameter is masked');

      const writeRequests = emu.apim!.writeRequests;
      const again = ok(await run(inputs));
      assert.equal(emu.apim!.writeRequests, writeRequests, 'no write on the re-run');
      assert.match(again.stdout, /Backend 'orders-func': unchanged, nothing written\./);

      const moved = ok(await run({ ...inputs, backendUrl: 'https://orders-func-v2.azurewebsites.net/api', backendValidateCertificateName: 'false' }));
      assert.equal(emu.apim!.writeRequests, writeRequests + 1, 'one write');
      const after = await get('/backends/orders-func');
      assert.equal(after.properties.url, 'https://orders-func-v2.azurewebsites.net/api');
      assert.deepEqual(after.properties.tls, { validateCertificateChain: true, validateCertificateName: false });
      assert.equal(after.properties.title, 'Orders functions');
      assert.ok(moved.issues.some((i) => i.type === 'warning' && /validateCertificateName turned off/.test(i.message)));
    });

    it('backend: a key in the backend URL (code=) is registered and shown nowhere, even with System.Debug', async () => {
      const key = 'fn-url-key-3e9d41b7';
      const url = `https://orders-url.azurewebsites.net/api?code=${key}`;
      const r = ok(await run({ action: 'backend', backendId: 'orders-url', backendUrl: url }, spnKey, { variables: { 'System.Debug': 'true' } }));
      assert.equal((await get('/backends/orders-url')).properties.url, url);
      assert.ok(r.commands.some((c) => c.command === 'task.setsecret' && c.message === key), 'registered with the agent');
      assert.deepEqual(linesShowing(r, key), [], 'the key is printed nowhere');
      assert.match(r.stdout, /Create backend 'orders-url' \(https:\/\/orders-url\.azurewebsites\.net\/api\?code=\*\*\*\)/);
      // An invalid URL fails before anything is registered: the input error shows it redacted.
      const bad = await run({ action: 'backend', backendId: 'orders-url', backendUrl: `https://orders-url.azurewebsites.net:99999/api?code=${key}` }, spnKey, { variables: { 'System.Debug': 'true' } });
      assert.equal(bad.effectiveResult, 'Failed');
      assert.match(bad.resultMessage ?? '', /Input 'backendUrl': .*code=\*\*\*/);
      assert.deepEqual(linesShowing(bad, key), [], bad.resultMessage);
    });

    it('backend: a referenced named value that does not exist fails clearly and writes nothing', async () => {
      const writeRequests = emu.apim!.writeRequests;
      const r = await run({ action: 'backend', backendId: 'never-backend', backendUrl: 'https://never.example', backendHeaders: 'x-key: {{no-such-key}}' });
      assert.equal(r.effectiveResult, 'Failed');
      assert.match(r.resultMessage ?? '', /Backend 'never-backend' references named values that do not exist in the service: \{\{no-such-key\}\} \(backendHeaders 'x-key'\)/);
      assert.equal(emu.apim!.writeRequests, writeRequests);
      assert.equal(await status('/backends/never-backend'), 404);
    });
  });

  describe('every AzureRM scheme', () => {
    const inputs = { action: 'api', apiId: 'auth', specFile: 'petstore.yaml', apiPath: 'auth' };

    it('a connection whose subscriptionId is not a GUID fails naming the connection and the field, and writes nothing', async () => {
      const before = emu.apim!.writeRequests;
      const r = await run(inputs, spnKey, {}, { subscriptionId: 'sub-a' });
      assert.equal(r.effectiveResult, 'Failed');
      assert.match(r.resultMessage ?? '', new RegExp(`Service connection '${CONN}': subscriptionId 'sub-a' must be a subscription id \\(a GUID`));
      assert.doesNotMatch(r.resultMessage ?? '', /Unexpected error|uuid/);
      assert.equal(emu.apim!.writeRequests, before);
    });

    it('service principal with a certificate', async () => {
      const cert = createServicePrincipalCertificate('srk-apim');
      const clientId = 'a1a1a1a1-0000-4000-8000-00000000a002';
      emu.entra.registerClient({ tenantId: TENANT, clientId, certificatePem: cert.certPem });
      ok(await run(inputs, { scheme: 'ServicePrincipal', parameters: { tenantid: TENANT, serviceprincipalid: clientId, authenticationType: 'spnCertificate', servicePrincipalCertificate: `${cert.certPem}\n${cert.keyPem}` } }));
      assert.equal(await status('/apis/auth'), 200);
    });

    it('managed identity', async () => {
      const clientId = 'a1a1a1a1-0000-4000-8000-00000000a004';
      emu.msi.addUserAssigned({ clientId, tenantId: TENANT });
      const r = ok(await run(inputs, { scheme: 'ManagedServiceIdentity', parameters: { tenantid: TENANT } }, { env: emu.msi.appServiceEnv }, { msiclientId: clientId }));
      assert.equal(output(r, 'writeCount'), '0');
    });

    it('workload identity federation', async () => {
      const clientId = 'a1a1a1a1-0000-4000-8000-00000000a003';
      const subject = emu.oidc.registerServiceConnection({ id: CONN, name: 'apim-wif' });
      emu.entra.registerClient({ tenantId: TENANT, clientId, federatedSubject: subject });
      const r = ok(
        await run(inputs, { scheme: 'WorkloadIdentityFederation', parameters: { tenantid: TENANT, serviceprincipalid: clientId } }, {
          systemConnection: { collectionUri: emu.oidc.collectionUri, accessToken: emu.oidc.systemAccessToken },
          variables: { 'System.OidcRequestUri': emu.oidc.requestUri },
        }),
      );
      assert.equal(output(r, 'writeCount'), '0');
    });
  });
});
