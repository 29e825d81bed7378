import * as assert from 'assert';
import { execFile } from 'child_process';
import * as crypto from 'crypto';
import { azureRmConnectionEnv, createServicePrincipalCertificate, Emulators, startEmulators } from '../emulators';
import { SUBSCRIPTION, TENANT } from './helpers';

/**
 * Reads only what an agent gives a task (ENDPOINT_*, SYSTEM_*, AGENT_CAINFO / AGENT_PROXYURL) and
 * calls ARM, the way the product's auth library will.
 */
const CHILD = `
const fs = require('fs');
const https = require('https');
const id = process.env.CONN_ID;
const identity = require(process.env.IDENTITY_PATH);
const { HttpsProxyAgent } = require(process.env.PROXY_AGENT_PATH);
const p = (k) => process.env['ENDPOINT_AUTH_PARAMETER_' + id + '_' + k];
const d = (k) => process.env['ENDPOINT_DATA_' + id + '_' + k];
const ca = fs.readFileSync(process.env.AGENT_CAINFO, 'utf8');
class CaProxyAgent extends HttpsProxyAgent { connect(req, o) { return super.connect(req, { ...o, ca }); } }
const proxy = process.env.AGENT_PROXYURL ? new URL(process.env.AGENT_PROXYURL) : undefined;
if (proxy && process.env.AGENT_PROXYUSERNAME) {
  proxy.username = process.env.AGENT_PROXYUSERNAME;
  proxy.password = process.env.SECRET_AGENT_PROXYPASSWORD;
}
const agent = proxy ? new CaProxyAgent(proxy.toString()) : new https.Agent({ ca });
const common = { authorityHost: d('ACTIVEDIRECTORYAUTHORITY'), disableInstanceDiscovery: true, agent };
const scheme = process.env['ENDPOINT_AUTH_SCHEME_' + id];
let cred;
if (scheme === 'WorkloadIdentityFederation') {
  cred = new identity.AzurePipelinesCredential(p('TENANTID'), p('SERVICEPRINCIPALID'), id,
    process.env.ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN, common);
} else if (p('AUTHENTICATIONTYPE') === 'spnCertificate') {
  cred = new identity.ClientCertificateCredential(p('TENANTID'), p('SERVICEPRINCIPALID'), { certificate: p('SERVICEPRINCIPALCERTIFICATE') }, common);
} else {
  cred = new identity.ClientSecretCredential(p('TENANTID'), p('SERVICEPRINCIPALID'), p('SERVICEPRINCIPALKEY'), common);
}
const armUrl = process.env['ENDPOINT_URL_' + id].replace(/\\/$/, '');
cred.getToken(armUrl + '/.default').then((t) => new Promise((resolve, reject) => {
  https.get(armUrl + '/subscriptions/' + d('SUBSCRIPTIONID') + '?api-version=2022-12-01', { agent, headers: { Authorization: 'Bearer ' + t.token } }, (res) => {
    let body = '';
    res.on('data', (c) => body += c);
    res.on('end', () => resolve({ status: res.statusCode, body }));
  }).on('error', reject);
})).then((r) => process.stdout.write(JSON.stringify(r)), (e) => process.stdout.write(JSON.stringify({ error: e.message })));
`;

function runTaskLike(env: Record<string, string>, connId: string): Promise<{ status?: number; body?: string; error?: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', CHILD], {
      timeout: 30000,
      env: {
        PATH: process.env.PATH ?? '', CONN_ID: connId, ...env,
        IDENTITY_PATH: require.resolve('@azure/identity'), PROXY_AGENT_PATH: require.resolve('https-proxy-agent'),
      },
    }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout))));
  });
}

describe('emulators: AzureRM service connection environment', () => {
  let emu: Emulators;

  before(async () => {
    emu = await startEmulators({ proxyAuth: { username: 'agent', password: 'proxy-secret' } });
  });

  after(() => emu.close());

  it('writes the agent variable shape for an spnKey connection', () => {
    const id = crypto.randomUUID();
    const env = azureRmConnectionEnv(emu, { scheme: 'ServicePrincipal', authenticationType: 'spnKey', secret: 's' }, { id, tenantId: TENANT, clientId: 'c1', subscriptionId: SUBSCRIPTION });
    assert.strictEqual(env[`ENDPOINT_URL_${id}`], emu.arm.endpoint);
    assert.deepStrictEqual(JSON.parse(env[`ENDPOINT_AUTH_${id}`]), {
      scheme: 'ServicePrincipal', parameters: { tenantid: TENANT, serviceprincipalid: 'c1', authenticationType: 'spnKey', serviceprincipalkey: 's' },
    });
    assert.strictEqual(env[`ENDPOINT_AUTH_PARAMETER_${id}_SERVICEPRINCIPALKEY`], 's');
    assert.strictEqual(env[`ENDPOINT_DATA_${id}_ACTIVEDIRECTORYAUTHORITY`], emu.entra.authorityHost);
    assert.strictEqual(env.AGENT_CAINFO, emu.caFile);
  });

  it('a task-like child process authenticates with an spnCertificate connection through the authenticated proxy', async () => {
    const id = crypto.randomUUID();
    const cert = createServicePrincipalCertificate();
    const env = azureRmConnectionEnv(emu, { scheme: 'ServicePrincipal', authenticationType: 'spnCertificate', certificatePem: cert.certPem, keyPem: cert.keyPem },
      { id, tenantId: TENANT, clientId: crypto.randomUUID(), subscriptionId: SUBSCRIPTION, viaProxy: true });
    const result = await runTaskLike(env, id);
    assert.strictEqual(result.status, 200, result.error ?? result.body);
    assert.ok(emu.proxy.tunnelCount(`127.0.0.1:${emu.arm.port}`) >= 1);
    assert.strictEqual(emu.entra.issuances[emu.entra.issuances.length - 1].method, 'client-certificate');
  });

  it('a task-like child process authenticates with a workload identity connection', async () => {
    const id = crypto.randomUUID();
    const env = azureRmConnectionEnv(emu, { scheme: 'WorkloadIdentityFederation', name: 'wif' }, { id, tenantId: TENANT, clientId: crypto.randomUUID(), subscriptionId: SUBSCRIPTION });
    const result = await runTaskLike(env, id);
    assert.strictEqual(result.status, 200, result.error ?? result.body);
    assert.ok(emu.oidc.tokenRequestCount(id) >= 1);
    assert.strictEqual(emu.entra.issuances[emu.entra.issuances.length - 1].method, 'federated');
  });
});
