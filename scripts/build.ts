import * as fs from 'fs';
import * as path from 'path';
import * as esbuild from 'esbuild';
import { deferredChunks, type DeferredReport } from './deferred-chunks';
import { discoverTasks, executionTargets, readJsonFile, TaskVersion, taskNames } from './discover';
import { generateManifest, ManifestOverrides } from './manifest';
import { BundledPackage, collectData, collectPackages, NOTICES_FILE, renderNotices } from './notices';
import { docsBaseUrl, resolvedHelpUrl, taskDocPath } from './task-docs';
import { latestReleases } from './task-versions';
import { rel, toolNodeModules, toolRoot } from './paths';
import { assertValid, ManifestLike, Problem, validateExtension, ValidationError } from './validate';

/**
 * Stages the extension: one esbuild bundle per task version plus task.json, icon and Strings beside
 * it, the generated manifest and its assets. Output: <stageDir>/<TaskName>/v<N>/index.js …
 */

export interface BundleOptions {
  minify?: boolean;
  /** Writes a linked .map next to each bundle (not shipped unless staged). Env SRK_SOURCEMAP=1. */
  sourcemap?: boolean;
  /** Extra module folders; defaults to this repository's node_modules so roots elsewhere (temp dirs) resolve the same packages. */
  nodePaths?: string[];
}

export interface BundleReport {
  entry: string;
  outfile: string;
  bytes: number;
  /** Absolute paths of every source file in the bundle. */
  inputs: string[];
  problems: Problem[];
}

/**
 * Dynamic requires that are meant to stay dynamic. task-lib's setResourcePath loads the task's own
 * task.json with require(resourceFile), which works because task.json is staged beside the bundle.
 */
const ALLOWED_DYNAMIC_REQUIRES: Array<{ file: RegExp; text: RegExp }> = [
  { file: /node_modules\/azure-pipelines-task-lib\/internal\.js$/, text: /require\(resourceFile\)/ },
];

/** Packages whose module-level state must exist once per process (task-lib's vault, loc and loaded flag). */
export const SINGLETON_PACKAGES = ['azure-pipelines-task-lib'];

interface BundleItem {
  key: string;
  entry: string;
  outfile: string;
  /** What the bundle ships as (task version, or package.json's for a CLI): `__SRK_BUNDLE_VERSION__` in the code. */
  version?: string;
}

function packageOf(input: string): { name: string; root: string } | undefined {
  const m = /^(.*node_modules\/)((?:@[^/]+\/)?[^/]+)\//.exec(input.replace(/\\/g, '/'));
  return m ? { root: m[1], name: m[2] } : undefined;
}

/** The identifier the build replaces with the bundle's version (see BundleItem.version). */
export const VERSION_DEFINE = '__SRK_BUNDLE_VERSION__';

