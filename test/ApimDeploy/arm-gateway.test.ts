import * as assert from 'node:assert/strict';
import type { ApiManagementClient } from '@azure/arm-apimanagement';
import { createArmGateway } from '../../tasks/ApimDeploy/core/arm-gateway';

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

  it('addresses entities under the service by full ARM id', () => {
    assert.equal(gatewayOver({}).resourceId('apis/orders;rev=2'), '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.ApiManagement/service/svc/apis/orders;rev=2');
  });
});
