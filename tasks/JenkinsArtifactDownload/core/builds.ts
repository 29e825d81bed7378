import { RemoteError, TaskError } from '../../common/errors';
import { oneLine } from '../../common/log/safe-text';
import type { JenkinsClient } from './jenkins-client';
import { encodeBranchName, jobNamesFromUrl, jobUrlPath, type JobReference } from './job-path';
import type { BuildChoice, JenkinsDownloadSettings, UnstableResult } from './model';

/** The job the user named, resolved to the names Jenkins uses in URLs. */
export interface ResolvedJob {
  /** Job names level by level (a branch as its encoded job name, e.g. `feature%2Fx`). */
  names: string[];
  /** `job/a/job/b/` */
  path: string;
  className: string;
  multibranch: boolean;
}

export interface Artifact {
  relativePath: string;
  fileName: string;
}

export interface Commit {
  id: string;
  message?: string;
  author?: string;
  timestamp?: number;
  paths?: string[];
}

export interface JenkinsBuild {
  job: ResolvedJob;
  number: number;
  /** `job/a/job/b/42/`, relative to the server URL. */
  path: string;
  result: string | null;
  building: boolean;
  timestamp?: number;
  displayName?: string;
  artifacts: Artifact[];
  /** MD5 fingerprints Jenkins recorded for this build, by the file name it recorded them under. */
  fingerprints: Array<{ fileName: string; md5: string }>;
  parameters: Map<string, string>;
  /** The revision(s) the build checked out (git plugin's BuildData). */
  revisions: string[];
  commits: Commit[];
}

interface JobJson {
  _class?: string;
  name?: string;
  jobs?: Array<{ _class?: string; name?: string }>;
}

interface BuildJson {
  number?: number;
  result?: string | null;
  building?: boolean;
  timestamp?: number;
  displayName?: string;
  artifacts?: Array<{ relativePath?: string; fileName?: string }>;
  fingerprint?: Array<{ fileName?: string; hash?: string }>;
  actions?: Array<{ _class?: string; parameters?: Array<{ name?: string; value?: unknown }>; lastBuiltRevision?: { SHA1?: string } } | null>;
  changeSet?: ChangeSetJson;
  changeSets?: ChangeSetJson[];
}

interface ChangeSetJson {
  items?: Array<{ commitId?: string; msg?: string; author?: { fullName?: string }; timestamp?: number; affectedPaths?: string[] }>;
}

const CHANGES = 'kind,items[commitId,msg,author[fullName],timestamp,affectedPaths]';
/** One request for everything the task needs about a build; Jenkins omits fields a build type lacks. */
export const BUILD_TREE = `number,result,building,timestamp,displayName,artifacts[relativePath,fileName],fingerprint[fileName,hash],actions[parameters[name,value],lastBuiltRevision[SHA1]],changeSet[${CHANGES}],changeSets[${CHANGES}]`;

const PERMALINK: Record<Exclude<BuildChoice, 'BuildNumber'>, string> = {
  LastSuccessfulBuild: 'lastSuccessfulBuild',
  LastStableBuild: 'lastStableBuild',
  LastCompletedBuild: 'lastCompletedBuild',
};

const DESCRIBED: Record<BuildChoice, string> = {
  LastSuccessfulBuild: 'successful (SUCCESS or UNSTABLE)',
  LastStableBuild: 'stable (SUCCESS)',
  LastCompletedBuild: 'completed',
  BuildNumber: '',
};

/** Jenkins' own permalink rules (PeepholePermalink), for searching a build list by parameters. */
function fitsChoice(choice: BuildChoice, b: { building?: boolean; result?: string | null }): boolean {
  if (b.building) return false;
  switch (choice) {
    case 'LastSuccessfulBuild':
      return b.result === 'SUCCESS' || b.result === 'UNSTABLE';
    case 'LastStableBuild':
      return b.result === 'SUCCESS';
    default:
      return true;
  }
}

const isMultibranch = (cls: string | undefined) => /MultiBranchProject/.test(cls ?? '');
const shownNames = (jobs: JobJson['jobs']) => {
  const names = (jobs ?? []).map((j) => oneLine(j.name ?? '')).filter(Boolean);
  if (names.length === 0) return 'it holds no job';
  return `it holds ${names.slice(0, 20).map((n) => `'${n}'`).join(', ')}${names.length > 20 ? ` and ${names.length - 20} more` : ''}`;
};

