import * as fs from 'fs';
import * as path from 'path';
import { rel } from './paths';

/** One version folder of one task: tasks/<TaskName>/v<N>/ with task.json. */
export interface TaskVersion {
  taskName: string;
  /** 'v1', 'v2' … */
  versionFolder: string;
  /** The N of v<N>; must equal task.json version.Major. */
  folderMajor: number;
  dir: string;
  taskJsonFile: string;
  /** Parsed task.json; undefined when it cannot be read (see parseError). */
  taskJson?: TaskJson;
  parseError?: string;
  /** index.ts (or index.js) in the version folder; undefined when absent. */
  entry?: string;
}

/** The parts of task.json the build relies on; the schema checks the rest. */
export interface TaskJson {
  id?: string;
  name?: string;
  friendlyName?: string;
  instanceNameFormat?: string;
  version?: { Major?: number; Minor?: number; Patch?: number };
  inputs?: Array<{ name?: string; type?: string; visibleRule?: string; groupName?: string }>;
  groups?: Array<{ name?: string; visibleRule?: string }>;
  messages?: Record<string, string>;
  execution?: Record<string, { target?: string }>;
  prejobexecution?: Record<string, { target?: string }>;
  postjobexecution?: Record<string, { target?: string }>;
  [key: string]: unknown;
}

export interface Discovery {
  root: string;
  tasksDir: string;
  versions: TaskVersion[];
  /** Folders that look like task versions but lack task.json; reported, not built. */
  skipped: string[];
}

const VERSION_FOLDER = /^v(\d+)$/;

/** Reads JSON and turns a syntax error into `file:line:col: message`. */
export function readJsonFile<T = unknown>(file: string, root = process.cwd()): T {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    let where = rel(root, file);
    if (pos) {
      const before = text.slice(0, Number(pos[1]));
      const line = before.split('\n').length;
      where += `:${line}:${Number(pos[1]) - before.lastIndexOf('\n')}`;
    }
    throw new Error(`${where}: invalid JSON (${msg})`, { cause: e });
  }
}

/** Finds tasks/<TaskName>/v<N>/task.json under root. tasks/common and other folders without v<N> children are ignored. */
export function discoverTasks(root: string): Discovery {
  const tasksDir = path.join(root, 'tasks');
  const versions: TaskVersion[] = [];
  const skipped: string[] = [];
  if (!fs.existsSync(tasksDir)) return { root, tasksDir, versions, skipped };
  for (const taskName of fs.readdirSync(tasksDir).sort()) {
    const taskDir = path.join(tasksDir, taskName);
    if (!fs.statSync(taskDir).isDirectory()) continue;
    for (const versionFolder of fs.readdirSync(taskDir).sort()) {
      const m = VERSION_FOLDER.exec(versionFolder);
      const dir = path.join(taskDir, versionFolder);
      if (!m || !fs.statSync(dir).isDirectory()) continue;
      const taskJsonFile = path.join(dir, 'task.json');
      if (!fs.existsSync(taskJsonFile)) {
        skipped.push(rel(root, dir));
        continue;
      }
      const v: TaskVersion = { taskName, versionFolder, folderMajor: Number(m[1]), dir, taskJsonFile };
      try {
        v.taskJson = readJsonFile<TaskJson>(taskJsonFile, root);
      } catch (e) {
        v.parseError = (e as Error).message;
      }
      v.entry = ['index.ts', 'index.js'].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
      versions.push(v);
    }
  }
  return { root, tasksDir, versions, skipped };
}

/** Distinct task names, in discovery order. */
export function taskNames(versions: TaskVersion[]): string[] {
  return [...new Set(versions.map((v) => v.taskName))];
}

/** Every execution target named by a task.json, with `$(currentDirectory)/` stripped as tfx does. */
export function executionTargets(taskJson: TaskJson): Array<{ section: string; handler: string; target: string }> {
  const out: Array<{ section: string; handler: string; target: string }> = [];
  for (const section of ['execution', 'prejobexecution', 'postjobexecution'] as const) {
    const handlers = taskJson[section];
    if (!handlers || typeof handlers !== 'object') continue;
    for (const [handler, def] of Object.entries(handlers)) {
      if (def && typeof def.target === 'string') {
        out.push({ section, handler, target: def.target.replace(/^\$\(currentDirectory\)[\\/]?/, '') });
      }
    }
  }
  return out;
}
