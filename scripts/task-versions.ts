import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { BuildResult } from './build';
import { readJsonFile, TaskJson, TaskVersion } from './discover';
import { rel } from './paths';
import { inputsOf, TaskInput, writeTaskDocs } from './task-docs';
import { Problem, ValidationError } from './validate';

/**
 * Task versions agents can trust. An agent downloads a task once per id and version and caches it,
 * so a changed task shipped under an unchanged version silently runs the old code on every agent
 * that has it. `releases/<Task>/v<N>/` records, per Major, the hash of each released version's
 * staged folder (versions.json) and the task.json of the newest one (its input contract).
 * `npm run package` fails on a changed folder whose version did not move, and on any change of input
 * names or meanings inside a Major; `npm run package -- --bump` raises Patch (Minor when inputs or
 * outputs were added), records the new hashes, raises the extension version by the highest change,
 * writes the CHANGELOG.md section and regenerates the task docs.
 */

export const BUMP_COMMAND = 'npm run package -- --bump';
export const RECORDS_DIR = 'releases';

export interface MajorRecord {
  task: string;
  major: number;
  dir: string;
  /** version → hash of the staged folder. */
  versions: Record<string, string>;
  /** task.json as of the newest recorded version. */
  taskJson?: TaskJson;
}

export function recordDir(root: string, task: string, major: number): string {
  return path.join(root, RECORDS_DIR, task, `v${major}`);
}

export function readRecord(root: string, task: string, major: number): MajorRecord | undefined {
  const dir = recordDir(root, task, major);
  const versionsFile = path.join(dir, 'versions.json');
  if (!fs.existsSync(versionsFile)) return undefined;
  const versions = readJsonFile<{ versions?: Record<string, string> }>(versionsFile, root).versions ?? {};
  const taskJsonFile = path.join(dir, 'task.json');
  return { task, major, dir, versions, taskJson: fs.existsSync(taskJsonFile) ? readJsonFile<TaskJson>(taskJsonFile, root) : undefined };
}

/** Every recorded (task, Major) under releases/. */
export function listRecords(root: string): Array<{ task: string; major: number }> {
  const base = path.join(root, RECORDS_DIR);
  if (!fs.existsSync(base)) return [];
  const out: Array<{ task: string; major: number }> = [];
  for (const task of fs.readdirSync(base).sort()) {
    if (!fs.statSync(path.join(base, task)).isDirectory()) continue;
    for (const v of fs.readdirSync(path.join(base, task)).sort()) {
      const m = /^v(\d+)$/.exec(v);
      if (m && fs.existsSync(path.join(base, task, v, 'versions.json'))) out.push({ task, major: Number(m[1]) });
    }
  }
  return out;
}

const TEXT = /\.(js|json|txt|md|resjson|map)$/i;

/**
 * The hash of a staged task version folder: every file (source maps excluded: they are not shipped)
 * by forward-slash path, text with LF line ends, task.json without `version` (the thing being
 * decided) and `helpUrl` (it names the publisher's repository, not the task's behaviour).
 */
export function hashTaskFolder(dir: string): string {
  const files: string[] = [];
  const walk = (d: string, prefix: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const relPath = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), relPath);
      else if (!relPath.endsWith('.map')) files.push(relPath);
    }
  };
  walk(dir, '');
  const h = crypto.createHash('sha256');
  for (const f of files) {
    let data = fs.readFileSync(path.join(dir, ...f.split('/')));
    if (f === 'task.json') {
      const json = JSON.parse(data.toString('utf8').replace(/^\uFEFF/, '')) as Record<string, unknown>;
      delete json.version;
      delete json.helpUrl;
      data = Buffer.from(JSON.stringify(json));
    } else if (TEXT.test(f)) {
      data = Buffer.from(data.toString('utf8').replace(/\r\n/g, '\n'));
    }
    h.update(`${f}\0${data.length}\0`);
    h.update(data);
  }
  return `sha256-${h.digest('hex')}`;
}

export interface InputChanges {
  /** Inputs and output variables the current task.json adds. */
  added: string[];
  /** Changes that break a pipeline written against the recorded task.json. */
  breaking: string[];
}

const lower = (s: string | undefined): string => (s ?? '').toLowerCase();

