/**
 * What the ApimDeploy benchmarks (v1 and v2) share: the API files they deploy (the petstore spec, an
 * API policy and four operation policies) and the service principal connection the bundled task
 * signs in with against the emulators.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Emulators } from '../../test/emulators';
import { toolRoot } from '../paths';
import type { RunTaskOptions } from '../task-runner';

const OPERATIONS = ['listPets', 'createPets', 'showPetById', 'updatePet'];

const policy = (value: string) => `<policies>
  <inbound>
    <base />
    <set-header name="x-bench" exists-action="override"><value>${value}</value></set-header>
  </inbound>
  <backend><base /></backend>
  <outbound><base /></outbound>
  <on-error><base /></on-error>
</policies>
`;

/** Writes petstore.yaml, api.xml and ops/<operation>.xml into `folder`. */
export function writeApiFiles(folder: string): void {
  fs.mkdirSync(path.join(folder, 'ops'), { recursive: true });
  fs.copyFileSync(path.join(toolRoot(), 'test', 'fixtures', 'apim', 'specs', 'petstore-v3.yaml'), path.join(folder, 'petstore.yaml'));
  for (const op of OPERATIONS) fs.writeFileSync(path.join(folder, 'ops', `${op}.xml`), policy(op));
  fs.writeFileSync(path.join(folder, 'api.xml'), policy('api'));
}

interface BenchPrincipal {
  tenantId: string;
  subscriptionId: string;
  connectionId: string;
  clientId: string;
  secret: string;
}

/**
 * A service principal of its own for one benchmark (`tag`, a short hex string, tells the benchmarks'
 * ids apart), its subscription and the resource group `rg-bench` registered with the emulators, and
 * the connection the runner hands the task (its id is the task's `azureSubscription`).
 */
export function benchSubscription(emu: Emulators, tag: string): { subscriptionId: string; connectionId: string; connection: Pick<RunTaskOptions, 'endpoints' | 'certificates'> } {
  const p: BenchPrincipal = {
    tenantId: `72f988bf-0000-4000-8000-0000000b${tag}`,
    subscriptionId: `11111111-2222-4333-8444-5555555b${tag}`,
    connectionId: `5b1d1f7e-8f3c-4d1a-9a55-0d6a2f4b${tag}`,
    clientId: `a1a1a1a1-0000-4000-8000-0000000b${tag}`,
    secret: `bench-secret-${tag}-4b1d7e`,
  };
  emu.arm.addSubscription({ subscriptionId: p.subscriptionId, tenantId: p.tenantId });
  emu.arm.addResourceGroup(p.subscriptionId, 'rg-bench');
  return { subscriptionId: p.subscriptionId, connectionId: p.connectionId, connection: servicePrincipalConnection(emu, p) };
}

/** Registers the principal with the emulators and returns the connection the runner hands the task. */
function servicePrincipalConnection(emu: Emulators, p: BenchPrincipal): Pick<RunTaskOptions, 'endpoints' | 'certificates'> {
  emu.entra.registerClient({ tenantId: p.tenantId, clientId: p.clientId, secret: p.secret });
  return {
    endpoints: [
      {
        id: p.connectionId,
        url: `${emu.arm.url}/`,
        scheme: 'ServicePrincipal',
        parameters: { tenantid: p.tenantId, serviceprincipalid: p.clientId, serviceprincipalkey: p.secret, authenticationType: 'spnKey' },
        data: { environment: 'AzureCloud', subscriptionId: p.subscriptionId, activeDirectoryAuthority: `${emu.entra.url}/` },
      },
    ],
    certificates: { caInfo: emu.caFile },
  };
}
