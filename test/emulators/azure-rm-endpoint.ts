import type { Emulators } from './index';

export type AzureRmConnectionSpec =
  | { scheme: 'ServicePrincipal'; authenticationType: 'spnKey'; secret: string }
  | { scheme: 'ServicePrincipal'; authenticationType: 'spnCertificate'; certificatePem: string; keyPem: string }
  | { scheme: 'WorkloadIdentityFederation'; name?: string }
  | { scheme: 'ManagedServiceIdentity'; style: 'imds' | 'app-service'; msiClientId?: string };

export interface AzureRmConnectionOptions {
  /** Endpoint GUID (lower case, as the agent writes it). */
  id: string;
  tenantId: string;
  /** Service principal (application) id; ignored for managed identity. */
  clientId?: string;
  subscriptionId: string;
  subscriptionName?: string;
  /** Endpoint data `environment`; the authority and ARM URL always point at the emulators. */
  environment?: string;
  /** Add AGENT_PROXYURL pointing at the proxy emulator. */
  viaProxy?: boolean;
}

/**
 * Register an AzureRM service connection with the emulators and return the environment the agent
 * would give a task for it (ENDPOINT_*, SYSTEM_* for workload identity, AGENT_CAINFO, proxy).
 */
export function azureRmConnectionEnv(emu: Emulators, spec: AzureRmConnectionSpec, opts: AzureRmConnectionOptions): Record<string, string> {
  const id = opts.id;
  const parameters: Record<string, string> = { tenantid: opts.tenantId };
  const data: Record<string, string> = {
    subscriptionId: opts.subscriptionId,
    subscriptionName: opts.subscriptionName ?? 'Emulated subscription',
    environment: opts.environment ?? 'AzureCloud',
    scopeLevel: 'Subscription',
    activeDirectoryAuthority: emu.entra.authorityHost,
    environmentAuthorityUrl: emu.entra.authorityHost,
    activeDirectoryServiceEndpointResourceId: emu.arm.endpoint,
  };
  const env: Record<string, string> = { AGENT_CAINFO: emu.caFile };
  if (!emu.arm.getSubscription(opts.subscriptionId)) {
    emu.arm.addSubscription({ subscriptionId: opts.subscriptionId, tenantId: opts.tenantId, displayName: data.subscriptionName });
  }
  const clientId = opts.clientId ?? '';
  switch (spec.scheme) {
    case 'ServicePrincipal':
      parameters.serviceprincipalid = clientId;
      parameters.authenticationType = spec.authenticationType;
      if (spec.authenticationType === 'spnKey') {
        parameters.serviceprincipalkey = spec.secret;
        emu.entra.registerClient({ tenantId: opts.tenantId, clientId, secret: spec.secret });
      } else {
        parameters.servicePrincipalCertificate = `${spec.certificatePem}${spec.keyPem}`;
        emu.entra.registerClient({ tenantId: opts.tenantId, clientId, certificatePem: spec.certificatePem });
      }
      break;
    case 'WorkloadIdentityFederation': {
      const subject = emu.oidc.registerServiceConnection({ id, name: spec.name ?? `conn-${id.slice(0, 8)}` });
      parameters.serviceprincipalid = clientId;
      parameters.workloadIdentityFederationSubject = subject;
      parameters.workloadIdentityFederationIssuer = emu.oidc.issuer;
      emu.entra.registerClient({ tenantId: opts.tenantId, clientId, federatedSubject: subject });
      Object.assign(env, {
        SYSTEM_OIDCREQUESTURI: emu.oidc.requestUri,
        SYSTEM_COLLECTIONURI: emu.oidc.collectionUri,
        SYSTEM_TEAMPROJECTID: emu.oidc.projectId,
        SYSTEM_PLANID: emu.oidc.planId,
        SYSTEM_JOBID: emu.oidc.jobId,
        SYSTEM_HOSTTYPE: 'build',
        ENDPOINT_URL_SYSTEMVSSCONNECTION: emu.oidc.collectionUri,
        ENDPOINT_AUTH_SYSTEMVSSCONNECTION: JSON.stringify({ parameters: { AccessToken: emu.oidc.systemAccessToken }, scheme: 'OAuth' }),
        ENDPOINT_AUTH_SCHEME_SYSTEMVSSCONNECTION: 'OAuth',
        ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN: emu.oidc.systemAccessToken,
      });
      break;
    }
    case 'ManagedServiceIdentity':
      if (spec.msiClientId) {
        data.msiclientId = spec.msiClientId;
        emu.msi.addUserAssigned({ clientId: spec.msiClientId, tenantId: opts.tenantId });
      }
      Object.assign(env, spec.style === 'imds' ? emu.msi.imdsEnv : emu.msi.appServiceEnv);
      break;
  }
  env[`ENDPOINT_URL_${id}`] = emu.arm.endpoint;
  env[`ENDPOINT_AUTH_${id}`] = JSON.stringify({ parameters, scheme: spec.scheme });
  env[`ENDPOINT_AUTH_SCHEME_${id}`] = spec.scheme;
  for (const [k, v] of Object.entries(parameters)) {
    env[`ENDPOINT_AUTH_PARAMETER_${id}_${k.toUpperCase()}`] = v;
  }
  env[`ENDPOINT_DATA_${id}`] = JSON.stringify(data);
  for (const [k, v] of Object.entries(data)) {
    env[`ENDPOINT_DATA_${id}_${k.toUpperCase()}`] = v;
  }
  if (opts.viaProxy) {
    env.AGENT_PROXYURL = emu.proxy.url;
    const creds = emu.proxy.credentials;
    if (creds) {
      // The agent passes the password as a secret variable; task-lib moves SECRET_* into its vault.
      env.AGENT_PROXYUSERNAME = creds.username;
      env.SECRET_AGENT_PROXYPASSWORD = creds.password;
    }
  }
  return env;
}
