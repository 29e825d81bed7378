import { ApimEmulator } from './apim';
import { ArmEmulator } from './arm';
import { getTestCa, TestCa } from './ca';
import { EntraEmulator } from './entra';
import { MsiEmulator } from './msi';
import { OidcEmulator } from './oidc';
import { ProxyEmulator, ProxyOptions } from './proxy';
import { TokenRegistry } from './tokens';
import { WebEmulator } from './web';

export * from './apim';
export { ArmEmulator, armError } from './arm';
export type { ArmContext, ArmHandler, ArmOperation, ArmResource, LroRule, OperationOptions, ResourceGroup, RouteOptions, Subscription } from './arm';
export { azureRmConnectionEnv } from './azure-rm-endpoint';
export type { AzureRmConnectionOptions, AzureRmConnectionSpec } from './azure-rm-endpoint';
export { certificateThumbprints, createCertificateAuthority, createServicePrincipalCertificate, getTestCa } from './ca';
export type { CertificateAuthority, KeyedCertificate, ServicePrincipalCertificate, TestCa, Validity } from './ca';
export { EntraEmulator, aadErrorBody } from './entra';
export type { EntraClientRegistration, TokenIssuance } from './entra';
export type { ActiveFault, FaultSpec } from './faults';
export { decodeJwt, signJwt } from './jwt';
export { JenkinsEmulator, startJenkins, encodeBranch } from './jenkins';
export type { ArtifactSpec, BuildSpec, JenkinsEmulatorOptions, Result as JenkinsResult, TransferFault, TransferRecord, ZipEntry } from './jenkins';
export { MsiEmulator } from './msi';
export type { ManagedIdentity } from './msi';
export { OidcEmulator } from './oidc';
export type { ServiceConnectionRegistration } from './oidc';
export { ProxyEmulator } from './proxy';
export type { ProxyOptions, ProxyRecord } from './proxy';
export type { Reply, RequestContext, RequestRecord } from './server';
export { TargetApiEmulator } from './target-api';
export type { ClientCertificateMode, CorsMode, PlainHttpMode, TargetApiBehaviour, TargetApiOptions, TargetCall } from './target-api';
export { TokenRegistry } from './tokens';
export * from './web';
export type { IssuedToken } from './tokens';

export interface EmulatorOptions {
  /** Require Basic auth on the proxy. */
  proxyAuth?: ProxyOptions['auth'];
  /** Default ARM list page size. */
  pageSize?: number;
  /** Tenant of the managed identity emulator's system-assigned identity. */
  msiTenantId?: string;
  /** Azure DevOps organisation / project names used in OIDC subjects. */
  organization?: string;
  project?: string;
  /** Install the API Management emulator on the ARM emulator (emu.apim). */
  apim?: boolean;
  /** Install the App Service emulator (Microsoft.Web, Kudu, app hosts) on the ARM emulator (emu.web). */
  web?: boolean;
}

export interface Emulators {
  ca: TestCa;
  /** Path of the CA PEM, for AGENT_CAINFO. */
  caFile: string;
  tokens: TokenRegistry;
  entra: EntraEmulator;
  oidc: OidcEmulator;
  msi: MsiEmulator;
  arm: ArmEmulator;
  proxy: ProxyEmulator;
  /** Present when started with { apim: true }. */
  apim?: ApimEmulator;
  /** Present when started with { web: true }. */
  web?: WebEmulator;
  close(): Promise<void>;
}

/**
 * Start every emulator on 127.0.0.1 (random ports), wired together: ARM accepts tokens from Entra
 * and MSI, Entra trusts the OIDC emulator's tokens as federated assertions.
 */
export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const ca = getTestCa();
  const tls = { certPem: ca.server.certPem, keyPem: ca.server.keyPem };
  const tokens = new TokenRegistry();
  const entra = new EntraEmulator(tls, tokens);
  const oidc = new OidcEmulator(tls, options.organization, options.project);
  const msi = new MsiEmulator(tokens, options.msiTenantId);
  const arm = new ArmEmulator(tls, tokens);
  const proxy = new ProxyEmulator({ auth: options.proxyAuth });
  const all = [entra, oidc, msi, arm, proxy];
  try {
    await Promise.all(all.map((s) => s.start()));
  } catch (err) {
    await Promise.all(all.map((s) => s.close()));
    throw err;
  }
  entra.trustIssuer(oidc.issuer, oidc.publicKeyPem);
  arm.authorityHint = `${entra.url}/common`;
  if (options.pageSize) {
    arm.pageSize = options.pageSize;
  }
  const web = options.web ? new WebEmulator(arm, tls, tokens) : undefined;
  return {
    ca,
    caFile: ca.caFile,
    tokens,
    entra,
    oidc,
    msi,
    arm,
    proxy,
    apim: options.apim ? new ApimEmulator(arm) : undefined,
    web,
    // The CA is per process and shared; it is not disposed here so several suites can reuse it.
    close: async () => {
      await Promise.all([...all.map((s) => s.close()), web?.close()]);
    },
  };
}
