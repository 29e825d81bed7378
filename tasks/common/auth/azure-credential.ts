import type { TokenCredential } from '@azure/identity';
import {
  AzurePipelinesCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
} from '@azure/identity';
import type { AxiosInstance } from 'axios';
import { EndpointError, RemoteError } from '../errors';
import type { AzureRmEndpoint } from '../endpoints/azurerm';
import { azurePipelineOptions, type AzurePipelineOptions, type NetworkSettings } from '../http/network';
import { withTrailingSlash } from './clouds';

/** Authority hosts Microsoft's instance discovery knows; any other host is trusted as given. */
const PUBLIC_AUTHORITIES = new Set(['login.microsoftonline.com', 'login.microsoftonline.us', 'login.chinacloudapi.cn', 'login.partner.microsoftonline.cn']);

export interface AzureSession {
  credential: TokenCredential;
  /** Token scope for Resource Manager. */
  scope: string;
  /** Options for any @azure/arm-* client: endpoint, scope, proxy and TLS of this agent. */
  clientOptions: AzurePipelineOptions & { endpoint: string; credentialScopes: string[] };
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
    ...azurePipelineOptions(network),
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
      // The identity endpoint is local to the machine (IMDS / App Service) and plain HTTP: no proxy, no TLS.
      credential = new ManagedIdentityCredential(auth.clientId ? { clientId: auth.clientId } : {});
      break;
    case 'WorkloadIdentityFederation':
      // The credential asks the job's OIDC endpoint for a fresh assertion on every token request.
      credential = new AzurePipelinesCredential(tenant(auth.tenantId), auth.clientId, resolved.id, auth.systemAccessToken, credentialOptions);
      break;
  }

  if (http && auth.scheme !== 'ManagedServiceIdentity') {
    const tenantId = tenant(auth.tenantId);
    credential = diagnosed(credential, `${withTrailingSlash(credentialOptions.authorityHost)}${tenantId}/v2.0/.well-known/openid-configuration`, http);
  }

  const scope = `${resolved.audience}/.default`;
  return {
    credential,
    scope,
    subscriptionId: resolved.subscriptionId,
    clientOptions: {
      endpoint: resolved.resourceManagerUrl,
      credentialScopes: [scope],
      ...azurePipelineOptions(network),
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

/**
 * MSAL reports an unreachable or untrusted authority only as "endpoints_resolution_error". When
 * that happens, ask the authority ourselves (same proxy and CAs) so the failure names the cause:
 * a TLS trust problem, a refused connection, a proxy error.
 */
function diagnosed(credential: TokenCredential, metadataUrl: string, http: AxiosInstance): TokenCredential {
  return {
    async getToken(scopes, options) {
      try {
        return await credential.getToken(scopes, options);
      } catch (err) {
        if (!/endpoints_resolution_error|network_error/i.test(String((err as Error)?.message))) throw err;
        let cause: string | undefined;
        try {
          await http.get(metadataUrl, { timeout: 30_000 });
        } catch (probeError) {
          cause = (probeError as Error).message;
        }
        if (!cause) throw err;
        throw new RemoteError(`Sign-in to Microsoft Entra ID failed: cannot read the authority's metadata: ${cause}`);
      }
    },
  };
}
