import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { joinUrl, operationsFromDefinition, rootOperation, sampleValue } from '../../tasks/ApiSecurityCheck/core/operations';
import { FileError } from '../../tasks/common/errors';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'ApiSecurityCheck', 'fixtures');
const BASE = 'https://127.0.0.1:8443/petstore';

describe('ApiSecurityCheck operations from an OpenAPI definition', () => {
  const ops = operationsFromDefinition(fs.readFileSync(path.join(FIXTURES, 'petstore.yaml'), 'utf8'), 'petstore.yaml', BASE);
  const find = (method: string, template: string) => ops.find((o) => o.method === method && o.pathTemplate === template)!;

  it('lists every operation with its method, safety and the line it is declared on', () => {
    assert.deepEqual(ops.map((o) => `${o.method} ${o.pathTemplate}`), ['GET /pets', 'POST /pets', 'GET /pets/{petId}', 'DELETE /pets/{petId}', 'GET /health', 'GET /reports/{year}']);
    assert.deepEqual(ops.map((o) => o.safe), [true, false, true, false, true, true]);
    assert.deepEqual(find('GET', '/pets/{petId}').location, { file: 'petstore.yaml', line: 25 });
    assert.equal(find('GET', '/pets').operationId, 'listPets');
  });

  it('appends paths to the base URL (not to the definition servers) with sample values, optional query parameters left out', () => {
    assert.equal(find('GET', '/pets').url, `${BASE}/pets`);
    assert.equal(find('GET', '/pets/{petId}').url, `${BASE}/pets/p-1`, 'a $ref path parameter with a schema example');
    assert.equal(find('GET', '/reports/{year}').url, `${BASE}/reports/2020?format=csv`, 'minimum for an integer, first enum value');
    assert.deepEqual(find('GET', '/reports/{year}').headers, { 'X-Tenant': 'contoso' });
  });

  it('reads Swagger 2.0 JSON with x-example, and fills undeclared path parameters', () => {
    const v2 = JSON.stringify({
      swagger: '2.0',
      info: { title: 't', version: '1' },
      paths: {
        '/items/{id}': { get: { parameters: [{ name: 'id', in: 'path', required: true, type: 'string', 'x-example': 'a b' }, { name: 'Authorization', in: 'header', required: true, type: 'string' }] } },
        '/things/{thing}/parts': { head: {}, trace: {} },
      },
    });
    const list = operationsFromDefinition(v2, 'api.json', 'https://h/base/');
    assert.equal(list[0].url, 'https://h/base/items/a%20b');
    assert.deepEqual(list[0].headers, {}, 'credential headers are never sample-filled');
    assert.equal(list[1].url, 'https://h/base/things/1/parts');
    assert.equal(list[2].method, 'TRACE');
    assert.equal(list[2].safe, false);
  });

  it('sample values follow the type and format when the definition gives none', () => {
    assert.equal(sampleValue({ schema: { type: 'string', format: 'uuid' } }), '00000000-0000-4000-8000-000000000001');
    assert.equal(sampleValue({ schema: { type: 'boolean' } }), 'true');
    assert.equal(sampleValue({ schema: { type: 'integer' } }), '1');
    assert.equal(sampleValue({ schema: { type: ['null', 'string'], format: 'date' } }), '2026-01-01');
    assert.equal(sampleValue({ examples: { one: { value: 'ex-1' } }, schema: { type: 'string' } }), 'ex-1');
  });

  it('a broken definition fails naming the file and line', () => {
    assert.throws(() => operationsFromDefinition('openapi: 3.0.0\npaths:\n  /a: [', 'bad.yaml', BASE), (e: unknown) => e instanceof FileError && /^bad\.yaml:\d+: not valid JSON or YAML/.test(e.message));
    assert.throws(() => operationsFromDefinition('title: not an api\n', 'x.yaml', BASE), /x\.yaml:1: no 'openapi: 3\.x\.y'/);
    assert.throws(() => operationsFromDefinition('openapi: 3.0.0\ninfo: {}\n', 'x.yaml', BASE), /'paths' is missing/);
    assert.throws(() => operationsFromDefinition('openapi: 3.0.0\npaths:\n  pets: {}\n', 'x.yaml', BASE), /x\.yaml:3: path 'pets' must start with '\/'/);
  });

  it('a parameter whose in is not a place OpenAPI allows fails naming the file, line and JSON pointer', () => {
    const v3 = [
      'openapi: 3.0.3',
      'info: { title: t, version: "1" }',
      'paths:',
      '  /pets/{id}:',
      '    get:',
      '      parameters:',
      '        - { name: q, in: query }',
      '        - name: id',
      '          in: pth',
      '          required: true',
      '',
    ].join('\n');
    assert.throws(() => operationsFromDefinition(v3, 'api.yaml', BASE), (e: unknown) =>
      e instanceof FileError && e.message === `api.yaml:9: parameter 'id' (#/paths/~1pets~1{id}/get/parameters/1) has in: "pth"; OpenAPI 3.x allows in: query, header, path, cookie`);
    // Through a $ref the pointer and line are those of the component; shared path parameters are checked too.
    const viaRef = ['openapi: 3.1.0', 'paths:', '  /a:', '    parameters:', "      - $ref: '#/components/parameters/Tenant'", '    get: {}', 'components:', '  parameters:', '    Tenant:', '      name: tenant', '      in: Header', ''].join('\n');
    assert.throws(() => operationsFromDefinition(viaRef, 'ref.yaml', BASE), /ref\.yaml:11: parameter 'tenant' \(#\/components\/parameters\/Tenant\) has in: "Header"; OpenAPI 3\.x allows/);
    assert.throws(() => operationsFromDefinition('openapi: 3.0.0\npaths:\n  /a:\n    get:\n      parameters: [{ name: x }]\n', 'x.yaml', BASE), /x\.yaml:5: parameter 'x' \(#\/paths\/~1a\/get\/parameters\/0\) has no 'in'/);
    // Swagger 2.0 has formData and body, and no cookie.
    const v2 = (where: string) => JSON.stringify({ swagger: '2.0', paths: { '/a': { post: { parameters: [{ name: 'f', in: where, type: 'string' }] } } } }, null, 2);
    assert.equal(operationsFromDefinition(v2('formData'), 'v2.json', BASE).length, 1);
    assert.equal(operationsFromDefinition(v2('body'), 'v2.json', BASE).length, 1);
    assert.throws(() => operationsFromDefinition(v2('cookie'), 'v2.json', BASE), /v2\.json:9: parameter 'f' .* has in: "cookie"; Swagger 2\.0 allows in: query, header, path, formData, body$/);
    assert.equal(operationsFromDefinition(v3.replace('in: pth', 'in: path'), 'api.yaml', BASE)[0]?.url, `${BASE}/pets/sample`);
  });

  it('the root operation is the base URL itself; joinUrl keeps the base path and query', () => {
    assert.deepEqual(rootOperation(BASE), { method: 'GET', pathTemplate: '/', url: BASE, headers: {}, safe: true });
    assert.equal(joinUrl('https://h/v1/', '/a?b=1'), 'https://h/v1/a?b=1');
    assert.equal(joinUrl('https://h/v1?code=x', '/a'), 'https://h/v1/a?code=x');
  });
});
