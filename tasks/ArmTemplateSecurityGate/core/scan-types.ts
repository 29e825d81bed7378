/**
 * What one scan is asked to do and what it returns. The task (v1, v2) and the CLI fill
 * EvaluateOptions from their own inputs; every reporter reads only ScanResult.
 */
import type { FileSystem } from '../../common/fs/file-system';
import type { Logger } from '../../common/log/logger';
import type { AppliedAttestation, AttestationNote, OutcomeCounts, Verdict } from '../../common/report/model';
import type { UnknownPolicy } from '../../common/report/verdict';
import type { SecretTracker } from './engine/secrets';
import type { Control, EvaluatedTemplate, Outcome, Severity } from './model';

export type { AppliedAttestation, OutcomeCounts, Verdict } from '../../common/report/model';
export type { UnknownPolicy } from '../../common/report/verdict';
/** An attestation that is expired or matched nothing, as reports list it. */
export type AttestationProblem = AttestationNote;

/** A (control, resource) pair to leave out of the scan, as AzSK's "skip controls from file" did. */
export interface SkipRule {
  /** Our control id or an AzSK control id (matched case-insensitively). */
  control: string;
  /** Glob on the finding's file path; any file when absent. */
  file?: string;
  /** Glob on the resource name; any resource when absent. */
  resourceName?: string;
}

export interface EvaluateOptions {
  /** Files, folders or globs (minimatch), relative to root unless absolute. */
  paths: string[];
  /** Folder that relative paths, globs and reported file names are relative to; nothing outside it is read. */
  root: string;
  /**
   * The folder the user typed relative paths in (the CLI's working directory, the agent's
   * System.DefaultWorkingDirectory): a root or path that lies in it as written must stay in it once
   * symbolic links are resolved. The root when absent.
   */
  baseFolder?: string;
  /** For folder paths: descend into sub-folders. Globs decide for themselves. Default true. */
  recurse?: boolean;
  /** Globs (relative to root) or plain file names of files to leave out. */
  exclude?: string[];
  /** One parameter file used for every template (CLI --parameters); a folder acts as parametersFolder. */
  parametersFile?: string;
  /** A folder searched for `<template>.parameters.json` (AzSK's "parameter file folder"). */
  parametersFolder?: string;
  /** Explicit template glob -> parameter file pairs; first match wins over naming conventions. */
  parameterMap?: Array<{ template: string; parameters: string }>;
  /** Local stand-ins for linked templates: URI or relative path -> file. */
  linkedTemplateMap?: Record<string, string>;
  /** A baseline name (see baselines.ts), a date (YYYY-MM-DD) or 'latest'. Default 'latest'. */
  baseline?: string;
  /** Failures below this severity are reported but do not fail the gate. Default 'low'. */
  severityThreshold?: Severity;
  /** How unknown findings count for the verdict. Default 'warn'. */
  unknownPolicy?: UnknownPolicy;
  /** Control ids to leave out everywhere. */
  skipControls?: string[];
  /** Finer skips (control + file/resource). */
  skipRules?: SkipRule[];
  /** Attestation file (YAML), relative to root unless absolute. */
  attestationsFile?: string;
  /** Outcomes that never fail the gate (AzSK TreatAsPassed), e.g. ['unknown']. */
  treatAsPassed?: Outcome[];
  /** Fail when no control was evaluated against any resource (AzSK FailTaskIfNoControlsScanned). */
  failIfNoControlsScanned?: boolean;
  /** Control settings (YAML), relative to root unless absolute; `armgate.yaml` at the root when absent. */
  settingsFile?: string;
  /** Folder of custom controls, relative to root unless absolute. */
  controlsFolder?: string;
  /** Azure Policy definition files or folders, relative to root unless absolute. */
  policyPaths?: string[];
}

/**
 * The file system as the gate needs it: the common port (tasks/common/fs/file-system.ts). The
 * composition roots give the real one (text decoded from UTF-8 or UTF-16 with a byte-order mark),
 * tests the in-memory one.
 */
export type GateFs = Pick<FileSystem, 'readText' | 'exists' | 'isDirectory' | 'list' | 'realPath'>;

export interface GateClock {
  now(): Date;
}

export interface GateDeps {
  fs: GateFs;
  clock: GateClock;
  logger: Logger;
  /**
   * Hears each secure parameter value (and string derived from one) as soon as the engine reads
   * it, before any log line could hold it: the task registers it with the agent's masker.
   */
  onSecret?: (value: string) => void;
}