/** What changed in the inputs (and output variables) between the recorded task.json of a Major and the current one. */
export function compareInputs(recorded: TaskJson, current: TaskJson): InputChanges {
  const added: string[] = [];
  const breaking: string[] = [];
  const now = inputsOf(current);
  const before = inputsOf(recorded);
  const find = (name: string | undefined): TaskInput | undefined => now.find((i) => lower(i.name) === lower(name) || (i.aliases ?? []).some((a) => lower(a) === lower(name)));
  for (const r of before) {
    const c = find(r.name);
    if (!c) {
      breaking.push(`input '${r.name}' was removed or renamed (keep the old name as an alias of the new one)`);
      continue;
    }
    for (const alias of r.aliases ?? []) if (!find(alias)) breaking.push(`alias '${alias}' of input '${r.name}' was removed`);
    if (lower(r.type || 'string') !== lower(c.type || 'string')) breaking.push(`input '${r.name}' changed type from ${r.type} to ${c.type}`);
    const d0 = r.defaultValue === undefined ? '' : String(r.defaultValue);
    const d1 = c.defaultValue === undefined ? '' : String(c.defaultValue);
    if (d0 !== d1) breaking.push(`input '${r.name}' changed its default from ${JSON.stringify(d0)} to ${JSON.stringify(d1)}`);
    for (const option of Object.keys(r.options ?? {})) {
      if (!Object.keys(c.options ?? {}).some((o) => lower(o) === lower(option))) breaking.push(`input '${r.name}' lost its option '${option}'`);
    }
    if (!r.required && c.required && d1 === '') breaking.push(`input '${r.name}' became required without a default`);
  }
  for (const c of now) {
    const known = before.some((r) => [r.name, ...(r.aliases ?? [])].some((n) => lower(n) === lower(c.name)));
    if (known) continue;
    added.push(c.name ?? '');
    if (c.required && (c.defaultValue === undefined || c.defaultValue === '')) breaking.push(`new input '${c.name}' is required and has no default, so existing pipelines lack it`);
  }
  const outputs = (t: TaskJson): string[] => ((t.outputVariables ?? []) as Array<{ name?: string }>).map((o) => o.name ?? '');
  for (const o of outputs(recorded)) if (!outputs(current).some((n) => lower(n) === lower(o))) breaking.push(`output variable '${o}' was removed`);
  for (const o of outputs(current)) if (!outputs(recorded).some((n) => lower(n) === lower(o))) added.push(`output ${o}`);
  return { added, breaking };
}

export function parseVersion(v: string): [number, number, number] {
  const [a, b, c] = v.split('.').map(Number);
  return [a, b, c];
}

export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

export type VersionStatus = 'recorded' | 'changed' | 'new' | 'unrecorded' | 'backwards';

export interface VersionState {
  v: TaskVersion;
  /** `<Task>@<version>` for messages. */
  label: string;
  version: string;
  hash: string;
  status: VersionStatus;
  record?: MajorRecord;
  /** Newest recorded version of this Major. */
  highest?: string;
  changes: InputChanges;
}

export interface Assessment {
  root: string;
  states: VersionState[];
  /** Recorded Majors whose folder is gone. */
  removed: Array<{ task: string; major: number }>;
  /** No record exists at all: the first --bump records the current state without raising anything. */
  baseline: boolean;
}

export function assessTaskVersions(root: string, build: BuildResult): Assessment {
  const states: VersionState[] = [];
  for (const v of build.versions) {
    const ver = v.taskJson?.version;
    if (!v.taskJson || !ver || ![ver.Major, ver.Minor, ver.Patch].every((n) => typeof n === 'number')) continue;
    const version = `${ver.Major}.${ver.Minor}.${ver.Patch}`;
    const hash = hashTaskFolder(path.join(build.stageDir, v.taskName, v.versionFolder));
    const record = readRecord(root, v.taskName, v.folderMajor);
    const recorded = Object.keys(record?.versions ?? {}).sort(compareVersions);
    const highest = recorded[recorded.length - 1];
    let status: VersionStatus;
    if (record?.versions[version] !== undefined) status = record.versions[version] === hash ? 'recorded' : 'changed';
    else if (!highest) status = 'new';
    else status = compareVersions(version, highest) > 0 ? 'unrecorded' : 'backwards';
    const changes = record?.taskJson ? compareInputs(record.taskJson, v.taskJson) : { added: [], breaking: [] };
    states.push({ v, label: `${v.taskName}@${version}`, version, hash, status, record, highest, changes });
  }
  const present = new Set(build.versions.map((v) => `${v.taskName}/${v.folderMajor}`));
  const records = listRecords(root);
  const removed = records.filter((r) => !present.has(`${r.task}/${r.major}`));
  return { root, states, removed, baseline: records.length === 0 };
}

