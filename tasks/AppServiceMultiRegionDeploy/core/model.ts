/**
 * Typed settings of AppServiceMultiRegionDeploy, shared by every version. v1 and v2 differ only in
 * which of these options their settings.ts fills in; the core behind them is one.
 */

/** One App Service to deploy to, named by its resource group (app names repeat across groups). */
export interface Target {
  resourceGroup: string;
  app: string;
  /** A deployment slot; undefined for the production slot. */
  slot?: string;
  /** `rg/app[/slot]` as the user wrote it, for messages. */
  label: string;
}

export type DeploymentMethod = 'auto' | 'oneDeploy' | 'zipDeploy' | 'runFromPackage';

export type Strategy = 'sequential' | 'parallel' | 'rolling';

export interface HealthCheck {
  /** Path with a leading slash, query allowed (e.g. /healthz). */
  path: string;
  expectedStatus: number;
  /** Per attempt. */
  timeoutMs: number;
  /** Further attempts after the first failed one. */
  retries: number;
  intervalMs: number;
}

export interface SwapOptions {
  /** Apply production's settings to the slot and check it again before completing the swap. */
  preview: boolean;
  /** Swap back when production's health check fails after the swap. */
  swapBackOnFailure: boolean;
}

export interface AppSettingsPatch {
  /** Settings to add or change; values may be secrets and are never logged. */
  set: Map<string, string>;
  remove: string[];
}

export interface DeploySettings {
  connection: string;
  targets: Target[];
  /** The package input as given (a path or a glob), resolved by the composition root. */
  packagePattern: string;
  method: DeploymentMethod;
  strategy: Strategy;
  /** Bound on targets deployed at once (parallel strategy and the rolling strategy's second wave). */
  maxParallel: number;
  continueOnTargetFailure: boolean;
  /** Overall bound on one target's Kudu deployment (upload, waiting out 409s, polling). */
  deploymentTimeoutMs: number;
  health?: HealthCheck;
  /** Only for slot targets: swap the slot into production once it is healthy. */
  swap?: SwapOptions;
  appSettings?: AppSettingsPatch;
  /** Output variables per target and a Markdown build summary (v2). */
  report: boolean;
  workingDirectory: string;
}

/** What the package resolved to. */
export type PackageKind = 'zip' | 'folder' | 'jar' | 'war';

export type TargetResult = 'Succeeded' | 'Failed' | 'SwappedBack' | 'Skipped';

export interface TargetOutcome {
  target: Target;
  result: TargetResult;
  /** Azure region of the app (from ARM); undefined when the app could not be read. */
  region?: string;
  /** https URL of what now serves the new version (production after a swap). */
  url?: string;
  durationMs: number;
  /** True when this target now runs the new package. */
  deployed: boolean;
  /** Why it failed or was skipped; one line. */
  message?: string;
  /** Where the new version went after a swap: production of the app. */
  swappedIntoProduction?: boolean;
}

export function targetLabel(t: { resourceGroup: string; app: string; slot?: string }): string {
  return t.slot ? `${t.resourceGroup}/${t.app}/${t.slot}` : `${t.resourceGroup}/${t.app}`;
}
