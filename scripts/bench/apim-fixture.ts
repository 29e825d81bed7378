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

export interface BenchPrincipal {
  tenantId: string;
  subscriptionId: string;
  connectionId: string;
  clientId: string;
  secret: string;
}

/** Registers the principal with the emulators and returns the connection the runner hands the task. */
export function servicePrincipalConnection(emu: Emulators, p: BenchPrincipal): Pick<RunTaskOptions, 'endpoints' | 'certificates'> {
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
