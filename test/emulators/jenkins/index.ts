/**
 * A Jenkins remote API emulator (tests only): folders, multibranch projects whose branch jobs are
 * named by branch-api's NameEncoder, builds with results, parameters, git data and change sets,
 * the permalinks with Jenkins' meanings, artifacts of any size generated deterministically
 * (Content-Length, Accept-Ranges, single-range 206 as stapler serves them), `*zip*` archives
 * streamed without a length, MD5 fingerprints, a crumb issuer bound to the HTTP session, Basic
 * authentication with API tokens or passwords, and transfer faults (drop after N bytes, slow).
 *
 * Shapes follow jenkinsci/jenkins (hudson.model.Api, Run, Job, PeepholePermalink, CrumbIssuer,
 * DirectoryBrowserSupport) and jenkinsci/stapler (serveStaticResource, NamedPathPruner).
 */
import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import type * as http from 'node:http';
import { EmulatorServer, type Reply, type RequestContext, type TlsMaterial } from '../server';
import { pathMatches } from '../faults';
import { parseTree, prune, shallow, TreeSyntaxError, type Lazy, type TreeNode } from './tree';
import { zipChunks, type ZipEntry } from './zip-writer';

export type { ZipEntry } from './zip-writer';

export type Result = 'SUCCESS' | 'UNSTABLE' | 'FAILURE' | 'ABORTED' | 'NOT_BUILT';

export interface ArtifactSpec {
  path: string;
  /** Generated content of this many bytes (deterministic from the path and build). */
  size?: number;
  content?: Buffer | string;
}

export interface CommitSpec {
  id: string;
  msg?: string;
  author?: string;
  paths?: string[];
}

export interface BuildSpec {
  number?: number;
  result?: Result | null;
  building?: boolean;
  timestamp?: number;
  parameters?: Record<string, string>;
  artifacts?: ArtifactSpec[];
  /** Record MD5 fingerprints for the artifacts (archiveArtifacts fingerprint: true). Default true. */
  fingerprints?: boolean;
  /** Fingerprints to record instead of the true ones (a server whose record disagrees with the bytes). */
  fingerprintOverride?: Array<{ fileName: string; hash: string }>;
  revision?: string;
  commits?: CommitSpec[];
  /** Entries of the `*zip*` archive instead of the artifacts (a hostile archive). */
  archive?: ZipEntry[];
}

/** A transfer fault on artifact and archive bodies. */
export interface TransferFault {
  path?: RegExp | string;
  /** Close the connection once this many body bytes of one response have been sent. */
  dropAfterBytes?: number;
  /** Close once this fraction of the artifact's length has been sent (0..1). */
  dropAtFraction?: number;
  /** Throttle the body to this rate. */
  bytesPerSecond?: number;
  times: number;
}

export interface TransferRecord {
  path: string;
  range?: string;
  status: number;
  /** Body bytes written to the socket. */
  bytesSent: number;
  dropped: boolean;
}

const PATTERN_MAX = 1024 * 1024;
const CHUNK = 256 * 1024;

export class Artifact {
  private pattern?: Buffer;
  private md5Value?: string;
  readonly size: number;

  constructor(
    readonly relativePath: string,
    private readonly seed: string,
    size: number | undefined,
    private readonly content?: Buffer,
  ) {
    this.size = content ? content.length : (size ?? 0);
  }

  get fileName(): string {
    return this.relativePath.slice(this.relativePath.lastIndexOf('/') + 1);
  }

  /** The bytes repeat with a period of at most 1 MiB: any size costs no memory. */
  private bytes(): Buffer {
    if (this.content) return this.content;
    if (!this.pattern) {
      const key = createHash('sha256').update(this.seed).digest().subarray(0, 16);
      this.pattern = createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(Math.min(this.size, PATTERN_MAX)));
    }
    return this.pattern;
  }

  /** Up to `max` bytes from `offset`. */
  slice(offset: number, max: number): Buffer {
    const p = this.bytes();
    if (p.length === 0) return p;
    const at = offset % p.length;
    return p.subarray(at, Math.min(p.length, at + max));
  }

  all(): Buffer {
    const out = Buffer.alloc(this.size);
    for (let o = 0; o < this.size; ) o += this.slice(o, this.size - o).copy(out, o);
    return out;
  }

  get md5(): string {
    if (this.md5Value === undefined) {
      const h = createHash('md5');
      for (let o = 0; o < this.size; ) {
        const s = this.slice(o, Math.min(CHUNK * 16, this.size - o));
        h.update(s);
        o += s.length;
      }
      this.md5Value = h.digest('hex');
    }
    return this.md5Value;
  }
}

