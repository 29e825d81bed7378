import * as assert from 'node:assert/strict';
import type { ApiManagementClient } from '@azure/arm-apimanagement';
import { createArmGateway } from '../../tasks/ApimDeploy/core/arm-gateway';
import { createArmContext } from '../../tasks/ApimDeploy/core/arm/context';
import { armNamedValues } from '../../tasks/ApimDeploy/core/arm/named-values';

/** Only the members a test touches; the rest of the SDK client is never reached. */
function gatewayOver(client: Partial<Record<keyof ApiManagementClient, unknown>>, lroTimeoutMs = 50) {
  return createArmGateway({
    client: client as unknown as ApiManagementClient,
    subscriptionId: 'sub',
    resourceGroup: 'rg',
    serviceName: 'svc',
    resourceManagerUrl: 'https://management.azure.com/',
    lroTimeoutMs,
  });
}

describe('ApimDeploy ARM gateway', () => {
  it('bounds a long-running import: aborts the poller and says APIM may still finish', async () => {
    let signal: AbortSignal | undefined;
    const gw = gatewayOver({
      api: {
        beginCreateOrUpdateAndWait: (_rg: string, _s: string, _id: string, _body: unknown, options: { abortSignal: AbortSignal }) =>
          new Promise((_resolve, reject) => {
            signal = options.abortSignal;
            options.abortSignal.addEventListener('abort', () => reject(Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' })));
          }),
      },
    });
    await assert.rejects(gw.putApi('orders', { path: 'orders' }), /Creating or updating API 'orders' did not finish within \d+ minute\(s\); APIM may still complete it/);
    assert.equal(signal?.aborted, true);
  });

  it('reads a missing entity as undefined and any other failure as an explained error', async () => {
    const notFound = Object.assign(new Error('Api not found.'), { name: 'RestError', statusCode: 404, code: 'ResourceNotFound' });
    const forbidden = Object.assign(new Error('no access'), { name: 'RestError', statusCode: 403, code: 'AuthorizationFailed', request: { method: 'GET', url: 'https://management.azure.com/x/apis/orders' } });
    let fail: Error = notFound;
    const gw = gatewayOver({ api: { get: async () => Promise.reject(fail) } });
    assert.equal(await gw.getApi('orders'), undefined);
    fail = forbidden;
    await assert.rejects(gw.getApi('orders'), /Reading API 'orders' failed: Azure Resource Manager \(GET \/x\/apis\/orders\) answered HTTP 403 AuthorizationFailed.*API Management Service Contributor/);
  });

  it('a raw request answered with a gateway HTML page fails on one bounded line', async () => {
    const page = `<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n${'<p>upstream unavailable</p>\n'.repeat(200)}</body></html>`;
    const gw = gatewayOver({ sendRequest: async () => ({ status: 502, bodyAsText: page, headers: { get: () => undefined } }) });
    await assert.rejects(gw.getPolicy({ kind: 'api', apiId: 'orders' }), (err: Error) => {
      assert.match(err.message, /^Reading the policy of API 'orders' failed: Azure Resource Manager \(GET \/apis\/orders\/policies\/policy\) answered HTTP 502: 502 Bad Gateway upstream unavailable/);
      assert.ok(!err.message.includes('\n') && !err.message.includes('<'), err.message);
      assert.ok(err.message.length < 600, `${err.message.length} characters`);
      return true;
    });
  });

  it('addresses entities under the service by full ARM id', () => {
    assert.equal(gatewayOver({}).resourceId('apis/orders;rev=2'), '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.ApiManagement/service/svc/apis/orders;rev=2');
  });

  it('an entity module works on its own over a shared context (what a task needing only named values composes)', async () => {
    const policies: string[] = [];
    const pipeline = { getOrderedPolicies: () => policies.map((name) => ({ name })), addPolicy: (p: { name: string }) => void policies.push(p.name) };
    const secrets: string[] = [];
    const client = {
      pipeline,
      namedValue: { listValue: async (_rg: string, _svc: string, id: string) => ({ value: `value-of-${id}` }), get: async () => Promise.reject(Object.assign(new Error('nf'), { statusCode: 404 })) },
    } as unknown as ApiManagementClient;
    const options = { client, subscriptionId: 'sub', resourceGroup: 'rg', serviceName: 'svc', resourceManagerUrl: 'https://management.azure.com/', lroTimeoutMs: 50, onSecretRead: (v: string) => secrets.push(v) };
    const namedValues = armNamedValues(createArmContext(options));
    assert.equal(await namedValues.readNamedValueSecret('k1'), 'value-of-k1');
    assert.deepEqual(secrets, ['value-of-k1'], 'a secret read is registered before it is returned');
    assert.equal(await namedValues.getNamedValue('missing'), undefined);
    assert.deepEqual(Object.keys(namedValues).sort(), ['getNamedValue', 'listNamedValues', 'putNamedValue', 'readNamedValueSecret']);
    createArmGateway(options);
    assert.deepEqual(policies, ['srkRequestTimeout'], 'contexts sharing a client add the request timeout once');
  });
});
