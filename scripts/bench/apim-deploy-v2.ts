/**
 * ApimDeploy v2 against the APIM emulator with 100 ms added to every ARM call: a state folder of 50
 * APIs (each with an API policy and four operation policies) applied by the bundled task with the
 * default parallelism and with one write at a time, side by side on two fresh services; then the
 * unchanged re-run (writes), and the plan alone (a dry run: reads only) against v1's unchanged
 * re-run of the same 50 APIs (one v1 step per API, as v1 is used).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTask, type RunTaskOptions } from '../task-runner';
import { startEmulators } from '../../test/emulators';
import { benchSubscription, writeApiFiles } from './apim-fixture';
import { figure, type Benchmark } from './types';

const APIS = 50;
const LATENCY_MS = 100;

export const apimDeployV2: Benchmark = {
  name: 'apim-deploy-v2',
  async run(ctx) {
    const v2Dir = path.join(ctx.packaged.build.stageDir, 'ApimDeploy', 'v2');
    const v1Dir = path.join(ctx.packaged.build.stageDir, 'ApimDeploy', 'v1');
    if (!fs.existsSync(path.join(v2Dir, 'task.json')) || !fs.existsSync(path.join(v1Dir, 'task.json'))) return [];
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-bench-apim2-'));
    const emu = await startEmulators({ apim: true });
    try {
      const { subscriptionId, connectionId, connection } = benchSubscription(emu, 'e002');
      for (const s of ['apim-parallel', 'apim-sequential']) emu.apim!.addService(subscriptionId, 'rg-bench', s);
      const state = path.join(work, 'state');
      writeApiFiles(state);
      const apis = Array.from({ length: APIS }, (_, i) => `  pets-${i + 1}:
    path: pets-${i + 1}
    serviceUrl: https://pets-${i + 1}.backend.contoso.com
    spec: petstore.yaml
    policy: api.xml
    operationPolicies: ops`);
      fs.writeFileSync(path.join(state, 'apim.yaml'), `apis:\n${apis.join('\n')}\n`);
      // Every ARM request waits first, as a distant region would; tokens from Entra are not delayed.
      emu.arm.faults.add({ delayMs: LATENCY_MS, times: 1_000_000 });

      const base = (taskDir: string, inputs: Record<string, string>): RunTaskOptions => ({
        taskDir,
        cwd: work,
        inputs: { azureSubscription: connectionId, resourceGroupName: 'rg-bench', ...inputs },
        ...connection,
      });
      const measure = async (steps: RunTaskOptions[]) => {
        const calls = emu.arm.requests.length;
        const writes = emu.apim!.writeRequests;
        const t0 = process.hrtime.bigint();
        for (const step of steps) {
          const r = await runTask(step);
          if (r.effectiveResult !== 'Succeeded') throw new Error(`apim-deploy-v2 bench: ${step.inputs?.serviceName} ${step.inputs?.apiId ?? ''} failed: ${r.resultMessage}`);
        }
        return { ms: Number(process.hrtime.bigint() - t0) / 1e6, calls: emu.arm.requests.length - calls, writes: emu.apim!.writeRequests - writes };
      };
      const v2 = (serviceName: string, more: Record<string, string> = {}) => base(v2Dir, { serviceName, stateFolder: 'state', ...more });

      const parallel = await measure([v2('apim-parallel')]);
      const sequential = await measure([v2('apim-sequential', { parallelism: '1' })]);
      const rerun = await measure([v2('apim-parallel')]);
      const plan = await measure([v2('apim-parallel', { dryRun: 'true' })]);
      // v1, one step per API, re-run over what v2 deployed: the same definition fingerprint, so unchanged.
      const v1 = await measure(
        Array.from({ length: APIS }, (_, i) =>
          base(v1Dir, { serviceName: 'apim-parallel', action: 'api', apiId: `pets-${i + 1}`, specFile: 'state/petstore.yaml', apiPath: `pets-${i + 1}`, serviceUrl: `https://pets-${i + 1}.backend.contoso.com`, policySource: 'file', policyFile: 'state/api.xml', operationPoliciesFolder: 'state/ops' }),
        ),
      );
      if (plan.writes !== 0 || v1.writes !== 0) throw new Error(`apim-deploy-v2 bench: the plan wrote ${plan.writes} and v1's re-run ${v1.writes} time(s); both must only read`);
      return [
        figure('apim v2: 50 APIs parallel vs sequential', parallel.ms, 'ms', sequential.ms, 0),
        figure('apim v2: writes on an unchanged re-run', rerun.writes, 'writes', parallel.writes, 0),
        figure('apim v2: plan of 50 APIs', plan.ms, 'ms', v1.ms, 0),
        figure('apim v2: plan of 50 APIs (ARM calls)', plan.calls, 'calls', v1.calls, 0),
      ];
    } finally {
      await emu.close();
      fs.rmSync(work, { recursive: true, force: true });
    }
  },
};
