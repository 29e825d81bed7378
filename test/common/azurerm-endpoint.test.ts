import * as assert from 'node:assert/strict';
import { cloudDefaults } from '../../tasks/common/auth/clouds';
import { readAzureRmEndpoint } from '../../tasks/common/endpoints/azurerm';
import { EndpointError } from '../../tasks/common/errors';
import { FakeHost } from '../helpers/fake-host';

const ID = '8d2f5b9e-1111-4a4a-9b9b-0123456789ab';
const SUB = '11111111-2222-4333-8444-5555555500c1';

function hostWith(scheme: string, parameters: Record<string, string>, data: Record<string, string> = {}, url?: string) {
  return new FakeHost({ endpoints: { [ID]: { url, scheme, parameters, data } } });
}

describe('common/endpoints/azurerm', () => {
  it('reads a service principal with a key, registering the key as a secret', () => {
    const host = hostWith(
      'ServicePrincipal',
      { tenantid: 't1', serviceprincipalid: 'c1', serviceprincipalkey: 'the-key-value', authenticationType: 'spnKey' },
      { subscriptionId: SUB, environment: 'AzureCloud' },
      'https://management.azure.com/',
    );
    const e = readAzureRmEndpoint(host, ID);
    assert.deepEqual(e.auth, { scheme: 'ServicePrincipal', tenantId: 't1', clientId: 'c1', secret: 'the-key-value' });
    assert.equal(e.subscriptionId, SUB);
    assert.equal(e.authorityHost, 'https://login.microsoftonline.com/');
    assert.equal(e.audience, 'https://management.azure.com');
    assert.deepEqual(host.secrets, ['the-key-value']);
  });

  it('reads a certificate service principal and takes the cloud from the environment', () => {
    const host = hostWith(
      'ServicePrincipal',
      { tenantId: 't1', servicePrincipalId: 'c1', authenticationType: 'spnCertificate', servicePrincipalCertificate: 'PEM' },
      { environment: 'AzureChinaCloud' },
    );
    const e = readAzureRmEndpoint(host, ID);
    assert.equal(e.auth.scheme, 'ServicePrincipalCertificate');
    assert.equal(e.resourceManagerUrl, 'https://management.chinacloudapi.cn/');
    assert.equal(e.authorityHost, 'https://login.chinacloudapi.cn/');
  });

  it('prefers the authority and audience the connection carries (sovereign / private clouds)', () => {
    const host = hostWith(
      'ServicePrincipal',
      { tenantid: 't', serviceprincipalid: 'c', serviceprincipalkey: 'kkkk' },
      { environment: 'AzureUSGovernment', activeDirectoryAuthority: 'https://login.example.us', activeDirectoryServiceEndpointResourceId: 'https://management.core.usgovcloudapi.net/' },
      'https://management.usgovcloudapi.net',
    );
    const e = readAzureRmEndpoint(host, ID);
    assert.equal(e.authorityHost, 'https://login.example.us/');
    assert.equal(e.resourceManagerUrl, 'https://management.usgovcloudapi.net/');
    assert.equal(e.audience, 'https://management.core.usgovcloudapi.net');
  });

  it('reads workload identity federation with the job access token', () => {
    const host = hostWith('WorkloadIdentityFederation', { tenantid: 't', serviceprincipalid: 'c' });
    host.endpoints.SystemVssConnection = { scheme: 'OAuth', parameters: { AccessToken: 'job-token-123' } };
    const e = readAzureRmEndpoint(host, ID);
    assert.deepEqual(e.auth, { scheme: 'WorkloadIdentityFederation', tenantId: 't', clientId: 'c', systemAccessToken: 'job-token-123' });
    assert.ok(host.secrets.includes('job-token-123'));
  });

  it('reads managed identity with an optional client id', () => {
    const e = readAzureRmEndpoint(hostWith('ManagedServiceIdentity', { tenantid: 't' }, { msiclientId: 'mi-1' }), ID);
    assert.deepEqual(e.auth, { scheme: 'ManagedServiceIdentity', tenantId: 't', clientId: 'mi-1' });
  });

  it('leaves the subscription id out for a management-group scoped connection', () => {
    for (const data of [{}, { subscriptionId: '' }] as Array<Record<string, string>>) {
      const e = readAzureRmEndpoint(hostWith('ServicePrincipal', { tenantid: 't', serviceprincipalid: 'c', serviceprincipalkey: 'kkkk' }, { scopeLevel: 'ManagementGroup', ...data }), ID);
      assert.equal(e.subscriptionId, undefined);
    }
  });

  it('knows the clouds by name, and an environment named like an Object member is an unknown cloud', () => {
    assert.equal(cloudDefaults('AzureUSGovernment')?.authorityHost, 'https://login.microsoftonline.us/');
    assert.equal(cloudDefaults(undefined)?.resourceManagerUrl, 'https://management.azure.com/');
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) assert.equal(cloudDefaults(name), undefined, name);
    const e = readAzureRmEndpoint(hostWith('ServicePrincipal', { tenantid: 't', serviceprincipalid: 'c', serviceprincipalkey: 'kkkk' }, { environment: 'constructor' }, 'https://management.contoso.local/'), ID);
    assert.equal(e.authorityHost, undefined);
  });

  const failures: Array<[string, FakeHost, RegExp]> = [
    ['a missing connection', new FakeHost(), /not found/],
    ['a missing key', hostWith('ServicePrincipal', { tenantid: 't', serviceprincipalid: 'c' }), /serviceprincipalkey/],
    ['an unknown scheme', hostWith('UsernamePassword', {}), /not supported/],
    ['WIF without a job token', hostWith('WorkloadIdentityFederation', { tenantid: 't', serviceprincipalid: 'c' }), /System\.AccessToken/],
    ['a Resource Manager URL that is not one', hostWith('ServicePrincipal', { tenantid: 't', serviceprincipalid: 'c', serviceprincipalkey: 'kkkk' }, {}, 'management.contoso.local'), /Resource Manager URL \(url\) 'management\.contoso\.local' is not an absolute https URL/],
    ['a plain-http Resource Manager URL', hostWith('ServicePrincipal', { tenantid: 't', serviceprincipalid: 'c', serviceprincipalkey: 'kkkk' }, {}, 'http://management.contoso.local/'), /Resource Manager URL \(url\) 'http:\/\/management\.contoso\.local\/' is not an absolute https URL/],
    ['an authority that is not a URL', hostWith('ServicePrincipal', { tenantid: 't', serviceprincipalid: 'c', serviceprincipalkey: 'kkkk' }, { activeDirectoryAuthority: 'login.contoso.local' }), /Entra ID authority \(activeDirectoryAuthority\) 'login\.contoso\.local' is not an absolute https URL/],
    ['a plain-http authority', hostWith('ServicePrincipal', { tenantid: 't', serviceprincipalid: 'c', serviceprincipalkey: 'kkkk' }, { environmentAuthorityUrl: 'http://login.contoso.local/' }), /Entra ID authority \(environmentAuthorityUrl\)/],
    ['a subscription id that is not a GUID', hostWith('ServicePrincipal', { tenantid: 't', serviceprincipalid: 'c', serviceprincipalkey: 'k' }, { subscriptionId: 'sub-a' }), /subscriptionId 'sub-a' .*must be a subscription id \(a GUID/],
    ['a subscription id with a stray space', hostWith('ServicePrincipal', { tenantid: 't', serviceprincipalid: 'c', serviceprincipalkey: 'k' }, { subscriptionId: `${SUB} ` }), /subscriptionId '.*' .*must be a subscription id/],
    ['an unknown cloud with no URL', hostWith('ServicePrincipal', { tenantid: 't', serviceprincipalid: 'c', serviceprincipalkey: 'k' }, { environment: 'Mars' }), /Resource Manager URL/],
  ];
  for (const [what, host, message] of failures) {
    it(`rejects ${what} with an error naming the connection`, () => {
      assert.throws(
        () => readAzureRmEndpoint(host, ID),
        (err: unknown) => err instanceof EndpointError && message.test(err.message) && err.message.includes(ID),
      );
    });
  }
});
