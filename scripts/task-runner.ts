import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { agentNode24 } from './agent-node';
import { executionTargets, readJsonFile, TaskJson } from './discover';
import { parseVsoLine, VsoCommand } from './vso-commands';

/**
 * Runs a bundled task the way the agent's Node handler does: `node <target>` in a clean environment
 * holding only what an agent would set (Handler.cs / NodeHandler.cs), then reads back the
 * `##vso[…]` commands the task wrote. No test-only switches: the task cannot tell it from an agent.
 */

export interface RunnerEndpoint {
  /** Endpoint GUID as the agent writes it (lower-case with hyphens); used verbatim in variable names. */
  id: string;
  url: string;
  scheme: string;
  parameters: Record<string, string>;
  data?: Record<string, string>;
}

export interface RunnerProxy {
  url: string;
  username?: string;
  password?: string;
  /** Regular expressions of hosts that bypass the proxy (Agent.ProxyBypassList). */
  bypass?: string[];
}

export interface RunnerCertificates {
  caInfo?: string;
  clientCert?: string;
  clientCertKey?: string;
  clientCertArchive?: string;
  clientCertPassword?: string;
  skipCertValidation?: boolean;
}

export interface RunTaskOptions {
  /** Folder with task.json and the bundle. */
  taskDir: string;
  /** By input name or alias; task.json defaults fill the rest, as the agent does. */
  inputs: Record<string, string>;
  endpoints?: RunnerEndpoint[];
  /** Adds the SYSTEMVSSCONNECTION endpoint (url = collection URI, OAuth AccessToken) and System.CollectionUri. */
  systemConnection?: { collectionUri: string; accessToken: string };
  variables?: Record<string, string>;
  secrets?: Record<string, string>;
  proxy?: RunnerProxy;
  certificates?: RunnerCertificates;
  /** Raw environment entries added last (e.g. HTTPS_PROXY for a negative test). */
  env?: Record<string, string>;
  /** Working directory; defaults to System.DefaultWorkingDirectory (a fresh folder). */
  cwd?: string;
  /** Agent.TempDirectory; defaults to a fresh srk-agent-* folder per run, removed when this process exits. */
  tempDir?: string;
  /** Keep the srk-agent-* folder this run creates after the process exits (the CLI's --keep-temp). */
  keepTempDir?: boolean;
  timeoutMs?: number;
  /** Node.js executable that runs the bundle, as the agent runs it with its handler's own Node; defaults to this process's. */
  node?: string;
  /** Called with each stdout line as it arrives (for live logs). */
  onLine?: (line: string) => void;
}

export type TaskOutcome = 'Succeeded' | 'SucceededWithIssues' | 'Failed' | 'Cancelled' | 'Skipped';

export interface RunnerVariable {
  name: string;
  value: string;
  isSecret: boolean;
  isOutput: boolean;
}

export interface RunnerIssue {
  type: string;
  message: string;
  sourcePath?: string;
  lineNumber?: number;
  columnNumber?: number;
  code?: string;
}

export interface RunTaskResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** From the last task.complete; undefined when the task never reported one. */
  result?: TaskOutcome;
  resultMessage?: string;
  /** What the agent would conclude: a non-zero exit fails the step, no task.complete with exit 0 succeeds. */
  effectiveResult: TaskOutcome;
  variables: RunnerVariable[];
  /** Values registered with task.setsecret, plus secret variables and secrets passed in. */
  secrets: string[];
  issues: RunnerIssue[];
  /** Files uploaded as summaries (task.uploadsummary, or attachments of the summary type). */
  summaries: string[];
  attachments: Array<{ type: string; name: string; path: string }>;
  artifacts: Array<{ containerFolder?: string; artifactName?: string; path: string }>;
  progress: Array<{ value: number; message: string }>;
  prependedPaths: string[];
  commands: VsoCommand[];
  stdout: string;
  stderr: string;
  /** The environment the task was started with (secrets included; never print it). */
  env: Record<string, string>;
  tempDir: string;
  /** Runner warnings, e.g. an input name the task.json does not declare. */
  warnings: string[];
}

/** VarUtil.ConvertToEnvVariableFormat: '.' and ' ' become '_', upper-cased. */
export function envName(name: string): string {
  return name.replace(/[. ]/g, '_').toUpperCase();
}