/** The version --bump would give a changed task: Minor when inputs or outputs were added, else Patch. */
export function nextVersion(s: VersionState): string {
  const [a, b, c] = parseVersion(s.version);
  return s.changes.added.length ? `${a}.${b + 1}.0` : `${a}.${b}.${c + 1}`;
}

/** Problems of an assessment; `fixable` ones are what --bump resolves. */
export function versionProblems(a: Assessment): Array<Problem & { fixable: boolean }> {
  const problems: Array<Problem & { fixable: boolean }> = [];
  for (const s of a.states) {
    const file = rel(a.root, s.v.taskJsonFile);
    const recordFile = rel(a.root, path.join(recordDir(a.root, s.v.taskName, s.v.folderMajor), 'task.json'));
    for (const b of s.changes.breaking) {
      problems.push({
        file,
        fixable: false,
        message: `${s.v.taskName} ${s.v.versionFolder}: ${b}, compared with ${recordFile} (${s.highest}). Inside a Major, inputs only grow; a breaking change needs a new Major: copy the folder to tasks/${s.v.taskName}/v${s.v.folderMajor + 1}/`,
      });
    }
    switch (s.status) {
      case 'changed':
        problems.push({ file, fixable: true, message: `${s.label}: the task changed since ${s.version} was recorded, but its version did not; agents that cached ${s.version} would keep running the old code. Run \`${BUMP_COMMAND}\` (raises it to ${nextVersion(s)})` });
        break;
      case 'new':
        problems.push({ file, fixable: true, message: `${s.label} (${s.v.versionFolder}) has no recorded release yet. Run \`${BUMP_COMMAND}\` to record it` });
        break;
      case 'unrecorded':
        problems.push({ file, fixable: true, message: `${s.label} is newer than the last recorded ${s.highest} but not recorded. Run \`${BUMP_COMMAND}\` to record it` });
        break;
      case 'backwards':
        problems.push({ file, fixable: false, message: `${s.label} is older than the recorded ${s.highest}; versions only go up: set task.json's version back to ${s.highest}, then run \`${BUMP_COMMAND}\` if the task changed` });
        break;
      default:
        break;
    }
  }
  for (const r of a.removed) {
    problems.push({ file: rel(a.root, recordDir(a.root, r.task, r.major)), fixable: true, message: `${r.task} v${r.major} was released but tasks/${r.task}/v${r.major} is gone: pipelines pinned to ${r.task}@${r.major} would break. Restore it, or run \`${BUMP_COMMAND}\` to record the removal (raises the extension's Major)` });
  }
  return problems;
}

/** Rewrites the numbers of task.json's `version` in place, keeping the file's formatting. */
export function setTaskJsonVersion(file: string, version: string): void {
  const [major, minor, patch] = parseVersion(version);
  const text = fs.readFileSync(file, 'utf8');
  const block = /("version"\s*:\s*\{)([^}]*)(\})/.exec(text);
  if (!block) throw new Error(`${file}: no "version" object to update`);
  const body = block[2]
    .replace(/("Major"\s*:\s*)(\d+)/, `$1${major}`)
    .replace(/("Minor"\s*:\s*)(\d+)/, `$1${minor}`)
    .replace(/("Patch"\s*:\s*)(\d+)/, `$1${patch}`);
  fs.writeFileSync(file, text.slice(0, block.index) + block[1] + body + block[3] + text.slice(block.index + block[0].length));
}

