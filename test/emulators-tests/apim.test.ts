/**
 * The APIM emulator driven by the real @azure/arm-apimanagement client (ClientSecretCredential
 * against the Entra emulator), plus raw requests where the SDK cannot send what we want to prove
 * is rejected (retired api-version and body fields, a missing If-Match).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { ClientSecretCredential } from '@azure/identity';
import { ApiManagementClient } from '@azure/arm-apimanagement';
import { ApimEmulator, Emulators, startEmulators } from '../emulators';
import { request, SimpleRequest, SimpleResponse, SUBSCRIPTION, TENANT } from './helpers';

const CLIENT = '33333333-3333-4333-8333-333333333333';
const SECRET = 'apim-emulator-test-secret';
const RG = 'rg-apim';
const SVC = 'apim-dev';
const SPECS = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'apim', 'specs');
const SERVICE_PATH = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}/providers/Microsoft.ApiManagement/service/${SVC}`;

function spec(name: string): string {
  return fs.readFileSync(path.join(SPECS, name), 'utf8');
}

/** The error body the SDK received (RestError keeps the response). */
function errorBody(err: unknown): { status: number; code: string; text: string; message: string } {
  const e = err as { statusCode?: number; code?: string; message?: string; response?: { bodyAsText?: string } };
  return { status: e.statusCode ?? 0, code: e.code ?? '', text: e.response?.bodyAsText ?? '', message: e.message ?? '' };
}

async function rejects(p: Promise<unknown>): Promise<{ status: number; code: string; text: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return errorBody(err);
  }
  assert.fail('expected the call to fail');
}

const RAW_POLICY = `<policies>
  <inbound>
    <base />
    <set-header name="x-caller" exists-action="override">
      <value>@(context.Request.Headers.GetValueOrDefault("X-Forwarded-For", "none"))</value>
    </set-header>
    <set-variable name="big" value="@(context.Request.Body != null && 1 < 2)" />
  </inbound>
  <backend><base /></backend>
  <outbound><base /></outbound>
  <on-error><base /></on-error>
</policies>`;

