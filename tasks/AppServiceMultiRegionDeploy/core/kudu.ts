/**
 * Kudu's deployment API on an app's SCM host: an asynchronous upload (`/api/publish` for
 * OneDeploy, `/api/zipdeploy` for Zip Deploy and Run From Package), then the deployment status
 * polled with backoff under one overall deadline. A 409 "deployment in progress" is waited out.
 * On failure the deployment log is printed line by line, every line made safe.
 */
import type { AxiosResponse } from 'axios';
import { RemoteError } from '../../common/errors';
import type { Logger } from '../../common/log/logger';
import { oneLine } from '../../common/log/safe-text';
import type { AxiosInstance } from 'axios';
import type { Clock, PackageSource } from './ports';

/** Kudu's DeployStatus (projectkudu/kudu Kudu.Contracts/Deployment/DeployStatus.cs). */
export const DeployStatus = { Pending: 0, Building: 1, Deploying: 2, Failed: 3, Success: 4 } as const;

const STATUS_NAMES: Record<number, string> = { 0: 'Pending', 1: 'Building', 2: 'Deploying', 3: 'Failed', 4: 'Success' };

export type KuduMethod = 'oneDeploy' | 'zipDeploy';

export interface KuduDeployment {
  id?: string;
  status: number;
  statusText?: string;
  logUrl?: string;
}

export interface KuduOptions {
  http: AxiosInstance;
  /** https://<SCM host> without a trailing slash. */
  baseUrl: string;
  /** The Authorization header value, asked for on every request (a token may be renewed). */
  authorization: () => Promise<string>;
  log: Logger;
  clock: Clock;
  /** For messages: rg/app[/slot]. */
  label: string;
}

/** First poll soon (small packages finish fast), then every 800 ms for half a minute, then backing off to 5 s. */
const POLL_FIRST_MS = 400;
const POLL_STEADY_MS = 800;
const POLL_STEADY_FOR_MS = 30_000;
const POLL_MAX_MS = 5_000;
const CONFLICT_FIRST_MS = 2_000;
const CONFLICT_MAX_MS = 15_000;
const MAX_LOG_LINES = 400;
const MAX_LOG_DETAIL_FETCHES = 40;
/** A gateway error during the upload: Kudu never started; the upload is sent again this many times. */
const UPLOAD_GATEWAY_RETRIES = 2;

export class KuduClient {
  constructor(private readonly o: KuduOptions) {}

  /**
   * Uploads the package and waits until Kudu reports Success, failing with Kudu's own log when it
   * reports Failed, and with a clear timeout when `deadline` (epoch ms) passes first.
   */
  async deploy(method: KuduMethod, pkg: PackageSource, deadline: number): Promise<KuduDeployment> {
    const url = this.uploadUrl(method, pkg);
    let conflictWait = CONFLICT_FIRST_MS;
    let gatewayRetries = UPLOAD_GATEWAY_RETRIES;
    let announcedConflict = false;
    for (;;) {
      this.checkDeadline(deadline, 'waiting to upload the package');
      const response = await this.upload(url, pkg, deadline);
      if (response.status === 202 || response.status === 200) {
        const location = headerOf(response, 'location');
        if (response.status === 200 && !location) {
          return { status: DeployStatus.Success, statusText: 'completed synchronously' };
        }
        if (!location) throw new RemoteError(`Kudu of ${this.o.label} accepted the package but named no status URL (no Location header)`, response.status);
        return this.waitFor(this.sameOrigin(location, 'status URL'), deadline);
      }
      if (response.status === 409) {
        if (!announcedConflict) {
          this.o.log.info(`${this.o.label}: another deployment is in progress on Kudu; waiting for it to finish (${oneLine(kuduText(response.data))})`);
          announcedConflict = true;
        }
        await this.o.clock.sleep(Math.min(conflictWait, Math.max(0, deadline - this.o.clock.now())));
        conflictWait = Math.min(CONFLICT_MAX_MS, Math.round(conflictWait * 1.5));
        continue;
      }
      if ((response.status === 502 || response.status === 503) && gatewayRetries > 0) {
        gatewayRetries--;
        this.o.log.debug(`${this.o.label}: Kudu answered ${response.status} to the upload; sending it again`);
        await this.o.clock.sleep(conflictWait);
        continue;
      }
      throw this.failure('upload', response);
    }
  }

