import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { argValue, buildExtension, BuildOptions, BuildResult } from './build';
import { checkOverrides, TASK_CONTRIBUTION_TYPE } from './manifest';
import { rel, toolRoot } from './paths';
import { assertValid, Problem, validateOutputFiles } from './validate';
import { ZipFile } from './zip-reader';
import { buildCliPackage, CliPackageResult } from './cli-package';
import { assessTaskVersions, bumpTaskVersions, BumpResult, CHANGELOG, RECORDS_DIR, versionProblems } from './task-versions';

/** Stages, validates, runs `tfx extension create` and checks the resulting .vsix. */

export interface PackageOptions extends BuildOptions {
  /** Folder for the .vsix; defaults to <root>/dist. */
  outputDir?: string;
  /** Raise and record changed task versions (CLI --bump) instead of failing on them. */
  bump?: boolean;
  /** The release-record check (releases/); on unless a test of something else turns it off. */
  checkVersions?: boolean;
  /** Also pack the armgate CLI npm package when the repository has the CLI (default true). */
  cli?: boolean;
}

export interface PackageResult {
  vsix: string;
  bytes: number;
  entries: string[];
  build: BuildResult;
  tfxOutput: string;
  bump?: BumpResult;
  cli?: CliPackageResult;
}

function logBump(r: BumpResult, root: string, log: (l: string) => void): void {
  if (!r.entries.length) {
    log('bump: every task version is recorded and unchanged; nothing to raise');
    return;
  }
  for (const e of r.entries) {
    const what = e.level === 'removed' ? 'removed' : e.level === 'new' ? `recorded ${e.to}` : `${e.from} → ${e.to} (${e.level}${e.added.length ? `, adds ${e.added.join(', ')}` : ''})`;
    log(`bump: ${e.task} v${e.major}: ${what}`);
  }
  log(r.extensionTo !== r.extensionFrom ? `bump: extension ${r.extensionFrom} → ${r.extensionTo}` : `bump: extension stays ${r.extensionTo}${r.baseline ? ' (first record: the current versions are the baseline)' : ''}`);
  for (const d of r.docs) log(`bump: regenerated ${d}`);
  log(`bump: wrote ${rel(root, path.join(root, RECORDS_DIR))}/ and ${CHANGELOG}; review the CHANGELOG entry, then commit them with the task.json and version changes`);
}

function tfxScript(): string {
  const pkgFile = require.resolve('tfx-cli/package.json', { paths: [toolRoot()] });
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { bin: Record<string, string> };
  return path.join(path.dirname(pkgFile), pkg.bin.tfx);
}

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** What the vsix must hold: every execution target, no node_modules, one task contribution per task. */
export function checkVsix(zip: ZipFile, build: BuildResult): Problem[] {
  const where = rel(build.root, zip.file);
  const problems = validateOutputFiles(zip.names(), build.versions, where);
  const vso = JSON.parse(zip.readText('extension.vsomanifest')) as { contributions?: Array<{ type?: string; properties?: { name?: string } }> };
  const packaged = new Set((vso.contributions ?? []).filter((c) => c.type === TASK_CONTRIBUTION_TYPE).map((c) => c.properties?.name));
  for (const name of new Set(build.versions.map((v) => v.taskName))) {
    if (!packaged.has(name)) problems.push({ file: where, message: `extension.vsomanifest has no task contribution for ${name}` });
  }
  const identity = /<Identity\b[^>]*>/.exec(zip.readText('extension.vsixmanifest'))?.[0] ?? '';
  for (const [attr, expected] of [['Publisher', build.manifest.publisher], ['Version', build.manifest.version], ['Id', build.manifest.id]] as const) {
    if (!identity.includes(`${attr}="${String(expected)}"`)) problems.push({ file: where, message: `extension.vsixmanifest Identity ${attr} is not ${String(expected)} (${identity})` });
  }
  return problems;
}

export async function packageExtension(opts: PackageOptions): Promise<PackageResult> {
  const root = path.resolve(opts.root);
  const log = opts.log ?? ((l: string) => console.log(l));
  const overrides = {
    publisher: opts.publisher ?? (process.env.SRK_PUBLISHER || undefined),
    version: opts.version ?? (process.env.SRK_VERSION || undefined),
  };
  checkOverrides(overrides);
  const buildOpts = { ...opts, ...overrides, root, log };
  let build = await buildExtension(buildOpts);
  let bump: BumpResult | undefined;
  if (opts.checkVersions ?? true) {
    if (opts.bump) {
      bump = await bumpTaskVersions(root, build, () => buildExtension({ ...buildOpts, log: () => undefined }));
      logBump(bump, root, log);
      // The manifest version, CHANGELOG (on the Marketplace page) and task versions may have moved.
      if (bump.entries.length) build = await buildExtension({ ...buildOpts, log: () => undefined });
    }
    assertValid(versionProblems(assessTaskVersions(root, build)).map(({ file, message }) => ({ file, message })));
  }
  const m = build.manifest;
  if (build.versions.length === 0) log('warning: packaging an extension without tasks');
  const outputDir = path.resolve(opts.outputDir ?? path.join(root, 'dist'));
  fs.mkdirSync(outputDir, { recursive: true });
  const vsix = path.join(outputDir, `${String(m.publisher)}.${String(m.id)}-${String(m.version)}.vsix`);
  fs.rmSync(vsix, { force: true });
  const args = [tfxScript(), 'extension', 'create', '--root', build.stageDir, '--manifests', 'vss-extension.json', '--output-path', vsix, '--no-prompt', '--no-color'];
  if ((m.contributions ?? []).length === 0) {
    // tfx refuses a manifest without contributions; our own validation above still ran.
    log('warning: the manifest has no contributions; tfx validation bypassed, and the Marketplace would reject this vsix');
    args.push('--bypass-validation');
  }
  const tfx = await run(process.execPath, args, build.stageDir);
  tfx.output = tfx.output.replace(/\x1b\[[0-9;]*m/g, '');
  if (tfx.code !== 0 || !fs.existsSync(vsix)) throw new Error(`tfx extension create failed (exit ${tfx.code}):\n${tfx.output}`);
  for (const line of tfx.output.split(/\r?\n/)) if (/warn/i.test(line)) log(`tfx: ${line.trim()}`);
  const zip = new ZipFile(vsix);
  assertValid(checkVsix(zip, build));
  const bytes = fs.statSync(vsix).size;
  log(`packaged ${rel(root, vsix)} (${(bytes / 1024).toFixed(1)} KiB, ${zip.entries.length} entries, ${build.versions.length} task version(s))`);
  const cli = (opts.cli ?? true) ? await buildCliPackage({ root, publisher: String(m.publisher), outputDir, log }) : undefined;
  return { vsix, bytes, entries: zip.names(), build, tfxOutput: tfx.output, bump, cli };
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  packageExtension({
    root: path.resolve(argValue(argv, '--root') ?? toolRoot()),
    stageDir: argValue(argv, '--stage-dir'),
    outputDir: argValue(argv, '--output-dir'),
    publisher: argValue(argv, '--publisher'),
    version: argValue(argv, '--extension-version'),
    docsUrl: argValue(argv, '--docs-url'),
    bump: argv.includes('--bump'),
  }).catch((e: Error) => {
    console.error(`package failed: ${e.message}`);
    process.exit(1);
  });
}