/** Rewrites the first top-level "version" string of a JSON file (vss-extension.json, package.json) in place. */
export function setJsonVersion(file: string, version: string): void {
  if (!fs.existsSync(file)) return;
  const text = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, text.replace(/^(\s{2}"version"\s*:\s*")[^"]*(")/m, `$1${version}$2`));
}

function setLockfileVersion(file: string, version: string): void {
  if (!fs.existsSync(file)) return;
  const text = fs.readFileSync(file, 'utf8');
  // The root package appears twice: at the top and as packages[""].
  fs.writeFileSync(file, text.replace(/^(\s{2}"version"\s*:\s*")[^"]*(")/m, `$1${version}$2`).replace(/("packages"\s*:\s*\{\s*""\s*:\s*\{[^{}]*?"version"\s*:\s*")[^"]*(")/, `$1${version}$2`));
}

type Level = 'major' | 'minor' | 'patch';
const LEVELS: Level[] = ['patch', 'minor', 'major'];
const higher = (a: Level | undefined, b: Level): Level => (a && LEVELS.indexOf(a) >= LEVELS.indexOf(b) ? a : b);

function raise(version: string, level: Level): string {
  const [a, b, c] = parseVersion(version);
  return level === 'major' ? `${a + 1}.0.0` : level === 'minor' ? `${a}.${b + 1}.0` : `${a}.${b}.${c + 1}`;
}

/** Commit subjects that touched a task version's sources since its record last changed (empty outside git). */
function changesSince(root: string, s: VersionState, sources: string[]): string[] {
  const git = (args: string[]): string | undefined => {
    const r = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
    return r.status === 0 ? r.stdout : undefined;
  };
  if (git(['rev-parse', '--is-inside-work-tree'])?.trim() !== 'true') return [];
  const recordFile = rel(root, path.join(recordDir(root, s.v.taskName, s.v.folderMajor), 'versions.json'));
  const since = git(['log', '-1', '--format=%H', '--', recordFile])?.trim();
  const paths = [...new Set([rel(root, s.v.dir), ...sources.filter((f) => !f.split(path.sep).includes('node_modules')).map((f) => rel(root, f)), 'package-lock.json'])].filter((p) => !p.startsWith('..') && !path.isAbsolute(p));
  const out = git(['log', '--no-merges', '--format=%s', ...(since ? [`${since}..HEAD`] : []), '--', ...paths]) ?? '';
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => (l.length > 160 ? `${l.slice(0, 157).replace(/\s+\S*$/, '')}…` : l));
}

export interface BumpEntry {
  task: string;
  major: number;
  from?: string;
  to: string;
  level: Level | 'new' | 'removed';
  /** friendlyName and the first sentence of the description, for a new task version. */
  summary?: { name?: string; sentence?: string };
  added: string[];
  commits: string[];
}

export interface BumpResult {
  entries: BumpEntry[];
  extensionFrom: string;
  extensionTo: string;
  /** True when no record existed: the current state became the baseline. */
  baseline: boolean;
  docs: string[];
}

/** Raises and records; `rebuild` restages after task.json versions moved (bundles carry their version). */
export async function bumpTaskVersions(root: string, build: BuildResult, rebuild: () => Promise<BuildResult>, date = new Date()): Promise<BumpResult> {
  let a = assessTaskVersions(root, build);
  const blocking = versionProblems(a).filter((p) => !p.fixable);
  if (blocking.length) throw new ValidationError(blocking.map(({ file, message }) => ({ file, message })));
  const entries: BumpEntry[] = [];
  let extLevel: Level | undefined;
  for (const s of a.states) {
    if (s.status === 'recorded') continue;
    const commits = a.baseline || s.status === 'new' ? [] : changesSince(root, s, build.bundles.get(`${s.v.taskName}/${s.v.versionFolder}`)?.inputs ?? []);
    if (s.status === 'changed') {
      const to = nextVersion(s);
      setTaskJsonVersion(s.v.taskJsonFile, to);
      const level: Level = s.changes.added.length ? 'minor' : 'patch';
      entries.push({ task: s.v.taskName, major: s.v.folderMajor, from: s.version, to, level, added: s.changes.added, commits });
      extLevel = higher(extLevel, level);
    } else if (s.status === 'unrecorded') {
      const [a0, b0] = parseVersion(s.highest!);
      const [a1, b1] = parseVersion(s.version);
      const level: Level = a1 !== a0 || b1 !== b0 ? 'minor' : 'patch';
      entries.push({ task: s.v.taskName, major: s.v.folderMajor, from: s.highest, to: s.version, level, added: s.changes.added, commits });
      extLevel = higher(extLevel, level);
    } else if (s.status === 'new') {
      const t = s.v.taskJson as { friendlyName?: string; description?: string };
      const sentence = /^[^.;]*[.;]?/.exec(t.description ?? '')?.[0].replace(/[.;]$/, '');
      entries.push({ task: s.v.taskName, major: s.v.folderMajor, to: s.version, level: 'new', summary: { name: t.friendlyName, sentence }, added: [], commits });
      if (!a.baseline) extLevel = higher(extLevel, 'minor');
    }
  }
  for (const r of a.removed) {
    entries.push({ task: r.task, major: r.major, to: '', level: 'removed', added: [], commits: [] });
    extLevel = higher(extLevel, 'major');
  }
  const manifestFile = path.join(root, 'vss-extension.json');
  const extensionFrom = readJsonFile<{ version: string }>(manifestFile, root).version;
  const extensionTo = extLevel ? raise(extensionFrom, extLevel) : extensionFrom;
  if (!entries.length) return { entries, extensionFrom, extensionTo, baseline: a.baseline, docs: [] };

  if (entries.some((e) => e.level === 'minor' || e.level === 'patch')) {
    build = await rebuild();
    a = assessTaskVersions(root, build);
  }
  for (const s of a.states) {
    if (s.status === 'recorded') continue;
    const dir = recordDir(root, s.v.taskName, s.v.folderMajor);
    fs.mkdirSync(dir, { recursive: true });
    const versions = { ...(s.record?.versions ?? {}), [s.version]: s.hash };
    const sorted = Object.fromEntries(Object.keys(versions).sort(compareVersions).map((k) => [k, versions[k]]));
    fs.writeFileSync(path.join(dir, 'versions.json'), `${JSON.stringify({ task: s.v.taskName, major: s.v.folderMajor, versions: sorted }, null, 2)}\n`);
    fs.copyFileSync(s.v.taskJsonFile, path.join(dir, 'task.json'));
  }
  for (const r of a.removed) fs.rmSync(recordDir(root, r.task, r.major), { recursive: true, force: true });
  if (extensionTo !== extensionFrom) {
    setJsonVersion(manifestFile, extensionTo);
    setJsonVersion(path.join(root, 'package.json'), extensionTo);
    setLockfileVersion(path.join(root, 'package-lock.json'), extensionTo);
  }
  writeChangelog(root, { entries, extensionFrom, extensionTo, baseline: a.baseline, docs: [] }, date);
  const docs = writeTaskDocs(root);
  return { entries, extensionFrom, extensionTo, baseline: a.baseline, docs };
}

export const CHANGELOG = 'CHANGELOG.md';
const CHANGELOG_HEAD = '# Changelog\n\nEach release of the extension, and per task version what changed. Pipelines pin a task\'s Major (`ApimDeploy@1`); inside a Major, inputs keep their names and meanings.\n';

export function renderChangelogSection(r: BumpResult, date: Date): string {
  const day = date.toISOString().slice(0, 10);
  const lines = [`## ${r.extensionTo} — ${day}`, ''];
  if (r.baseline) lines.push('First recorded release of these task versions.', '');
  for (const e of [...r.entries].sort((x, y) => x.task.localeCompare(y.task) || y.major - x.major)) {
    if (e.level === 'removed') {
      lines.push(`- **${e.task}@${e.major}** removed: pipelines pinned to \`${e.task}@${e.major}\` must move to a newer Major.`);
      continue;
    }
    if (e.level === 'new') {
      const kind = r.baseline ? '' : e.major > 1 ? ` — new Major (\`${e.task}@${e.major}\`)` : ' — new task';
      lines.push(`- **${e.task} ${e.to}**${e.summary?.name ? ` (${e.summary.name})` : ''}${kind}${e.summary?.sentence ? `: ${e.summary.sentence}` : ''}.`);
      continue;
    }
    const what = e.added.length ? `; adds ${e.added.map((x) => `\`${x}\``).join(', ')}` : '';
    lines.push(`- **${e.task} ${e.to}** (${e.level}, from ${e.from}${what})${e.commits.length ? ':' : '.'}`);
    for (const c of e.commits.slice(0, 8)) lines.push(`  - ${c}`);
    if (e.commits.length > 8) lines.push(`  - … and ${e.commits.length - 8} more change(s).`);
  }
  return `${lines.join('\n')}\n`;
}

function writeChangelog(root: string, r: BumpResult, date: Date): void {
  const file = path.join(root, CHANGELOG);
  const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : CHANGELOG_HEAD;
  const at = existing.search(/^## /m);
  const section = renderChangelogSection(r, date);
  const text = at < 0 ? `${existing.trimEnd()}\n\n${section}` : `${existing.slice(0, at)}${section}\n${existing.slice(at)}`;
  fs.writeFileSync(file, text);
}

/** The newest `count` release sections of CHANGELOG.md, for the Marketplace page. */
export function latestReleases(root: string, count: number): string | undefined {
  const file = path.join(root, CHANGELOG);
  if (!fs.existsSync(file)) return undefined;
  const sections = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n').split(/^(?=## )/m).filter((s) => s.startsWith('## '));
  return sections.length ? sections.slice(0, count).map((s) => s.trim()).join('\n\n') : undefined;
}
