import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { argValue, bundleEntry } from './build';
import { readJsonFile } from './discover';
import { collectData, collectPackages, NOTICES_FILE, renderNotices } from './notices';
import { rel, toolRoot } from './paths';
import { readTgz } from './tar-reader';
import { assertValid, Problem } from './validate';

/**
 * The armgate CLI as an npm package anyone can install from the tarball: `@<publisher>/armgate`
 * (the unscoped name on the registry belongs to someone else), one bundled file with no runtime
 * dependencies, the repository's version, its LICENSE and the notices of what the bundle holds.
 */

export interface CliPackageOptions {
  root: string;
  /** The extension publisher; the npm scope is its lower-case form. */
  publisher: string;
  /** Folder for the .tgz (default <root>/dist); the bundle also lands in <outputDir>/cli/armgate.js for bin/armgate.js. */
  outputDir?: string;
  log?: (line: string) => void;
}

export interface CliPackageResult {
  name: string;
  version: string;
  tarball: string;
  files: string[];
}

const CLI_ENTRY = 'tasks/ArmTemplateSecurityGate/cli/index.ts';

export function cliEntry(root: string): string | undefined {
  const f = path.join(root, CLI_ENTRY);
  return fs.existsSync(f) ? f : undefined;
}

export function cliPackageName(publisher: string): string {
  return `@${publisher.toLowerCase()}/armgate`;
}

/** npm as the current npm run uses it, else the one on PATH. */
export function npmCommand(): { cmd: string; args: string[]; shell: boolean } {
  const execPath = process.env.npm_execpath;
  if (execPath && /\.c?js$/.test(execPath) && fs.existsSync(execPath)) return { cmd: process.execPath, args: [execPath], shell: false };
  return { cmd: process.platform === 'win32' ? 'npm.cmd' : 'npm', args: [], shell: process.platform === 'win32' };
}