describe('emulators: API Management through @azure/arm-apimanagement', function () {
  this.timeout(30_000);
  let emu: Emulators;
  let apim: ApimEmulator;
  let client: ApiManagementClient;
  let token: string;

  before(async () => {
    emu = await startEmulators({ apim: true, pageSize: 2 });
    apim = emu.apim as ApimEmulator;
    emu.entra.registerClient({ tenantId: TENANT, clientId: CLIENT, secret: SECRET });
    emu.arm.addSubscription({ subscriptionId: SUBSCRIPTION, tenantId: TENANT });
    emu.arm.addResourceGroup(SUBSCRIPTION, RG);
    apim.addService(SUBSCRIPTION, RG, SVC, { sku: 'Developer', gatewayUrl: 'https://apim-dev.azure-api.net' });
    apim.addService(SUBSCRIPTION, RG, 'apim-consumption', { sku: 'Consumption' });
    apim.apiPutPolls = 2;
    const ca = [...tls.rootCertificates, emu.ca.ca.certPem];
    const credential = new ClientSecretCredential(TENANT, CLIENT, SECRET, {
      authorityHost: emu.entra.authorityHost, disableInstanceDiscovery: true, tlsOptions: { ca: ca.join('\n') },
    });
    client = new ApiManagementClient(credential, SUBSCRIPTION, {
      $host: emu.arm.url,
      endpoint: emu.arm.url,
      credentialScopes: [`${emu.arm.url}/.default`],
      tlsOptions: { ca: ca.join('\n') },
      retryOptions: { maxRetries: 3, retryDelayInMs: 1, maxRetryDelayInMs: 5 },
    });
    token = emu.tokens.issue({ audience: emu.arm.endpoint, tenantId: TENANT, appId: CLIENT, source: 'client-secret', lifetimeSeconds: 3600 }).token;
  });

  after(() => emu.close());

  beforeEach(() => emu.arm.faults.clear());

  function raw(subPath: string, opts: SimpleRequest & { apiVersion?: string } = {}): Promise<SimpleResponse> {
    const sep = subPath.includes('?') ? '&' : '?';
    return request(`${emu.arm.url}${SERVICE_PATH}${subPath}${sep}api-version=${opts.apiVersion ?? '2024-05-01'}`,
      { ca: emu.ca.ca.certPem, ...opts, headers: { Authorization: `Bearer ${token}`, ...(opts.headers ?? {}) } });
  }

  const lro = { updateIntervalInMs: 1 };

  describe('service', () => {
    it('gets the service and lists services of a resource group (for pickers)', async () => {
      const svc = await client.apiManagementService.get(RG, SVC);
      assert.equal(svc.gatewayUrl, 'https://apim-dev.azure-api.net');
      assert.equal(svc.sku.name, 'Developer');
      const names: string[] = [];
      for await (const s of client.apiManagementService.listByResourceGroup(RG)) {
        names.push(s.name ?? '');
      }
      assert.deepEqual(names.sort(), ['apim-consumption', 'apim-dev']);
    });

    it('rejects retired api-versions with MissingOrIncorrectVersionParameter and accepts the SDK\'s 2024-05-01', async () => {
      const old = await raw('/apis', { apiVersion: '2019-12-01' });
      assert.equal(old.status, 400);
      assert.equal(old.json.error.code, 'MissingOrIncorrectVersionParameter');
      assert.match(old.json.error.message, /Supported versions: 2021-08-01,.*2024-05-01/);
      assert.equal((await raw('/apis', { apiVersion: '2021-08-01' })).status, 200);
      assert.ok(emu.arm.findRequests('GET', '/service/apim-dev').some((r) => r.query['api-version'] === '2024-05-01' && r.status === 200));
    });
  });

  describe('API import', () => {
    it('imports OpenAPI v3 YAML through the LRO: title, description and servers become API properties; operations are listed page by page', async () => {
      const polls = emu.arm.countRequests('GET', '/operationStatuses/');
      const api = await client.api.beginCreateOrUpdateAndWait(RG, SVC, 'petstore', { format: 'openapi', value: spec('petstore-v3.yaml'), path: 'pets' }, lro);
      assert.equal(api.displayName, 'Petstore');
      assert.equal(api.description, 'A small pet store API in OpenAPI 3 for APIM import tests.');
      assert.equal(api.serviceUrl, 'https://petstore.backend.example/v1');
      assert.equal(api.apiRevision, '1');
      assert.equal(api.isCurrent, true);
      assert.equal(emu.arm.countRequests('GET', '/operationStatuses/') - polls, 3, 'two InProgress polls, then Succeeded');
      const put = emu.arm.findRequests('PUT', '/apis/petstore').pop();
      assert.equal(put?.status, 201);

      const ops: { name?: string; method?: string; urlTemplate?: string }[] = [];
      for await (const op of client.apiOperation.listByApi(RG, SVC, 'petstore')) {
        ops.push({ name: op.name, method: op.method, urlTemplate: op.urlTemplate });
      }
      assert.deepEqual(ops.map((o) => o.name).sort(), ['createPets', 'get-health', 'listPets', 'showPetById', 'updatePet']);
      assert.deepEqual(ops.find((o) => o.name === 'showPetById'), { name: 'showPetById', method: 'GET', urlTemplate: '/pets/{petId}' });
      assert.ok(emu.arm.findRequests('GET', '/apis/petstore/operations').some((r) => r.query.$skiptoken === '4'), 'followed nextLink to the last page');
      const op = await client.apiOperation.get(RG, SVC, 'petstore', 'showPetById');
      assert.deepEqual(op.templateParameters?.map((p) => p.name), ['petId']);
    });

    it('re-import keeps what the body sets and otherwise takes the spec\'s values (as the real service does)', async () => {
      const kept = await client.api.beginCreateOrUpdateAndWait(RG, SVC, 'petstore', {
        format: 'openapi', value: spec('petstore-v3.yaml'), path: 'pets', serviceUrl: 'https://pets.internal.example', displayName: 'Pets (prod)', description: 'Ours',
      }, lro);
      assert.deepEqual([kept.serviceUrl, kept.displayName, kept.description], ['https://pets.internal.example', 'Pets (prod)', 'Ours']);
      const reset = await client.api.beginCreateOrUpdateAndWait(RG, SVC, 'petstore', { format: 'openapi', value: spec('petstore-v3.yaml'), path: 'pets' }, lro);
      assert.deepEqual([reset.serviceUrl, reset.displayName], ['https://petstore.backend.example/v1', 'Petstore'], 'a bare re-import overwrites backend and name');
    });

    it('imports Swagger 2 JSON (host + basePath), WSDL with wsdlSelector, and GraphQL (apiType + schema upload)', async () => {
      const v2 = await client.api.beginCreateOrUpdateAndWait(RG, SVC, 'petstore-v2', { format: 'swagger-json', value: spec('petstore-v2.json'), path: 'pets-v2' }, lro);
      assert.equal(v2.serviceUrl, 'https://petstore-v2.backend.example/api');
      assert.equal(v2.displayName, 'Petstore (Swagger 2)');

      const soap = await client.api.beginCreateOrUpdateAndWait(RG, SVC, 'calculator', {
        format: 'wsdl', value: spec('calculator.wsdl'), path: 'calc', soapApiType: 'soap',
        wsdlSelector: { wsdlServiceName: 'Calculator', wsdlEndpointName: 'CalculatorSoap' },
      }, lro);
      assert.equal(soap.apiType, 'soap');
      assert.equal(soap.serviceUrl, 'http://calculator.backend.example/calculator.asmx');
      const soapOps: string[] = [];
      for await (const o of client.apiOperation.listByApi(RG, SVC, 'calculator')) {
        soapOps.push(`${o.method} ${o.urlTemplate}`);
      }
      assert.deepEqual(soapOps.sort(), ['POST /?soapAction=http://tempuri.org/Add', 'POST /?soapAction=http://tempuri.org/Subtract']);
      const badSelector = await rejects(client.api.beginCreateOrUpdateAndWait(RG, SVC, 'calc2', {
        format: 'wsdl', value: spec('calculator.wsdl'), path: 'calc2', wsdlSelector: { wsdlServiceName: 'Nope', wsdlEndpointName: 'x' },
      }, lro));
      assert.equal(badSelector.status, 400);
      assert.match(badSelector.text, /"target":"wsdlSelector"/);

      const gql = await client.api.beginCreateOrUpdateAndWait(RG, SVC, 'library', {
        displayName: 'Library', path: 'library', apiType: 'graphql', serviceUrl: 'https://library.backend.example/graphql', protocols: ['https'],
      }, lro);
      assert.equal(gql.apiType, 'graphql');
      await client.apiSchema.beginCreateOrUpdateAndWait(RG, SVC, 'library', 'graphql', {
        contentType: 'application/vnd.ms-azure-apim.graphql.schema', value: spec('library.graphql'),
      }, lro);
      const fields: string[] = [];
      for await (const o of client.apiOperation.listByApi(RG, SVC, 'library')) {
        fields.push(o.name ?? '');
      }
      assert.deepEqual(fields.sort(), ['mutation-addbook', 'query-authors', 'query-book', 'query-books']);
    });

    it('imports a link served on 127.0.0.1 and refuses links elsewhere', async () => {
      const server = http.createServer((_req, res) => res.end(spec('petstore-v3.yaml')));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/petstore.yaml`;
        const linked = await client.api.beginCreateOrUpdateAndWait(RG, SVC, 'petstore-link', { format: 'openapi-link', value: url, path: 'pets-link' }, lro);
        assert.equal(linked.displayName, 'Petstore');
      } finally {
        server.close();
      }
      const remote = await rejects(client.api.beginCreateOrUpdateAndWait(RG, SVC, 'petstore-remote', { format: 'openapi-link', value: 'https://example.com/petstore.yaml', path: 'remote' }, lro));
      assert.equal(remote.status, 400);
      assert.match(remote.text, /only fetches/);
    });

    it('rejects a broken spec with a Parsing error(s) detail, and the retired contentFormat/contentValue body', async () => {
      const broken = await rejects(client.api.beginCreateOrUpdateAndWait(RG, SVC, 'broken', { format: 'openapi+json', value: '{"openapi": "3.0.0", "info": ', path: 'broken' }, lro));
      assert.equal(broken.code, 'ValidationError');
      assert.match(broken.text, /"target":"representation","message":"Parsing error\(s\): /);
      const retired = await raw('/apis/old-style', { method: 'PUT', body: { properties: { contentFormat: 'swagger-json', contentValue: spec('petstore-v2.json'), path: 'old' } } });
      assert.equal(retired.status, 400);
      assert.deepEqual(retired.json.error.details, [{ code: 'ValidationError', target: 'contentFormat', message: "Invalid field 'contentFormat' specified" }]);
      await assert.rejects(client.api.get(RG, SVC, 'broken'), (e) => errorBody(e).status === 404);
    });

    it('refuses a second API on the same path outside a version set', async () => {
      const clash = await rejects(client.api.beginCreateOrUpdateAndWait(RG, SVC, 'pets-again', { format: 'openapi', value: spec('petstore-v3.yaml'), path: 'pets' }, lro));
      assert.equal(clash.status, 400);
      assert.match(clash.text, /same Path 'pets'/);
    });
  });

  describe('revisions and releases', () => {
    it('creates a revision from the current one, lists revisions, and a release makes it current', async () => {
      const sourceApiId = `${SERVICE_PATH}/apis/petstore`;
      const rev2 = await client.api.beginCreateOrUpdateAndWait(RG, SVC, 'petstore;rev=2', { sourceApiId, path: 'pets', apiRevisionDescription: 'adds pagination', serviceUrl: 'https://petstore.backend.example/v2' }, lro);
      assert.equal(rev2.apiRevision, '2');
      assert.equal(rev2.isCurrent, false);
      assert.equal(rev2.name, 'petstore;rev=2');

      const rejected = await rejects(client.api.beginCreateOrUpdateAndWait(RG, SVC, 'petstore;rev=2', { sourceApiId, path: 'pets', displayName: 'Renamed in a revision' }, lro));
      assert.match(rejected.text, /Can't change property 'displayName' for non-current revision/);
      const noSource = await rejects(client.api.beginCreateOrUpdateAndWait(RG, SVC, 'petstore;rev=7', { path: 'pets' }, lro));
      assert.match(noSource.text, /"target":"sourceApiId"/);

      const revisions = [];
      for await (const r of client.apiRevision.listByService(RG, SVC, 'petstore')) {
        revisions.push({ rev: r.apiRevision, isCurrent: r.isCurrent, description: r.description });
      }
      assert.deepEqual(revisions, [{ rev: '1', isCurrent: true, description: undefined }, { rev: '2', isCurrent: false, description: 'adds pagination' }]);
      const opsOfRev2: string[] = [];
      for await (const o of client.apiOperation.listByApi(RG, SVC, 'petstore;rev=2')) {
        opsOfRev2.push(o.name ?? '');
      }
      assert.equal(opsOfRev2.length, 5, 'operations are copied into the new revision');

      const release = await client.apiRelease.createOrUpdate(RG, SVC, 'petstore', 'release-2', { apiId: `${sourceApiId};rev=2`, notes: 'Pagination' });
      assert.equal(release.notes, 'Pagination');
      const current = await client.api.get(RG, SVC, 'petstore');
      assert.equal(current.apiRevision, '2');
      assert.equal(current.serviceUrl, 'https://petstore.backend.example/v2');
      const old = await client.api.get(RG, SVC, 'petstore;rev=1');
      assert.equal(old.isCurrent, false);
    });
  });

  describe('version sets', () => {
    it('validates the scheme\'s header/query name and serves versioned APIs on one path', async () => {
      const missing = await rejects(client.apiVersionSet.createOrUpdate(RG, SVC, 'orders', { displayName: 'Orders', versioningScheme: 'Header' }));
      assert.equal(missing.status, 400);
      assert.match(missing.text, /"target":"versionHeaderName"/);
      const set = await client.apiVersionSet.createOrUpdate(RG, SVC, 'orders', { displayName: 'Orders', versioningScheme: 'Header', versionHeaderName: 'Api-Version' });
      assert.equal(set.versionHeaderName, 'Api-Version');
      const setId = `${SERVICE_PATH}/apiVersionSets/orders`;
      for (const v of ['v1', 'v2']) {
        const api = await client.api.beginCreateOrUpdateAndWait(RG, SVC, `orders-${v}`, {
          format: 'openapi', value: spec('petstore-v3.yaml'), path: 'orders', displayName: 'Orders', apiVersion: v, apiVersionSetId: setId,
        }, lro);
        assert.equal(api.apiVersion, v);
        assert.equal(api.apiVersionSetId, setId);
      }
      const dup = await rejects(client.api.beginCreateOrUpdateAndWait(RG, SVC, 'orders-v2b', { displayName: 'Orders', path: 'orders', apiVersion: 'v2', apiVersionSetId: setId }, lro));
      assert.match(dup.text, /already has version 'v2'/);
      const unknownSet = await rejects(client.api.beginCreateOrUpdateAndWait(RG, SVC, 'orders-v3', { displayName: 'Orders', path: 'orders', apiVersion: 'v3', apiVersionSetId: `${SERVICE_PATH}/apiVersionSets/nope` }, lro));
      assert.match(unknownSet.text, /"target":"apiVersionSetId"/);
    });
  });

  describe('products and groups', () => {
    it('creates a product, links an API and a built-in group; Consumption has no groups', async () => {
      const product = await client.product.createOrUpdate(RG, SVC, 'partners', { displayName: 'Partners', subscriptionRequired: true, approvalRequired: true, subscriptionsLimit: 2, state: 'published' });
      assert.equal(product.state, 'published');
      await client.productApi.createOrUpdate(RG, SVC, 'partners', 'petstore');
      await client.productGroup.createOrUpdate(RG, SVC, 'partners', 'developers');
      const apis: string[] = [];
      for await (const a of client.productApi.listByProduct(RG, SVC, 'partners')) {
        apis.push(a.name ?? '');
      }
      assert.deepEqual(apis, ['petstore']);
      const groups: string[] = [];
      for await (const g of client.productGroup.listByProduct(RG, SVC, 'partners')) {
        groups.push(g.name ?? '');
      }
      assert.deepEqual(groups.sort(), ['administrators', 'developers']);
      assert.equal((await client.productApi.checkEntityExists(RG, SVC, 'partners', 'petstore')).body, true);

      const invalid = await rejects(client.product.createOrUpdate(RG, SVC, 'open', { displayName: 'Open', subscriptionRequired: false, approvalRequired: true }));
      assert.equal(invalid.code, 'ValidationError');

      await client.product.createOrUpdate(RG, 'apim-consumption', 'partners', { displayName: 'Partners' });
      const noGroups = await rejects(client.productGroup.createOrUpdate(RG, 'apim-consumption', 'partners', 'developers'));
      assert.deepEqual([noGroups.status, noGroups.code], [400, 'MethodNotAllowedInPricingTier']);
    });
  });

  describe('policies and named values', () => {
    it('round-trips a policy at every scope: rawxml in, xml (escaped) by default, rawxml on request', async () => {
      const global = RAW_POLICY.replace(/<base \/>/g, '');
      await client.policy.createOrUpdate(RG, SVC, 'policy', { format: 'rawxml', value: global });
      await client.productPolicy.createOrUpdate(RG, SVC, 'partners', 'policy', { format: 'rawxml', value: RAW_POLICY });
      await client.apiPolicy.createOrUpdate(RG, SVC, 'petstore', 'policy', { format: 'rawxml', value: RAW_POLICY });
      await client.apiOperationPolicy.createOrUpdate(RG, SVC, 'petstore', 'listPets', 'policy', { format: 'rawxml', value: RAW_POLICY });

      // apiPolicy.get is generated with isXML and drops `value` from the JSON answer (Azure/azure-sdk-for-js#31566);
      // listByApi and a plain GET through the client's pipeline read it.
      assert.equal((await client.apiPolicy.get(RG, SVC, 'petstore', 'policy')).value, undefined);
      const escaped = (await client.apiPolicy.listByApi(RG, SVC, 'petstore')).value?.[0] ?? {};
      assert.equal(escaped.format, 'xml');
      assert.match(escaped.value ?? '', /GetValueOrDefault\(&quot;X-Forwarded-For&quot;, &quot;none&quot;\)/);
      assert.match(escaped.value ?? '', /!= null &amp;&amp; 1 &lt; 2/);
      assert.equal((await raw('/apis/petstore/policies/policy?format=rawxml')).json.properties.value, RAW_POLICY);
      assert.equal((await client.apiOperationPolicy.get(RG, SVC, 'petstore', 'listPets', 'policy', { format: 'rawxml' })).value, RAW_POLICY);
      assert.equal((await client.productPolicy.get(RG, SVC, 'partners', 'policy', { format: 'rawxml' })).value, RAW_POLICY);
      assert.equal((await client.policy.get(RG, SVC, 'policy', { format: 'rawxml' })).value, global);

      // The escaped form is valid `xml` input and stores the same policy.
      const writes = apim.writes;
      await client.apiPolicy.createOrUpdate(RG, SVC, 'petstore', 'policy', { format: 'xml', value: escaped.value ?? '' });
      assert.equal(apim.writes, writes, 'same policy, no change');
    });

    it('rejects malformed XML, a wrong root, <base/> at global scope, and unknown named values or backends', async () => {
      const xmlNotRaw = await rejects(client.apiPolicy.createOrUpdate(RG, SVC, 'petstore', 'policy', { format: 'xml', value: RAW_POLICY }));
      assert.equal(xmlNotRaw.code, 'ValidationError');
      assert.match(xmlNotRaw.text, /"target":"representation","message":"An error occurred while parsing EntityName\. Line 7, position \d+\."/);
      const root = await rejects(client.apiPolicy.createOrUpdate(RG, SVC, 'petstore', 'policy', { format: 'xml', value: '<policy><inbound /></policy>' }));
      assert.match(root.text, /root element of a policy must be 'policies'/);
      const base = await rejects(client.policy.createOrUpdate(RG, SVC, 'policy', { format: 'xml', value: RAW_POLICY.replace(/@\([^\n]*\)/g, 'x') }));
      assert.match(base.text, /'base' policy is not allowed/);

      const withRef = '<policies><inbound><base /><set-header name="x-key" exists-action="override"><value>{{backend-key}}</value></set-header>'
        + '<set-backend-service backend-id="pets-backend" /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>';
      const missing = await rejects(client.apiPolicy.createOrUpdate(RG, SVC, 'petstore', 'policy', { format: 'xml', value: withRef }));
      assert.match(missing.text, /Error in element 'value' on line 1, column \d+: Cannot find a property 'backend-key'/);
      assert.match(missing.text, /Backend with id 'pets-backend' could not be found/);

      await client.namedValue.beginCreateOrUpdateAndWait(RG, SVC, 'nv-backend-key', { displayName: 'backend-key', value: 's3cr3t-value', secret: true }, lro);
      await client.backend.createOrUpdate(RG, SVC, 'pets-backend', { url: 'https://pets.internal.example', protocol: 'http' });
      await client.apiPolicy.createOrUpdate(RG, SVC, 'petstore', 'policy', { format: 'xml', value: withRef });

      const nv = await client.namedValue.get(RG, SVC, 'nv-backend-key');
      assert.equal(nv.value, undefined, 'secret values are not returned by GET');
      assert.equal(nv.secret, true);
      assert.equal((await client.namedValue.listValue(RG, SVC, 'nv-backend-key')).value, 's3cr3t-value');
    });
  });

  describe('tags', () => {
    it('assigns an existing tag to an API and 404s an unknown tag', async () => {
      await client.tag.createOrUpdate(RG, SVC, 'public', { displayName: 'Public' });
      await client.tag.assignToApi(RG, SVC, 'petstore', 'public');
      const tags: string[] = [];
      for await (const t of client.tag.listByApi(RG, SVC, 'petstore')) {
        tags.push(t.name ?? '');
      }
      assert.deepEqual(tags, ['public']);
      assert.equal((await rejects(client.tag.assignToApi(RG, SVC, 'petstore', 'nope'))).status, 404);
    });

    it('tags products and operations as Tag_AssignTo*/Tag_DetachFrom* specify: 201 then 200, 200 then 204; unknown tag, product or operation 404', async () => {
      await client.tag.createOrUpdate(RG, SVC, 'public', { displayName: 'Public' });
      await client.product.createOrUpdate(RG, SVC, 'tagged', { displayName: 'Tagged' });
      for (const at of ['/products/tagged', '/apis/petstore/operations/listPets']) {
        const first = await raw(`${at}/tags/public`, { method: 'PUT' });
        assert.equal(first.status, 201, at);
        assert.deepEqual([first.json.name, first.json.type, first.json.properties.displayName], ['public', 'Microsoft.ApiManagement/service/tags', 'Public']);
        assert.equal((await raw(`${at}/tags/public`, { method: 'PUT' })).status, 200, `${at}: already assigned`);
        assert.equal((await raw(`${at}/tags/nope`, { method: 'PUT' })).status, 404, `${at}: unknown tag`);
      }
      const names = async (it: AsyncIterable<{ name?: string }>) => {
        const out: string[] = [];
        for await (const t of it) out.push(t.name ?? '');
        return out;
      };
      assert.deepEqual(await names(client.tag.listByProduct(RG, SVC, 'tagged')), ['public']);
      assert.deepEqual(await names(client.tag.listByOperation(RG, SVC, 'petstore', 'listPets')), ['public']);
      assert.deepEqual(await names(client.tag.listByOperation(RG, SVC, 'petstore', 'createPets')), []);
      assert.equal((await rejects(client.tag.assignToProduct(RG, SVC, 'no-such-product', 'public'))).status, 404);
      assert.equal((await rejects(client.tag.assignToOperation(RG, SVC, 'petstore', 'noSuchOperation', 'public'))).status, 404);
      assert.equal((await rejects(client.tag.assignToOperation(RG, SVC, 'no-such-api', 'listPets', 'public'))).status, 404);
      assert.equal((await rejects(names(client.tag.listByProduct(RG, SVC, 'no-such-product')))).status, 404);
      assert.equal((await rejects(names(client.tag.listByOperation(RG, SVC, 'petstore', 'noSuchOperation')))).status, 404);
      for (const at of ['/products/tagged', '/apis/petstore/operations/listPets']) {
        assert.equal((await raw(`${at}/tags/public`, { method: 'DELETE' })).status, 200, at);
        assert.equal((await raw(`${at}/tags/public`, { method: 'DELETE' })).status, 204, `${at}: already detached`);
      }
      assert.deepEqual(await names(client.tag.listByProduct(RG, SVC, 'tagged')), []);
      await client.product.delete(RG, SVC, 'tagged', '*');
    });
  });

  describe('ETags, faults and LRO failure', () => {
    it('PATCH with a stale ETag gets 412; with the current one it succeeds; a raw DELETE without If-Match is refused', async () => {
      const head = await client.api.getEntityTag(RG, SVC, 'petstore');
      const updated = await client.api.update(RG, SVC, 'petstore', head.eTag ?? '', { description: 'Patched' });
      assert.equal(updated.description, 'Patched');
      const stale = await rejects(client.api.update(RG, SVC, 'petstore', head.eTag ?? '', { description: 'Again' }));
      assert.deepEqual([stale.status, stale.code], [412, 'PreconditionFailed']);
      const productStale = await rejects(client.product.update(RG, SVC, 'partners', '"stale"', { description: 'x' }));
      assert.equal(productStale.status, 412);
      const noIfMatch = await raw('/products/partners', { method: 'DELETE' });
      assert.equal(noIfMatch.status, 400);
      assert.equal((await client.product.get(RG, SVC, 'partners')).displayName, 'Partners');
    });

    it('the SDK retries an injected 429 on the API PUT', async () => {
      emu.arm.faults.add({ method: 'PUT', path: '/apis/petstore-retry', status: 429, retryAfterSeconds: 0, times: 1 });
      await client.api.beginCreateOrUpdateAndWait(RG, SVC, 'petstore-retry', { format: 'openapi', value: spec('petstore-v3.yaml'), path: 'retry' }, lro);
      assert.deepEqual(emu.arm.findRequests('PUT', '/apis/petstore-retry').map((r) => r.status), [429, 201]);
    });

    it('a failed import LRO surfaces the error and stores nothing', async () => {
      apim.failApiPuts(1, { code: 'ValidationError', message: 'Import failed: backend timeout' });
      apim.failApiPuts(1, { code: 'ValidationError', message: 'Import failed: backend timeout' });
      const failed = await rejects(client.api.beginCreateOrUpdateAndWait(RG, SVC, 'petstore-fail', { format: 'openapi', value: spec('petstore-v3.yaml'), path: 'fail' }, lro));
      assert.match(failed.message, /long-running operation has failed\. ValidationError\. Import failed: backend timeout/);
      assert.equal((await rejects(client.api.get(RG, SVC, 'petstore-fail'))).status, 404);
    });

    it('counts only writes that change state', async () => {
      const before = { writes: apim.writes, requests: apim.writeRequests };
      await client.product.createOrUpdate(RG, SVC, 'partners', { displayName: 'Partners', subscriptionRequired: true, approvalRequired: true, subscriptionsLimit: 2, state: 'published' });
      assert.deepEqual({ writes: apim.writes, requests: apim.writeRequests }, { writes: before.writes, requests: before.requests + 1 });
      await client.product.createOrUpdate(RG, SVC, 'partners', { displayName: 'Partners', subscriptionRequired: true, approvalRequired: true, subscriptionsLimit: 3, state: 'published' });
      assert.equal(apim.writes, before.writes + 1);
      assert.match(apim.writeLog[apim.writeLog.length - 1].path, /\/products\/partners$/);
    });
  });
});
