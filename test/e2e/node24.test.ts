/**
 * Every task.json declares a Node24 handler, so an agent may run the bundles on Node 24 while the
 * tools and the other tests run on Node 20. Here the shipped bundles run on the Node 24 runtime
 * (scripts/agent-node.ts): the gate's v1 and v2 on a violating template, and ApimDeploy signing in
 * through @azure/identity (workload identity federation, then a secret) and deploying an API against
 * the emulators, then re-running unchanged.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { agentNode24, NODE24_VERSION } from '../../scripts/agent-node';
import { buildExtension } from '../../scripts/build';
import { runTask, type RunTaskResult } from '../../scripts/task-runner';
import { startEmulators, type Emulators } from '../emulators';
import { stopWatching, watchRequests } from '../ApimDeploy/spec-watch';

const REPO = path.resolve(__dirname, '..', '..', '..');
const TENANT = '72f988bf-0000-4000-8000-00000000b024';
const SUB = '11111111-2222-4333-8444-55555555b024';
const CONN = '5b1d1f7e-8f3c-4d1a-9a55-0d6a2f4cb024';
const CLIENT = 'a1a1a1a1-0000-4000-8000-00000000b024';
const SECRET = 'node24-spn-secret-5d8e1f';

function output(r: RunTaskResult, name: string): string | undefined {
  return r.variables.find((v) => v.name === name)?.value;
}

describe('e2e: shipped bundles on the Node 24 handler runtime', function () {
  // The first run on a machine fetches Node 24 from the npm registry (~30 MB).
  this.timeout(300_000);
  let node24: string;
  let tmp: string;
  let stage: string;
  let emu: Emulators | undefined;

  before(async () => {
    node24 = agentNode24();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-node24-'));
    stage = path.join(tmp, 'stage');
    await buildExtension({ root: REPO, stageDir: stage, validate: false, log: () => undefined });
  });

  after(async () => {
    if (emu?.apim) stopWatching(emu.apim);
    await emu?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it(`the runner runs a bundle on the Node it is given (v${NODE24_VERSION}), not its own`, async () => {
    assert.notEqual(process.version, `v${NODE24_VERSION}`, 'this suite is meant to run the tools on another Node than the tasks');
    const taskDir = path.join(tmp, 'version-probe');
    fs.mkdirSync(taskDir);
    fs.writeFileSync(
      path.join(taskDir, 'task.json'),
      JSON.stringify({ id: '0b7e3d55-24aa-4c1e-9d0b-3f9a2c1e5b24', name: 'VersionProbe', version: { Major: 1, Minor: 0, Patch: 0 }, execution: { Node24: { target: 'index.js' } } }),
    );
    fs.writeFileSync(path.join(taskDir, 'index.js'), "console.log(`##vso[task.setvariable variable=node]${process.version}`);\nconsole.log('##vso[task.complete result=Succeeded;]done');\n");
    const r = await runTask({ taskDir, inputs: {}, node: node24 });
    assert.equal(output(r, 'node'), `v${NODE24_VERSION}`);
  });

  it('ArmTemplateSecurityGate v1 and v2 fail a violating template with file and line', async () => {
    const ws = path.join(tmp, 'ws');
    fs.cpSync(path.join(REPO, 'test', 'ArmTemplateSecurityGate', 'fixtures', 'violating'), path.join(ws, 'violating'), { recursive: true });
    const variables = { 'System.DefaultWorkingDirectory': ws };
    const v2 = await runTask({ taskDir: path.join(stage, 'ArmTemplateSecurityGate', 'v2'), cwd: ws, node: node24, inputs: { templates: '**/*.json' }, variables });
    assert.equal(v2.result, 'Failed', v2.stdout + v2.stderr);
    const issue = v2.issues.find((i) => i.type === 'error' && i.code === 'storage-https-only');
    assert.equal(issue?.sourcePath, 'violating/storage.json', JSON.stringify(v2.issues));
    assert.ok((issue?.lineNumber ?? 0) > 1);
    assert.equal(output(v2, 'verdict'), 'fail');
    assert.equal(v2.summaries.length, 1);

    const v1 = await runTask({ taskDir: path.join(stage, 'ArmTemplateSecurityGate', 'v1'), cwd: ws, node: node24, inputs: { ARMTemplateFilePath: 'violating' }, variables });
    assert.equal(v1.result, 'Failed', v1.stdout + v1.stderr);
    assert.ok(v1.issues.some((i) => i.code === 'storage-https-only'), JSON.stringify(v1.issues));
  });

  it('ApimDeploy signs in with workload identity federation (and a service principal secret) and deploys an API; the re-run writes nothing', async () => {
    emu = await startEmulators({ apim: true });
    emu.arm.addSubscription({ subscriptionId: SUB, tenantId: TENANT });
    emu.arm.addResourceGroup(SUB, 'rg-apim');
    emu.apim!.addService(SUB, 'rg-apim', 'apim-contoso');
    watchRequests(emu.apim!, 'suite');
    emu.entra.registerClient({ tenantId: TENANT, clientId: CLIENT, secret: SECRET });
    const wifClient = 'a1a1a1a1-0000-4000-8000-00000000c024';
    emu.entra.registerClient({ tenantId: TENANT, clientId: wifClient, federatedSubject: emu.oidc.registerServiceConnection({ id: CONN, name: 'apim-wif' }) });
    const work = path.join(tmp, 'apim');
    fs.mkdirSync(work);
    fs.copyFileSync(path.join(REPO, 'test', 'fixtures', 'apim', 'specs', 'petstore-v3.yaml'), path.join(work, 'petstore.yaml'));

    const deploy = (auth: { scheme: string; parameters: Record<string, string> }) =>
      runTask({
        taskDir: path.join(stage, 'ApimDeploy', 'v1'),
        cwd: work,
        node: node24,
        inputs: { azureSubscription: CONN, resourceGroupName: 'rg-apim', serviceName: 'apim-contoso', action: 'api', apiId: 'pets', specFile: 'petstore.yaml', apiPath: 'pets', serviceUrl: 'https://pets.backend.contoso.com' },
        endpoints: [
          {
            id: CONN,
            url: `${emu!.arm.url}/`,
            scheme: auth.scheme,
            parameters: auth.parameters,
            data: { environment: 'AzureCloud', subscriptionId: SUB, subscriptionName: 'Contoso', activeDirectoryAuthority: `${emu!.entra.url}/` },
          },
        ],
        systemConnection: { collectionUri: emu!.oidc.collectionUri, accessToken: emu!.oidc.systemAccessToken },
        variables: { 'System.OidcRequestUri': emu!.oidc.requestUri },
        certificates: { caInfo: emu!.caFile },
      });

    const first = await deploy({ scheme: 'WorkloadIdentityFederation', parameters: { tenantid: TENANT, serviceprincipalid: wifClient } });
    assert.equal(first.effectiveResult, 'Succeeded', `${first.resultMessage}\n${first.stdout}\n${first.stderr}`);
    assert.equal(output(first, 'apiId'), 'pets');
    const stored = await emu.apim!.invoke('apim-contoso', 'GET', '/apis/pets');
    assert.equal(stored.status, 200);
    assert.equal((stored.body as { properties: { serviceUrl: string } }).properties.serviceUrl, 'https://pets.backend.contoso.com');
    const writes = emu.apim!.writeRequests;
    assert.ok(writes > 0);

    const again = await deploy({ scheme: 'ServicePrincipal', parameters: { tenantid: TENANT, serviceprincipalid: CLIENT, serviceprincipalkey: SECRET, authenticationType: 'spnKey' } });
    assert.equal(again.effectiveResult, 'Succeeded', `${again.resultMessage}\n${again.stdout}`);
    assert.equal(output(again, 'writeCount'), '0');
    assert.equal(emu.apim!.writeRequests, writes);
    assert.ok(!`${again.stdout}${again.stderr}`.split('\n').some((l) => !l.startsWith('##vso[task.setsecret]') && l.includes(SECRET)), 'secret printed');
    assert.ok(again.secrets.includes(SECRET), 'secret registered with the agent');
  });
});
