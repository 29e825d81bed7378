import * as assert from 'node:assert/strict';
import { deployApi, specTagId } from '../../tasks/ApimDeploy/core/deploy-api';
import type { ApiPut } from '../../tasks/ApimDeploy/core/gateway';
import { ApimHarness } from './apim-harness';
import { apiSettings, fakeDeps, PETS_V3, POLICY } from './helpers';

const FILES = {
  'specs/pets.yaml': PETS_V3,
  'policies/api.xml': POLICY,
  'ops/listPets.xml': POLICY.replace('test', 'list'),
  'ops/getPet.xml': POLICY.replace('test', 'get'),
};

describe('ApimDeploy core: api action', () => {
  it('creates an API from an OpenAPI 3 YAML file with policies, and reports outputs', async () => {
    const { deps, apim } = fakeDeps(FILES);
    const out = await deployApi(
      apiSettings({ displayName: 'Pets', serviceUrl: 'https://backend.contoso.com', policy: { kind: 'document', source: { kind: 'file', path: 'policies/api.xml' } }, operationPolicies: { folder: 'ops', files: [] } }),
      deps,
    );
    assert.equal(out.apiId, 'pets');
    assert.equal(out.apiRevision, '1');
    assert.equal(out.gatewayUrl, 'https://svc.azure-api.net/pets');
    const api = await apim.gateway.getApi('pets');
    assert.equal(api?.displayName, 'Pets');
    assert.equal(api?.serviceUrl, 'https://backend.contoso.com');
    assert.ok((await apim.policy({ kind: 'api', apiId: 'pets' }))?.includes('x-env'));
    assert.ok((await apim.policy({ kind: 'operation', apiId: 'pets', operationId: 'listPets' }))?.includes('list'));
    assert.ok((await apim.policy({ kind: 'operation', apiId: 'pets', operationId: 'getPet' }))?.includes('get'));
    assert.ok(out.writes > 0);
  });

  it('a second run with the same inputs writes nothing and says unchanged', async () => {
    const { deps, apim, logger } = fakeDeps(FILES);
    const settings = apiSettings({ displayName: 'Pets', tags: ['public'], policy: { kind: 'document', source: { kind: 'file', path: 'policies/api.xml' } }, operationPolicies: { folder: 'ops', files: [] } });
    await deployApi(settings, deps);
    apim.resetWrites();
    const out = await deployApi(settings, deps);
    assert.deepEqual(apim.writes, []);
    assert.equal(out.writes, 0);
    assert.ok(logger.lines.some((l) => /unchanged, nothing written/.test(l)));
  });

  it('re-import keeps the backend URL, display name and description the user set (or that the API had)', async () => {
    const { deps, apim } = fakeDeps({ ...FILES });
    await deployApi(apiSettings({ serviceUrl: 'https://backend.contoso.com', displayName: 'Pets API', description: 'Ours' }), deps);
    // The next run gives no backend / name / description: the import must not take the spec's.
    const files2 = { ...FILES, 'specs/pets.yaml': PETS_V3.replace('/pets/{id}', '/pets/{petId}').replace('name: id', 'name: petId') };
    const second = fakeDeps(files2, apim);
    await deployApi(apiSettings(), second.deps);
    const api = await apim.gateway.getApi('pets');
    assert.equal(api?.serviceUrl, 'https://backend.contoso.com');
    assert.equal(api?.displayName, 'Pets API');
    assert.equal(api?.description, 'Ours');
    assert.ok((await apim.gateway.listOperations('pets')).some((o) => o.urlTemplate === '/pets/{petId}'), 'the new definition was imported');
  });

  it('records the definition fingerprint as a tag and re-imports only when the definition changes', async () => {
    const { deps, apim } = fakeDeps(FILES);
    await deployApi(apiSettings(), deps);
    const first = await apim.gateway.getTag(specTagId('pets'));
    assert.match(first ?? '', /^spec-sha256-[0-9a-f]{40}-rev1$/);
    const changed = fakeDeps({ ...FILES, 'specs/pets.yaml': `${PETS_V3}  /owners:\n    get:\n      operationId: listOwners\n      responses: { '200': { description: ok } }\n` }, apim);
    apim.resetWrites();
    await deployApi(apiSettings(), changed.deps);
    assert.ok(apim.writes.includes('PUT /apis/pets'));
    assert.notEqual(await apim.gateway.getTag(specTagId('pets')), first);
  });

  it('changes only properties by PATCH (with the ETag) when the definition is unchanged', async () => {
    const { deps, apim } = fakeDeps(FILES);
    await deployApi(apiSettings(), deps);
    apim.resetWrites();
    await deployApi(apiSettings({ displayName: 'Renamed', subscriptionRequired: false }), deps);
    assert.deepEqual(apim.writes, ['PATCH /apis/pets']);
    const api = await apim.gateway.getApi('pets');
    assert.equal(api?.displayName, 'Renamed');
    assert.equal(api?.subscriptionRequired, false);
  });

  describe('nothing is written when an input is invalid', () => {
    const cases: Array<[string, Record<string, string>, Partial<Parameters<typeof apiSettings>[0]>, RegExp]> = [
      ['malformed API policy XML, with file and line', { 'policies/api.xml': '<policies>\n  <inbound>\n    <base />\n  </inbnd>\n</policies>' }, { policy: { kind: 'document', source: { kind: 'file', path: 'policies/api.xml' } } }, /^policies\/api\.xml:4:\d+: policy XML is not well-formed/],
      ['malformed operation policy', { 'ops/listPets.xml': '<policies><inbound></policies>' }, { operationPolicies: { folder: 'ops', files: [] } }, /^ops\/listPets\.xml:1/],
      ['an operation policy for an operation the definition lacks', { 'ops/deletePet.xml': POLICY }, { operationPolicies: { folder: 'ops', files: [] } }, /ops\/deletePet\.xml.*no operation 'deletepet'/],
      ['a definition that is not OpenAPI', { 'specs/pets.yaml': 'info:\n  title: x\npaths: {}\n' }, {}, /specs\/pets\.yaml: no 'openapi: 3\.x\.y'/],
      ['a definition with a YAML error', { 'specs/pets.yaml': 'openapi: 3.0.1\ninfo:\n  title: [x\n' }, {}, /specs\/pets\.yaml:\d+.*not valid YAML/],
      ['a missing named value', { 'policies/api.xml': POLICY.replace('<value>test</value>', '<value>{{backend-key}}</value>') }, { policy: { kind: 'document', source: { kind: 'file', path: 'policies/api.xml' } } }, /policies\/api\.xml:4: named value '\{\{backend-key\}\}' does not exist/],
      ['a product that does not exist', {}, { products: ['gold'] }, /Product 'gold' does not exist/],
      ['a WSDL with an external entity, naming the file and line', { 'specs/calc.wsdl': '<?xml version="1.0"?>\n<!DOCTYPE definitions [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n<definitions xmlns="http://schemas.xmlsoap.org/wsdl/">&xxe;</definitions>' }, { spec: { kind: 'file', path: 'specs/calc.wsdl' } }, /^specs\/calc\.wsdl:3: the WSDL declares an external entity/],
      ['an API policy with an external entity, naming the file and line', { 'policies/api.xml': '<!DOCTYPE policies [<!ENTITY xxe SYSTEM "https://attacker.example/x">]>\n<policies><inbound>&xxe;</inbound></policies>' }, { policy: { kind: 'document', source: { kind: 'file', path: 'policies/api.xml' } } }, /^policies\/api\.xml:1: the policy declares an external entity/],
    ];
    for (const [name, overrides, settings, expected] of cases) {
      it(name, async () => {
        const apim = new ApimHarness();
        const { deps } = fakeDeps({ ...FILES, ...overrides }, apim);
        await assert.rejects(deployApi(apiSettings(settings), deps), (err: Error) => {
          assert.match(err.message, expected);
          return true;
        });
        assert.deepEqual(apim.writes, []);
      });
    }

    it('a named value that exists passes (by display name)', async () => {
      const apim = new ApimHarness();
      await apim.put('/namedValues/nv1', { displayName: 'backend-key', value: 'k' });
      const { deps } = fakeDeps({ ...FILES, 'policies/api.xml': POLICY.replace('<value>test</value>', '<value>{{backend-key}}</value>') }, apim);
      await deployApi(apiSettings({ policy: { kind: 'document', source: { kind: 'file', path: 'policies/api.xml' } } }), deps);
      assert.ok((await apim.policy({ kind: 'api', apiId: 'pets' }))?.includes('{{backend-key}}'));
    });
  });

  it('imports a spec from a URL (fetched and checked locally, sent inline)', async () => {
    const { deps, apim } = fakeDeps({}, new ApimHarness(), { 'https://specs.contoso.com/pets.yaml': PETS_V3 });
    await deployApi(apiSettings({ spec: { kind: 'url', url: 'https://specs.contoso.com/pets.yaml' } }), deps);
    assert.equal((await apim.gateway.listOperations('pets')).length, 3);
  });

  it('names a definition URL in logs and errors without its SAS signature', async () => {
    const url = 'https://st.blob.core.windows.net/specs/pets.yaml?sv=2022-11-02&sp=r&sig=c2FzLXNpZ25hdHVyZS12YWx1ZQ%3D%3D';
    const { deps, logger } = fakeDeps({}, new ApimHarness(), { [url]: PETS_V3 });
    await deployApi(apiSettings({ spec: { kind: 'url', url } }), deps);
    assert.ok(logger.lines.some((l) => /Create API 'pets' from https:\/\/st\.blob\.core\.windows\.net\/specs\/pets\.yaml\?.*sig=\*\*\*/.test(l)), logger.lines.join('\n'));
    assert.ok(!logger.lines.some((l) => l.includes('c2FzLXNpZ25hdHVyZS12YWx1ZQ')), logger.lines.join('\n'));
    const broken = fakeDeps({}, new ApimHarness(), { [url]: 'openapi: 3.0.1\ninfo: [' });
    await assert.rejects(deployApi(apiSettings({ spec: { kind: 'url', url } }), broken.deps), (err: Error) => err.name === 'FileError' && !err.message.includes('c2FzLXNpZ25hdHVyZS12YWx1ZQ') && err.message.includes('sig=***'));
  });

  it('imports WSDL as SOAP pass-through and keeps the description WSDL import drops', async () => {
    const wsdl = `<?xml version="1.0"?>
<definitions name="Calc" xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:tns="urn:calc" targetNamespace="urn:calc">
  <portType name="CalcPort"><operation name="Add"/><operation name="Subtract"/></portType>
  <binding name="b" type="tns:CalcPort"><soap:binding transport="http://schemas.xmlsoap.org/soap/http"/><operation name="Add"><soap:operation soapAction="urn:calc#Add"/></operation><operation name="Subtract"><soap:operation soapAction="urn:calc#Subtract"/></operation></binding>
  <service name="CalcService"><port name="CalcSoap" binding="tns:b"><soap:address location="https://soap.contoso.com/calc"/></port></service>
</definitions>`;
    const { deps, apim } = fakeDeps({ 'calc.wsdl': wsdl });
    await deployApi(apiSettings({ apiId: 'calc', path: 'calc', spec: { kind: 'file', path: 'calc.wsdl' }, description: 'Calculator', serviceUrl: 'https://soap.contoso.com', wsdl: { soapApiType: 'soap' } }), deps);
    const api = await apim.gateway.getApi('calc');
    assert.equal(api?.apiType, 'soap');
    assert.equal(api?.description, 'Calculator');
    // APIM names WSDL operations in lower case and keeps the WSDL name as the display name.
    const ops = await apim.gateway.listOperations('calc');
    assert.deepEqual(ops.map((o) => o.name).sort(), ['add', 'subtract']);
    assert.deepEqual(ops.map((o) => o.displayName).sort(), ['Add', 'Subtract']);
  });

  it('links products without touching other links, once', async () => {
    const apim = new ApimHarness();
    await apim.put('/products/starter', { displayName: 'Starter' });
    await apim.put('/products/unlimited', { displayName: 'Unlimited' });
    await apim.put('/apis/other', { displayName: 'Other', path: 'other', protocols: ['https'] });
    await apim.put('/products/unlimited/apis/other', {});
    const { deps } = fakeDeps(FILES, apim);
    await deployApi(apiSettings({ products: ['starter'] }), deps);
    assert.ok(await apim.gateway.isApiInProduct('starter', 'pets'));
    assert.ok(await apim.gateway.isApiInProduct('unlimited', 'other'));
    assert.ok(!(await apim.gateway.isApiInProduct('unlimited', 'pets')));
    apim.resetWrites();
    await deployApi(apiSettings({ products: ['starter'] }), deps);
    assert.deepEqual(apim.writes, []);
  });

  for (const scheme of ['Segment', 'Header', 'Query'] as const) {
    it(`creates a version set (${scheme}) and a versioned API in it`, async () => {
      const { deps, apim } = fakeDeps(FILES);
      const version = { version: 'v2', versionSetId: 'pets-vs', scheme, headerName: scheme === 'Header' ? 'X-Version' : undefined, queryName: scheme === 'Query' ? 'v' : undefined };
      const out = await deployApi(apiSettings({ apiId: 'pets-v2', version }), deps);
      const vs = await apim.gateway.getVersionSet('pets-vs');
      assert.equal(vs?.scheme, scheme);
      assert.equal(vs?.headerName, scheme === 'Header' ? 'X-Version' : undefined);
      assert.equal(vs?.queryName, scheme === 'Query' ? 'v' : undefined);
      const api = await apim.gateway.getApi('pets-v2');
      assert.equal(api?.apiVersion, 'v2');
      assert.match(api?.apiVersionSetId ?? '', /\/apiVersionSets\/pets-vs$/);
      assert.equal(out.gatewayUrl, scheme === 'Segment' ? 'https://svc.azure-api.net/pets/v2' : 'https://svc.azure-api.net/pets');
      apim.resetWrites();
      await deployApi(apiSettings({ apiId: 'pets-v2', version }), deps);
      assert.deepEqual(apim.writes, []);
    });
  }

  describe('revisions', () => {
    it('new revision: created only when something changed, left non-current; then released; old ones retired', async () => {
      const { deps, apim } = fakeDeps(FILES);
      await deployApi(apiSettings(), deps);
      const changedFiles = { ...FILES, 'specs/pets.yaml': PETS_V3.replace('listPets', 'listAllPets') };
      const second = fakeDeps(changedFiles, apim);
      const out = await deployApi(apiSettings({ revisionMode: 'newRevision', revisionDescription: 'rename' }), second.deps);
      assert.equal(out.apiRevision, '2');
      assert.equal(apim.current('pets'), 1, 'new revision is not current yet');
      assert.ok((await apim.gateway.listOperations('pets;rev=2')).some((o) => o.name === 'listAllPets'));
      assert.ok(!(await apim.gateway.listOperations('pets')).some((o) => o.name === 'listAllPets'));

      apim.resetWrites();
      await deployApi(apiSettings({ revisionMode: 'newRevision' }), second.deps);
      assert.deepEqual(apim.writes, [], 'unchanged: no third revision');

      const third = await deployApi(apiSettings({ revisionMode: 'newRevisionCurrent', releaseNotes: 'go live', retire: { action: 'delete', keep: 1 } }), second.deps);
      assert.equal(third.apiRevision, '2');
      assert.equal(apim.current('pets'), 2);
      assert.equal(apim.releases('pets').at(-1)?.notes, 'go live');
      assert.match(String(apim.releases('pets').at(-1)?.apiId ?? ''), /\/apis\/pets;rev=2$/);
      assert.deepEqual(apim.revisions('pets'), [2], 'revision 1 deleted');
    });

    it('an update run after a new, non-current revision imports into the current revision; then it is unchanged', async () => {
      const { deps, apim } = fakeDeps(FILES);
      await deployApi(apiSettings(), deps);
      const changed = fakeDeps({ ...FILES, 'specs/pets.yaml': PETS_V3.replace('listPets', 'listAllPets') }, apim);
      await deployApi(apiSettings({ revisionMode: 'newRevision' }), changed.deps);
      assert.ok(!(await apim.gateway.listOperations('pets')).some((o) => o.name === 'listAllPets'), 'the current revision still has the old definition');

      apim.resetWrites();
      const out = await deployApi(apiSettings({ revisionMode: 'update' }), changed.deps);
      assert.ok(apim.writes.includes('PUT /apis/pets'), `imported into the current revision: ${apim.writes.join(', ')}`);
      assert.ok((await apim.gateway.listOperations('pets')).some((o) => o.name === 'listAllPets'));
      assert.equal(out.apiRevision, '1');

      apim.resetWrites();
      await deployApi(apiSettings({ revisionMode: 'update' }), changed.deps);
      assert.deepEqual(apim.writes, [], 'unchanged on the next update run');
    });

    it('a failed import into a new revision deletes that revision, so the next run starts clean', async () => {
      const { deps, apim } = fakeDeps(FILES);
      await deployApi(apiSettings(), deps);
      const changed = fakeDeps({ ...FILES, 'specs/pets.yaml': PETS_V3.replace('listPets', 'listAllPets') }, apim);
      const put = apim.gateway.putApi.bind(apim.gateway);
      apim.gateway.putApi = async (id, body) => {
        if (id.includes(';rev=') && body.format) throw Object.assign(new Error('ValidationError: injected import failure'), { name: 'RestError', statusCode: 400 });
        return put(id, body);
      };
      await assert.rejects(deployApi(apiSettings({ revisionMode: 'newRevision' }), changed.deps), /injected import failure/);
      assert.deepEqual((await apim.gateway.listRevisions('pets')).map((r) => r.revision), [1], 'revision 2 removed');
      assert.ok(changed.logger.lines.some((l) => /Delete revision 'pets;rev=2', left incomplete/.test(l)), changed.logger.lines.join('\n'));

      apim.gateway.putApi = put;
      const out = await deployApi(apiSettings({ revisionMode: 'newRevision' }), changed.deps);
      assert.equal(out.apiRevision, '2', 'the next run makes revision 2 again, with the new definition');
      assert.ok((await apim.gateway.listOperations('pets;rev=2')).some((o) => o.name === 'listAllPets'));
    });

    it('a fingerprint tag written by task 1.0 (no revision in it) makes one re-import, then nothing', async () => {
      const { deps, apim } = fakeDeps(FILES);
      await deployApi(apiSettings(), deps);
      const tag = (await apim.gateway.getTag(specTagId('pets')))!;
      await apim.gateway.putTag(specTagId('pets'), tag.replace(/-rev1$/, ''));
      apim.resetWrites();
      await deployApi(apiSettings(), deps);
      assert.ok(apim.writes.includes('PUT /apis/pets'));
      apim.resetWrites();
      await deployApi(apiSettings(), deps);
      assert.deepEqual(apim.writes, []);
    });

    it('creating a revision sends the API path, which the specification requires in that body', async () => {
      const { deps, apim } = fakeDeps(FILES);
      await deployApi(apiSettings(), deps);
      const bodies: Array<[string, ApiPut]> = [];
      const put = apim.gateway.putApi.bind(apim.gateway);
      apim.gateway.putApi = (id, body) => {
        bodies.push([id, body]);
        return put(id, body);
      };
      const f = fakeDeps({ ...FILES, 'specs/pets.yaml': PETS_V3.replace('listPets', 'listAllPets') }, apim);
      const out = await deployApi(apiSettings({ revisionMode: 'newRevision', revisionDescription: 'renamed an operation' }), f.deps);
      assert.equal(out.apiRevision, '2');
      const [id, create] = bodies[0];
      assert.equal(id, 'pets;rev=2');
      assert.equal(create.path, 'pets');
      assert.match(create.sourceApiId ?? '', /\/apis\/pets$/);
      assert.deepEqual(apim.revisions('pets'), [1, 2]);
    });

    /** Three deploys that each make a new revision current, retiring all but 2 by taking them offline. */
    async function threeReleases(apim: ApimHarness, offlineCheck?: 'fail' | 'warn') {
      const { deps } = fakeDeps(FILES, apim);
      await deployApi(apiSettings(), deps);
      const logs: string[] = [];
      for (const op of ['a', 'b', 'c']) {
        const f = fakeDeps({ ...FILES, 'specs/pets.yaml': PETS_V3.replace('listPets', `list${op}`) }, apim);
        await deployApi(apiSettings({ revisionMode: 'newRevisionCurrent', retire: { action: 'offline', keep: 2, offlineCheck } }), f.deps);
        logs.push(...f.logger.lines);
      }
      return logs;
    }

    it('new revision and make current, in one run; retire by taking older ones offline (keep 2), on a service that applies isOnline', async () => {
      const apim = new ApimHarness({ isOnlinePatch: 'apply' });
      const logs = await threeReleases(apim);
      assert.equal(apim.current('pets'), 4);
      const revs = await apim.gateway.listRevisions('pets');
      assert.deepEqual(revs.map((r) => [r.revision, r.isOnline]).sort(), [[1, false], [2, false], [3, true], [4, true]]);
      assert.deepEqual(logs.filter((l) => l.startsWith('warning:')), []);
    });

    it('a revision still online after "take offline" (the service ignores the read-only isOnline) fails the run by default', async () => {
      const apim = new ApimHarness();
      await assert.rejects(
        threeReleases(apim),
        /Revision 1 of API 'pets' is still online after the request to take it offline: the service ignored 'isOnline', which the API Management REST specification \(2024-05-01\) marks read-only\. Delete old revisions instead \(retireRevisions: delete\), or set offlineCheck to warn/,
      );
      assert.equal(apim.current('pets'), 3, 'the release before the check stands; the run stopped at the check');
      assert.ok(apim.requests.some((r) => /^PATCH \/apis\/pets(;|%3B)rev(=|%3D)1$/i.test(r)), `the PATCH was sent: ${apim.requests.join(', ')}`);
    });

    it('a revision deleted by someone else between the PATCH and the read-back is not reported as online', async () => {
      const apim = new ApimHarness();
      const gone = new Set<string>();
      const { takeRevisionOffline, getApi } = apim.gateway;
      apim.gateway.takeRevisionOffline = async (id, etag) => {
        await takeRevisionOffline.call(apim.gateway, id, etag);
        gone.add(id);
      };
      apim.gateway.getApi = (id) => (gone.has(id) ? Promise.resolve(undefined) : getApi.call(apim.gateway, id));
      const logs = await threeReleases(apim);
      assert.equal(apim.current('pets'), 4);
      assert.deepEqual([...gone].sort(), ['pets;rev=1', 'pets;rev=2']);
      assert.deepEqual(logs.filter((l) => l.startsWith('warning:')), []);
    });

    it('with offlineCheck warn, a revision still online is a warning and the run goes on', async () => {
      const apim = new ApimHarness();
      const logs = await threeReleases(apim, 'warn');
      assert.equal(apim.current('pets'), 4);
      const revs = await apim.gateway.listRevisions('pets');
      assert.deepEqual(revs.map((r) => [r.revision, r.isOnline]).sort(), [[1, true], [2, true], [3, true], [4, true]]);
      const warnings = logs.filter((l) => l.startsWith('warning:'));
      assert.ok(warnings.some((w) => /Revision 1 of API 'pets' is still online .*offlineCheck: warn/.test(w)), warnings.join('\n'));
      assert.ok(warnings.some((w) => /Revision 2 of API 'pets' is still online/.test(w)), warnings.join('\n'));
    });

    it('a policy change alone makes a new revision in newRevision mode', async () => {
      const { deps, apim } = fakeDeps(FILES);
      const settings = apiSettings({ policy: { kind: 'document', source: { kind: 'file', path: 'policies/api.xml' } } });
      await deployApi(settings, deps);
      const f = fakeDeps({ ...FILES, 'policies/api.xml': POLICY.replace('test', 'prod') }, apim);
      const out = await deployApi({ ...settings, revisionMode: 'newRevision' }, f.deps);
      assert.equal(out.apiRevision, '2');
      assert.ok((await apim.policy({ kind: 'api', apiId: 'pets;rev=2' }))?.includes('prod'));
      assert.ok((await apim.policy({ kind: 'api', apiId: 'pets' }))?.includes('test'), 'current revision keeps its policy');
    });
  });

  it('policy comparison ignores the formatting APIM hands back', async () => {
    const { deps, apim } = fakeDeps(FILES);
    const settings = apiSettings({ policy: { kind: 'document', source: { kind: 'file', path: 'policies/api.xml' } } });
    await deployApi(settings, deps);
    const stored = (await apim.policy({ kind: 'api', apiId: 'pets' }))!;
    await apim.put('/apis/pets/policies/policy', { format: 'rawxml', value: stored.replace(/"/g, "'").replace(/\n\s*/g, '\r\n\t\t') });
    assert.notEqual(await apim.policy({ kind: 'api', apiId: 'pets' }), stored, 'APIM now hands back another formatting');
    apim.resetWrites();
    await deployApi(settings, deps);
    assert.deepEqual(apim.writes, []);
  });

  it('applies a rendered template as the API policy', async () => {
    const { deps, apim } = fakeDeps(FILES);
    await deployApi(apiSettings({ policy: { kind: 'template', input: 'policyTemplate', text: '- rateLimitByKey: { calls: 10, renewalPeriod: 60 }\n' } }), deps);
    const xml = (await apim.policy({ kind: 'api', apiId: 'pets' })) ?? '';
    assert.match(xml, /<rate-limit-by-key calls="10" renewal-period="60"/);
    assert.match(xml, /<base \/>/);
  });
});
