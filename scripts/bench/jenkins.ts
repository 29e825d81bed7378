/**
 * JenkinsArtifactDownload (the bundled task, run as the agent runs it) against the Jenkins
 * emulator on loopback, side by side with what a pipeline would otherwise use:
 * - one 1 GiB artifact: throughput against curl fetching the same URL to disk (neither checks a
 *   fingerprint, as with Jenkins' default `archiveArtifacts`), the same with an MD5 fingerprint the
 *   task verifies, and the task's peak RSS against the 150 MB budget;
 * - 2,000 small artifacts: files per second against Microsoft's artifact-engine (the engine behind
 *   JenkinsDownloadArtifacts@1), both as their own process;
 * - a 64 MiB artifact whose connection drops at 90%: the bytes sent after the drop, against the
 *   budget of the missing 10% plus one 64 KiB chunk (artifact-engine would send all 64 MiB again).
 * Every run's files are deleted before the next, so the disk holds at most one copy of each.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTask } from '../task-runner';
import { getTestCa, startJenkins } from '../../test/emulators';
import { figure, median, type Benchmark } from './types';

const CONN = '9d3c1a7e-2b4f-4c8d-a6e1-5f0b7c2d9e01';
const USER = 'bench';
const TOKEN = '5e1f0c9a8b7d6e5f4a3b2c1d0e9f8a7b6c';
const MiB = 1024 * 1024;
const BIG = 1024 * MiB;
const SMALL_FILES = 2000;
const DROP_SIZE = 64 * MiB;
const CHUNK = 64 * 1024;

function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = process.hrtime.bigint();
  return fn().then((value) => ({ ms: Number(process.hrtime.bigint() - t0) / 1e6, value }));
}

function exec(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    // Output is read as an agent reads a task's (the task's own goes through the runner).
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume();
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(cmd)} exited ${code}: ${err.slice(-2000)}`))));
  });
}

export const jenkins: Benchmark = {
  name: 'jenkins',
  async run(ctx) {
    const taskDir = path.join(ctx.packaged.build.stageDir, 'JenkinsArtifactDownload', 'v1');
    if (!fs.existsSync(path.join(taskDir, 'task.json'))) return [];
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-bench-jenkins-'));
    const ca = getTestCa();
    const server = await startJenkins({ certPem: ca.server.certPem, keyPem: ca.server.keyPem });
    const runs = Math.max(1, Math.min(ctx.runs, 3));
    try {
      server.addUser(USER, { token: TOKEN });
      server.addJob('big').addBuild({ artifacts: [{ path: 'payload.bin', size: BIG }], fingerprints: false });
      const fingerprinted = server.addJob('big-md5').addBuild({ artifacts: [{ path: 'payload.bin', size: BIG }] });
      void fingerprinted.artifacts[0].md5; // the server's fingerprint is computed before anything is timed
      server.addJob('many').addBuild({
        artifacts: Array.from({ length: SMALL_FILES }, (_, i) => ({ path: `pkg/${String(i % 40).padStart(2, '0')}/file-${i}.dat`, size: 1024 + ((i * 7919) % 15) * 1024 })),
      });
      server.addJob('flaky').addBuild({ artifacts: [{ path: 'image.bin', size: DROP_SIZE }] });

      // The task's peak RSS: Node started with a hook that records it on exit.
      const rssFile = path.join(work, 'rss.txt');
      const hook = path.join(work, 'rss-hook.js');
      fs.writeFileSync(hook, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\n`);

      /** Milliseconds of one task run (its files deleted afterwards, outside the timing). */
      const task = async (jobName: string, withRss = false): Promise<number> => {
        const cwd = fs.mkdtempSync(path.join(work, 'task-'));
        try {
          const { ms, value: r } = await time(() => runTask({
            taskDir,
            cwd,
            inputs: { jenkinsServerConnection: CONN, jobName, saveTo: 'drop' },
            endpoints: [{ id: CONN, url: server.jenkinsUrl, scheme: 'UsernamePassword', parameters: { username: USER, password: TOKEN }, data: { acceptUntrustedCerts: 'false' } }],
            certificates: { caInfo: ca.caFile },
            env: withRss ? { NODE_OPTIONS: `--require ${hook}` } : undefined,
            timeoutMs: 600_000,
          }));
          fs.rmSync(r.tempDir, { recursive: true, force: true });
          if (r.effectiveResult !== 'Succeeded') throw new Error(`jenkins bench: ${jobName} ended ${r.effectiveResult}: ${r.resultMessage}\n${r.stderr.slice(-2000)}`);
          return ms;
        } finally {
          fs.rmSync(cwd, { recursive: true, force: true });
        }
      };

      // 1 GiB: task against curl, alternating so both see the same machine load.
      const ours: number[] = [];
      const oursMd5: number[] = [];
      const curl: number[] = [];
      const rss: number[] = [];
      const url = `${server.jenkinsUrl}job/big/1/artifact/payload.bin`;
      for (let i = 0; i < runs; i++) {
        ours.push(await task('big', true));
        rss.push(Number(fs.readFileSync(rssFile, 'utf8')) / 1024);
        oursMd5.push(await task('big-md5', true));
        rss.push(Number(fs.readFileSync(rssFile, 'utf8')) / 1024);
        const out = path.join(work, 'curl.bin');
        curl.push((await time(() => exec('curl', ['-sS', '--fail', '--cacert', ca.caFile, '-u', `${USER}:${TOKEN}`, '-o', out, url]))).ms);
        fs.rmSync(out, { force: true });
      }
      const mbps = (ms: number) => BIG / MiB / (ms / 1000);

      // 2,000 small files: task against artifact-engine (each a fresh process, as in a pipeline).
      const engineScript = path.join(__dirname, 'jenkins-artifact-engine.js');
      const oursSmall: number[] = [];
      const engineSmall: number[] = [];
      for (let i = 0; i < runs; i++) {
        oursSmall.push(await task('many'));
        const dest = fs.mkdtempSync(path.join(work, 'engine-'));
        const args = { url: server.jenkinsUrl.replace(/\/$/, ''), job: 'many', build: 1, user: USER, token: TOKEN, caFile: ca.caFile, dest };
        engineSmall.push((await time(() => exec(process.execPath, [engineScript, JSON.stringify(args)]))).ms);
        const got = (fs.readdirSync(dest, { recursive: true }) as string[]).filter((f) => f.endsWith('.dat')).length;
        fs.rmSync(dest, { recursive: true, force: true });
        if (got !== SMALL_FILES) throw new Error(`jenkins bench: artifact-engine wrote ${got} of ${SMALL_FILES} files`);
      }
      const filesPerSecond = (ms: number) => SMALL_FILES / (ms / 1000);

      // A drop at 90%: what crosses the network after it.
      server.transfers.length = 0;
      server.addTransferFault({ path: 'image.bin', dropAtFraction: 0.9, times: 1 });
      await task('flaky');
      const [first, ...after] = server.transfers;
      if (!first?.dropped) throw new Error('jenkins bench: the drop fault did not fire');
      const again = after.reduce((n, t) => n + t.bytesSent, 0);
      const missing = DROP_SIZE - first.bytesSent;

      return [
        figure('jenkins: 1 GiB artifact throughput vs curl', mbps(median(ours)), 'MB/s', mbps(median(curl))),
        figure('jenkins: 1 GiB artifact with its MD5 fingerprint checked, throughput vs curl', mbps(median(oursMd5)), 'MB/s', mbps(median(curl))),
        figure('jenkins: 1 GiB artifact peak RSS', Math.max(...rss), 'MB', 150),
        figure('jenkins: 2,000 small artifacts vs artifact-engine', filesPerSecond(median(oursSmall)), 'files/s', filesPerSecond(median(engineSmall))),
        figure('jenkins: bytes fetched again after a drop at 90%', again / MiB, 'MB', (missing + CHUNK) / MiB, 3),
      ];
    } finally {
      await server.close();
      fs.rmSync(work, { recursive: true, force: true });
    }
  },
};
