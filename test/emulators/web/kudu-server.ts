/**
 * Kudu (the SCM site) of one app or slot, on its own HTTPS port: `/api/zipdeploy` and
 * `/api/publish` (OneDeploy), asynchronous with a Location to poll, deployments that go
 * Pending → Building → Deploying → Success/Failed over time, 409 while one is running, the
 * deployment log, and basic or bearer authentication as the app's SCM policy allows.
 */
import * as crypto from 'crypto';
import { ZipFile } from '../../../scripts/zip-reader';
import { nowSeconds } from '../jwt';
import { EmulatorServer, Reply, RequestContext, TlsMaterial } from '../server';
import { sameAudience, TokenRegistry } from '../tokens';
import type { SlotState } from './state';

export const DeployStatus = { Pending: 0, Building: 1, Deploying: 2, Failed: 3, Success: 4 } as const;

export interface KuduDeploymentRecord {
  id: string;
  /** zipdeploy or publish */
  api: 'zipdeploy' | 'publish';
  /** OneDeploy `type` (zip, jar, war); zip for zipdeploy. */
  type: string;
  runFromPackage: boolean;
  clean: boolean;
  auth: 'basic' | 'bearer';
  bytes: number;
  sha256: string;
  /** Entry names when the package is a zip. */
  files: string[];
  /** `version.txt` of the package, when it has one. */
  version?: string;
  received: number;
  done: number;
  outcome: 'Success' | 'Failed';
  statusText?: string;
  log: string[];
}

export interface FailureSpec {
  statusText?: string;
  /** Lines of the deployment log (details of the failing entry). */
  log?: string[];
}

const CONFLICT_TEXT = 'There is a deployment currently in progress. Please try again when it completes.';

