/**
 * ApimDeploy against the APIM emulator with 100 ms added to every ARM call: 20 APIs, each with an
 * API policy and four operation policies, deployed by the bundled task (one pipeline step per
 * API), then deployed again unchanged. Figures: wall time and ARM calls of the unchanged re-run
 * against the first run (goal: far fewer calls and zero writes), and the first run's wall time
 * against the floor its ARM calls alone cost at 100 ms each.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTask } from '../task-runner';
import { startEmulators } from '../../test/emulators';
import { benchSubscription, writeApiFiles } from './apim-fixture';
import { figure, type Benchmark } from './types';

const APIS = 20;
const LATENCY_MS = 100;

export const apimDeploy: Benchmark = {
  name: 'apim-deploy',
  async run(ctx) {
    const taskDir = path.join(ctx.packaged.build.stageDir, 'ApimDeploy', 'v1');
    if (!fs.existsSync(path.join(taskDir, 'task.json'))) return [];
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-bench-apim-'));
    const emu = await startEmulators({ apim: true });
    try {
      const { subscriptionId, connectionId, connection } = benchSubscription(emu, 'e001');
      emu.apim!.addService(subscriptionId, 'rg-bench', 'apim-bench');
      writeApiFiles(work);
      // Every ARM request waits first, as a distant region would; tokens from Entra are not delayed.
      emu.arm.faults.add({ delayMs: LATENCY_MS, times: 1_000_000 });

      const deployAll = async () => {
        const calls = emu.arm.requests.length;
        const writes = emu.apim!.writeRequests;
        const t0 = process.hrtime.bigint();
        for (let i = 1; i <= APIS; i++) {
          const r = await runTask({
            taskDir,
            cwd: work,
            inputs: {
              azureSubscription: connectionId,
              resourceGroupName: 'rg-bench',
              serviceName: 'apim-bench',
              action: 'api',
              apiId: `pets-${i}`,
              specFile: 'petstore.yaml',
              apiPath: `pets-${i}`,
              serviceUrl: `https://pets-${i}.backend.contoso.com`,
              policySource: 'file',
              policyFile: 'api.xml',
              operationPoliciesFolder: 'ops',
            },
            ...connection,
          });
          if (r.effectiveResult !== 'Succeeded') throw new Error(`apim-deploy bench: pets-${i} failed: ${r.resultMessage}`);
        }
        return {
          ms: Number(process.hrtime.bigint() - t0) / 1e6,
          calls: emu.arm.requests.length - calls,
          writes: emu.apim!.writeRequests - writes,
        };
      };

      const first = await deployAll();
      const again = await deployAll();
      return [
        figure('apim-deploy first run (20 APIs) vs its ARM latency floor', first.ms, 'ms', first.calls * LATENCY_MS, 0),
        figure('apim-deploy ARM calls: unchanged re-run vs first run', again.calls, 'calls', first.calls, 0),
        figure('apim-deploy wall time: unchanged re-run vs first run', again.ms, 'ms', first.ms, 0),
        figure('apim-deploy writes: unchanged re-run vs first run', again.writes, 'writes', first.writes, 0),
      ];
    } finally {
      await emu.close();
      fs.rmSync(work, { recursive: true, force: true });
    }
  },
};