function agentOs(): string {
  return process.platform === 'win32' ? 'Windows_NT' : process.platform === 'darwin' ? 'Darwin' : 'Linux';
}

function loadTaskJson(taskDir: string): TaskJson {
  const file = path.join(taskDir, 'task.json');
  if (!fs.existsSync(file)) throw new Error(`${file} not found; --task must be a task version folder (task.json beside the bundle)`);
  return readJsonFile<TaskJson>(file);
}

/** The file the Node handler would run: Node24's target, else Node20_1's, else any Node handler's. */
export function nodeTarget(taskJson: TaskJson, taskDir: string): string {
  const targets = executionTargets(taskJson).filter((t) => t.section === 'execution' && /^Node/.test(t.handler));
  const pick = ['Node24', 'Node20_1'].map((h) => targets.find((t) => t.handler === h)).find(Boolean) ?? targets[0];
  if (!pick) throw new Error(`${path.join(taskDir, 'task.json')} has no Node execution handler`);
  const file = path.join(taskDir, pick.target);
  if (!fs.existsSync(file)) throw new Error(`${file} (execution.${pick.handler}.target) not found; build the task first`);
  return file;
}

/**
 * The srk-agent-* folders this process created. Tests read reports out of them after a run, so they
 * live until the process exits; then they go (hundreds piled up in the temp folder otherwise).
 */
const ownedTempDirs = new Set<string>();
let cleanupInstalled = false;

function ownTempDir(dir: string): void {
  ownedTempDirs.add(dir);
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.once('exit', () => {
    for (const d of ownedTempDirs) fs.rmSync(d, { recursive: true, force: true });
  });
}

/** Keeps a runner-created temp folder beyond this process (it is the caller's to remove then). */
export function keepTempDir(dir: string): void {
  ownedTempDirs.delete(dir);
}

/** Removes a runner-created temp folder now. */
export function removeTempDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  ownedTempDirs.delete(dir);
}

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/**
 * Input names the task.json does not declare (by name or alias, case-insensitively, as the agent
 * matches them). The agent would pass them along and the task would never read them, so a misspelt
 * `template:` silently scans the default; each warning names the closest declared input.
 */
export function unknownInputWarnings(taskJson: TaskJson, inputs: Record<string, string>): string[] {
  const defs = (taskJson.inputs ?? []) as Array<{ name?: string; aliases?: string[] }>;
  const names = defs.flatMap((d) => [d.name ?? '', ...(d.aliases ?? [])]).filter(Boolean);
  const task = `${String(taskJson.name ?? 'the task')}@${String(taskJson.version?.Major ?? '?')}`;
  const warnings: string[] = [];
  for (const given of Object.keys(inputs)) {
    if (names.some((n) => n.toLowerCase() === given.toLowerCase())) continue;
    const scored = names.map((n) => ({ n, d: editDistance(given.toLowerCase(), n.toLowerCase()) })).sort((x, y) => x.d - y.d || x.n.localeCompare(y.n));
    const best = scored[0];
    const close = best && (best.d <= Math.max(2, Math.floor(given.length / 3)) || best.n.toLowerCase().includes(given.toLowerCase()) || given.toLowerCase().includes(best.n.toLowerCase()));
    const declared = defs.find((d) => d.name === best?.n || (d.aliases ?? []).includes(best?.n ?? ''))?.name;
    const hint = close ? ` (did you mean '${declared ?? best.n}'?)` : ' (no declared input is close to it)';
    warnings.push(`input '${given}' is not an input of ${task}${hint}; the task will not read it`);
  }
  return warnings;
}

export interface AgentEnvironment {
  env: Record<string, string>;
  tempDir: string;
  cwd: string;
}

