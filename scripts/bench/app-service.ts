/**
 * AppServiceMultiRegionDeploy against the Web emulator, every Kudu build taking 1 s:
 * - five regions deployed in parallel by the bundled v2 task against one region (goal ≤ 1.3×);
 * - one target deployed by the bundled v1 task (sign-in, ARM, Kudu) against Microsoft's Kudu zip
 *   deploy (azure-pipelines-tasks-azure-arm-rest's Kudu.zipDeploy, handed the credentials, so it
 *   does less: no sign-in and no ARM calls), both against the same emulated app.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runDeploy, startWebEmulators, SUB, writeZip } from '../../test/AppServiceMultiRegionDeploy/fixture';
import { figure, median, type Benchmark } from './types';

const BUILD_MS = 1000;
const REGIONS = ['westeurope', 'northeurope', 'eastus', 'westus2', 'southeastasia'];

function elapsed(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export const appService: Benchmark = {
  name: 'app-service',
  async run(ctx) {
    const v1 = path.join(ctx.packaged.build.stageDir, 'AppServiceMultiRegionDeploy', 'v1');
    const v2 = path.join(ctx.packaged.build.stageDir, 'AppServiceMultiRegionDeploy', 'v2');
    if (!fs.existsSync(path.join(v2, 'task.json'))) return [];
    const runs = Math.min(ctx.runs, 5);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-bench-appsvc-'));
    const emu = await startWebEmulators();
    try {
      const web = emu.web!;
      for (const [i, location] of REGIONS.entries()) {
        const site = await web.addSite({ subscriptionId: SUB, resourceGroup: `rg-${i + 1}`, name: 'bench-web', location, kind: 'app,linux' });
        site.slots.get('production')!.kudu.buildMs = BUILD_MS;
      }
      await writeZip(path.join(work, 'app.zip'), { 'version.txt': 'bench', 'index.html': '<h1>bench</h1>'.repeat(2000) });
      const deploy = async (taskDir: string, inputs: Record<string, string>) => {
        const t0 = process.hrtime.bigint();
        const r = await runDeploy(emu, taskDir, work, { package: 'app.zip', ...inputs });
        if (r.effectiveResult !== 'Succeeded') throw new Error(`app-service bench: ${r.resultMessage}`);
        return elapsed(t0);
      };
      const five = REGIONS.map((_, i) => `rg-${i + 1}/bench-web`).join('\n');
      const parallel: number[] = [];
      const single: number[] = [];
      const ours: number[] = [];
      const microsoft: number[] = [];
      const slot = web.slot(SUB, 'rg-1', 'bench-web');
      const auth = `Basic ${Buffer.from(`${slot.publishingUserName}:${slot.publishingPassword}`).toString('base64')}`;
      const driver = path.join(__dirname, 'app-service-ms-kudu.js');
      for (let i = 0; i < runs; i++) {
        parallel.push(await deploy(v2, { targets: five, deploymentMethod: 'oneDeploy', strategy: 'parallel', maxParallel: '5' }));
        single.push(await deploy(v2, { targets: 'rg-1/bench-web', deploymentMethod: 'oneDeploy' }));
        ours.push(await deploy(v1, { targets: 'rg-1/bench-web', deploymentMethod: 'zipDeploy' }));
        const t0 = process.hrtime.bigint();
        await new Promise<void>((resolve, reject) => {
          execFile(process.execPath, [driver, `https://${slot.kudu.hostName}`, auth, path.join(work, 'app.zip')], { env: { PATH: process.env.PATH ?? '', NODE_EXTRA_CA_CERTS: emu.caFile, AGENT_TEMPDIRECTORY: work }, timeout: 120_000 }, (err, _out, stderr) =>
            err ? reject(new Error(`Microsoft's Kudu zip deploy failed: ${stderr || err.message}`)) : resolve(),
          );
        });
        microsoft.push(elapsed(t0));
      }
      return [
        figure('app-service: 5 regions in parallel vs 1 region', median(parallel), 'ms', median(single), 0),
        figure("app-service: our deploy vs Microsoft's Kudu zip deploy", median(ours), 'ms', median(microsoft), 0),
      ];
    } finally {
      await emu.close();
      fs.rmSync(work, { recursive: true, force: true });
    }
  },
};
