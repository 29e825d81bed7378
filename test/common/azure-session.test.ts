import * as assert from 'node:assert/strict';
import axios from 'axios';
import { createAzureSession } from '../../tasks/common/auth/azure-credential';
import type { AzureRmEndpoint } from '../../tasks/common/endpoints/azurerm';

const stack: AzureRmEndpoint = {
  id: 'c0ffee00-0000-4000-8000-000000000001',
  environment: 'AzureStack',
  resourceManagerUrl: 'https://management.local.azurestack.external/',
  audience: 'https://management.local.azurestack.external',
  subscriptionId: 's',
  auth: { scheme: 'ServicePrincipal', tenantId: 't', clientId: 'c', secret: 'k' },
};

function metadataClient(body: unknown, seen: string[]) {
  return axios.create({
    adapter: async (config) => {
      seen.push(String(config.url));
      return { data: body, status: 200, statusText: 'OK', headers: {}, config };
    },
  });
}

describe('common/auth/createAzureSession', () => {
  it('reads an Azure Stack authority and audience from its Resource Manager metadata', async () => {
    const seen: string[] = [];
    const http = metadataClient(
      { authentication: { loginEndpoint: 'https://login.stack.example/adfs', audiences: ['https://management.adfs.stack.example/abc'] } },
      seen,
    );
    const session = await createAzureSession(stack, { extraCaPem: [] }, http);
    assert.deepEqual(seen, ['https://management.local.azurestack.external/metadata/endpoints?api-version=2015-01-01']);
    assert.equal(session.scope, 'https://management.adfs.stack.example/abc/.default');
    assert.equal(session.clientOptions.endpoint, stack.resourceManagerUrl);
    assert.deepEqual(session.clientOptions.credentialScopes, [session.scope]);
  });

  it('fails with the connection named when the metadata has no login endpoint', async () => {
    await assert.rejects(createAzureSession(stack, { extraCaPem: [] }, metadataClient({}, [])), /c0ffee00.*no login endpoint/);
  });

  it('takes authority and Resource Manager from the connection for other clouds, with no metadata call', async () => {
    const seen: string[] = [];
    const session = await createAzureSession(
      { ...stack, environment: 'AzureUSGovernment', authorityHost: 'https://login.microsoftonline.us/', resourceManagerUrl: 'https://management.usgovcloudapi.net/', audience: 'https://management.usgovcloudapi.net' },
      { extraCaPem: [] },
      metadataClient({}, seen),
    );
    assert.deepEqual(seen, []);
    assert.equal(session.scope, 'https://management.usgovcloudapi.net/.default');
  });
});