export class KuduServer extends EmulatorServer {
  readonly deployments: KuduDeploymentRecord[] = [];
  /** Time from upload to a terminal state. */
  buildMs = 40;
  private readonly failures: FailureSpec[] = [];
  private busyUploads = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    tls: TlsMaterial,
    private readonly tokens: TokenRegistry,
    private readonly audiences: () => string[],
    readonly slot: SlotState,
  ) {
    super(tls);
  }

  /** https://127.0.0.1:<port> — the SCM host name ARM reports is `127.0.0.1:<port>`. */
  get hostName(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The next deployment ends Failed, with these log lines. */
  failNext(spec: FailureSpec = {}): void {
    this.failures.push(spec);
  }

  /** Another deployment (someone else's) is running: the next `uploads` uploads get 409. */
  occupy(uploads: number): void {
    this.busyUploads = uploads;
  }

  override async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await super.close();
  }

  protected handle(ctx: RequestContext): Reply {
    const auth = this.authenticate(ctx);
    if (typeof auth !== 'string') return auth;
    const p = ctx.path.replace(/\/+$/, '').toLowerCase();
    if (ctx.method === 'POST' && (p === '/api/zipdeploy' || p === '/api/publish')) return this.upload(ctx, p === '/api/zipdeploy' ? 'zipdeploy' : 'publish', auth);
    if (ctx.method === 'GET' && p === '/api/deployments/latest') {
      const latest = this.deployments[this.deployments.length - 1];
      if (!latest) return { status: 404, body: { Message: 'No deployment found.' } };
      const body = this.info(latest);
      return { status: body.complete ? 200 : 202, body };
    }
    const one = /^\/api\/deployments\/([^/]+)(\/log(?:\/([^/]+))?)?$/.exec(p);
    if (ctx.method === 'GET' && one) {
      const d = this.deployments.find((x) => x.id === one[1]);
      if (!d) return { status: 404, body: { Message: `Deployment '${one[1]}' not found.` } };
      if (!one[2]) return { status: 200, body: this.info(d) };
      return { status: 200, body: one[3] ? this.logDetails(d, one[3]) : this.logEntries(d) };
    }
    return { status: 404, body: { Message: `No route for ${ctx.method} ${ctx.path}` } };
  }

  private authenticate(ctx: RequestContext): 'basic' | 'bearer' | Reply {
    const header = ctx.headers.authorization ?? '';
    const deny: Reply = { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="site"' }, body: { Message: 'Unauthorized' } };
    const basic = /^Basic\s+(\S+)$/i.exec(header);
    if (basic) {
      if (!this.slot.scmBasicAuth) return deny;
      const [user, ...rest] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      return user === this.slot.publishingUserName && rest.join(':') === this.slot.publishingPassword ? 'basic' : deny;
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(header);
    if (bearer) {
      const token = this.tokens.lookup(bearer[1]);
      if (token && token.expiresOn > nowSeconds() && this.audiences().some((a) => sameAudience(a, token.audience))) return 'bearer';
    }
    return deny;
  }

  private upload(ctx: RequestContext, api: 'zipdeploy' | 'publish', auth: 'basic' | 'bearer'): Reply {
    const now = Date.now();
    const active = this.deployments.some((d) => d.done > now);
    if (active || this.busyUploads > 0) {
      if (!active) this.busyUploads--;
      return { status: 409, raw: CONFLICT_TEXT, headers: { 'Content-Type': 'text/plain' } };
    }
    const type = api === 'zipdeploy' ? 'zip' : (ctx.query.get('type') ?? '').toLowerCase();
    if (!['zip', 'jar', 'war'].includes(type)) {
      return { status: 400, body: { Message: `The 'type' query parameter is required and must be one of zip, jar, war (got '${type}').` } };
    }
    let zip: ZipFile;
    try {
      zip = new ZipFile(`upload.${type}`, ctx.body);
    } catch (err) {
      return { status: 400, body: { Message: `The package is not a valid ${type} archive: ${(err as Error).message}` } };
    }
    const asyncFlag = api === 'zipdeploy' ? ctx.query.get('isAsync') : ctx.query.get('async');
    const failure = this.failures.shift();
    const id = crypto.randomUUID().replace(/-/g, '');
    const record: KuduDeploymentRecord = {
      id,
      api,
      type,
      runFromPackage: api === 'zipdeploy' && this.slot.appSettings.WEBSITE_RUN_FROM_PACKAGE === '1',
      clean: ctx.query.get('clean') === 'true',
      auth,
      bytes: ctx.body.length,
      sha256: crypto.createHash('sha256').update(ctx.body).digest('hex'),
      files: zip.names(),
      version: zip.has('version.txt') ? zip.readText('version.txt').trim() : undefined,
      received: now,
      done: now + this.buildMs,
      outcome: failure ? 'Failed' : 'Success',
      statusText: failure ? (failure.statusText ?? 'Deployment failed.') : undefined,
      log: failure?.log ?? [],
    };
    this.deployments.push(record);
    const finish = setTimeout(() => {
      this.timers.delete(finish);
      if (record.outcome === 'Success') this.slot.content = { deploymentId: id, version: record.version, files: record.files, sha256: record.sha256, runFromPackage: record.runFromPackage };
    }, this.buildMs);
    finish.unref();
    this.timers.add(finish);
    if (asyncFlag !== 'true') {
      // Synchronous uploads are not what the task sends; answer as Kudu would once done.
      return { status: 200, body: {} };
    }
    return { status: 202, headers: { Location: `https://${this.hostName}/api/deployments/latest?deployer=${api === 'zipdeploy' ? 'ZipDeploy' : 'OneDeploy'}&time=${new Date(now).toISOString()}` }, body: {} };
  }

  private status(d: KuduDeploymentRecord): number {
    const elapsed = Date.now() - d.received;
    const span = Math.max(1, d.done - d.received);
    if (elapsed >= span) return d.outcome === 'Success' ? DeployStatus.Success : DeployStatus.Failed;
    if (elapsed < span * 0.2) return DeployStatus.Pending;
    return elapsed < span * 0.6 ? DeployStatus.Building : DeployStatus.Deploying;
  }

  private info(d: KuduDeploymentRecord): Record<string, unknown> {
    const status = this.status(d);
    const complete = status === DeployStatus.Success || status === DeployStatus.Failed;
    const base = `https://${this.hostName}/api/deployments/${d.id}`;
    return {
      id: d.id,
      status,
      status_text: complete ? (d.statusText ?? '') : ['Receiving changes.', 'Building and Deploying.', 'Deploying.'][status] ?? '',
      author: 'N/A',
      deployer: d.api === 'zipdeploy' ? 'ZipDeploy' : 'OneDeploy',
      message: 'Created via a push deployment',
      progress: '',
      received_time: new Date(d.received).toISOString(),
      start_time: new Date(d.received).toISOString(),
      end_time: complete ? new Date(d.done).toISOString() : null,
      complete,
      active: complete && d.outcome === 'Success',
      is_temp: false,
      is_readonly: true,
      url: base,
      log_url: `${base}/log`,
      site_name: this.slot.site.name,
    };
  }

  private logEntries(d: KuduDeploymentRecord): unknown[] {
    const base = `https://${this.hostName}/api/deployments/${d.id}/log`;
    const entries: unknown[] = [{ log_time: new Date(d.received).toISOString(), id: 'e1', message: 'Received deployment package.', type: 0, details_url: null }];
    if (d.outcome === 'Failed') {
      entries.push({ log_time: new Date(d.done).toISOString(), id: 'e2', message: d.statusText ?? 'Deployment failed.', type: 2, details_url: `${base}/e2` });
    } else {
      entries.push({ log_time: new Date(d.done).toISOString(), id: 'e2', message: 'Deployment successful.', type: 0, details_url: null });
    }
    return entries;
  }

  private logDetails(d: KuduDeploymentRecord, entryId: string): unknown[] {
    if (entryId !== 'e2') return [];
    return d.log.map((message, i) => ({ log_time: new Date(d.done).toISOString(), id: `e2-${i}`, message, type: 2, details_url: null }));
  }
}

/** What an app or slot serves on its own host: any path answers with its health status and version. */
export class AppServer extends EmulatorServer {
  constructor(
    tls: TlsMaterial,
    readonly slot: SlotState,
    private readonly health: (slot: SlotState, path: string) => number,
  ) {
    super(tls);
  }

  get hostName(): string {
    return `127.0.0.1:${this.port}`;
  }

  protected handle(ctx: RequestContext): Reply {
    const status = this.health(this.slot, ctx.path);
    return { status, body: { app: this.slot.site.name, slot: this.slot.name, version: this.slot.content?.version ?? null, preview: this.slot.inPreview } };
  }
}