async function bundleOne(item: BundleItem, outdir: string, opts: BundleOptions, reportRoot: string): Promise<BundleReport> {
  const workDir = path.parse(outdir).root; // metafile paths relative to the filesystem root are easy to make absolute
  let result: esbuild.BuildResult<{ metafile: true }>;
  const deferred: DeferredReport = { inputs: [], warnings: [] };
  try {
    const options: esbuild.BuildOptions = {
      absWorkingDir: workDir,
      entryPoints: [{ in: item.entry, out: path.relative(outdir, item.outfile).replace(/\.js$/, '') }],
      outdir,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      minify: opts.minify ?? true,
      legalComments: 'eof',
      sourcemap: (opts.sourcemap ?? process.env.SRK_SOURCEMAP === '1') ? 'linked' : false,
      nodePaths: opts.nodePaths ?? [toolNodeModules()],
      metafile: true,
      logLevel: 'silent',
      define: item.version ? { [VERSION_DEFINE]: JSON.stringify(item.version) } : undefined,
      // esbuild hides these inside node_modules by default; surfacing them lets the build judge them.
      logOverride: { 'unsupported-require-call': 'warning', 'unsupported-dynamic-import': 'warning' },
    };
    result = await esbuild.build({ ...options, metafile: true, plugins: [deferredChunks(options, deferred)] });
  } catch (e) {
    const errors = (e as { errors?: esbuild.Message[] }).errors;
    if (!errors?.length) throw e;
    throw new ValidationError(
      errors.map((m) => ({
        file: m.location ? `${rel(reportRoot, path.resolve(workDir, m.location.file))}:${m.location.line}:${m.location.column + 1}` : 'esbuild',
        message: m.text,
      })),
    );
  }
  const abs = (p: string): string => path.resolve(workDir, p);
  const out = Object.entries(result.metafile.outputs).find(([o]) => abs(o) === path.resolve(item.outfile));
  if (!out) throw new Error(`esbuild produced no output for ${item.entry}`);
  const inputs = [...new Set([...Object.keys(out[1].inputs).filter((i) => !i.startsWith('srk-deferred:')).map(abs), ...deferred.inputs])];
  const problems: Problem[] = [];
  for (const w of [...result.warnings, ...deferred.warnings]) {
    const input = w.location ? abs(w.location.file) : '';
    const posix = input.replace(/\\/g, '/');
    if (ALLOWED_DYNAMIC_REQUIRES.some((a) => a.file.test(posix) && a.text.test(w.location?.lineText ?? ''))) continue;
    problems.push({ file: `${rel(reportRoot, input)}:${w.location?.line ?? 0}`, message: `${w.text} (in the bundle of ${rel(reportRoot, item.entry)})` });
  }
  const roots = new Map<string, Set<string>>();
  for (const input of inputs) {
    const pkg = packageOf(input);
    if (pkg && SINGLETON_PACKAGES.includes(pkg.name)) roots.set(pkg.name, (roots.get(pkg.name) ?? new Set()).add(pkg.root));
  }
  for (const [name, set] of roots) {
    if (set.size > 1) {
      problems.push({ file: rel(reportRoot, item.entry), message: `bundle holds ${set.size} copies of ${name} (${[...set].map((r) => rel(reportRoot, r)).join(', ')}); their state would split` });
    }
  }
  return { entry: item.entry, outfile: item.outfile, bytes: out[1].bytes, inputs, problems };
}

/** One esbuild run per bundle (each gets its own version define); esbuild runs them in parallel. */
async function bundleMany(items: BundleItem[], outdir: string, opts: BundleOptions, reportRoot: string): Promise<Map<string, BundleReport>> {
  const settled = await Promise.allSettled(items.map((i) => bundleOne(i, outdir, opts, reportRoot)));
  const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as Error);
  if (failed.length) {
    const validation = failed.filter((e): e is ValidationError => e instanceof ValidationError);
    if (validation.length !== failed.length) throw failed.find((e) => !(e instanceof ValidationError));
    throw new ValidationError(validation.flatMap((e) => e.problems));
  }
  return new Map(items.map((item, i) => [item.key, (settled[i] as PromiseFulfilledResult<BundleReport>).value]));
}

/** Bundles one entry to one CommonJS file for Node 20 (used for the tasks and for CLIs). */
export async function bundleEntry(entry: string, outfile: string, opts: BundleOptions & { version?: string } = {}): Promise<BundleReport> {
  const out = path.resolve(outfile);
  return bundleOne({ key: 'entry', entry: path.resolve(entry), outfile: out, version: opts.version }, path.dirname(out), opts, process.cwd());
}

export interface BuildOptions extends BundleOptions, ManifestOverrides {
  root: string;
  /** Defaults to <root>/dist/extension. */
  stageDir?: string;
  /** Prefix of the task pages' addresses (helpUrl); default from the manifest's repository.uri. Env SRK_DOCS_URL. */
  docsUrl?: string;
  /** Run validation and throw ValidationError on problems (default true). */
  validate?: boolean;
  log?: (line: string) => void;
}