/** Builds the environment an agent gives a Node task. Exported for tests that check the layout. */
export function buildAgentEnv(opts: RunTaskOptions, taskJson: TaskJson): AgentEnvironment {
  let tempDir = opts.tempDir;
  if (!tempDir) {
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-agent-'));
    if (!opts.keepTempDir) ownTempDir(tempDir);
  }
  const workFolder = path.join(tempDir, 'work');
  const sourcesDir = opts.cwd ?? path.join(workFolder, 's');
  fs.mkdirSync(sourcesDir, { recursive: true });
  const env: Record<string, string> = {};
  for (const k of ['PATH', 'HOME', 'SYSTEMROOT', 'WINDIR', 'TEMP', 'TMP', 'COMSPEC', 'PATHEXT']) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  env.HOME ??= os.homedir();

  // Public variables: agent defaults, then the caller's (which win), case-insensitively as the agent does.
  const publicVars = new Map<string, [string, string]>();
  const setVar = (name: string, value: string): void => void publicVars.set(name.toLowerCase(), [name, value]);
  setVar('Agent.TempDirectory', tempDir);
  setVar('Agent.WorkFolder', workFolder);
  setVar('Agent.BuildDirectory', workFolder);
  setVar('Agent.OS', agentOs());
  setVar('Agent.Version', '4.266.2');
  setVar('Agent.JobStatus', 'Succeeded');
  setVar('System.DefaultWorkingDirectory', sourcesDir);
  setVar('Build.SourcesDirectory', sourcesDir);
  setVar('System.Culture', 'en-US');
  setVar('System.HostType', 'build');
  const secretVars = new Map<string, [string, string]>();
  const setSecretVar = (name: string, value: string): void => void secretVars.set(name.toLowerCase(), [name, value]);
  if (opts.proxy) {
    setVar('Agent.ProxyUrl', opts.proxy.url);
    if (opts.proxy.username) setVar('Agent.ProxyUsername', opts.proxy.username);
    if (opts.proxy.password) setSecretVar('Agent.ProxyPassword', opts.proxy.password);
    if (opts.proxy.bypass?.length) setVar('Agent.ProxyBypassList', JSON.stringify(opts.proxy.bypass));
  }
  const c = opts.certificates;
  if (c) {
    if (c.caInfo) setVar('Agent.CAInfo', c.caInfo);
    if (c.clientCert) setVar('Agent.ClientCert', c.clientCert);
    if (c.clientCertKey) setVar('Agent.ClientCertKey', c.clientCertKey);
    if (c.clientCertArchive) setVar('Agent.ClientCertArchive', c.clientCertArchive);
    if (c.clientCertPassword) setSecretVar('Agent.ClientCertPassword', c.clientCertPassword);
    if (c.skipCertValidation) setVar('Agent.SkipCertValidation', 'true');
  }
  if (opts.systemConnection) setVar('System.CollectionUri', opts.systemConnection.collectionUri);
  for (const [k, v] of Object.entries(opts.variables ?? {})) setVar(k, v);
  for (const [k, v] of Object.entries(opts.secrets ?? {})) setSecretVar(k, v);
  for (const key of secretVars.keys()) publicVars.delete(key);

  for (const [name, value] of publicVars.values()) env[envName(name)] = value;
  env['agent.jobstatus'] = publicVars.get('agent.jobstatus')?.[1] ?? 'Succeeded';
  env.VSTS_PUBLIC_VARIABLES = JSON.stringify([...publicVars.values()].map(([n]) => n));
  for (const [name, value] of secretVars.values()) env[`SECRET_${envName(name)}`] = value;
  env.VSTS_SECRET_VARIABLES = JSON.stringify([...secretVars.values()].map(([n]) => n));

  // Inputs: task.json defaults, then the caller's by name or alias.
  const defs = (taskJson.inputs ?? []) as Array<{ name?: string; aliases?: string[]; defaultValue?: unknown }>;
  const inputs = new Map<string, string>();
  for (const d of defs) if (d.name && d.defaultValue !== undefined && d.defaultValue !== '') inputs.set(d.name, String(d.defaultValue));
  for (const [k, v] of Object.entries(opts.inputs)) {
    const def = defs.find((d) => d.name?.toLowerCase() === k.toLowerCase() || (d.aliases ?? []).some((a) => a.toLowerCase() === k.toLowerCase()));
    inputs.set(def?.name ?? k, v);
  }
  for (const [k, v] of inputs) env[`INPUT_${envName(k)}`] = v;

  const endpoints = [...(opts.endpoints ?? [])];
  if (opts.systemConnection) {
    endpoints.push({ id: 'SYSTEMVSSCONNECTION', url: opts.systemConnection.collectionUri, scheme: 'OAuth', parameters: { AccessToken: opts.systemConnection.accessToken } });
  }
  for (const e of endpoints) {
    env[`ENDPOINT_URL_${e.id}`] = e.url;
    env[`ENDPOINT_AUTH_${e.id}`] = JSON.stringify({ parameters: e.parameters, scheme: e.scheme });
    env[`ENDPOINT_AUTH_SCHEME_${e.id}`] = e.scheme;
    for (const [k, v] of Object.entries(e.parameters)) env[`ENDPOINT_AUTH_PARAMETER_${e.id}_${k.toUpperCase()}`] = v;
    if (e.data && e.id !== 'SYSTEMVSSCONNECTION') {
      env[`ENDPOINT_DATA_${e.id}`] = JSON.stringify(e.data);
      for (const [k, v] of Object.entries(e.data)) env[`ENDPOINT_DATA_${e.id}_${k.toUpperCase()}`] = v;
    }
  }
  Object.assign(env, opts.env ?? {});
  return { env, tempDir, cwd: sourcesDir };
}