/** Finds the job level by level, so a wrong name is reported with what that level does hold. */
export async function resolveJob(client: JenkinsClient, ref: JobReference): Promise<ResolvedJob> {
  if (ref.kind === 'url') {
    const names = jobNamesFromUrl(ref.url, client.base);
    if (!Array.isArray(names)) throw new TaskError(`Input 'jobName': ${names.problem}`);
    return describe(client, names);
  }
  const segments = ref.segments;
  // The common case (a plain path through folders) costs one request.
  const direct = await client.getJson<JobJson>(jobUrlPath(segments), '_class,name', `job '${oneLine(segments.join('/'))}'`, true);
  if (direct) return finish(segments, direct);

  const names: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const where = names.length ? `folder '${oneLine(names.join('/'))}'` : 'the Jenkins root';
    const level = await client.getJson<JobJson>(jobUrlPath(names), '_class,jobs[name,_class]', where);
    const children = level.jobs ?? [];
    if (isMultibranch(level._class)) {
      // A branch name may hold slashes: the rest of the path is the branch.
      const branch = segments.slice(i).join('/');
      const hit = [encodeBranchName(branch), branch].find((n) => children.some((c) => c.name === n));
      if (!hit) throw new TaskError(`Input 'jobName': multibranch project '${oneLine(names.join('/'))}' has no branch '${oneLine(branch)}'; ${shownNames(children)}`);
      names.push(hit);
      break;
    }
    if (!level.jobs) throw new TaskError(`Input 'jobName': '${oneLine(names.join('/'))}' is a job, not a folder; it cannot hold '${oneLine(segments[i])}'`);
    if (!children.some((c) => c.name === segments[i])) {
      throw new TaskError(`Input 'jobName': ${where} has no job '${oneLine(segments[i])}' (names are case-sensitive); ${shownNames(children)}`);
    }
    names.push(segments[i]);
  }
  return describe(client, names);
}

async function describe(client: JenkinsClient, names: string[]): Promise<ResolvedJob> {
  const json = await client.getJson<JobJson>(jobUrlPath(names), '_class,name', `job '${oneLine(names.join('/'))}'`);
  return finish(names, json);
}

function finish(names: string[], json: JobJson): ResolvedJob {
  const className = json._class ?? '';
  const multibranch = isMultibranch(className);
  if (!multibranch && /Folder$/.test(className)) {
    throw new TaskError(`Input 'jobName': '${oneLine(names.join('/'))}' is a folder, not a job; name a job inside it (folder/job)`);
  }
  return { names, path: jobUrlPath(names), className, multibranch };
}

/** Picks the build the settings ask for and reads everything about it in one more request. */
export async function selectBuild(client: JenkinsClient, job: ResolvedJob, s: Pick<JenkinsDownloadSettings, 'build' | 'buildNumber' | 'buildBranch' | 'parameters'>): Promise<JenkinsBuild> {
  let target = job;
  if (job.multibranch) target = await pickBranch(client, job, s);
  const jobName = oneLine(target.names.join('/'));

  let buildPath: string;
  if (s.build === 'BuildNumber') {
    buildPath = `${target.path}${s.buildNumber}/`;
  } else if (s.parameters.size > 0) {
    buildPath = `${target.path}${await newestMatching(client, target, s.build, s.parameters)}/`;
  } else {
    buildPath = `${target.path}${PERMALINK[s.build]}/`;
  }
  const json = await client.getJson<BuildJson>(buildPath, BUILD_TREE, `a build of '${jobName}'`, true);
  if (!json) {
    if (s.build === 'BuildNumber') throw new TaskError(`Job '${jobName}' has no build #${s.buildNumber} (it may have been discarded)`);
    throw new TaskError(`Job '${jobName}' has no ${DESCRIBED[s.build]} build`);
  }
  return toBuild(target, json);
}

/** A multibranch project named without its branch: the branch from `branch/number`, or the newest build across branches. */
async function pickBranch(client: JenkinsClient, job: ResolvedJob, s: Pick<JenkinsDownloadSettings, 'build' | 'buildBranch' | 'parameters'>): Promise<ResolvedJob> {
  const name = oneLine(job.names.join('/'));
  if (s.build === 'BuildNumber') {
    if (!s.buildBranch) throw new TaskError(`Input 'jobName': '${name}' is a multibranch project; name the branch (${name}/<branch>) or give jenkinsBuildNumber as <branch>/<number>`);
    const level = await client.getJson<JobJson>(job.path, 'jobs[name]', `multibranch project '${name}'`);
    const hit = [encodeBranchName(s.buildBranch), s.buildBranch].find((n) => (level.jobs ?? []).some((c) => c.name === n));
    if (!hit) throw new TaskError(`Input 'jenkinsBuildNumber': multibranch project '${name}' has no branch '${oneLine(s.buildBranch)}'; ${shownNames(level.jobs)}`);
    return { ...job, names: [...job.names, hit], path: jobUrlPath([...job.names, hit]), multibranch: false };
  }
  if (s.parameters.size > 0) throw new TaskError(`Input 'jobName': '${name}' is a multibranch project; name the branch (${name}/<branch>) to search its builds by parameters`);
  const link = PERMALINK[s.build];
  const level = await client.getJson<{ jobs?: Array<{ name?: string } & Record<string, { timestamp?: number } | null | string | undefined>> }>(
    job.path,
    `jobs[name,${link}[number,timestamp]]`,
    `multibranch project '${name}'`,
  );
  let best: { name: string; timestamp: number } | undefined;
  for (const branch of level.jobs ?? []) {
    const b = Object.hasOwn(branch, link) ? branch[link] : undefined;
    if (!branch.name || !b || typeof b !== 'object') continue;
    const timestamp = b.timestamp ?? 0;
    if (!best || timestamp > best.timestamp) best = { name: branch.name, timestamp };
  }
  if (!best) throw new TaskError(`Multibranch project '${name}' has no ${DESCRIBED[s.build]} build on any branch`);
  const names = [...job.names, best.name];
  return { ...job, names, path: jobUrlPath(names), multibranch: false };
}