export interface BuildResult {
  root: string;
  stageDir: string;
  versions: TaskVersion[];
  bundles: Map<string, BundleReport>;
  manifest: ManifestLike;
  problems: Problem[];
}

/** The bundle file name task.json executes, e.g. index.js. */
function bundleFileName(v: TaskVersion): string {
  const target = v.taskJson ? executionTargets(v.taskJson).find((t) => t.target.endsWith('.js')) : undefined;
  return target?.target ?? 'index.js';
}

function copyIfExists(from: string, to: string): boolean {
  if (!fs.existsSync(from)) return false;
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.cpSync(from, to, { recursive: true });
  return true;
}

function stageTaskFiles(v: TaskVersion, outDir: string, root: string, docsBase: string | undefined, log: (l: string) => void): void {
  fs.mkdirSync(outDir, { recursive: true });
  const helpUrl = resolvedHelpUrl(root, v, docsBase);
  if (v.taskJson && helpUrl && helpUrl !== v.taskJson.helpUrl) {
    // The source names its page by repository path; the agent and the editor need an address.
    fs.writeFileSync(path.join(outDir, 'task.json'), `${JSON.stringify({ ...v.taskJson, helpUrl }, null, 2)}\n`);
  } else {
    fs.copyFileSync(v.taskJsonFile, path.join(outDir, 'task.json'));
  }
  copyIfExists(path.join(v.dir, 'task.loc.json'), path.join(outDir, 'task.loc.json'));
  copyIfExists(path.join(v.dir, 'Strings'), path.join(outDir, 'Strings'));
  const icon = [path.join(v.dir, 'icon.png'), path.join(root, 'images', 'task-icons', `${v.taskName}.png`), path.join(root, 'images', 'task-icons', 'default.png')].find((f) => fs.existsSync(f));
  if (icon) fs.copyFileSync(icon, path.join(outDir, 'icon.png'));
  else log(`warning: ${rel(root, v.dir)} has no icon.png and images/task-icons has none for it`);
}

/** Copies what the base manifest references (files that are not task roots, icons, content). */
function stageManifestAssets(base: ManifestLike, names: string[], root: string, stageDir: string): Problem[] {
  const problems: Problem[] = [];
  const assets = [
    ...(base.files ?? []).map((f) => f.path ?? '').filter((p) => p && !names.includes(p)),
    ...Object.values(base.icons ?? {}),
    ...Object.values(base.content ?? {}).map((c) => c.path ?? ''),
  ].filter(Boolean);
  for (const asset of new Set(assets)) {
    if (!copyIfExists(path.join(root, asset), path.join(stageDir, asset))) problems.push({ file: 'vss-extension.json', message: `references '${asset}', which does not exist` });
  }
  return problems;
}

const TASK_LIST_MARKER = '<!-- tasks -->';
const TASK_DETAILS_MARKER = '<!-- task-details -->';
const CHANGELOG_MARKER = '<!-- changelog -->';

/** The Marketplace page shows the newest releases from CHANGELOG.md, linking to the whole file. */
function fillChangelog(file: string, root: string, docsBase: string | undefined): void {
  if (!fs.existsSync(file)) return;
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(CHANGELOG_MARKER)) return;
  const latest = latestReleases(root, 3);
  const body = latest ? latest.replace(/^## /gm, '### ') : '_No release recorded yet._';
  const more = docsBase && latest ? `\n\nEvery release: [CHANGELOG.md](${docsBase}CHANGELOG.md).` : '';
  fs.writeFileSync(file, text.replace(CHANGELOG_MARKER, `${body}${more}`));
}

/**
 * The Marketplace overview speaks of exactly the tasks this vsix ships: the tasks marker becomes
 * one entry per task (friendly name, versions, description of its newest version), and the
 * details marker the `tasks/<Task>/overview.md` of each shipped task that has one.
 */