export class Build {
  readonly number: number;
  result: Result | null;
  building: boolean;
  readonly timestamp: number;
  readonly parameters: Record<string, string>;
  readonly artifacts: Artifact[];
  readonly spec: BuildSpec;

  constructor(
    readonly job: Job,
    spec: BuildSpec,
    number: number,
  ) {
    this.spec = spec;
    this.number = number;
    this.building = spec.building ?? false;
    this.result = this.building ? null : spec.result === undefined ? 'SUCCESS' : spec.result;
    this.timestamp = spec.timestamp ?? 1_700_000_000_000 + number * 60_000;
    this.parameters = spec.parameters ?? {};
    this.artifacts = (spec.artifacts ?? []).map(
      (a) => new Artifact(a.path, `${job.fullName}#${number}/${a.path}`, a.size, a.content === undefined ? undefined : Buffer.from(a.content)),
    );
  }

  get urlPath(): string {
    return `${this.job.urlPath}${this.number}/`;
  }
}

abstract class Item {
  parent?: Folder;
  abstract readonly className: string;
  constructor(readonly name: string) {}

  get fullName(): string {
    return this.parent && this.parent.parent ? `${this.parent.fullName}/${this.name}` : this.name;
  }

  /** `job/a/job/b/`: each name encoded once more, as Stapler expects. */
  get urlPath(): string {
    return `${this.parent && this.parent.parent ? this.parent.urlPath : ''}job/${encodeURIComponent(this.name)}/`;
  }
}

export class Folder extends Item {
  readonly children = new Map<string, Item>();
  readonly className: string = 'com.cloudbees.hudson.plugins.folder.Folder';

  add<T extends Item>(item: T): T {
    if (this.children.has(item.name)) throw new Error(`emulator: '${item.name}' already exists in '${this.fullName}'`);
    item.parent = this;
    this.children.set(item.name, item);
    return item;
  }
}