const OUTCOMES: TaskOutcome[] = ['Succeeded', 'SucceededWithIssues', 'Failed', 'Cancelled', 'Skipped'];
const SUMMARY_TYPE = 'distributedtask.core.summary';

function toNumber(s: string | undefined): number | undefined {
  return s !== undefined && s !== '' && !Number.isNaN(Number(s)) ? Number(s) : undefined;
}

/** Reads the results out of the task's commands, as the agent's command extensions would record them. */
export function interpretCommands(commands: VsoCommand[], outputVariables: string[]): Omit<RunTaskResult, 'exitCode' | 'signal' | 'timedOut' | 'effectiveResult' | 'stdout' | 'stderr' | 'env' | 'tempDir' | 'warnings'> {
  const r: ReturnType<typeof interpretCommands> = { variables: [], secrets: [], issues: [], summaries: [], attachments: [], artifacts: [], progress: [], prependedPaths: [], commands };
  const declaredOutputs = new Set(outputVariables.map((n) => n.toLowerCase()));
  for (const c of commands) {
    const p = c.properties;
    switch (c.command) {
      case 'task.setvariable': {
        const name = p.variable ?? '';
        const isSecret = p.issecret === 'true';
        const existing = r.variables.find((v) => v.name.toLowerCase() === name.toLowerCase());
        const v: RunnerVariable = { name, value: c.message, isSecret: isSecret || (existing?.isSecret ?? false), isOutput: p.isoutput === 'true' || declaredOutputs.has(name.toLowerCase()) };
        if (existing) Object.assign(existing, v);
        else r.variables.push(v);
        if (v.isSecret && c.message) r.secrets.push(c.message);
        break;
      }
      case 'task.setsecret':
        if (c.message) r.secrets.push(c.message);
        break;
      case 'task.issue':
      case 'task.logissue':
        r.issues.push({
          type: p.type ?? 'error',
          message: c.message,
          sourcePath: p.sourcepath,
          lineNumber: toNumber(p.linenumber),
          columnNumber: toNumber(p.columnnumber),
          code: p.code,
        });
        break;
      case 'task.complete': {
        const result = OUTCOMES.find((o) => o.toLowerCase() === (p.result ?? '').toLowerCase());
        r.result = result;
        r.resultMessage = c.message;
        break;
      }
      case 'task.uploadsummary':
        r.summaries.push(c.message);
        break;
      case 'task.addattachment':
        r.attachments.push({ type: p.type ?? '', name: p.name ?? '', path: c.message });
        if ((p.type ?? '').toLowerCase() === SUMMARY_TYPE) r.summaries.push(c.message);
        break;
      case 'artifact.upload':
        r.artifacts.push({ containerFolder: p.containerfolder, artifactName: p.artifactname, path: c.message });
        break;
      case 'task.setprogress':
        r.progress.push({ value: Number(p.value ?? 0), message: c.message });
        break;
      case 'task.prependpath':
        r.prependedPaths.push(c.message);
        break;
      default:
        break;
    }
  }
  return r;
}

/** Replaces every secret with *** as the agent's log masker does. */
export function maskSecrets(text: string, secrets: string[]): string {
  let out = text;
  for (const s of [...new Set(secrets)].filter((x) => x.length > 0).sort((a, b) => b.length - a.length)) out = out.split(s).join('***');
  return out;
}

