import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { discoverTasks, executionTargets, taskNames, TaskJson, TaskVersion } from './discover';
import { rel, schemasDir as defaultSchemasDir } from './paths';
import { helpUrlProblems, inputsOf } from './task-docs';

/**
 * Checks that make a broken task or manifest fail the build with a message naming the file,
 * instead of a warning from tfx or a rejection from the Marketplace after upload.
 */

export interface Problem {
  /** Repository-relative (or absolute when outside the root) path, with :line when known. */
  file: string;
  message: string;
}

export class ValidationError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`${problems.length} problem(s):\n${formatProblems(problems)}`);
    this.name = 'ValidationError';
  }
}

export function formatProblems(problems: Problem[]): string {
  return problems.map((p) => `  ${p.file}: ${p.message}`).join('\n');
}

export const REQUIRED_HANDLERS = ['Node20_1', 'Node24'];
export const MAX_FRIENDLY_NAME = 40;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const TASK_NAME = /^[A-Za-z0-9-]+$/;

type Validator = ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string; params?: Record<string, unknown> }> | null };

interface Schemas {
  task: Validator;
  manifest: Validator;
}

const schemaCache = new Map<string, Schemas>();

/** Compiles the two schemas from dir; throws a clear error when the folder or a file is missing. */
export function loadSchemas(dir = defaultSchemasDir()): Schemas {
  const cached = schemaCache.get(dir);
  if (cached) return cached;
  const taskFile = path.join(dir, 'task.schema.json');
  const manifestFile = path.join(dir, 'vss-extension.schema.json');
  for (const f of [taskFile, manifestFile]) {
    if (!fs.existsSync(f)) {
      throw new Error(`schema not found: ${f} (the repository's scripts/schemas, or the folder SRK_SCHEMAS_DIR names)`);
    }
  }
  // The task schema's patterns use escapes (\:) that are invalid in unicode mode.
  const ajv04 = new AjvDraft04({ strict: false, allErrors: true, unicodeRegExp: false });
  const ajv07 = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv07);
  const schemas: Schemas = {
    task: ajv04.compile(JSON.parse(fs.readFileSync(taskFile, 'utf8'))) as Validator,
    manifest: ajv07.compile(JSON.parse(fs.readFileSync(manifestFile, 'utf8'))) as Validator,
  };
  schemaCache.set(dir, schemas);
  return schemas;
}

function schemaProblems(validator: Validator, data: unknown, file: string, what: string): Problem[] {
  if (validator(data)) return [];
  return (validator.errors ?? []).map((e) => {
    const extra = e.params && 'additionalProperty' in e.params ? ` '${String(e.params.additionalProperty)}'` : '';
    return { file, message: `does not match the ${what} schema at ${e.instancePath || '/'}: ${e.message ?? 'invalid'}${extra}` };
  });
}

/** Input names referenced by a visibleRule such as "a == x && b != y || c NotEndsWith z". */
export function visibleRuleInputs(rule: string): string[] {
  return rule
    .split(/&&|\|\|/)
    .map((clause) => /^\s*([A-Za-z][A-Za-z0-9_.]*)\s*(?:==|!=|=|<=|>=|<|>|NotEndsWith|EndsWith|NotContains|Contains)/.exec(clause))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => m[1]);
}

/**
 * The loc-key convention: code calls `loc('Key', …)` (tl.loc, host.loc or a plain loc function) with a
 * string literal key. Every such key must be in task.json `messages`, or task-lib prints
 * "Can't find loc string for key" at run time.
 */