  private uploadUrl(method: KuduMethod, pkg: PackageSource): string {
    if (method === 'zipDeploy') return `${this.o.baseUrl}/api/zipdeploy?isAsync=true`;
    const type = pkg.kind === 'folder' ? 'zip' : pkg.kind;
    // clean=true: files the new package no longer has are removed, as a fresh deployment would.
    return `${this.o.baseUrl}/api/publish?type=${type}&async=true${type === 'zip' ? '&clean=true' : ''}`;
  }

  private async upload(url: string, pkg: PackageSource, deadline: number): Promise<AxiosResponse> {
    const body = pkg.open();
    try {
      return await this.o.http.post(url, body, {
        headers: {
          Authorization: await this.o.authorization(),
          'Content-Type': 'application/octet-stream',
          ...(pkg.size !== undefined ? { 'Content-Length': String(pkg.size) } : {}),
        },
        maxBodyLength: Infinity,
        maxContentLength: 10 * 1024 * 1024,
        maxRedirects: 0,
        timeout: Math.max(1, deadline - this.o.clock.now()),
        validateStatus: () => true,
      });
    } finally {
      // Kudu may answer (a 409) before reading everything; what the stream reports after that is moot.
      body.on('error', () => undefined);
      body.destroy();
    }
  }

  private async waitFor(statusUrl: string, deadline: number): Promise<KuduDeployment> {
    let wait = POLL_FIRST_MS;
    let lastStatus = -1;
    const since = this.o.clock.now();
    for (;;) {
      // A status poll is idempotent: the HTTP client retries a 5xx or 429 with backoff before it fails.
      const response = await this.o.http.get(statusUrl, {
        headers: { Authorization: await this.o.authorization(), Accept: 'application/json' },
        maxRedirects: 0,
      });
      if (response.status !== 200 && response.status !== 202) throw this.failure('status poll', response);
      const d = asRecord(response.data);
      const status = typeof d.status === 'number' ? d.status : -1;
      const deployment: KuduDeployment = {
        id: typeof d.id === 'string' ? d.id : undefined,
        status,
        statusText: typeof d.status_text === 'string' ? d.status_text : undefined,
        logUrl: typeof d.log_url === 'string' ? d.log_url : undefined,
      };
      if (status !== lastStatus) {
        this.o.log.info(`${this.o.label}: Kudu deployment ${oneLine(deployment.id ?? '')} ${STATUS_NAMES[status] ?? `status ${status}`}${deployment.statusText ? ` (${oneLine(deployment.statusText)})` : ''}`);
        lastStatus = status;
      }
      if (status === DeployStatus.Success) return deployment;
      if (status === DeployStatus.Failed) {
        await this.printLog(deployment);
        throw new RemoteError(`Kudu deployment ${oneLine(deployment.id ?? '')} to ${this.o.label} failed${deployment.statusText ? `: ${oneLine(deployment.statusText)}` : ''} (the deployment log is above)`);
      }
      if (this.o.clock.now() + wait > deadline) {
        throw new RemoteError(`Kudu deployment ${oneLine(deployment.id ?? '')} to ${this.o.label} did not finish in time (last status ${STATUS_NAMES[status] ?? status}); Kudu may still complete it. Raise deploymentTimeoutMinutes for slow builds.`);
      }
      await this.o.clock.sleep(wait);
      wait = this.o.clock.now() - since < POLL_STEADY_FOR_MS ? POLL_STEADY_MS : Math.min(POLL_MAX_MS, Math.round(wait * 1.5));
    }
  }