export async function runTask(opts: RunTaskOptions): Promise<RunTaskResult> {
  const taskDir = path.resolve(opts.taskDir);
  const taskJson = loadTaskJson(taskDir);
  const target = nodeTarget(taskJson, taskDir);
  const { env, tempDir, cwd } = buildAgentEnv(opts, taskJson);
  const outputVariables = ((taskJson.outputVariables ?? []) as Array<{ name: string }>).map((o) => o.name);
  const warnings = unknownInputWarnings(taskJson, opts.inputs);

  return new Promise<RunTaskResult>((resolve, reject) => {
    const child = spawn(opts.node ?? process.execPath, [target], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let pending = '';
    let timedOut = false;
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, opts.timeoutMs)
      : undefined;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      stdout += d;
      if (!opts.onLine) return;
      pending += d;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const l of lines) opts.onLine(l.replace(/\r$/, ''));
    });
    child.stderr.on('data', (d: string) => (stderr += d));
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(e);
    });
    child.on('close', (exitCode, signal) => {
      if (timer) clearTimeout(timer);
      if (opts.onLine && pending) opts.onLine(pending);
      const commands = stdout
        .split(/\r?\n/)
        .map(parseVsoLine)
        .filter((c): c is VsoCommand => c !== undefined);
      const r = interpretCommands(commands, outputVariables);
      const secrets = [...r.secrets, ...Object.values(opts.secrets ?? {}), ...(opts.proxy?.password ? [opts.proxy.password] : []), ...(opts.certificates?.clientCertPassword ? [opts.certificates.clientCertPassword] : [])];
      for (const e of opts.endpoints ?? []) secrets.push(...Object.values(e.parameters));
      if (opts.systemConnection) secrets.push(opts.systemConnection.accessToken);
      const effectiveResult: TaskOutcome = exitCode !== 0 || timedOut ? 'Failed' : (r.result ?? 'Succeeded');
      resolve({ ...r, secrets: [...new Set(secrets.filter(Boolean))], exitCode, signal, timedOut, effectiveResult, stdout, stderr, env, tempDir, warnings });
    });
  });
}

