import type { TokenCredential } from '@azure/identity';
import {
  AzurePipelinesCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
} from '@azure/identity';
import type { AxiosInstance } from 'axios';
import { EndpointError } from '../errors';
import type { AzureRmEndpoint } from '../endpoints/azurerm';
import { azurePipelineOptions, type NetworkSettings } from '../http/network';
import { withTrailingSlash } from './clouds';

/** Authority hosts Microsoft's instance discovery knows; any other host is trusted as given. */
const PUBLIC_AUTHORITIES = new Set(['login.microsoftonline.com', 'login.microsoftonline.us', 'login.chinacloudapi.cn', 'login.partner.microsoftonline.cn']);

export interface AzureSession {
  credential: TokenCredential;
  /** Token scope for Resource Manager. */
  scope: string;
  /** Options for any @azure/arm-* client: endpoint, scope, proxy and TLS of this agent. */
  clientOptions: {
    endpoint: string;
    credentialScopes: string[];
    proxyOptions?: { host: string; port: number; username?: string; password?: string };
    tlsOptions?: { ca?: string[]; cert?: string; key?: string; passphrase?: string };
  };
  subscriptionId?: string;
}

/**
 * An AzureRM service connection as an @azure/identity credential, for all four schemes,
 * in any cloud: the authority and Resource Manager URL come from the connection itself.
 */
export async function createAzureSession(
  endpoint: AzureRmEndpoint,
  network: NetworkSettings,
  http?: AxiosInstance,
): Promise<AzureSession> {
  const resolved = endpoint.authorityHost ? endpoint : await resolveAzureStack(endpoint, http);
  const authorityHost = resolved.authorityHost!;
  const authority = new URL(authorityHost);
  const isAdfs = /\/adfs\/?$/i.test(authority.pathname);
  const credentialOptions = {
    ...azurePipelineOptions(network, authorityHost),
    authorityHost: isAdfs ? authorityHost.replace(/adfs\/?$/i, '') : authorityHost,
    disableInstanceDiscovery: isAdfs || !PUBLIC_AUTHORITIES.has(authority.hostname.toLowerCase()),
  };
  const tenant = (id: string) => (isAdfs ? 'adfs' : id);

  let credential: TokenCredential;
  const auth = resolved.auth;
  switch (auth.scheme) {
    case 'ServicePrincipal':
      credential = new ClientSecretCredential(tenant(auth.tenantId), auth.clientId, auth.secret, credentialOptions);
      break;
    case 'ServicePrincipalCertificate':
      credential = new ClientCertificateCredential(tenant(auth.tenantId), auth.clientId, { certificate: auth.certificatePem }, credentialOptions);
      break;
    case 'ManagedServiceIdentity':
      credential = new ManagedIdentityCredential({
        ...azurePipelineOptions(network, authorityHost),
        ...(auth.clientId ? { clientId: auth.clientId } : {}),
      });
      break;
    case 'WorkloadIdentityFederation':
      // The credential asks the job's OIDC endpoint for a fresh assertion on every token request.
      credential = new AzurePipelinesCredential(tenant(auth.tenantId), auth.clientId, resolved.id, auth.systemAccessToken, credentialOptions);
      break;
  }

  const scope = `${resolved.audience}/.default`;
  return {
    credential,
    scope,
    subscriptionId: resolved.subscriptionId,
    clientOptions: {
      endpoint: resolved.resourceManagerUrl,
      credentialScopes: [scope],
      ...azurePipelineOptions(network, resolved.resourceManagerUrl),
    },
  };
}

/** Azure Stack Hub connections may omit the authority; its Resource Manager publishes it. */
async function resolveAzureStack(endpoint: AzureRmEndpoint, http?: AxiosInstance): Promise<AzureRmEndpoint> {
  if (!http) throw new EndpointError(endpoint.id, `no Entra ID authority for environment '${endpoint.environment}'`);
  const url = `${endpoint.resourceManagerUrl}metadata/endpoints?api-version=2015-01-01`;
  const { data } = await http.get<{ authentication?: { loginEndpoint?: string; audiences?: string[] } }>(url);
  const login = data.authentication?.loginEndpoint;
  if (!login) throw new EndpointError(endpoint.id, `Resource Manager metadata at ${url} names no login endpoint`);
  return {
    ...endpoint,
    authorityHost: withTrailingSlash(login),
    audience: (data.authentication?.audiences?.[0] ?? endpoint.audience).replace(/\/+$/, ''),
  };
}
