import type { JenkinsEndpoint } from '../../common/endpoints/jenkins';
import type { JobReference } from './job-path';

export const BUILD_CHOICES = ['LastSuccessfulBuild', 'LastStableBuild', 'LastCompletedBuild', 'BuildNumber'] as const;
export type BuildChoice = (typeof BUILD_CHOICES)[number];

export const DOWNLOAD_MODES = ['files', 'archive'] as const;
export type DownloadMode = (typeof DOWNLOAD_MODES)[number];

export const UNSTABLE_RESULTS = ['SucceededWithIssues', 'Succeeded', 'Failed'] as const;
export type UnstableResult = (typeof UNSTABLE_RESULTS)[number];

/** The task's settings, typed and checked by a version's settings.ts. */
export interface JenkinsDownloadSettings {
  endpoint: JenkinsEndpoint;
  job: JobReference;
  build: BuildChoice;
  /** With BuildNumber: the build number. */
  buildNumber?: number;
  /** With BuildNumber on a multibranch project named without its branch: `branch/number` (Microsoft's form). */
  buildBranch?: string;
  /** The newest build (of the chosen kind) whose parameters have these values. */
  parameters: Map<string, string>;
  /** Minimatch lines over each artifact's relativePath; `!` lines exclude. */
  itemPatterns: string[];
  /** Absolute target folder. */
  saveTo: string;
  mode: DownloadMode;
  parallel: number;
  retries: number;
  unstable: UnstableResult;
  /** Download from a FAILURE, ABORTED or NOT_BUILT build instead of failing. */
  allowFailedBuild: boolean;
  commitsAttachment: boolean;
}

/** A file being written under the target folder: never visible under its own name until committed. */
export interface PartialFile {
  /** Resolves at once unless the disk is behind (back-pressure). */
  write(chunk: Buffer): Promise<void> | void;
  /** Flushes, closes and renames the file to its final name. */
  commit(): Promise<void>;
  /** Closes and removes the temporary file. Safe to call twice, or after commit (then does nothing). */
  discard(): Promise<void>;
}

/**
 * The only place the task writes artifacts: files land at `<root>/<relativePath>` through a
 * temporary name, and no write can leave the root (checked on the real, link-resolved path).
 */
export interface TargetFolder {
  readonly root: string;
  /** Opens `<root>/<relativePath>` for writing (folders created). The path was checked by safeRelativePath. */
  open(relativePath: string): Promise<PartialFile>;
  /** Creates a symbolic link `<root>/<relativePath>` → target (relative); refused when it would point outside the root. */
  link(relativePath: string, target: string): Promise<void>;
}

/** The agent's temp folder (Agent.TempDirectory): the archive, the summary and the commits file. */
export interface TempFolder {
  /** A new writable file; the name is made unique. */
  create(name: string): Promise<PartialFile & { readonly path: string }>;
  writeText(name: string, text: string): Promise<string>;
  remove(path: string): Promise<void>;
}

/** One entry of a zip archive as the extractor hands it over. */
export interface ArchiveEntry {
  name: string;
  kind: 'file' | 'directory' | 'symlink';
  /** Uncompressed size from the central directory. */
  size: number;
  /** The content (for a symlink: the link target). Checked against size and CRC by the reader. */
  open(): Promise<AsyncIterable<Buffer>>;
}

/** Reads a zip file entry by entry (central directory first, so no entry can hide). */
export type ArchiveReader = (zipPath: string, each: (entry: ArchiveEntry) => Promise<void>) => Promise<void>;

/** An MD5 being computed over a download. `update` resolves at once unless the hasher is behind. */
export interface Hasher {
  update(chunk: Buffer): Promise<void> | void;
  digest(): Promise<string>;
  /** Releases what the hasher holds when the download is abandoned. */
  dispose(): void;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Progress as the agent shows it: a percentage on the step, and a line now and then. */
export type ProgressSink = (percent: number, operation: string) => void;