/** The newest of the job's last 100 builds (Jenkins' `builds`) that fits the choice and has the parameter values. */
async function newestMatching(client: JenkinsClient, job: ResolvedJob, choice: BuildChoice, wanted: Map<string, string>): Promise<number> {
  const json = await client.getJson<{ builds?: BuildJson[] }>(job.path, 'builds[number,result,building,actions[parameters[name,value]]]{0,100}', `the builds of '${oneLine(job.names.join('/'))}'`);
  for (const b of json.builds ?? []) {
    if (typeof b.number !== 'number' || !fitsChoice(choice, b)) continue;
    const params = parametersOf(b);
    if ([...wanted].every(([k, v]) => params.get(k) === v)) return b.number;
  }
  const list = [...wanted].map(([k, v]) => `${oneLine(k)}=${oneLine(v)}`).join(', ');
  throw new TaskError(`Job '${oneLine(job.names.join('/'))}' has no ${DESCRIBED[choice]} build with ${list} among its last 100 builds`);
}

function parametersOf(b: BuildJson): Map<string, string> {
  const out = new Map<string, string>();
  for (const action of b.actions ?? []) {
    for (const p of action?.parameters ?? []) {
      if (p.name !== undefined && p.value !== undefined && p.value !== null) out.set(p.name, typeof p.value === 'string' ? p.value : JSON.stringify(p.value));
    }
  }
  return out;
}

function toBuild(job: ResolvedJob, json: BuildJson): JenkinsBuild {
  if (typeof json.number !== 'number') throw new RemoteError(`Jenkins answered a build of '${oneLine(job.names.join('/'))}' without a build number`);
  const revisions = new Set<string>();
  for (const action of json.actions ?? []) {
    const sha = action?.lastBuiltRevision?.SHA1;
    if (sha && /^[0-9a-f]{7,64}$/i.test(sha)) revisions.add(sha);
  }
  const commits: Commit[] = [];
  for (const set of [json.changeSet, ...(json.changeSets ?? [])]) {
    for (const item of set?.items ?? []) {
      if (!item.commitId) continue;
      commits.push({ id: item.commitId, message: item.msg, author: item.author?.fullName, timestamp: item.timestamp, paths: item.affectedPaths });
    }
  }
  return {
    job,
    number: json.number,
    path: `${job.path}${json.number}/`,
    result: json.result ?? null,
    building: json.building === true,
    timestamp: json.timestamp,
    displayName: json.displayName,
    artifacts: (json.artifacts ?? []).filter((a): a is Artifact => typeof a.relativePath === 'string').map((a) => ({ relativePath: a.relativePath, fileName: a.fileName ?? '' })),
    fingerprints: (json.fingerprint ?? []).filter((f) => f.fileName && f.hash && /^[0-9a-f]{32}$/i.test(f.hash)).map((f) => ({ fileName: f.fileName!, md5: f.hash!.toLowerCase() })),
    parameters: parametersOf(json),
    revisions: [...revisions],
    commits,
  };
}

export type BuildVerdict = { result: 'Succeeded' | 'SucceededWithIssues'; warning?: string };

/** Jenkins' result against what the user accepts: FAILURE, ABORTED and NOT_BUILT fail unless allowed. */
export function judgeBuild(build: JenkinsBuild, unstable: UnstableResult, allowFailedBuild: boolean): BuildVerdict {
  const name = `${oneLine(build.job.names.join('/'))} #${build.number}`;
  if (build.building) throw new TaskError(`Build ${name} is still running; Jenkins archives artifacts when a build ends. Choose a finished build or LastCompletedBuild`);
  switch (build.result) {
    case 'SUCCESS':
      return { result: 'Succeeded' };
    case 'UNSTABLE':
      if (unstable === 'Failed') throw new TaskError(`Build ${name} is UNSTABLE and unstableBuildResult is Failed`);
      return unstable === 'Succeeded' ? { result: 'Succeeded' } : { result: 'SucceededWithIssues', warning: `Build ${name} is UNSTABLE; its artifacts were downloaded` };
    case 'FAILURE':
    case 'ABORTED':
    case 'NOT_BUILT':
      if (!allowFailedBuild) throw new TaskError(`Build ${name} ended ${build.result}; set allowFailedBuild to download its artifacts anyway`);
      return { result: 'SucceededWithIssues', warning: `Build ${name} ended ${build.result}; its artifacts were downloaded because allowFailedBuild is set` };
    default:
      throw new TaskError(`Build ${name} has no result Jenkins reports (${oneLine(String(build.result))})`);
  }
}
