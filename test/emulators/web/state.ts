import type { AppServer, KuduServer } from './kudu-server';

/** What an app or slot runs: the last package Kudu deployed successfully. */
export interface DeployedContent {
  deploymentId: string;
  version?: string;
  files: string[];
  sha256: string;
  runFromPackage: boolean;
}

export interface SiteState {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  kind: string;
  /** 'production' and every slot, keys lower-case. */
  slots: Map<string, SlotState>;
}

export interface SlotState {
  site: SiteState;
  /** 'production' or the slot name. */
  name: string;
  appSettings: Record<string, string>;
  siteConfig: Record<string, unknown>;
  /** basicPublishingCredentialsPolicies/scm `allow`. */
  scmBasicAuth: boolean;
  publishingUserName: string;
  publishingPassword: string;
  /** Swap with preview started (applySlotConfig) and neither completed nor reset. */
  inPreview: boolean;
  content?: DeployedContent;
  kudu: KuduServer;
  app: AppServer;
}