const LOC_CALL = /\bloc\(\s*(['"`])([A-Za-z0-9_.-]+)\1/g;

export function locKeysIn(file: string): Array<{ key: string; line: number }> {
  const text = fs.readFileSync(file, 'utf8');
  const out: Array<{ key: string; line: number }> = [];
  for (const m of text.matchAll(LOC_CALL)) {
    out.push({ key: m[2], line: text.slice(0, m.index).split('\n').length });
  }
  return out;
}

function tsFilesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') out.push(...tsFilesUnder(p));
    else if (/\.(ts|js)$/.test(entry.name) && !/\.d\.ts$/.test(entry.name)) out.push(p);
  }
  return out;
}

/** Source files whose loc keys count for a version: the bundle's own inputs when known, else vN/ and the task's core/. */
function locSources(v: TaskVersion, bundleInputs?: string[]): string[] {
  if (bundleInputs) return bundleInputs.filter((f) => !f.split(path.sep).includes('node_modules') && /\.(ts|js)$/.test(f));
  return [...tsFilesUnder(v.dir), ...tsFilesUnder(path.join(path.dirname(v.dir), 'core'))];
}

export interface ValidateOptions {
  root: string;
  schemasDir?: string;
  /** The staged extension (dist/extension); enables output checks when given. */
  stageDir?: string;
  /** Absolute source files of each bundle, keyed `<TaskName>/v<N>`, from the esbuild metafile. */
  bundleInputs?: Map<string, string[]>;
}

export function validateTaskVersion(v: TaskVersion, opts: ValidateOptions): Problem[] {
  const { root } = opts;
  const file = rel(root, v.taskJsonFile);
  if (v.parseError || !v.taskJson) return [{ file, message: v.parseError ?? 'cannot be read' }];
  const t: TaskJson = v.taskJson;
  const problems: Problem[] = schemaProblems(loadSchemas(opts.schemasDir).task, t, file, 'task.json');
  const p = (message: string): void => void problems.push({ file, message });

  if (typeof t.id !== 'string' || !UUID.test(t.id)) p(`id must be a UUID (got ${JSON.stringify(t.id)})`);
  if (typeof t.name !== 'string' || !TASK_NAME.test(t.name)) p(`name must match ^[A-Za-z0-9-]+$ (got ${JSON.stringify(t.name)})`);
  if (typeof t.friendlyName !== 'string' || t.friendlyName.length === 0) p('friendlyName is missing');
  else if (t.friendlyName.length > MAX_FRIENDLY_NAME) {
    p(`friendlyName is ${t.friendlyName.length} characters; the limit is ${MAX_FRIENDLY_NAME} ("${t.friendlyName}")`);
  }
  if (typeof t.instanceNameFormat !== 'string' || t.instanceNameFormat.length === 0) p('instanceNameFormat is missing');
  if (t.version?.Major !== v.folderMajor) {
    p(`version.Major is ${JSON.stringify(t.version?.Major)} but the folder is ${v.versionFolder}`);
  }
  const handlers = Object.keys(t.execution ?? {});
  const missing = REQUIRED_HANDLERS.filter((h) => !handlers.includes(h));
  if (missing.length) p(`execution lacks the ${missing.join(' and ')} handler(s) (has: ${handlers.join(', ') || 'none'})`);
  if (executionTargets(t).length === 0) p('no execution target');

  const inputNames = new Set((t.inputs ?? []).map((i) => (i.name ?? '').toLowerCase()));
  const groupNames = new Set((t.groups ?? []).map((g) => g.name));
  const rules: Array<[string, string | undefined]> = [
    ...(t.inputs ?? []).map((i): [string, string | undefined] => [`input '${i.name}'`, i.visibleRule]),
    ...(t.groups ?? []).map((g): [string, string | undefined] => [`group '${g.name}'`, g.visibleRule]),
  ];
  for (const [owner, rule] of rules) {
    if (!rule) continue;
    for (const name of visibleRuleInputs(rule)) {
      if (!inputNames.has(name.toLowerCase())) p(`visibleRule of ${owner} names unknown input '${name}' ("${rule}")`);
    }
  }
  for (const i of t.inputs ?? []) {
    if (i.groupName && !groupNames.has(i.groupName)) p(`input '${i.name}' is in unknown group '${i.groupName}'`);
  }
  // The editor shows helpMarkDown as the input's (i) tooltip, and the generated docs use it.
  for (const i of inputsOf(t)) {
    if (typeof i.helpMarkDown !== 'string' || !i.helpMarkDown.trim()) p(`${v.taskName} ${v.versionFolder}: input '${i.name}' has no helpMarkDown (say what it does, its form and its default)`);
  }
  problems.push(...helpUrlProblems(root, v));

  if (!v.entry) problems.push({ file: rel(root, v.dir), message: 'no index.ts entry point' });

  const messages = t.messages ?? {};
  for (const src of locSources(v, opts.bundleInputs?.get(`${v.taskName}/${v.versionFolder}`))) {
    for (const { key, line } of locKeysIn(src)) {
      if (!(key in messages)) {
        problems.push({ file: `${rel(root, src)}:${line}`, message: `loc key '${key}' is not in ${file} messages` });
      }
    }
  }
  return problems;
}

/** Rules across the versions of one task and across tasks. */
export function validateTaskSet(versions: TaskVersion[], root: string): Problem[] {
  const problems: Problem[] = [];
  for (const name of taskNames(versions)) {
    const vs = versions.filter((v) => v.taskName === name && v.taskJson);
    const [first, ...rest] = vs;
    for (const v of rest) {
      for (const key of ['id', 'name'] as const) {
        if (v.taskJson![key] !== first.taskJson![key]) {
          problems.push({
            file: rel(root, v.taskJsonFile),
            message: `${key} ${JSON.stringify(v.taskJson![key])} differs from ${rel(root, first.taskJsonFile)} (${JSON.stringify(first.taskJson![key])}); all versions of a task share id and name`,
          });
        }
      }
    }
    const byMajor = new Map<number, TaskVersion>();
    for (const v of vs) {
      const major = v.taskJson!.version?.Major;
      if (typeof major !== 'number') continue;
      const other = byMajor.get(major);
      if (other) problems.push({ file: rel(root, v.taskJsonFile), message: `version.Major ${major} is also used by ${rel(root, other.taskJsonFile)}` });
      else byMajor.set(major, v);
    }
  }
  const owners = new Map<string, string>();
  for (const v of versions) {
    const id = v.taskJson?.id;
    if (typeof id !== 'string') continue;
    const owner = owners.get(id.toLowerCase());
    if (owner && owner !== v.taskName) problems.push({ file: rel(root, v.taskJsonFile), message: `id ${id} is also used by task ${owner}` });
    else owners.set(id.toLowerCase(), v.taskName);
  }
  return problems;
}

const TASK_CONTRIBUTION = 'ms.vss-distributed-task.task';

export interface ManifestLike {
  files?: Array<{ path?: string; [key: string]: unknown }>;
  contributions?: Array<{ id?: string; type?: string; targets?: string[]; properties?: { name?: string; [key: string]: unknown }; [key: string]: unknown }>;
  icons?: Record<string, string>;
  content?: Record<string, { path?: string }>;
  [key: string]: unknown;
}

/** The staged manifest against the schema and against the staged files. */
export function validateStagedManifest(stageDir: string, versions: TaskVersion[], opts: ValidateOptions): Problem[] {
  const manifestFile = path.join(stageDir, 'vss-extension.json');
  const file = rel(opts.root, manifestFile);
  if (!fs.existsSync(manifestFile)) return [{ file, message: 'staged manifest is missing' }];
  const m = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as ManifestLike;
  const problems = schemaProblems(loadSchemas(opts.schemasDir).manifest, m, file, 'vss-extension');
  const p = (message: string): void => void problems.push({ file, message });
  const filePaths = (m.files ?? []).map((f) => f.path ?? '');
  for (const fp of filePaths) if (!fs.existsSync(path.join(stageDir, fp))) p(`files entry '${fp}' does not exist in the staged extension`);
  const taskContributions = (m.contributions ?? []).filter((c) => c.type === TASK_CONTRIBUTION);
  for (const c of taskContributions) {
    const name = c.properties?.name;
    if (!name || !fs.existsSync(path.join(stageDir, name))) p(`task contribution '${c.id}' points at '${name}', which is not a staged task folder`);
    else if (!filePaths.some((fp) => fp === name || name.startsWith(`${fp}/`))) p(`task folder '${name}' is not listed in files, so tfx would leave it out`);
  }
  for (const name of taskNames(versions)) {
    if (!taskContributions.some((c) => c.properties?.name === name)) p(`task '${name}' has no ${TASK_CONTRIBUTION} contribution`);
  }
  for (const [kind, icon] of Object.entries(m.icons ?? {})) if (!fs.existsSync(path.join(stageDir, icon))) p(`icon '${kind}' (${icon}) is missing`);
  for (const [kind, c] of Object.entries(m.content ?? {})) if (c.path && !fs.existsSync(path.join(stageDir, c.path))) p(`content.${kind} (${c.path}) is missing`);
  if (!m.content?.license?.path) p('content.license is not set: the Marketplace page would show no licence (point it at LICENSE)');
  return problems;
}

/** Execution targets present and no node_modules, for a list of file paths in the output (staged folder or vsix). */
export function validateOutputFiles(files: string[], versions: TaskVersion[], where: string): Problem[] {
  const problems: Problem[] = [];
  const set = new Set(files.map((f) => f.replace(/\\/g, '/')));
  for (const v of versions) {
    if (!v.taskJson) continue;
    for (const { section, handler, target } of executionTargets(v.taskJson)) {
      const expected = `${v.taskName}/${v.versionFolder}/${target.replace(/\\/g, '/')}`;
      if (!set.has(expected)) problems.push({ file: where, message: `${section}.${handler} target ${expected} is missing` });
    }
  }
  const nm = [...set].filter((f) => f.split('/').includes('node_modules'));
  if (nm.length) problems.push({ file: where, message: `contains node_modules (${nm.slice(0, 3).join(', ')}${nm.length > 3 ? ', …' : ''})` });
  return problems;
}

export function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const relPath = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(path.join(dir, entry.name), relPath));
    else out.push(relPath);
  }
  return out;
}

/** Everything: sources, and the staged output when opts.stageDir is given. */
export function validateExtension(opts: ValidateOptions): Problem[] {
  const discovery = discoverTasks(opts.root);
  const problems = [...discovery.versions.flatMap((v) => validateTaskVersion(v, opts)), ...validateTaskSet(discovery.versions, opts.root)];
  if (opts.stageDir) {
    problems.push(...validateStagedManifest(opts.stageDir, discovery.versions, opts));
    problems.push(...validateOutputFiles(listFiles(opts.stageDir), discovery.versions, rel(opts.root, opts.stageDir)));
  }
  return problems;
}

export function assertValid(problems: Problem[]): void {
  if (problems.length) throw new ValidationError(problems);
}

if (require.main === module) {
  const root = path.resolve(process.argv[2] ?? process.cwd());
  const stageDir = process.argv[3] ? path.resolve(process.argv[3]) : undefined;
  const problems = validateExtension({ root, stageDir });
  if (problems.length) {
    console.error(`validation failed:\n${formatProblems(problems)}`);
    process.exit(1);
  }
  console.log('validation passed');
}