/** Runner input file: `inputs:`, `endpoints:` (list, or map of id → endpoint), `variables:`, `secrets:`, `env:`, `proxy:`, `certificates:`, `systemConnection:`. */
export function readRunnerFile(file: string): Omit<RunTaskOptions, 'taskDir'> {
  const doc = (YAML.parse(fs.readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
  const strings = (o: unknown, what: string): Record<string, string> => {
    if (o === undefined || o === null) return {};
    if (typeof o !== 'object' || Array.isArray(o)) throw new Error(`${file}: '${what}' must be a mapping`);
    return Object.fromEntries(Object.entries(o as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  };
  let endpoints: RunnerEndpoint[] = [];
  const raw = doc.endpoints;
  const toEndpoint = (id: string, e: Record<string, unknown>): RunnerEndpoint => {
    if (typeof e.url !== 'string') throw new Error(`${file}: endpoint '${id}' needs a url`);
    return { id, url: e.url, scheme: typeof e.scheme === 'string' ? e.scheme : 'None', parameters: strings(e.parameters, `endpoints.${id}.parameters`), data: strings(e.data, `endpoints.${id}.data`) };
  };
  if (Array.isArray(raw)) endpoints = raw.map((e: Record<string, unknown>, i) => toEndpoint(String(e.id ?? `#${i}`), e));
  else if (raw && typeof raw === 'object') endpoints = Object.entries(raw as Record<string, Record<string, unknown>>).map(([id, e]) => toEndpoint(id, e));
  return {
    inputs: strings(doc.inputs, 'inputs'),
    endpoints,
    variables: strings(doc.variables, 'variables'),
    secrets: strings(doc.secrets, 'secrets'),
    env: strings(doc.env, 'env'),
    proxy: doc.proxy as RunnerProxy | undefined,
    certificates: doc.certificates as RunnerCertificates | undefined,
    systemConnection: doc.systemConnection as RunTaskOptions['systemConnection'],
  };
}

/** Renders a command line roughly as the agent's log shows it; debug lines only with --debug. */
function renderLine(line: string, debug: boolean): string | undefined {
  const c = parseVsoLine(line);
  if (!c) return line;
  if (c.command === 'task.debug') return debug ? `##[debug]${c.message}` : undefined;
  if (c.command === 'task.issue' || c.command === 'task.logissue') return `##[${c.properties.type ?? 'error'}]${c.message}`;
  return debug ? line : undefined;
}

export async function main(argv: string[]): Promise<number> {
  const get = (n: string): string | undefined => {
    const i = argv.indexOf(n);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const task = get('--task');
  if (!task) {
    console.error('usage: node out/scripts/task-runner.js --task <task version folder> [--inputs file.yaml] [--node 24|<node executable>] [--timeout ms] [--debug] [--keep-temp]');
    return 2;
  }
  const keepTemp = argv.includes('--keep-temp');
  // `--node 24` runs the bundle on the Node 24 handler's runtime (fetched once from the npm registry).
  const nodeArg = get('--node');
  const node = nodeArg === '24' ? agentNode24() : nodeArg;
  const debug = argv.includes('--debug');
  const file = get('--inputs');
  const fromFile = file ? readRunnerFile(path.resolve(file)) : { inputs: {} };
  const secrets: string[] = [
    ...Object.values(fromFile.secrets ?? {}),
    ...(fromFile.endpoints ?? []).flatMap((e) => Object.values(e.parameters)),
    ...(fromFile.proxy?.password ? [fromFile.proxy.password] : []),
  ];
  // A person runs a task from their checkout: that folder is the job's working directory.
  const cwd = fromFile.cwd ?? process.cwd();
  for (const w of unknownInputWarnings(loadTaskJson(path.resolve(task)), fromFile.inputs)) console.error(`task-runner: warning: ${w}`);
  const r = await runTask({
    ...fromFile,
    cwd,
    variables: { 'System.DefaultWorkingDirectory': cwd, ...fromFile.variables },
    taskDir: task,
    node,
    keepTempDir: keepTemp,
    timeoutMs: get('--timeout') ? Number(get('--timeout')) : undefined,
    onLine: (line) => {
      const c = parseVsoLine(line);
      if (c?.command === 'task.setsecret' && c.message) secrets.push(c.message);
      const shown = renderLine(line, debug);
      if (shown !== undefined) console.log(maskSecrets(shown, secrets));
    },
  });
  if (r.stderr) process.stderr.write(maskSecrets(r.stderr, r.secrets));
  console.log('');
  // Two different things: what the task reported (as the agent would show it) and what this runner exits with.
  const runnerExit = runnerExitCode(r);
  console.log(`task result: ${r.effectiveResult}${r.result ? '' : ' (no task.complete)'}${r.resultMessage ? ` — ${maskSecrets(r.resultMessage, r.secrets)}` : ''}`);
  console.log(`task process exit code: ${r.exitCode ?? r.signal}${r.timedOut ? ' (killed: timed out)' : ''}`);
  for (const v of r.variables) console.log(`variable ${v.name}${v.isOutput ? ' (output)' : ''} = ${v.isSecret ? '***' : maskSecrets(v.value, r.secrets)}`);
  for (const i of r.issues) console.log(`${i.type}: ${maskSecrets(i.message, r.secrets)}${i.sourcePath ? ` (${i.sourcePath}${i.lineNumber ? `:${i.lineNumber}` : ''})` : ''}`);
  for (const s of r.summaries) console.log(`summary: ${s}`);
  for (const a of r.attachments) console.log(`attachment ${a.type}/${a.name}: ${a.path}`);
  for (const a of r.artifacts) console.log(`artifact ${a.artifactName ?? ''}: ${a.path}`);
  if (keepTemp) console.log(`agent temp directory (kept): ${r.tempDir}`);
  else removeTempDir(r.tempDir);
  console.log(`runner exit code: ${runnerExit}${runnerExit ? ` (the task result is ${r.effectiveResult})` : ''}`);
  return runnerExit;
}

/** The runner fails when the agent would fail the step: a Failed or Cancelled result, or a task that died. */
export function runnerExitCode(r: Pick<RunTaskResult, 'effectiveResult'>): number {
  return r.effectiveResult === 'Failed' || r.effectiveResult === 'Cancelled' ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: Error) => {
      console.error(`task-runner: ${e.message}`);
      process.exit(2);
    },
  );
}
