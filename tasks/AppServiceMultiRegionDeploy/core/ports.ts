/**
 * What the core needs from the outside world, as small interfaces. The composition root
 * (../task/) implements them over @azure/arm-appservice, axios and node:fs; tests use fakes or
 * the emulators.
 */
import type { Readable } from 'node:stream';
import type { AxiosInstance } from 'axios';
import type { Logger } from '../../common/log/logger';
import type { PackageKind, Target } from './model';

/** An App Service (or one of its slots) as ARM describes it. */
export interface SiteInfo {
  /** Azure region, e.g. westeurope. */
  location: string;
  /** e.g. `app`, `app,linux`, `functionapp,linux`. */
  kind: string;
  /** Host name the app is served on (with a port only in emulated environments). */
  defaultHostName: string;
  /** Kudu's host name: hostNameSslStates entry of hostType Repository. */
  scmHostName: string;
}

export interface PublishingCredentials {
  userName: string;
  password: string;
}

/** The Microsoft.Web calls of a deployment, at one pinned api-version. */
export interface WebArm {
  getSite(target: Target): Promise<SiteInfo>;
  /** basicPublishingCredentialsPolicies/scm: may Kudu be reached with the publishing user and password? */
  scmBasicAuthAllowed(target: Target): Promise<boolean>;
  publishingCredentials(target: Target): Promise<PublishingCredentials>;
  listAppSettings(target: Target): Promise<Record<string, string>>;
  /** Replaces the whole collection (the service has no partial update): callers read, change, write. */
  replaceAppSettings(target: Target, settings: Record<string, string>): Promise<void>;
  /** Swap with preview, phase one: the slot takes production's slot settings and restarts with them. */
  applyProductionConfigToSlot(target: Target): Promise<void>;
  /** Cancels a swap with preview: the slot gets its own settings back. */
  resetSlotConfig(target: Target): Promise<void>;
  /** Swaps the target's slot with production (also the way back, run a second time). */
  swapWithProduction(target: Target): Promise<void>;
}

/** The package, opened as often as needed (an upload retried after a 409 starts from the beginning). */
export interface PackageSource {
  kind: PackageKind;
  /** File or folder name, for messages. */
  name: string;
  /** Bytes when known up front (a file); a folder is zipped while it streams. */
  size?: number;
  open(): Readable;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** An access token for Kudu when basic publishing credentials are off (Entra, scope of ARM). */
export type TokenSource = () => Promise<string>;

export interface CoreDeps {
  arm: WebArm;
  /** Kudu: proxy, agent CAs, retries of idempotent calls, redaction. */
  http: AxiosInstance;
  /** Health probes: the same network settings, no automatic retries (the check counts its own). */
  probeHttp: AxiosInstance;
  kuduToken: TokenSource;
  /** Registers a secret the core learned (a publishing password, a token) with the run's registry. */
  registerSecret(value: string): void;
  pkg: PackageSource;
  log: Logger;
  clock: Clock;
}
