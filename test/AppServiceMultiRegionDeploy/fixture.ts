/** Shared set-up of the AppServiceMultiRegionDeploy e2e tests and benchmarks: bundles, emulators, packages, runs. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yazl from 'yazl';
import { bundleEntry } from '../../scripts/build';
import { runTask, type RunTaskOptions, type RunTaskResult } from '../../scripts/task-runner';
import { startEmulators, type Emulators } from '../emulators';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const TENANT = '72f988bf-0000-4000-8000-00000000b011';
export const SUB = '11111111-2222-4333-8444-55555555b011';
export const CONN = '5b1d1f7e-8f3c-4d1a-9a55-0d6a2f4cb011';
export const CLIENT = 'a1a1a1a1-0000-4000-8000-00000000b011';
export const SECRET = 'appsvc-spn-secret-7c2f9e1a';

/** Bundles a task version of this checkout into a fresh folder (what the vsix ships). */
export async function bundleVersion(version: 'v1' | 'v2'): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `srk-appsvc-${version}-`));
  const src = path.join(REPO, 'tasks', 'AppServiceMultiRegionDeploy', version);
  fs.copyFileSync(path.join(src, 'task.json'), path.join(dir, 'task.json'));
  const report = await bundleEntry(path.join(src, 'index.ts'), path.join(dir, 'index.js'), { minify: false });
  assert.deepEqual(report.problems, []);
  return dir;
}

export async function startWebEmulators(): Promise<Emulators> {
  const emu = await startEmulators({ web: true });
  emu.arm.addSubscription({ subscriptionId: SUB, tenantId: TENANT });
  emu.entra.registerClient({ tenantId: TENANT, clientId: CLIENT, secret: SECRET });
  return emu;
}

/** A zip with these files (version.txt tells the emulated app which version it runs). */
export function writeZip(file: string, files: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const [name, text] of Object.entries(files)) zip.addBuffer(Buffer.from(text), name);
    zip.end();
    const out = fs.createWriteStream(file);
    zip.outputStream.pipe(out).on('finish', () => resolve()).on('error', reject);
  });
}

export function runDeploy(emu: Emulators, taskDir: string, work: string, inputs: Record<string, string>, more: Partial<RunTaskOptions> = {}): Promise<RunTaskResult> {
  return runTask({
    taskDir,
    cwd: work,
    inputs: { azureSubscription: CONN, ...inputs },
    endpoints: [
      {
        id: CONN,
        url: `${emu.arm.url}/`,
        scheme: 'ServicePrincipal',
        parameters: { tenantid: TENANT, serviceprincipalid: CLIENT, serviceprincipalkey: SECRET, authenticationType: 'spnKey' },
        data: { environment: 'AzureCloud', subscriptionId: SUB, subscriptionName: 'Contoso', activeDirectoryAuthority: `${emu.entra.url}/` },
      },
    ],
    certificates: { caInfo: emu.caFile },
    timeoutMs: 120_000,
    ...more,
  });
}

export function output(r: RunTaskResult, name: string): string | undefined {
  return r.variables.find((v) => v.name === name)?.value;
}

export function explain(r: RunTaskResult): string {
  return `${r.effectiveResult}: ${r.resultMessage}\n${r.stdout}\n${r.stderr}`;
}
