import * as assert from 'node:assert/strict';
import * as tls from 'node:tls';
import { ApiManagementClient } from '@azure/arm-apimanagement';
import type { TokenCredential } from '@azure/identity';
import { describeAzureError } from '../../tasks/common/auth/azure-errors';
import { startEmulators, type Emulators } from '../emulators';

const SUB = '11111111-2222-4333-8444-55555555c001';
const staticToken: TokenCredential = { getToken: async () => ({ token: 'not-checked-here', expiresOnTimestamp: Date.now() + 3_600_000 }) };

describe('common/auth/describeAzureError (real SDK errors)', () => {
  let emu: Emulators;
  before(async () => {
    emu = await startEmulators();
  });
  after(() => emu?.close());

  function client(ca?: string): ApiManagementClient {
    return new ApiManagementClient(staticToken, SUB, {
      endpoint: emu.arm.url,
      credentialScopes: [`${emu.arm.url}/.default`],
      ...(ca ? { tlsOptions: { ca } } : {}),
      retryOptions: { maxRetries: 0 },
    });
  }

  it('a server whose certificate is not trusted: not reached, with what to do (no "answered")', async () => {
    const err = await client().apiManagementService.get('rg', 'svc').then(() => undefined, (e: unknown) => e);
    const described = describeAzureError(err);
    assert.ok(described, String(err));
    assert.match(described.message, /^Azure Resource Manager \(GET \/subscriptions\/[^)]+\) could not be reached \([A-Z_]+\): .*TLS certificate is not trusted.*Agent\.CAInfo/);
    assert.doesNotMatch(described.message, /answered/);
  });

  it('an answer keeps its status and ARM error code', async () => {
    const ca = [...tls.rootCertificates, emu.ca.ca.certPem].join('\n');
    const err = await client(ca).apiManagementService.get('rg', 'svc').then(() => undefined, (e: unknown) => e);
    const described = describeAzureError(err);
    assert.ok(described, String(err));
    assert.match(described.message, /^Azure Resource Manager \(GET \/subscriptions\/[^)]+\) answered HTTP 401 /);
    assert.equal(described.status, 401);
  });
});