/** branch-api's NameEncoder: the branch `feature/x` becomes the job `feature%2Fx`. */
export function encodeBranch(branch: string): string {
  if (branch === '') return '%00';
  if (branch === '.') return '%2E';
  if (branch === '..') return '%2E.';
  return branch.replace(/[#%/?[\]\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export class MultiBranchProject extends Folder {
  override readonly className = 'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject';

  addBranch(branch: string): Job {
    return this.add(new Job(encodeBranch(branch), 'pipeline'));
  }
}

export class Job extends Item {
  readonly builds: Build[] = [];

  constructor(
    name: string,
    readonly kind: 'freestyle' | 'pipeline' = 'freestyle',
  ) {
    super(name);
  }

  get className(): string {
    return this.kind === 'pipeline' ? 'org.jenkinsci.plugins.workflow.job.WorkflowJob' : 'hudson.model.FreeStyleProject';
  }

  addBuild(spec: BuildSpec = {}): Build {
    const number = spec.number ?? (this.builds[0]?.number ?? 0) + 1;
    const build = new Build(this, spec, number);
    this.builds.push(build);
    this.builds.sort((a, b) => b.number - a.number);
    return build;
  }

  /** PeepholePermalink: lastSuccessful = SUCCESS or UNSTABLE; lastStable = SUCCESS; lastCompleted = any finished. */
  permalink(name: string): Build | undefined {
    const done = (b: Build) => !b.building;
    const rules: Record<string, (b: Build) => boolean> = {
      lastBuild: () => true,
      lastCompletedBuild: done,
      lastSuccessfulBuild: (b) => done(b) && (b.result === 'SUCCESS' || b.result === 'UNSTABLE'),
      lastStableBuild: (b) => done(b) && b.result === 'SUCCESS',
      lastUnstableBuild: (b) => done(b) && b.result === 'UNSTABLE',
      lastFailedBuild: (b) => done(b) && b.result === 'FAILURE',
      lastUnsuccessfulBuild: (b) => done(b) && b.result !== 'SUCCESS',
    };
    const rule = rules[name];
    return rule ? this.builds.find(rule) : undefined;
  }
}

interface User {
  token?: string;
  password?: string;
}

interface Session {
  id: string;
  user: string;
}

type Principal = { user: string; via: 'token' | 'password' | 'session' };

/** Fields a request sees only when its tree names them (Exported visibility -1). */
const HIDDEN = new Set(['fingerprint', 'allBuilds']);
const PERMALINKS = ['lastBuild', 'lastCompletedBuild', 'lastFailedBuild', 'lastStableBuild', 'lastSuccessfulBuild', 'lastUnstableBuild', 'lastUnsuccessfulBuild'];
const SESSION_COOKIE = 'JSESSIONID.7c1a2f3e';

export interface JenkinsEmulatorOptions {
  /** Where Jenkins is mounted behind its reverse proxy, e.g. `/jenkins`; '' for the root. */
  contextPath?: string;
  /**
   * The root URL Jenkins believes it has (Manage Jenkins > System), used in every `url` field. Often
   * not what an agent reaches; defaults to the real one.
   */
  rootUrl?: string;
}

export class JenkinsEmulator extends EmulatorServer {
  readonly root = new Folder('');
  readonly transfers: TransferRecord[] = [];
  readonly transferFaults: Array<TransferFault & { hits: number }> = [];
  readonly sessions = new Map<string, Session>();
  private readonly users = new Map<string, User>();
  private readonly crumbSecret = randomBytes(16).toString('hex');
  readonly contextPath: string;
  private readonly configuredRootUrl?: string;
  /** Answer every artifact in full, ignoring Range (as some reverse proxies do). */
  ignoreRange = false;

  constructor(tls: TlsMaterial, options: JenkinsEmulatorOptions = {}) {
    super(tls);
    this.contextPath = (options.contextPath ?? '').replace(/\/+$/, '');
    this.configuredRootUrl = options.rootUrl;
    // Jetty keeps idle connections 30 s; clients reuse them (close() still ends every socket).
    this.keepAliveTimeoutMs = 30_000;
  }

  /** What a service connection's URL would be: the server, its context path, a trailing slash. */
  get jenkinsUrl(): string {
    return `${this.url}${this.contextPath}/`;
  }

  private get rootUrl(): string {
    return this.configuredRootUrl ?? this.jenkinsUrl;
  }

  addUser(name: string, credentials: User): void {
    this.users.set(name, credentials);
  }

  private itemAt(path: string): Folder {
    let cur: Folder = this.root;
    for (const name of path.split('/').filter(Boolean)) {
      let next = cur.children.get(name);
      if (!next) next = cur.add(new Folder(name));
      if (!(next instanceof Folder)) throw new Error(`emulator: '${name}' is not a folder`);
      cur = next;
    }
    return cur;
  }

  /** `a/b/job`: folders created as needed. */
  addJob(path: string, kind: 'freestyle' | 'pipeline' = 'freestyle'): Job {
    const at = path.lastIndexOf('/');
    return this.itemAt(at < 0 ? '' : path.slice(0, at)).add(new Job(path.slice(at + 1), kind));
  }

  addMultibranch(path: string): MultiBranchProject {
    const at = path.lastIndexOf('/');
    return this.itemAt(at < 0 ? '' : path.slice(0, at)).add(new MultiBranchProject(path.slice(at + 1)));
  }

  addTransferFault(fault: TransferFault): void {
    this.transferFaults.push({ ...fault, hits: 0 });
  }

  /** Body bytes sent for paths matching, over every response. */
  bytesSent(path?: RegExp | string): number {
    return this.transfers.filter((t) => path === undefined || pathMatches(path, t.path)).reduce((n, t) => n + t.bytesSent, 0);
  }

  protected override faultBody(status: number): unknown {
    return { status, message: `Injected fault: HTTP ${status}` };
  }

  protected handle(ctx: RequestContext): Reply {
    return keepAlive(this.route(ctx));
  }

  private route(ctx: RequestContext): Reply {
    const prefix = `${this.contextPath}/`;
    if (!ctx.path.startsWith(prefix) && ctx.path !== this.contextPath) return html(404, 'Not Found');
    const principal = this.authenticate(ctx);
    if ('status' in principal) return principal;
    const headers = { 'X-Jenkins': '2.479.3', 'X-Jenkins-Session': 'a1b2c3d4' };

    const raw = ctx.url.pathname.slice(prefix.length).split('/');
    let segments: string[];
    try {
      segments = raw.map((s) => decodeURIComponent(s));
    } catch {
      return html(400, 'Bad Request');
    }
    while (segments.length && segments[segments.length - 1] === '') segments.pop();

    let cur: Item = this.root;
    let i = 0;
    while (i < segments.length && (segments[i] === 'job' || segments[i] === 'view')) {
      if (segments[i] === 'view') {
        i += 2;
        continue;
      }
      const next = cur instanceof Folder ? cur.children.get(segments[i + 1] ?? '') : undefined;
      if (!next) return html(404, 'Not Found');
      cur = next;
      i += 2;
    }
    const rest = segments.slice(i);

    if (cur === this.root && rest[0] === 'crumbIssuer') return this.crumb(ctx, principal, rest.slice(1), headers);
    if (ctx.method === 'POST') return this.post(ctx, principal, cur, rest);
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return html(405, 'Method Not Allowed');

    if (isApi(rest)) return this.api(ctx, this.itemJson(cur), headers);
    if (cur instanceof Job && rest.length > 0) {
      const build = /^\d+$/.test(rest[0]) ? cur.builds.find((b) => b.number === Number(rest[0])) : PERMALINKS.includes(rest[0]) ? cur.permalink(rest[0]) : undefined;
      if (!build) return html(404, 'Not Found');
      const sub = rest.slice(1);
      if (isApi(sub)) return this.api(ctx, this.buildJson(build), headers);
      if (sub[0] === 'artifact') return this.artifact(ctx, build, sub.slice(1));
    }
    return html(404, 'Not Found');
  }

  private authenticate(ctx: RequestContext): Principal | Reply {
    const header = ctx.headers.authorization;
    if (header) {
      const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header);
      const decoded = m ? Buffer.from(m[1], 'base64').toString('utf8') : '';
      const at = decoded.indexOf(':');
      if (at < 0) return html(401, 'Malformed HTTP basic Authorization header', { 'WWW-Authenticate': 'Basic realm="Jenkins"' });
      const name = decoded.slice(0, at);
      const secret = decoded.slice(at + 1);
      const user = this.users.get(name);
      if (user?.token !== undefined && secret === user.token) return { user: name, via: 'token' };
      if (user?.password !== undefined && secret === user.password) return { user: name, via: 'password' };
      return html(401, `Invalid password/token for user: ${name}`, { 'WWW-Authenticate': 'Basic realm="Jenkins"' });
    }
    const session = this.sessionOf(ctx);
    if (session) return { user: session.user, via: 'session' };
    // Jenkins does not challenge: an anonymous request without Overall/Read is forbidden.
    return html(403, 'Authentication required', { 'X-You-Are-Authenticated-As': 'anonymous', 'X-Required-Permission': 'hudson.model.Hudson.Read' });
  }

  private sessionOf(ctx: RequestContext): Session | undefined {
    const cookie = ctx.headers.cookie ?? '';
    const m = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE.replace('.', '\\.')}=([^;]+)`).exec(cookie);
    return m ? this.sessions.get(m[1]) : undefined;
  }

  private crumbFor(user: string, sessionId: string): string {
    return createHmac('sha256', this.crumbSecret).update(`${user}:${sessionId}`).digest('hex');
  }

  /** DefaultCrumbIssuer: the crumb hashes the user and the HTTP session, which it creates when missing. */
  private crumb(ctx: RequestContext, principal: Principal, rest: string[], headers: Record<string, string>): Reply {
    if (!isApi(rest)) return html(404, 'Not Found');
    let session = this.sessionOf(ctx);
    const extra: Record<string, string | string[]> = { ...headers };
    if (!session || session.user !== principal.user) {
      session = { id: randomBytes(12).toString('hex'), user: principal.user };
      this.sessions.set(session.id, session);
      extra['Set-Cookie'] = `${SESSION_COOKIE}=${session.id}; Path=${this.contextPath || '/'}; Secure; HttpOnly`;
    }
    const body = { _class: 'hudson.security.csrf.DefaultCrumbIssuer', crumb: this.crumbFor(principal.user, session.id), crumbRequestField: 'Jenkins-Crumb' };
    return this.api(ctx, body, extra);
  }

  /** `job/…/build`: a POST needs the session's crumb unless an API token authenticated it (ApiCrumbExclusion). */
  private post(ctx: RequestContext, principal: Principal, item: Item, rest: string[]): Reply {
    if (principal.via !== 'token') {
      const session = this.sessionOf(ctx);
      const sent = ctx.headers['jenkins-crumb'];
      if (!session || typeof sent !== 'string' || sent !== this.crumbFor(principal.user, session.id)) {
        return html(403, 'No valid crumb was included in the request');
      }
    }
    if (item instanceof Job && rest.length === 1 && rest[0] === 'build') {
      return { status: 201, headers: { Location: `${this.rootUrl}queue/item/${item.builds.length + 1}/` }, raw: '' };
    }
    return html(405, 'Method Not Allowed');
  }

  private api(ctx: RequestContext, model: Record<string, unknown>, headers: Record<string, string | string[]>): Reply {
    const treeText = ctx.query.get('tree');
    let tree: TreeNode | undefined;
    if (treeText !== null) {
      try {
        tree = parseTree(treeText);
      } catch (err) {
        if (err instanceof TreeSyntaxError) return html(400, err.message);
        throw err;
      }
    }
    const body = tree ? prune(model, tree, HIDDEN) : shallow(model, HIDDEN);
    return { status: 200, body, headers: { ...headers, 'Content-Type': 'application/json;charset=utf-8' } };
  }

  private itemJson(item: Item): Record<string, unknown> {
    const url = `${this.rootUrl}${item === this.root ? '' : item.urlPath}`;
    const base = { _class: item === this.root ? 'hudson.model.Hudson' : item.className, name: item.name, fullName: item.fullName, displayName: item.name, url };
    if (item instanceof Folder) {
      return { ...base, jobs: () => [...item.children.values()].map((c) => this.itemJson(c)), ...(item === this.root ? { mode: 'NORMAL', useCrumbs: true } : {}) };
    }
    const job = item as Job;
    const ref = (b: Build | undefined) => (b ? () => this.buildJson(b) : null);
    const links: Record<string, Lazy<unknown>> = {};
    for (const p of PERMALINKS) links[p] = ref(job.permalink(p));
    return {
      ...base,
      buildable: true,
      builds: () => job.builds.slice(0, 100).map((b) => this.buildJson(b)),
      allBuilds: () => job.builds.map((b) => this.buildJson(b)),
      firstBuild: ref(job.builds[job.builds.length - 1]),
      ...links,
      nextBuildNumber: (job.builds[0]?.number ?? 0) + 1,
      inQueue: false,
    };
  }

  private buildJson(b: Build): Record<string, unknown> {
    const pipeline = b.job.kind === 'pipeline';
    const actions: unknown[] = [];
    if (Object.keys(b.parameters).length) {
      actions.push({ _class: 'hudson.model.ParametersAction', parameters: Object.entries(b.parameters).map(([name, value]) => ({ _class: 'hudson.model.StringParameterValue', name, value })) });
    }
    actions.push({ _class: 'hudson.model.CauseAction', causes: [{ _class: 'hudson.model.Cause$UserIdCause', shortDescription: 'Started by user admin' }] });
    if (b.spec.revision) {
      actions.push({ _class: 'hudson.plugins.git.util.BuildData', lastBuiltRevision: { SHA1: b.spec.revision, branch: [{ SHA1: b.spec.revision, name: 'refs/remotes/origin/main' }] }, remoteUrls: ['https://git.corp/app.git'], scmName: '' });
    }
    actions.push({});
    const changeSet = {
      _class: 'hudson.plugins.git.GitChangeSetList',
      kind: 'git',
      items: (b.spec.commits ?? []).map((c) => ({
        _class: 'hudson.plugins.git.GitChangeSet',
        affectedPaths: c.paths ?? [],
        commitId: c.id,
        timestamp: b.timestamp - 1000,
        author: { absoluteUrl: `${this.rootUrl}user/${encodeURIComponent(c.author ?? 'dev')}`, fullName: c.author ?? 'dev' },
        msg: c.msg ?? '',
        id: c.id,
      })),
    };
    const fingerprint = () => {
      if (b.spec.fingerprintOverride) return b.spec.fingerprintOverride.map((f) => ({ _class: 'hudson.model.Fingerprint', ...f }));
      if (b.spec.fingerprints === false) return [];
      return b.artifacts.map((a) => ({ _class: 'hudson.model.Fingerprint', fileName: a.fileName, hash: a.md5, original: { name: b.job.fullName, number: b.number }, timestamp: b.timestamp, usage: [] }));
    };
    return {
      _class: pipeline ? 'org.jenkinsci.plugins.workflow.job.WorkflowRun' : 'hudson.model.FreeStyleBuild',
      actions,
      // Run.getArtifacts: displayPath is only worked out for small lists (ArtifactList.listCutoff = 20).
      artifacts: () => b.artifacts.map((a) => ({ displayPath: b.artifacts.length <= 20 ? a.fileName : null, fileName: a.fileName, relativePath: a.relativePath })),
      building: b.building,
      description: null,
      displayName: `#${b.number}`,
      duration: b.building ? 0 : 42_000,
      fullDisplayName: `${b.job.fullName} #${b.number}`,
      id: String(b.number),
      number: b.number,
      result: b.result,
      timestamp: b.timestamp,
      url: `${this.rootUrl}${b.urlPath}`,
      ...(pipeline ? { changeSets: b.spec.commits ? [changeSet] : [] } : { changeSet }),
      fingerprint,
    };
  }

  private artifact(ctx: RequestContext, build: Build, parts: string[]): Reply {
    const zipAt = parts.indexOf('*zip*');
    if (zipAt >= 0) return this.zip(ctx, build, parts.slice(0, zipAt).join('/'));
    const rel = parts.join('/');
    const artifact = build.artifacts.find((a) => a.relativePath === rel);
    if (!artifact) return html(404, 'Not Found');
    const size = artifact.size;
    const headers: Record<string, string> = {
      'Content-Type': 'application/octet-stream',
      'Accept-Ranges': 'bytes',
      'Last-Modified': new Date(build.timestamp).toUTCString(),
    };
    // stapler serveStaticResource: one range `bytes=N-M` or `bytes=N-`; anything else gets the whole file.
    const range = this.ignoreRange ? null : /^bytes=(\d+)-(\d*)$/.exec(ctx.headers.range ?? '');
    let start = 0;
    let end = size;
    let status = 200;
    if (range) {
      start = Number(range[1]);
      end = range[2] === '' ? size : Math.min(size, Number(range[2]) + 1);
      if (start >= size || end <= start) return { status: 416, headers: { 'Content-Range': `bytes */${size}` }, raw: '' };
      status = 206;
      headers['Content-Range'] = `bytes ${start}-${end - 1}/${size}`;
    }
    headers['Content-Length'] = String(end - start);
    const record: TransferRecord = { path: ctx.path, range: ctx.headers.range, status, bytesSent: 0, dropped: false };
    this.transfers.push(record);
    if (ctx.method === 'HEAD') return { status, headers, stream: async (res) => void res.end() };
    const fault = this.takeTransferFault(ctx.path);
    const dropAfter = fault?.dropAfterBytes ?? (fault?.dropAtFraction !== undefined ? Math.max(0, Math.floor(size * fault.dropAtFraction) - start) : undefined);
    return {
      status,
      headers,
      stream: (res) => pump(res, record, end - start, (offset, max) => artifact.slice(start + offset, max), dropAfter, fault?.bytesPerSecond),
    };
  }

  /** DirectoryBrowserSupport: `*zip*` streams a zip of the folder, entries under its name (`archive/…`), with no length. */
  private zip(ctx: RequestContext, build: Build, dir: string): Reply {
    const prefix = dir ? `${dir}/` : '';
    const selected = build.artifacts.filter((a) => a.relativePath.startsWith(prefix));
    if (selected.length === 0 && !build.spec.archive) return html(404, 'Not Found');
    const top = dir ? dir.slice(dir.lastIndexOf('/') + 1) : 'archive';
    let entries: ZipEntry[];
    if (build.spec.archive) {
      entries = build.spec.archive;
    } else {
      const folders = new Set<string>([`${top}/`]);
      for (const a of selected) {
        const parts = a.relativePath.slice(prefix.length).split('/');
        for (let i = 1; i < parts.length; i++) folders.add(`${top}/${parts.slice(0, i).join('/')}/`);
      }
      entries = [
        ...[...folders].sort().map((name) => ({ name, directory: true })),
        ...selected.map((a) => ({ name: `${top}/${a.relativePath.slice(prefix.length)}`, data: a.all() })),
      ];
    }
    const record: TransferRecord = { path: ctx.path, status: 200, bytesSent: 0, dropped: false };
    this.transfers.push(record);
    const fault = this.takeTransferFault(ctx.path);
    const body = Buffer.concat([...zipChunks(entries)]);
    const dropAfter = fault?.dropAfterBytes ?? (fault?.dropAtFraction !== undefined ? Math.floor(body.length * fault.dropAtFraction) : undefined);
    return {
      status: 200,
      headers: { 'Content-Type': 'application/zip', 'Content-Disposition': `attachment; filename="${top}.zip"` },
      stream: (res) => pump(res, record, body.length, (offset, max) => body.subarray(offset, offset + max), dropAfter, fault?.bytesPerSecond),
    };
  }

  private takeTransferFault(path: string): TransferFault | undefined {
    const fault = this.transferFaults.find((f) => f.hits < f.times && (f.path === undefined || pathMatches(f.path, path)));
    if (fault) fault.hits++;
    return fault;
  }
}