function fillTaskList(file: string, versions: TaskVersion[], root: string): void {
  if (!fs.existsSync(file)) return;
  let text = fs.readFileSync(file, 'utf8');
  if (text.includes(TASK_DETAILS_MARKER)) {
    const sections = [...new Set(versions.map((v) => v.taskName))]
      .sort((a, b) => a.localeCompare(b))
      .map((name) => path.join(root, 'tasks', name, 'overview.md'))
      .filter((f) => fs.existsSync(f))
      .map((f) => fs.readFileSync(f, 'utf8').trim());
    text = text.replace(TASK_DETAILS_MARKER, sections.join('\n\n'));
  }
  if (!text.includes(TASK_LIST_MARKER)) {
    fs.writeFileSync(file, text);
    return;
  }
  const byTask = new Map<string, TaskVersion[]>();
  for (const v of versions) byTask.set(v.taskName, [...(byTask.get(v.taskName) ?? []), v]);
  const lines = [...byTask.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, vs]) => {
      const majors = vs.map((v) => Number(v.taskJson?.version?.Major)).filter((m) => Number.isFinite(m)).sort((a, b) => a - b);
      const newest = vs.find((v) => Number(v.taskJson?.version?.Major) === majors[majors.length - 1]) ?? vs[0];
      const json = (newest.taskJson ?? {}) as { friendlyName?: string; description?: string };
      return `- **${json.friendlyName ?? name}** — ${majors.map((m) => `\`${name}@${m}\``).join(', ')}: ${json.description ?? ''}`.trimEnd();
    });
  fs.writeFileSync(file, text.replace(TASK_LIST_MARKER, lines.length ? lines.join('\n') : '_No tasks in this build._'));
}

/** `Major.Minor.Patch` of a task version's task.json, or undefined when it cannot be read. */
export function taskVersionString(v: TaskVersion): string | undefined {
  const ver = v.taskJson?.version;
  return ver && [ver.Major, ver.Minor, ver.Patch].every((n) => typeof n === 'number') ? `${ver.Major}.${ver.Minor}.${ver.Patch}` : undefined;
}

/**
 * THIRD-PARTY-NOTICES.txt beside each bundle (an agent downloads one task version folder, so its
 * notices go with it) and one for the whole extension at the root of the vsix.
 */
function writeNotices(bundles: Map<string, BundleReport>, stageDir: string, root: string, product: string): { packages: BundledPackage[]; problems: Problem[]; written: boolean } {
  const inputs = new Map([...bundles].map(([k, b]) => [k, b.inputs]));
  const all = collectPackages(inputs, root);
  const vendored = collectData(inputs, root);
  for (const [key, b] of bundles) {
    const mine = all.packages.filter((p) => p.bundles.includes(key));
    const data = vendored.data.filter((d) => d.bundles.includes(key));
    if (mine.length || data.length) fs.writeFileSync(path.join(path.dirname(b.outfile), NOTICES_FILE), renderNotices(`${product}, task ${key}`, mine, false, data));
  }
  const written = all.packages.length > 0 || vendored.data.length > 0;
  if (written) fs.writeFileSync(path.join(stageDir, NOTICES_FILE), renderNotices(product, all.packages, true, vendored.data));
  return { packages: all.packages, problems: [...all.problems, ...vendored.problems], written };
}

/** The stage is wiped on every build (a removed task must not linger); refuse anything that is not a stage. */
function clearStageDir(stageDir: string, root: string): void {
  const r = path.relative(stageDir, root);
  if (r === '' || !r.startsWith('..')) throw new Error(`refusing to use ${stageDir} as the stage folder: it contains the extension root ${root}`);
  if (fs.existsSync(stageDir) && fs.readdirSync(stageDir).length > 0 && !fs.existsSync(path.join(stageDir, 'vss-extension.json'))) {
    throw new Error(`refusing to empty ${stageDir}: it is not empty and holds no staged vss-extension.json`);
  }
  fs.rmSync(stageDir, { recursive: true, force: true });
  fs.mkdirSync(stageDir, { recursive: true });
}

export async function buildExtension(opts: BuildOptions): Promise<BuildResult> {
  const root = path.resolve(opts.root);
  const stageDir = path.resolve(opts.stageDir ?? path.join(root, 'dist', 'extension'));
  const log = opts.log ?? ((l: string) => console.log(l));
  const discovery = discoverTasks(root);
  for (const s of discovery.skipped) log(`warning: ${s} has no task.json; not built`);
  const versions = discovery.versions;
  const names = taskNames(versions);
  if (versions.length === 0) log('warning: no task found under tasks/*/v*/task.json; the extension will hold no task');

  clearStageDir(stageDir, root);

  const items = versions
    .filter((v) => v.entry)
    .map((v) => ({ key: `${v.taskName}/${v.versionFolder}`, entry: v.entry!, outfile: path.join(stageDir, v.taskName, v.versionFolder, bundleFileName(v)), version: taskVersionString(v) }));
  const manifestFile = path.join(root, 'vss-extension.json');
  if (!fs.existsSync(manifestFile)) throw new Error(`${manifestFile} is missing`);
  const base = readJsonFile<ManifestLike>(manifestFile, root);
  const bundles = await bundleMany(items, stageDir, opts, root);
  const docsBase = docsBaseUrl(base as { repository?: { uri?: string } }, opts.docsUrl ?? process.env.SRK_DOCS_URL);
  for (const v of versions) stageTaskFiles(v, path.join(stageDir, v.taskName, v.versionFolder), root, docsBase, log);
  const unresolved = docsBase ? [] : versions.filter((v) => v.taskJson && !/^https?:\/\//i.test(String(v.taskJson.helpUrl ?? '')) && taskDocPath(root, v) !== undefined);
  const problems = stageManifestAssets(base, names, root, stageDir);
  for (const v of unresolved) {
    problems.push({ file: 'vss-extension.json', message: `${v.taskName} ${v.versionFolder} names its page by repository path, but the manifest has no repository.uri to turn it into a helpUrl (or set SRK_DOCS_URL)` });
  }
  for (const content of Object.values(base.content ?? {})) {
    if (content.path?.endsWith('.md')) {
      fillTaskList(path.join(stageDir, content.path), versions, root);
      fillChangelog(path.join(stageDir, content.path), root, docsBase);
    }
  }
  const notices = writeNotices(bundles, stageDir, root, String(base.name ?? base.id ?? 'This extension'));
  problems.push(...notices.problems);
  const manifest = generateManifest(base, names, { ...opts, extraFiles: notices.written ? [NOTICES_FILE] : [], docsBase });
  fs.writeFileSync(path.join(stageDir, 'vss-extension.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  for (const b of bundles.values()) problems.push(...b.problems);
  if (opts.validate ?? true) {
    const bundleInputs = new Map([...bundles].map(([k, b]) => [k, b.inputs]));
    problems.push(...validateExtension({ root, stageDir, bundleInputs }));
    assertValid(problems);
  }
  for (const [key, b] of bundles) log(`bundled ${key}/${path.basename(b.outfile)} (${(b.bytes / 1024).toFixed(1)} KiB, ${b.inputs.length} sources)`);
  return { root, stageDir, versions, bundles, manifest, problems };
}

export function argValue(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i >= 0) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(`${name}=`));
  return eq?.slice(name.length + 1);
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const root = path.resolve(argValue(argv, '--root') ?? toolRoot());
  const started = Date.now();
  buildExtension({ root, stageDir: argValue(argv, '--out') })
    .then((r) => console.log(`staged ${r.versions.length} task version(s) in ${rel(root, r.stageDir)} (${Date.now() - started} ms)`))
    .catch((e: Error) => {
      console.error(`build failed: ${e.message}`);
      process.exit(1);
    });
}
