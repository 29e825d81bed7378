import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TaskHost } from '../../tasks/common/host/task-host';
import { readSettings as readSettingsV1 } from '../../tasks/ApimDeploy/v1/settings';
import { FakeHost, inputsOf } from '../helpers/fake-host';

const readSettings = (h: TaskHost) => readSettingsV1(inputsOf(h));

const BASE = { azureSubscription: 'conn', resourceGroupName: 'rg', serviceName: 'svc' };
const host = (inputs: Record<string, string>) => new FakeHost({ inputs: { ...BASE, ...inputs }, variables: { 'System.DefaultWorkingDirectory': '/work' } });

describe('ApimDeploy v1 settings', () => {
  it('reads an api action with a version, revisions, products, policies', () => {
    const s = readSettings(
      host({
        action: 'api', apiId: 'orders-v2', specSource: 'file', specFile: 'api/orders.yaml', apiPath: '/orders/', apiProtocols: 'https, wss', subscriptionRequired: 'false',
        apiVersion: 'v2', versioningScheme: 'Header', revisionMode: 'newRevisionCurrent', retireRevisions: 'offline', keepRevisions: '3',
        products: 'starter\nunlimited', policySource: 'template', policyTemplate: '- rateLimitByKey: { calls: 1 }', operationPolicies: 'listOrders = ops/list.xml\n# comment', timeoutMinutes: '10',
      }),
    );
    assert.equal(s.lroTimeoutMs, 600_000);
    assert.equal(s.workingDirectory, path.resolve('/work'));
    assert.equal(s.run.action, 'api');
    if (s.run.action !== 'api') return;
    const a = s.run.api;
    assert.deepEqual(a.spec, { kind: 'file', path: 'api/orders.yaml' });
    assert.equal(a.path, 'orders');
    assert.deepEqual(a.protocols, ['https', 'wss']);
    assert.equal(a.subscriptionRequired, false);
    assert.deepEqual(a.version, { version: 'v2', versionSetId: 'orders-versions', versionSetName: undefined, scheme: 'Header', headerName: 'Api-Version', queryName: undefined });
    assert.deepEqual(a.retire, { action: 'offline', keep: 3, offlineCheck: 'fail' }, 'a revision still online fails the run unless told otherwise');
    assert.deepEqual(a.products, ['starter', 'unlimited']);
    assert.deepEqual(a.operationPolicies.files, [{ operationId: 'listOrders', path: 'ops/list.xml' }]);
    assert.equal(a.policy.kind, 'template');
  });

  it('reads offlineCheck for both actions that retire revisions', () => {
    const api = readSettings(host({ action: 'api', apiId: 'a', specFile: 'x', apiPath: 'a', retireRevisions: 'offline', offlineCheck: 'warn' }));
    const rel = readSettings(host({ action: 'releaseRevision', apiId: 'a', retireRevisions: 'offline', offlineCheck: 'warn' }));
    assert.equal(api.run.action === 'api' && api.run.api.retire.offlineCheck, 'warn');
    assert.equal(rel.run.action === 'releaseRevision' && rel.run.release.retire.offlineCheck, 'warn');
  });

  it('an empty keepRevisions keeps as many revisions as task.json\'s default says (the agent sends the default only when the input is absent)', () => {
    const task = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../tasks/ApimDeploy/v1/task.json'), 'utf8')) as { inputs: Array<{ name: string; defaultValue?: string }> };
    const declared = Number(task.inputs.find((i) => i.name === 'keepRevisions')?.defaultValue);
    assert.equal(declared, 2);
    const s = readSettings(host({ action: 'api', apiId: 'a', specFile: 'x', apiPath: 'a', retireRevisions: 'delete', keepRevisions: '' }));
    assert.equal(s.run.action === 'api' && s.run.api.retire.keep, declared);
  });

  it('keeps what is not given as undefined (so the service value is kept)', () => {
    const s = readSettings(host({ action: 'api', apiId: 'a', specSource: 'inline', specInline: '{}', apiPath: 'a' }));
    if (s.run.action !== 'api') throw new Error('api');
    assert.equal(s.run.api.displayName, undefined);
    assert.equal(s.run.api.serviceUrl, undefined);
    assert.equal(s.run.api.subscriptionRequired, undefined);
    assert.equal(s.run.api.description, undefined);
  });

  const invalid: Array<[string, Record<string, string>, RegExp]> = [
    ['a missing connection', { azureSubscription: '' }, /Input 'azureSubscription': is required/],
    ['an unknown action', { action: 'deploy' }, /Input 'action': expected one of api, product, globalPolicy, releaseRevision/],
    ['an API id with ;rev=', { action: 'api', apiId: 'a;rev=2', apiPath: 'a', specFile: 'x' }, /Input 'apiId': 'a;rev=2' is not a valid/],
    ['a file source without a file', { action: 'api', apiId: 'a', apiPath: 'a' }, /Input 'specFile': is required/],
    ['a backend that is not a URL', { action: 'api', apiId: 'a', apiPath: 'a', specFile: 'x', serviceUrl: 'backend' }, /Input 'serviceUrl': 'backend' is not an absolute URL/],
    ['an unknown protocol', { action: 'api', apiId: 'a', apiPath: 'a', specFile: 'x', apiProtocols: 'ftp' }, /Input 'apiProtocols': unknown protocol 'ftp'/],
    ['an unknown offlineCheck', { action: 'api', apiId: 'a', apiPath: 'a', specFile: 'x', retireRevisions: 'offline', offlineCheck: 'ignore' }, /Input 'offlineCheck': expected one of fail, warn/],
    ['a bad keep count', { action: 'api', apiId: 'a', apiPath: 'a', specFile: 'x', keepRevisions: '0' }, /Input 'keepRevisions': expected a whole number from 1/],
    ['a bad operation policy line', { action: 'api', apiId: 'a', apiPath: 'a', specFile: 'x', operationPolicies: 'just-a-file.xml' }, /Input 'operationPolicies': line 1: expected 'key = value' or 'key => value', got 'just-a-file\.xml'/],
    ['an operation id with a space', { action: 'api', apiId: 'a', apiPath: 'a', specFile: 'x', operationPolicies: 'list orders = ops/list.xml' }, /Input 'operationPolicies': 'list orders' is not an operation id/],
    ['the same operation twice', { action: 'api', apiId: 'a', apiPath: 'a', specFile: 'x', operationPolicies: 'listOrders = a.xml\nlistOrders => b.xml' }, /Input 'operationPolicies': line 2: 'listOrders' is given twice/],
    ['a hexadecimal timeout (whole numbers are decimal)', { action: 'globalPolicy', timeoutMinutes: '0x10' }, /Input 'timeoutMinutes': expected a whole number from 1 to 240, got '0x10'/],
    ['a keep count in exponent form', { action: 'api', apiId: 'a', apiPath: 'a', specFile: 'x', keepRevisions: '1e1' }, /Input 'keepRevisions': expected a whole number from 1 to 100/],
    ['a subscriptions limit with a fraction', { action: 'product', productId: 'p', productSubscriptionsLimit: '2.0' }, /Input 'productSubscriptionsLimit': expected a whole number/],
    ['a product subscriptions limit that is not a number', { action: 'product', productId: 'p', productSubscriptionsLimit: 'many' }, /Input 'productSubscriptionsLimit'/],
    ['a release revision that is not a number', { action: 'releaseRevision', apiId: 'a', revisionNumber: 'latest' }, /Input 'revisionNumber'/],
    ['a named value without an id', { action: 'namedValue', namedValueValue: 'v' }, /Input 'namedValueId': is required/],
    ['a named value id with a space', { action: 'namedValue', namedValueId: 'my key', namedValueValue: 'v' }, /Input 'namedValueId': 'my key' is not a valid API Management id/],
    ['a named value name with characters APIM refuses', { action: 'namedValue', namedValueId: 'k', namedValueDisplayName: 'my{key}', namedValueValue: 'v' }, /Input 'namedValueDisplayName': 'my\{key\}' is not a valid named value name \(letters, digits, '\.', '-', '_'/],
    ['a named value without a value', { action: 'namedValue', namedValueId: 'k' }, /Input 'namedValueValue': is required/],
    ['a named value secret that is neither true nor false', { action: 'namedValue', namedValueId: 'k', namedValueValue: 'v', namedValueSecret: 'yes' }, /Input 'namedValueSecret': expected true or false/],
    ['a Key Vault reference that is not a secret URL', { action: 'namedValue', namedValueId: 'k', namedValueSource: 'keyVault', namedValueKeyVaultSecret: 'https://kv.vault.azure.net/keys/k1' }, /Input 'namedValueKeyVaultSecret': .* is not a Key Vault secret identifier \(https:\/\/<vault>/],
    ['a Key Vault reference over http', { action: 'namedValue', namedValueId: 'k', namedValueSource: 'keyVault', namedValueKeyVaultSecret: 'http://kv.vault.azure.net/secrets/k1' }, /Input 'namedValueKeyVaultSecret'/],
    ['an identity client id that is not a GUID', { action: 'namedValue', namedValueId: 'k', namedValueSource: 'keyVault', namedValueKeyVaultSecret: 'https://kv.vault.azure.net/secrets/k1', namedValueIdentityClientId: 'my-identity' }, /Input 'namedValueIdentityClientId': 'my-identity' is not a client id \(a GUID\)/],
    ['more than 32 tags', { action: 'namedValue', namedValueId: 'k', namedValueValue: 'v', namedValueTags: Array.from({ length: 33 }, (_, i) => `t${i}`).join(',') }, /Input 'namedValueTags': at most 32 tags/],
    ['a backend over plain http without the option', { action: 'backend', backendId: 'b', backendUrl: 'http://orders.internal' }, /Input 'backendUrl': expected an https URL; got 'http:\/\/orders\.internal'/],
    ['a backend URL that is not a URL', { action: 'backend', backendId: 'b', backendUrl: 'orders.internal' }, /Input 'backendUrl': 'orders\.internal' is not an absolute URL/],
    ['a backend protocol other than http or soap', { action: 'backend', backendId: 'b', backendUrl: 'https://o', backendProtocol: 'grpc' }, /Input 'backendProtocol': expected one of http, soap/],
    ['a resource id that is not one', { action: 'backend', backendId: 'b', backendUrl: 'https://o', backendResourceId: 'orders-func' }, /Input 'backendResourceId': 'orders-func' is not an Azure resource id/],
    ['a header line without a colon', { action: 'backend', backendId: 'b', backendUrl: 'https://o', backendHeaders: 'x-a: 1\nx-functions-key abc' }, /Input 'backendHeaders': line 2 is not of the form 'Name: value'/],
    ['a query line without =', { action: 'backend', backendId: 'b', backendUrl: 'https://o', backendQuery: 'code' }, /Input 'backendQuery': line 1 is not of the form 'name=value'/],
    ['an authorization scheme without its parameter', { action: 'backend', backendId: 'b', backendUrl: 'https://o', backendAuthScheme: 'Basic' }, /Input 'backendAuthParameter': is required with the other authorization input/],
    ['an authorization scheme with a space', { action: 'backend', backendId: 'b', backendUrl: 'https://o', backendAuthScheme: 'My Scheme', backendAuthParameter: 'x' }, /Input 'backendAuthScheme': 'My Scheme' is not an authorization scheme/],
    ['a thumbprint that is not one', { action: 'backend', backendId: 'b', backendUrl: 'https://o', backendCertificateThumbprints: 'abc' }, /Input 'backendCertificateThumbprints': 'abc' is not a certificate thumbprint \(40 hexadecimal digits\)/],
    ['TLS validation that is neither true nor false', { action: 'backend', backendId: 'b', backendUrl: 'https://o', backendValidateCertificateName: 'off' }, /Input 'backendValidateCertificateName': expected true or false/],
  ];
  for (const [name, inputs, expected] of invalid) {
    it(`rejects ${name}`, () => {
      assert.throws(() => readSettings(host(inputs)), expected);
    });
  }

  it('reads a secret named value: name defaults to the id, secret by default, tags kept unless given', () => {
    const h = host({ action: 'namedValue', namedValueId: 'orders-key', namedValueValue: 's3cr3t' });
    const s = readSettings(h);
    assert.deepEqual(s.run, { action: 'namedValue', namedValue: { namedValueId: 'orders-key', displayName: 'orders-key', source: { kind: 'value', value: 's3cr3t' }, secret: true, tags: undefined } });
    assert.deepEqual(h.secretInputsRead, ['namedValueValue'], 'the value is read without the debug echo');
    const plain = readSettings(host({ action: 'namedValue', namedValueId: 'region', namedValueDisplayName: 'Region.Name_1', namedValueValue: 'westeurope', namedValueSecret: 'false', namedValueTags: 'geo, eu' }));
    assert.deepEqual(plain.run, { action: 'namedValue', namedValue: { namedValueId: 'region', displayName: 'Region.Name_1', source: { kind: 'value', value: 'westeurope' }, secret: false, tags: ['geo', 'eu'] } });
  });

  it('reads a Key Vault named value (always secret), with or without a version and an identity', () => {
    const kv = 'https://contoso-kv.vault.azure.net/secrets/orders-key/0123456789abcdef0123456789abcdef';
    const s = readSettings(host({ action: 'namedValue', namedValueId: 'k', namedValueSource: 'keyVault', namedValueKeyVaultSecret: kv, namedValueIdentityClientId: '0f0e0d0c-0000-4000-8000-000000000001', namedValueSecret: 'false' }));
    assert.deepEqual(s.run, { action: 'namedValue', namedValue: { namedValueId: 'k', displayName: 'k', source: { kind: 'keyVault', secretIdentifier: kv, identityClientId: '0f0e0d0c-0000-4000-8000-000000000001' }, secret: true, tags: undefined } });
  });

  it('reads a backend: TLS on by default, header lines (a name may repeat), query lines, authorization, certificates', () => {
    const h = host({
        action: 'backend', backendId: 'orders-func', backendUrl: 'https://orders-func.azurewebsites.net/api', backendProtocol: 'soap', backendTitle: 'Orders',
        backendResourceId: 'https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/orders-func',
        backendHeaders: 'x-functions-key: {{orders-func-key}}\n# comment\nx-env: a:b\nx-env: c', backendQuery: 'code=abc=1', backendAuthScheme: 'Basic', backendAuthParameter: 'dXNlcjpwYXNz',
        backendCertificateThumbprints: `${'ab'.repeat(20)}, ${'CD'.repeat(20)}`, backendCertificateIds: '/certificates/client1',
      });
    const s = readSettings(h);
    assert.deepEqual(h.secretInputsRead.sort(), ['backendAuthParameter', 'backendHeaders', 'backendQuery', 'backendUrl'], 'credentials (and the URL, which may hold a key) are read without the debug echo');
    assert.deepEqual(s.run, {
      action: 'backend',
      backend: {
        backendId: 'orders-func', url: 'https://orders-func.azurewebsites.net/api', protocol: 'soap', title: 'Orders', description: undefined,
        resourceId: 'https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/orders-func',
        validateCertificateChain: true, validateCertificateName: true,
        headers: { 'x-functions-key': ['{{orders-func-key}}'], 'x-env': ['a:b', 'c'] }, query: { code: ['abc=1'] }, authorization: { scheme: 'Basic', parameter: 'dXNlcjpwYXNz' },
        certificateThumbprints: ['ab'.repeat(20), 'CD'.repeat(20)], certificateIds: ['/certificates/client1'],
      },
    });
    const http = readSettings(host({ action: 'backend', backendId: 'b', backendUrl: 'http://10.0.0.4:8080', backendAllowHttp: 'true', backendValidateCertificateChain: 'false' }));
    if (http.run.action !== 'backend') throw new Error('backend');
    assert.equal(http.run.backend.url, 'http://10.0.0.4:8080');
    assert.equal(http.run.backend.validateCertificateChain, false);
    assert.equal(http.run.backend.headers, undefined, 'no header input: leave the service as it is');
  });

  it('a header or query parameter named like an Object.prototype member is a name like any other', () => {
    const s = readSettings(host({ action: 'backend', backendId: 'b', backendUrl: 'https://o', backendHeaders: 'constructor: a\n__proto__: b\ntoString: c\ntoString: d', backendQuery: 'hasOwnProperty=e' }));
    if (s.run.action !== 'backend') throw new Error('backend');
    const headers = s.run.backend.headers!;
    assert.deepEqual(Object.keys(headers), ['constructor', '__proto__', 'toString']);
    assert.deepEqual(Object.getOwnPropertyDescriptor(headers, '__proto__')?.value, ['b']);
    assert.deepEqual(headers.constructor, ['a']);
    assert.deepEqual(headers.toString, ['c', 'd']);
    assert.deepEqual(JSON.parse(JSON.stringify(s.run.backend.query)), { hasOwnProperty: ['e'] });
  });

  it('comma-separated lists split on commas and new lines only: a semicolon stays inside a tag', () => {
    const s = readSettings(host({ action: 'api', apiId: 'a', apiPath: 'a', specFile: 'x', apiTags: 'team;orders, eu\nprod', products: 'starter\nunlimited,gold' }));
    if (s.run.action !== 'api') throw new Error('api');
    assert.deepEqual(s.run.api.tags, ['team;orders', 'eu', 'prod']);
    assert.deepEqual(s.run.api.products, ['starter', 'unlimited', 'gold']);
  });

  it('never echoes a credential or secret value in an input error', () => {
    const secret = 'Sup3r-S3cret-Value';
    const cases: Array<Record<string, string>> = [
      { action: 'backend', backendId: 'b', backendUrl: 'https://o', backendHeaders: `x-key ${secret}` },
      { action: 'backend', backendId: 'b', backendUrl: 'https://o', backendQuery: `${secret}` },
      { action: 'backend', backendId: 'b', backendUrl: 'https://o', backendAuthParameter: secret },
      { action: 'namedValue', namedValueId: 'k', namedValueValue: secret.repeat(300) },
    ];
    for (const inputs of cases) {
      assert.throws(() => readSettings(host(inputs)), (err: Error) => err.name === 'InputError' && !err.message.includes(secret));
    }
  });

  it('reads URL inputs without the debug echo and never shows their credentials in an input error', () => {
    const sig = 'Zm9vYmFyc2lnbmF0dXJl%2Bsecret%3D';
    const api = host({ action: 'api', apiId: 'a', apiPath: 'a', specSource: 'url', specUrl: `https://st.blob.core.windows.net/specs/a.yaml?sv=2022-11-02&sig=${sig}`, serviceUrl: 'https://fn.example/api?code=fn-key-123456' });
    readSettings(api);
    assert.deepEqual(api.secretInputsRead.sort(), ['serviceUrl', 'specUrl']);
    const cases: Array<[Record<string, string>, string]> = [
      [{ action: 'api', apiId: 'a', apiPath: 'a', specSource: 'url', specUrl: `ftp://st.example/a.yaml?sig=${sig}` }, sig],
      [{ action: 'api', apiId: 'a', apiPath: 'a', specFile: 'x', serviceUrl: 'not a url?code=fn-key-123456' }, 'fn-key-123456'],
      [{ action: 'backend', backendId: 'b', backendUrl: 'http://fn.example/api?code=fn-key-123456' }, 'fn-key-123456'],
      [{ action: 'backend', backendId: 'b', backendUrl: 'http://user:pass-w0rd-9@fn.example/api' }, 'pass-w0rd-9'],
    ];
    for (const [inputs, secret] of cases) {
      assert.throws(() => readSettings(host(inputs)), (err: Error) => err.name === 'InputError' && !err.message.includes(secret) && /\*\*\*/.test(err.message));
    }
  });

  it('task.json declares every input settings.ts reads, and only real inputs in visibleRules', () => {
    const task = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../tasks/ApimDeploy/v1/task.json'), 'utf8')) as { inputs: Array<{ name: string }> };
    const names = new Set(task.inputs.map((i) => i.name));
    const source = fs.readFileSync(path.resolve(__dirname, '../../../tasks/ApimDeploy/v1/settings.ts'), 'utf8');
    const read = [
      ...source.matchAll(/\b(?:inputs\.[a-zA-Z]+|list|optionalBool|httpsUrl|credentialLines)\((?:inputs, )?'([A-Za-z]+)'/g),
      ...source.matchAll(/new InputError\('([A-Za-z]+)'/g),
      ...source.matchAll(/document\(inputs, '([A-Za-z]+)', '([A-Za-z]+)', '([A-Za-z]+)', '([A-Za-z]+)'/g),
    ].flatMap((m) => m.slice(1));
    assert.ok(new Set(read).size > 60, `the scan finds the inputs settings.ts reads (found ${new Set(read).size})`);
    const missing = [...new Set(read)].filter((n) => !names.has(n));
    assert.deepEqual(missing, []);
  });
});
