/**
 * APIM emulator pieces without the SDK: policy expression escaping, spec parsers, and behaviour
 * reached through `apim.invoke` (no HTTP, no token).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import {
  ApimEmulator, ApimError, escapeExpressions, parseGraphQlSdl, parseOpenApi, parseWsdl, startEmulators, unescapeExpressions, type Emulators,
} from '../emulators';
import { SUBSCRIPTION } from './helpers';

const SPECS = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'apim', 'specs');
const spec = (name: string): string => fs.readFileSync(path.join(SPECS, name), 'utf8');

function detail(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApimError, `expected an ApimError, got ${String(err)}`);
    return `${err.code}: ${JSON.stringify(err.details)}`;
  }
  return assert.fail('expected an ApimError');
}

describe('emulators: APIM policy expressions', () => {
  it('escapes quotes, <, > and & only inside @(...) / @{...}, skipping C# strings that hold brackets', () => {
    const raw = '<set-variable name="a" value="@(context.Request.Headers.GetValueOrDefault("X-)(", "") != null && 1 < 2)" /><x a="b&amp;c" />';
    const xml = escapeExpressions(raw);
    assert.equal(xml, '<set-variable name="a" value="@(context.Request.Headers.GetValueOrDefault(&quot;X-)(&quot;, &quot;&quot;) != null &amp;&amp; 1 &lt; 2)" /><x a="b&amp;c" />');
    assert.equal(unescapeExpressions(xml), raw);
  });

  it('handles multi-statement @{ } blocks and leaves comments alone', () => {
    const raw = '<!-- @( "kept" --><value>@{ var s = "}"; return s + "{"; }</value>';
    assert.equal(escapeExpressions(raw), '<!-- @( "kept" --><value>@{ var s = &quot;}&quot;; return s + &quot;{&quot;; }</value>');
  });
});

describe('emulators: APIM spec parsers', () => {
  it('OpenAPI 3: servers variables, path-level and $ref parameters, generated names for operations without operationId', () => {
    const doc = {
      openapi: '3.1.0', info: { title: 'T' }, servers: [{ url: 'https://{env}.example/api/', variables: { env: { default: 'prod' } } }],
      paths: { '/a/{id}': { parameters: [{ name: 'id', in: 'path' }], get: { responses: { 200: { description: 'ok' } } }, post: { operationId: 'make thing!', responses: {} } } },
    };
    const parsed = parseOpenApi(JSON.stringify(doc), 'openapi+json');
    assert.equal(parsed.serviceUrl, 'https://prod.example/api');
    assert.deepEqual(parsed.operations.map((o) => [o.name, o.method, o.templateParameters.map((p) => p.name)]), [['get-a-id', 'GET', ['id']], ['make-thing', 'POST', ['id']]]);
  });

  it('rejects the wrong OpenAPI flavour for the format, a missing title, and unparsable YAML', () => {
    assert.match(detail(() => parseOpenApi(spec('petstore-v2.json'), 'openapi+json')), /not valid for the OpenAPI specification/);
    assert.match(detail(() => parseOpenApi(spec('petstore-v3.yaml'), 'swagger-json')), /not valid JSON/);
    assert.match(detail(() => parseOpenApi('openapi: 3.0.0\ninfo: {}\npaths: {}', 'openapi')), /'info' object with a 'title'/);
    assert.match(detail(() => parseOpenApi('openapi: [3.0', 'openapi')), /"target":"representation","message":"Parsing error\(s\): The input is not valid YAML/);
  });

  it('WSDL: SOAP-to-REST by default, selector required when several services exist, endpoint must exist', () => {
    const rest = parseWsdl(spec('calculator.wsdl'), 'http');
    assert.deepEqual(rest.operations.map((o) => `${o.method} ${o.urlTemplate}`), ['POST /Add', 'POST /Subtract']);
    assert.equal(rest.title, 'Calculator');
    assert.equal(rest.description, undefined);
    const two = spec('calculator.wsdl').replace('</wsdl:definitions>', '<wsdl:service name="Other"><wsdl:port name="P" binding="tns:CalculatorSoap"><soap:address location="http://o"/></wsdl:port></wsdl:service></wsdl:definitions>');
    assert.match(detail(() => parseWsdl(two, 'soap')), /"target":"wsdlSelector".*2 services/);
    assert.match(detail(() => parseWsdl(spec('calculator.wsdl'), 'soap', { wsdlServiceName: 'Calculator', wsdlEndpointName: 'Nope' })), /Endpoint 'Nope' was not found/);
    assert.match(detail(() => parseWsdl('<definitions><service', 'soap')), /Parsing error/);
  });

  it('GraphQL SDL: root fields through a schema block; unbalanced braces and a missing query type are errors', () => {
    const parsed = parseGraphQlSdl('schema { query: Root }\ntype Root { hello(name: String): String }');
    assert.deepEqual(parsed.operations.map((o) => o.name), ['query-hello']);
    assert.match(detail(() => parseGraphQlSdl('type Query { a: String')), /not closed/);
    assert.match(detail(() => parseGraphQlSdl('type Mutation { a: String }')), /query root type/);
  });
});

describe('emulators: APIM behaviour through invoke()', () => {
  let emu: Emulators;
  let apim: ApimEmulator;
  let server: http.Server;
  let policyUrl: string;

  before(async () => {
    emu = await startEmulators({ apim: true });
    apim = emu.apim as ApimEmulator;
    apim.addService(SUBSCRIPTION, 'rg', 'svc');
    server = http.createServer((_req, res) => res.end('<policies><inbound><set-header name="x" exists-action="override"><value>@("a" + "b")</value></set-header></inbound></policies>'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    policyUrl = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/p.xml`;
  });

  after(async () => {
    server.close();
    await emu.close();
  });

  it('seeds through invoke without counting writes, and rawxml-link policies are fetched from loopback', async () => {
    const put = await apim.invoke('svc', 'PUT', '/apis/echo', { properties: { displayName: 'Echo', path: 'echo', serviceUrl: 'https://echo.example' } });
    assert.equal(put.status, 201);
    const policy = await apim.invoke('svc', 'PUT', '/apis/echo/policies/policy', { properties: { format: 'rawxml-link', value: policyUrl } });
    assert.equal(policy.status, 201);
    const got = await apim.invoke('svc', 'GET', '/apis/echo/policies/policy');
    assert.match(JSON.stringify(got.body), /@\(&quot;a&quot; \+ &quot;b&quot;\)/);
    assert.equal(apim.writes, 0);
  });

  it('refuses a revision create (or any API PUT) without path, in the ARM error shape', async () => {
    const noPath = await apim.invoke('svc', 'PUT', '/apis/echo;rev=2', { properties: { sourceApiId: '/apis/echo', apiRevisionDescription: 'no path' } });
    assert.equal(noPath.status, 400);
    const error = (noPath.body as { error: { code: string; message: string; details: Array<{ target: string; message: string }> } }).error;
    assert.equal(error.code, 'ValidationError');
    assert.equal(typeof error.message, 'string');
    assert.deepEqual(error.details.map((d) => d.target), ['path']);
    assert.equal((await apim.invoke('svc', 'GET', '/apis/echo;rev=2')).status, 404, 'nothing was created');
    assert.equal((await apim.invoke('svc', 'PUT', '/apis/echo', { properties: { displayName: 'Echo again' } })).status, 400, 'an update needs it too');
  });

  it('ignores a PATCH of the read-only isOnline (the default), deletes revisions only with If-Match', async () => {
    assert.equal((await apim.invoke('svc', 'PUT', '/apis/echo;rev=2', { properties: { sourceApiId: '/apis/echo', path: 'echo' } })).status, 201);
    const etag = (await apim.invoke('svc', 'GET', '/apis/echo;rev=2')).headers?.ETag as string;
    const off = await apim.invoke('svc', 'PATCH', '/apis/echo;rev=2', { properties: { isOnline: false } }, { 'If-Match': etag });
    assert.equal(off.status, 200);
    assert.equal((off.body as { properties: { isOnline: boolean } }).properties.isOnline, true, 'answered 200, still online');
    assert.equal(((await apim.invoke('svc', 'GET', '/apis/echo;rev=2')).body as { properties: { isOnline: boolean } }).properties.isOnline, true);
    assert.equal((await apim.invoke('svc', 'DELETE', '/apis/echo;rev=2')).status, 400, 'If-Match is required');
    assert.equal((await apim.invoke('svc', 'DELETE', '/apis/echo;rev=1', undefined, { 'If-Match': '*' })).status, 400, 'the current revision stays');
    assert.equal((await apim.invoke('svc', 'DELETE', '/apis/echo;rev=2', undefined, { 'If-Match': '*' })).status, 200);
    assert.equal((await apim.invoke('svc', 'GET', '/apis/echo;rev=2')).status, 404);
  });

  it('a service set to apply isOnline takes a non-current revision offline and refuses that for the current one', async () => {
    apim.addService(SUBSCRIPTION, 'rg', 'svc-applies', { isOnlinePatch: 'apply' });
    await apim.invoke('svc-applies', 'PUT', '/apis/echo', { properties: { displayName: 'Echo', path: 'echo', serviceUrl: 'https://echo.example' } });
    await apim.invoke('svc-applies', 'PUT', '/apis/echo;rev=2', { properties: { sourceApiId: '/apis/echo', path: 'echo' } });
    const off = await apim.invoke('svc-applies', 'PATCH', '/apis/echo;rev=2', { properties: { isOnline: false } }, { 'If-Match': '*' });
    assert.equal((off.body as { properties: { isOnline: boolean } }).properties.isOnline, false);
    const current = await apim.invoke('svc-applies', 'PATCH', '/apis/echo', { properties: { isOnline: false } }, { 'If-Match': '*' });
    assert.equal(current.status, 400);
  });

  it('validates named values and version sets like the service', async () => {
    const badName = await apim.invoke('svc', 'PUT', '/namedValues/nv1', { properties: { displayName: 'has space', value: 'x' } });
    assert.equal(badName.status, 400);
    const noValue = await apim.invoke('svc', 'PUT', '/namedValues/nv1', { properties: { displayName: 'nv1' } });
    assert.match(JSON.stringify(noValue.body), /"target":"value"/);
    const kv = await apim.invoke('svc', 'PUT', '/namedValues/kv1', { properties: { displayName: 'kv1', keyVault: { secretIdentifier: 'https://vault.example/secrets/s' } } });
    assert.equal((kv.body as { properties: { secret: boolean } }).properties.secret, true);
    const query = await apim.invoke('svc', 'PUT', '/apiVersionSets/vs', { properties: { displayName: 'VS', versioningScheme: 'Query' } });
    assert.match(JSON.stringify(query.body), /"target":"versionQueryName"/);
    const segment = await apim.invoke('svc', 'PUT', '/apiVersionSets/vs', { properties: { displayName: 'VS', versioningScheme: 'Segment', versionHeaderName: 'ignored' } });
    assert.deepEqual((segment.body as { properties: unknown }).properties, { displayName: 'VS', versioningScheme: 'Segment' });
  });

  it('answers an unknown policy scope id and a missing policy with the service\'s errors', async () => {
    assert.equal((await apim.invoke('svc', 'GET', '/products/none/policies/policy')).status, 404);
    assert.equal((await apim.invoke('svc', 'PUT', '/policies/other', { properties: { value: '<policies/>' } })).status, 400);
    const policyContent = await apim.invoke('svc', 'PUT', '/policies/policy', { properties: { policyContent: '<policies/>' } });
    assert.match(JSON.stringify(policyContent.body), /Invalid field 'policyContent' specified/);
  });
});
