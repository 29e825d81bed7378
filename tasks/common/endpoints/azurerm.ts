import { EndpointError } from '../errors';
import { cloudDefaults, withTrailingSlash } from '../auth/clouds';
import type { TaskHost } from '../host/task-host';
import { isGuid } from '../guid';
import { oneLine } from '../log/safe-text';

export type AzureRmAuth =
  | { scheme: 'ServicePrincipal'; tenantId: string; clientId: string; secret: string }
  | { scheme: 'ServicePrincipalCertificate'; tenantId: string; clientId: string; certificatePem: string }
  | { scheme: 'ManagedServiceIdentity'; tenantId?: string; clientId?: string }
  | { scheme: 'WorkloadIdentityFederation'; tenantId: string; clientId: string; systemAccessToken: string };

/** An AzureRM service connection, parsed and checked once. */
export interface AzureRmEndpoint {
  id: string;
  environment: string;
  /** Resource Manager URL, with a trailing slash. */
  resourceManagerUrl: string;
  /** Entra ID authority host, with a trailing slash; undefined for Azure Stack until resolved from its metadata. */
  authorityHost?: string;
  /** Token audience for Resource Manager (scope = audience + '/.default'). */
  audience: string;
  subscriptionId?: string;
  subscriptionName?: string;
  auth: AzureRmAuth;
}

/**
 * Reads an AzureRM service connection the way the agent hands it to a task
 * (ENDPOINT_URL_/ENDPOINT_AUTH_/ENDPOINT_DATA_), registering every secret it touches.
 */
export function readAzureRmEndpoint(host: TaskHost, id: string): AzureRmEndpoint {
  const auth = host.getEndpointAuthorization(id);
  if (!auth) throw new EndpointError(id, 'not found; is it an Azure Resource Manager connection this pipeline may use?');
  const data = (key: string) => host.getEndpointDataParameter(id, key);
  const param = (key: string) => findParam(auth.parameters, key);

  const environment = data('environment') ?? 'AzureCloud';
  const defaults = cloudDefaults(environment);
  const url = host.getEndpointUrl(id) ?? defaults?.resourceManagerUrl;
  if (!url) throw new EndpointError(id, `has no Resource Manager URL for environment '${environment}'`);
  const resourceManagerUrl = withTrailingSlash(httpsUrl(id, url, 'the Resource Manager URL (url)'));
  const authorityKey = ['activeDirectoryAuthority', 'environmentAuthorityUrl'].find((k) => data(k) !== undefined);
  const authority = authorityKey ? httpsUrl(id, data(authorityKey)!, `the Entra ID authority (${authorityKey})`) : defaults?.authorityHost;
  const audienceSource = data('activeDirectoryServiceEndpointResourceId') ?? resourceManagerUrl;

  const scheme = (auth.scheme || 'ServicePrincipal').toLowerCase();
  const required = (key: string, what: string) => {
    const value = param(key);
    if (!value) throw new EndpointError(id, `${what} (${key}) is missing`);
    return value;
  };

  let parsed: AzureRmAuth;
  switch (scheme) {
    case 'serviceprincipal': {
      const tenantId = required('tenantid', 'the tenant id');
      const clientId = required('serviceprincipalid', 'the service principal (client) id');
      const type = (param('authenticationType') ?? 'spnKey').toLowerCase();
      if (type === 'spncertificate') {
        const certificatePem = required('servicePrincipalCertificate', 'the service principal certificate');
        host.setSecret(certificatePem);
        parsed = { scheme: 'ServicePrincipalCertificate', tenantId, clientId, certificatePem };
      } else if (type === 'spnkey') {
        const secret = required('serviceprincipalkey', 'the service principal key');
        host.setSecret(secret);
        parsed = { scheme: 'ServicePrincipal', tenantId, clientId, secret };
      } else {
        throw new EndpointError(id, `authenticationType '${type}' is not supported (expected spnKey or spnCertificate)`);
      }
      break;
    }
    case 'managedserviceidentity':
      parsed = { scheme: 'ManagedServiceIdentity', tenantId: param('tenantid'), clientId: data('msiclientId') };
      break;
    case 'workloadidentityfederation': {
      const tenantId = required('tenantid', 'the tenant id');
      const clientId = required('serviceprincipalid', 'the service principal (client) id');
      const systemAccessToken = host.getEndpointAuthorization('SystemVssConnection')?.parameters.AccessToken;
      if (!systemAccessToken) {
        throw new EndpointError(id, 'workload identity federation needs the job access token (System.AccessToken), which the agent did not provide');
      }
      host.setSecret(systemAccessToken);
      parsed = { scheme: 'WorkloadIdentityFederation', tenantId, clientId, systemAccessToken };
      break;
    }
    default:
      throw new EndpointError(
        id,
        `authentication scheme '${auth.scheme}' is not supported (expected ServicePrincipal, ManagedServiceIdentity or WorkloadIdentityFederation)`,
      );
  }

  return {
    id,
    environment,
    resourceManagerUrl,
    authorityHost: authority ? withTrailingSlash(authority) : undefined,
    audience: audienceSource.replace(/\/+$/, ''),
    subscriptionId: subscriptionIdOf(id, data('subscriptionId')),
    subscriptionName: data('subscriptionName'),
    auth: parsed,
  };
}

/**
 * Where the library sends a client secret, an assertion or a bearer token: an absolute https URL,
 * checked here so a typo in the connection fails naming the field, not deep in the SDK as "Invalid URL".
 */
function httpsUrl(id: string, value: string, what: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.protocol !== 'https:') throw new EndpointError(id, `${what} '${value}' is not an absolute https URL; fix the service connection`);
  return value;
}

/**
 * A subscription id goes into every Resource Manager path and the SDK clients refuse one that is not
 * a GUID with "Unexpected error ... must be a valid uuid", far from the connection that holds it;
 * checked here so the failure names the connection and the field. Absent (or empty) stays allowed:
 * a management-group scoped connection has none.
 */
function subscriptionIdOf(id: string, value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (!isGuid(value)) {
    throw new EndpointError(id, `subscriptionId '${oneLine(value)}' must be a subscription id (a GUID such as 00000000-0000-0000-0000-000000000000); fix the service connection`);
  }
  return value;
}

/** Auth parameter keys arrive with varying case (tenantid, TenantId...). */
function findParam(parameters: Record<string, string>, key: string): string | undefined {
  const wanted = key.toLowerCase();
  for (const [k, v] of Object.entries(parameters)) {
    if (k.toLowerCase() === wanted && v) return v;
  }
  return undefined;
}