export function runNpm(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  const npm = npmCommand();
  return new Promise((resolve, reject) => {
    const child = spawn(npm.cmd, [...npm.args, ...args], { cwd, env, shell: npm.shell, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

function readme(name: string, version: string, docs: string | undefined): string {
  return [
    `# ${name}`,
    '',
    'armgate evaluates Azure Resource Manager templates — parameter files, expressions, copy loops, nested',
    'and linked templates — against a catalogue of security controls, and fails on violations.',
    '',
    '```sh',
    `npm install -g ./${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`,
    'armgate scan infra --format sarif --output gate.sarif',
    'armgate rules',
    'armgate --help',
    '```',
    '',
    'Exit codes: 0 clean, 1 violations, 2 usage or input error. Node.js 20 or later; no dependencies.',
    ...(docs ? ['', `Documentation: ${docs}`] : []),
    '',
    'MIT licence (LICENSE); the bundled open-source packages and their licences are in THIRD-PARTY-NOTICES.txt.',
    '',
  ].join('\n');
}

/** What the tarball must hold, and must not. */
export function checkCliTarball(tarball: string, name: string, version: string): Problem[] {
  const where = path.basename(tarball);
  const entries = readTgz(tarball);
  const names = entries.map((e) => e.name);
  const problems: Problem[] = [];
  for (const f of ['package/package.json', 'package/armgate.js', 'package/LICENSE', `package/${NOTICES_FILE}`, 'package/README.md']) {
    if (!names.includes(f)) problems.push({ file: where, message: `${f} is missing` });
  }
  const extra = names.filter((n) => !['package/package.json', 'package/armgate.js', 'package/LICENSE', `package/${NOTICES_FILE}`, 'package/README.md'].includes(n));
  if (extra.length) problems.push({ file: where, message: `unexpected files: ${extra.join(', ')}` });
  const pkgEntry = entries.find((e) => e.name === 'package/package.json');
  if (pkgEntry) {
    const pkg = JSON.parse(pkgEntry.data.toString('utf8')) as Record<string, unknown>;
    if (pkg.name !== name || pkg.version !== version) problems.push({ file: where, message: `package.json says ${String(pkg.name)}@${String(pkg.version)}, expected ${name}@${version}` });
    for (const k of ['dependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies']) {
      if (pkg[k] && Object.keys(pkg[k]).length) problems.push({ file: where, message: `declares ${k}; the CLI must be one self-contained file` });
    }
  }
  const bin = entries.find((e) => e.name === 'package/armgate.js');
  if (bin && !bin.data.subarray(0, 20).toString('utf8').startsWith('#!/usr/bin/env node')) problems.push({ file: where, message: 'armgate.js does not start with #!/usr/bin/env node' });
  return problems;
}

export async function buildCliPackage(opts: CliPackageOptions): Promise<CliPackageResult | undefined> {
  const root = path.resolve(opts.root);
  const log = opts.log ?? ((l: string) => console.log(l));
  const entry = cliEntry(root);
  if (!entry) return undefined;
  const outputDir = path.resolve(opts.outputDir ?? path.join(root, 'dist'));
  const repoPkg = readJsonFile<{ version: string; license?: string }>(path.join(root, 'package.json'), root);
  const manifest = readJsonFile<{ repository?: { uri?: string }; links?: { home?: { uri?: string } } }>(path.join(root, 'vss-extension.json'), root);
  const name = cliPackageName(opts.publisher);
  const version = repoPkg.version;

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-cli-'));
  try {
    const stage = path.join(work, 'package');
    fs.mkdirSync(stage);
    // One file that is both the bin (runs when executed) and a module bin/armgate.js can require.
    const wrapper = path.join(work, 'armgate-bin.ts');
    fs.writeFileSync(wrapper, `#!/usr/bin/env node\nimport { run } from ${JSON.stringify(entry.replace(/\\/g, '/').replace(/\.ts$/, ''))};\nexport { run };\nif (require.main === module) run();\n`);
    const bundle = await bundleEntry(wrapper, path.join(stage, 'armgate.js'), { version });
    const inputs = new Map([['armgate', bundle.inputs]]);
    const notices = collectPackages(inputs, root);
    const data = collectData(inputs, root);
    assertValid([...bundle.problems, ...notices.problems, ...data.problems]);
    fs.writeFileSync(path.join(stage, NOTICES_FILE), renderNotices(name, notices.packages, false, data.data));
    fs.copyFileSync(path.join(root, 'LICENSE'), path.join(stage, 'LICENSE'));
    const repository = manifest.repository?.uri;
    const docs = repository ? `${repository.replace(/\.git$/, '')}/blob/HEAD/docs/armgate.md` : undefined;
    fs.writeFileSync(path.join(stage, 'README.md'), readme(name, version, docs));
    const pkg = {
      name,
      version,
      description: 'ARM template security gate: evaluates Azure Resource Manager templates against security controls.',
      license: repoPkg.license ?? 'MIT',
      bin: { armgate: 'armgate.js' },
      files: ['armgate.js', NOTICES_FILE],
      engines: { node: '>=20' },
      keywords: ['arm', 'azure', 'security', 'iac', 'sarif'],
      ...(repository ? { repository: { type: 'git', url: repository }, homepage: docs } : {}),
    };
    fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);

    fs.mkdirSync(outputDir, { recursive: true });
    const tarball = path.join(outputDir, `${name.slice(1).replace('/', '-')}-${version}.tgz`);
    fs.rmSync(tarball, { force: true });
    const packed = await runNpm(['pack', '--ignore-scripts', '--pack-destination', outputDir], stage, { ...process.env, npm_config_loglevel: 'error', npm_config_update_notifier: 'false', npm_config_fund: 'false' });
    if (packed.code !== 0 || !fs.existsSync(tarball)) throw new Error(`npm pack failed (exit ${packed.code}):\n${packed.stdout}${packed.stderr}`);
    assertValid(checkCliTarball(tarball, name, version));
    // bin/armgate.js in a checkout runs this same bundle when it is newer than the sources.
    fs.mkdirSync(path.join(outputDir, 'cli'), { recursive: true });
    fs.copyFileSync(path.join(stage, 'armgate.js'), path.join(outputDir, 'cli', 'armgate.js'));
    const files = readTgz(tarball).map((e) => e.name);
    log(`packed ${rel(root, tarball)} (${name}@${version}, ${(fs.statSync(tarball).size / 1024).toFixed(1)} KiB, ${notices.packages.length} bundled package(s) in its notices)`);
    return { name, version, tarball, files };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const root = path.resolve(argValue(argv, '--root') ?? toolRoot());
  const publisher = argValue(argv, '--publisher') ?? process.env.SRK_PUBLISHER ?? readJsonFile<{ publisher: string }>(path.join(root, 'vss-extension.json'), root).publisher;
  buildCliPackage({ root, publisher, outputDir: argValue(argv, '--output-dir') }).catch((e: Error) => {
    console.error(`cli package failed: ${e.message}`);
    process.exit(1);
  });
}