function isApi(rest: string[]): boolean {
  return rest.length === 2 && rest[0] === 'api' && rest[1] === 'json';
}

function html(status: number, message: string, headers: Record<string, string> = {}): Reply {
  return { status, raw: `<html><head><title>Error ${status}</title></head><body><h2>HTTP ERROR ${status} ${message}</h2></body></html>`, headers: { 'Content-Type': 'text/html;charset=utf-8', ...headers } };
}

/**
 * Jetty sends no Keep-Alive hint. Node's own (`timeout=1`, from the base server's 1 s idle timeout)
 * makes Node clients drop every connection after one response; an explicit Connection header
 * keeps Node from adding it.
 */
function keepAlive(reply: Reply): Reply {
  return { ...reply, headers: { Connection: 'keep-alive', ...(reply.headers ?? {}) } };
}

function drained(res: http.ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

/** Writes `length` body bytes with back-pressure; drops the connection after `dropAfter` bytes, flushed first. */
async function pump(res: http.ServerResponse, record: TransferRecord, length: number, read: (offset: number, max: number) => Buffer, dropAfter?: number, bytesPerSecond?: number): Promise<void> {
  const limit = dropAfter === undefined ? length : Math.min(length, dropAfter);
  let sent = 0;
  if (limit === 0 && length > 0) {
    // Dropped right after the answer: the headers reach the client, no byte of the body does.
    res.flushHeaders();
    await new Promise<void>((resolve) => res.socket?.write('', () => resolve()) ?? resolve());
  }
  while (sent < limit && !res.destroyed) {
    const chunk = read(sent, Math.min(CHUNK, limit - sent, bytesPerSecond ? Math.max(1, Math.floor(bytesPerSecond / 10)) : CHUNK));
    if (chunk.length === 0) throw new Error('emulator: artifact content ran out');
    sent += chunk.length;
    record.bytesSent += chunk.length;
    const flushed = new Promise<void>((resolve) => res.write(chunk, () => resolve()));
    if (sent === limit && dropAfter !== undefined && dropAfter < length) await flushed;
    else if (res.writableNeedDrain) await drained(res);
    if (bytesPerSecond) await new Promise((resolve) => setTimeout(resolve, (chunk.length / bytesPerSecond) * 1000));
  }
  if (res.destroyed) return;
  if (dropAfter !== undefined && dropAfter < length) {
    record.dropped = true;
    res.socket?.destroy();
    return;
  }
  res.end();
}

/** A Jenkins emulator on 127.0.0.1 with the per-process test CA (hand `getTestCa().caFile` to the agent as AGENT_CAINFO). */
export async function startJenkins(tls: TlsMaterial, options: JenkinsEmulatorOptions = {}): Promise<JenkinsEmulator> {
  return new JenkinsEmulator(tls, options).start();
}