/** The engine and catalogue, injected so the scan logic is tested with fakes. */
export interface GateEngine {
  loadAndEvaluate(
    file: string,
    options: {
      /** The template's parameter file; null: none at all, not even one found by its name. */
      parametersFile?: string | null;
      linkedTemplateMap?: Record<string, string>;
      displayPath: (absPath: string) => string;
      secrets?: SecretTracker;
      /** Folders that linked templates may be read from (the scan root). */
      allowedRoots?: readonly string[];
      /**
       * false: the caller reads no resource of the result (see scan-files.ts), so the engine may
       * leave them unevaluated (`resources` then empty). Default true.
       */
      resources?: boolean;
    },
  ): EvaluatedTemplate;
  /** 'template' | 'parameters' | 'other' for a JSON file's text. */
  classify(file: string, text: string): 'template' | 'parameters' | 'other';
  /** The conventionally named parameter file of a template, when it exists. */
  findParameterFile(templatePath: string): string | undefined;
  controls: readonly Control[];
}

export interface Finding {
  ruleId: string;
  title: string;
  outcome: Outcome;
  severity: Severity;
  /** Relative to the scan root, forward slashes. */
  file: string;
  line: number;
  column: number;
  resource: { type: string; name: string };
  message: string;
  /** AzSK feature set of the control ("Storage"), "Template" or "Error". */
  featureSet: string;
  /** The unresolved expression behind an unknown, when there is one. */
  expression?: string;
  /** What the finding was before an attestation covered it. */
  attestedOutcome?: 'fail' | 'unknown';
  attestation?: AppliedAttestation;
  /** True when this finding counts against the verdict. */
  blocking: boolean;
}

export interface FileStatus {
  file: string;
  kind: 'template' | 'parameters' | 'other' | 'error';
  parametersFile?: string;
  /**
   * A template another scanned template links to: its resources are checked where they are
   * deployed, in that template's context (with the values it passes), not again on their own.
   */
  linkedFrom?: string;
  resources: number;
  findings: number;
  error?: string;
  diagnostics: Array<{ severity: string; message: string; line: number }>;
}

/** A finding a settings exclusion left out: reported as such, never counted. */
export interface ExcludedFinding {
  ruleId: string;
  file: string;
  line: number;
  resource: { type: string; name: string };
  outcome: Outcome;
  reason: string;
  /** Where the exclusion is written: "armgate.yaml:12". */
  excludedBy: string;
}

export interface ExclusionNote {
  control: string;
  selector: string;
  reason: string;
  source: string;
  line: number;
  /** Findings it left out. */
  matched: number;
}

export interface UncoveredResource {
  file: string;
  line: number;
  type: string;
  name: string;
}

export interface ScanResult {
  tool: { name: string; version: string };
  baseline: { name: string; date?: string; controls: number };
  startedAt: string;
  durationMs: number;
  root: string;
  findings: Finding[];
  uncovered: UncoveredResource[];
  files: FileStatus[];
  unusedAttestations: AttestationProblem[];
  expiredAttestations: AttestationProblem[];
  /** Globs (and folders) from `paths` that matched no JSON file, as given; each is also a verdict warning. */
  unmatchedPaths: string[];
  counts: OutcomeCounts & { skipped: number; excluded: number; templates: number; resources: number };
  /** The settings file applied, relative to the root. */
  settingsFile?: string;
  /** Settings exclusions, with the number of findings each left out. */
  exclusions: ExclusionNote[];
  excluded: ExcludedFinding[];
  /** Controls listed but not run (policy effects that act after deployment): each is a warning. */
  notEvaluated: Array<{ id: string; reason: string }>;
  /** Controls that were in play (after baseline and skip), for reporters' rule tables. */
  controls: Control[];
  verdict: Verdict;
}

/**
 * Replaced at build time (scripts/build.ts, esbuild `define`): the CLI bundle carries package.json's
 * version, a task bundle its task.json version. Unbundled code (tsc output in tests) has neither.
 */
declare const __SRK_BUNDLE_VERSION__: string | undefined;

export const TOOL = { name: 'armgate', version: typeof __SRK_BUNDLE_VERSION__ === 'string' ? __SRK_BUNDLE_VERSION__ : '0.0.0-dev' } as const;
