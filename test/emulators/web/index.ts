export { AppServer, DeployStatus, KuduServer } from './kudu-server';
export type { FailureSpec, KuduDeploymentRecord } from './kudu-server';
export { bodyProblems, matchOperation, webSpec } from './spec-check';
export type { SpecOperation } from './spec-check';
export type { DeployedContent, SiteState, SlotState } from './state';
export { WEB_API_VERSION, WebEmulator } from './web-emulator';
export type { AddSiteOptions, SpecLogEntry, SwapRecord } from './web-emulator';
