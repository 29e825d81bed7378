import * as assert from 'node:assert/strict';
import { createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import { checkRequest, type SpecIssueKind } from '../emulators/apim/spec-check';
import { ApimHarness } from './apim-harness';

const q = (s = 'api-version=2024-05-01') => new URLSearchParams(s);
const seg = (p: string) => p.split('/').filter(Boolean);
const kinds = (f: { issues: Array<{ kind: SpecIssueKind }> }) => f.issues.map((i) => i.kind);

describe('the 2024-05-01 specification check on ARM requests', () => {
  it('accepts what the specification allows', () => {
    const put = checkRequest('PUT', seg('/apis/pets;rev=2'), q(), {}, { properties: { sourceApiId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/svc/apis/pets', path: 'pets', apiRevisionDescription: 'x' } });
    assert.deepEqual(put.issues, []);
    assert.equal(put.operationId, 'Api_CreateOrUpdate');
    assert.deepEqual(checkRequest('GET', seg('/apis/pets/policies/policy'), q('api-version=2024-05-01&format=rawxml'), {}, undefined).issues, []);
    assert.deepEqual(checkRequest('GET', seg('/apis'), q('api-version=2024-05-01&$top=2&$skiptoken=2'), {}, undefined).issues, []);
    assert.deepEqual(checkRequest('PUT', seg('/backends/b'), q(), {}, { properties: { url: 'https://b', protocol: 'http', credentials: { header: { 'x-key': ['v'] } } } }).issues, []);
  });

  it('finds a revision create without path (required by ApiCreateOrUpdateProperties)', () => {
    const f = checkRequest('PUT', seg('/apis/pets;rev=2'), q(), {}, { properties: { sourceApiId: '/apis/pets', apiRevisionDescription: 'x' } });
    assert.deepEqual(kinds(f), ['body']);
    assert.match(f.issues[0].message, /required property 'path'/);
  });

  it('finds read-only and unknown properties, bad enums and types; tolerates only the isOnline PATCH', () => {
    const f = checkRequest('PUT', seg('/apis/pets'), q(), {}, { properties: { path: 'p', format: 'openapi3', contentFormat: 'x', isOnline: true, provisioningState: 'Succeeded', protocols: ['ftp'], subscriptionRequired: 'yes' } });
    assert.deepEqual(kinds(f).sort(), ['body', 'body', 'body', 'read-only', 'read-only', 'unknown-property']);
    assert.deepEqual(checkRequest('PATCH', seg('/apis/pets;rev=1'), q(), { 'if-match': '*' }, { properties: { isOnline: false } }).issues, [], 'the one tolerated read-only property');
    assert.deepEqual(kinds(checkRequest('PATCH', seg('/apis/pets'), q(), { 'if-match': '*' }, { properties: { apiRevision: '1', isCurrent: true, provisioningState: 'x' } })), ['unknown-property'], 'not in ApiContractUpdateProperties');
    assert.deepEqual(kinds(checkRequest('PUT', seg('/apis/pets/releases/r1'), q(), {}, { properties: { apiId: '/apis/pets;rev=2', createdDateTime: '2026-01-01T00:00:00Z' } })), ['read-only']);
    assert.deepEqual(kinds(checkRequest('PATCH', seg('/apis/pets;rev=1'), q(), { 'if-match': '*' }, { properties: { isOnline: false, apiVersionDescription: 'x'.repeat(300) } })), ['body'], 'isOnline tolerated, the rest still checked');
    assert.deepEqual(kinds(checkRequest('PUT', seg('/products/p'), q(), {}, { properties: { displayName: 'P', state: 'Published' } })), ['body']);
    assert.deepEqual(kinds(checkRequest('PUT', seg('/namedValues/n'), q(), {}, { properties: { displayName: 'has space', value: 'v' } })), ['body']);
  });

  it('finds a wrong api-version, unknown or malformed query parameters, a missing If-Match and unknown operations', () => {
    assert.deepEqual(kinds(checkRequest('GET', seg('/apis/pets'), q('api-version=2022-08-01'), {}, undefined)), ['api-version']);
    assert.deepEqual(kinds(checkRequest('GET', seg('/apis/pets'), q(''), {}, undefined)), ['api-version']);
    assert.deepEqual(kinds(checkRequest('GET', seg('/apis/pets/policies/policy'), q('api-version=2024-05-01&format=json'), {}, undefined)), ['query']);
    assert.deepEqual(kinds(checkRequest('GET', seg('/apis'), q('api-version=2024-05-01&$top=0&expand=x'), {}, undefined)), ['query', 'query']);
    assert.deepEqual(kinds(checkRequest('PATCH', seg('/apis/pets'), q(), {}, { properties: { displayName: 'x' } })), ['if-match']);
    assert.deepEqual(kinds(checkRequest('DELETE', seg('/apis/pets'), q('api-version=2024-05-01&deleteRevisions=yes'), { 'if-match': '*' }, undefined)), ['query']);
    assert.deepEqual(kinds(checkRequest('PUT', seg('/apis/pets/wikis/default'), q(), {}, {})), ['no-operation']);
  });

  it('is on in the harness: a request the SDK model cannot catch is recorded against the emulator', async () => {
    const apim = new ApimHarness();
    const request = createPipelineRequest({
      url: `${apim.emu.resourceManagerUrl}${apim.state.id.slice(1)}/tags/t1?api-version=2024-05-01`,
      method: 'PUT',
      headers: createHttpHeaders({ 'Content-Type': 'application/json' }),
      body: JSON.stringify({ properties: { displayName: 'T1', colour: 'red' } }),
    });
    const response = await apim.emu.client.sendRequest(request);
    assert.equal(response.status, 201, 'the emulator, like the service, stores it');
    const found = apim.emu.apim.takeInvalidRequests();
    assert.deepEqual(found.map((f) => [f.operationId, kinds(f)]), [['Tag_CreateOrUpdate', ['unknown-property']]]);
    assert.match(found[0].issues[0].message, /body\/properties\/colour is not a property of TagCreateUpdateParameters/);
  });
});