  /** Kudu's log of a failed deployment: entries, and the details of each entry that has some. */
  private async printLog(deployment: KuduDeployment): Promise<void> {
    if (!deployment.logUrl) return;
    let lines = 0;
    let fetches = 0;
    const print = (entry: Record<string, unknown>, indent: string) => {
      if (lines >= MAX_LOG_LINES) return;
      lines++;
      const time = typeof entry.log_time === 'string' ? `${oneLine(entry.log_time)} ` : '';
      this.o.log.info(`${indent}${time}${oneLine(typeof entry.message === 'string' ? entry.message : '')}`);
    };
    const entries = await this.readLog(deployment.logUrl);
    if (!entries) return;
    this.o.log.info(`${this.o.label}: Kudu deployment log:`);
    for (const entry of entries) {
      print(entry, '  ');
      const details = typeof entry.details_url === 'string' ? entry.details_url : undefined;
      if (details && fetches < MAX_LOG_DETAIL_FETCHES && lines < MAX_LOG_LINES) {
        fetches++;
        for (const detail of (await this.readLog(details)) ?? []) print(detail, '    ');
      }
    }
    if (lines >= MAX_LOG_LINES) this.o.log.info(`  … (log cut after ${MAX_LOG_LINES} lines; see ${oneLine(deployment.logUrl)})`);
  }

  private async readLog(url: string): Promise<Array<Record<string, unknown>> | undefined> {
    let target: string;
    try {
      target = this.sameOrigin(url, 'log URL');
    } catch (err) {
      this.o.log.warning((err as Error).message);
      return undefined;
    }
    try {
      const response = await this.o.http.get(target, { headers: { Authorization: await this.o.authorization() }, maxRedirects: 0 });
      return Array.isArray(response.data) ? response.data.map(asRecord) : [];
    } catch (err) {
      this.o.log.warning(`${this.o.label}: could not read Kudu's deployment log: ${(err as Error).message}`);
      return undefined;
    }
  }

  /** Credentials go to the SCM host only: a status or log URL elsewhere is not followed. */
  private sameOrigin(url: string, what: string): string {
    let parsed: URL;
    try {
      parsed = new URL(url, `${this.o.baseUrl}/`);
    } catch {
      throw new RemoteError(`Kudu of ${this.o.label} named an invalid ${what}: ${oneLine(url)}`);
    }
    if (parsed.origin !== new URL(this.o.baseUrl).origin) {
      throw new RemoteError(`Kudu of ${this.o.label} named a ${what} on another host (${oneLine(parsed.origin)}); not following it with the deployment credentials`);
    }
    return parsed.toString();
  }

  private checkDeadline(deadline: number, doing: string): void {
    if (this.o.clock.now() >= deadline) throw new RemoteError(`${this.o.label}: the deployment timed out while ${doing}. Raise deploymentTimeoutMinutes if Kudu is busy.`);
  }

  private failure(what: string, response: AxiosResponse): RemoteError {
    const hint = response.status === 401 || response.status === 403
      ? ': Kudu refused the credentials (check that the service connection may deploy to this app: Website Contributor or a role with Microsoft.Web/sites/publish/action)'
      : '';
    const text = kuduText(response.data);
    return new RemoteError(`Kudu ${what} for ${this.o.label} failed: HTTP ${response.status}${hint}${text ? `: ${oneLine(text)}` : ''}`, response.status);
  }
}

function headerOf(response: AxiosResponse, name: string): string | undefined {
  const headers = (response.headers ?? {}) as Record<string, unknown>;
  const v = Object.hasOwn(headers, name) ? headers[name] : undefined;
  return typeof v === 'string' && v ? v : undefined;
}

function asRecord(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** A bounded excerpt of what Kudu said (JSON `Message`/`message`, or the text). */
function kuduText(data: unknown): string {
  if (data === undefined || data === null) return '';
  if (typeof data === 'object' && !(data as { pipe?: unknown }).pipe) {
    const r = data as Record<string, unknown>;
    const m = r.Message ?? r.message ?? r.error;
    const text = typeof m === 'string' ? m : JSON.stringify(data);
    return text.length > 300 ? `${text.slice(0, 300)}…` : text;
  }
  const text = typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('utf8') : '';
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
