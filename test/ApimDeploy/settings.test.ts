import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readSettings } from '../../tasks/ApimDeploy/v1/settings';
import { FakeHost } from '../helpers/fake-host';

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
    assert.deepEqual(a.retire, { action: 'offline', keep: 3 });
    assert.deepEqual(a.products, ['starter', 'unlimited']);
    assert.deepEqual(a.operationPolicies.files, [{ operationId: 'listOrders', path: 'ops/list.xml' }]);
    assert.equal(a.policy.kind, 'template');
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
    ['a bad keep count', { action: 'api', apiId: 'a', apiPath: 'a', specFile: 'x', keepRevisions: '0' }, /Input 'keepRevisions': expected a whole number from 1/],
    ['a bad operation policy line', { action: 'api', apiId: 'a', apiPath: 'a', specFile: 'x', operationPolicies: 'just-a-file.xml' }, /Input 'operationPolicies': expected lines of/],
    ['a product subscriptions limit that is not a number', { action: 'product', productId: 'p', productSubscriptionsLimit: 'many' }, /Input 'productSubscriptionsLimit'/],
    ['a release revision that is not a number', { action: 'releaseRevision', apiId: 'a', revisionNumber: 'latest' }, /Input 'revisionNumber'/],
  ];
  for (const [name, inputs, expected] of invalid) {
    it(`rejects ${name}`, () => {
      assert.throws(() => readSettings(host(inputs)), expected);
    });
  }

  it('task.json declares every input settings.ts reads, and only real inputs in visibleRules', () => {
    const task = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../tasks/ApimDeploy/v1/task.json'), 'utf8')) as { inputs: Array<{ name: string }> };
    const names = new Set(task.inputs.map((i) => i.name));
    const source = fs.readFileSync(path.resolve(__dirname, '../../../tasks/ApimDeploy/v1/settings.ts'), 'utf8');
    const read = [...source.matchAll(/\(host, '([A-Za-z]+)'/g), ...source.matchAll(/getInput\('([A-Za-z]+)'\)/g), ...source.matchAll(/document\(host, '[A-Za-z]+', '([A-Za-z]+)', '([A-Za-z]+)', '([A-Za-z]+)'/g)].flatMap((m) => m.slice(1));
    const missing = [...new Set(read)].filter((n) => !names.has(n));
    assert.deepEqual(missing, []);
  });
});
