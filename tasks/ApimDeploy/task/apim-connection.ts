import { ApiManagementClient } from '@azure/arm-apimanagement';
import { createAzureSession } from '../../common/auth/azure-credential';
import { readAzureRmEndpoint } from '../../common/endpoints/azurerm';
import { EndpointError } from '../../common/errors';
import type { TaskContext } from '../../common/host/run-task';
import type { AxiosInstance } from 'axios';
import { createHttpClient } from '../../common/http/http-client';
import { readNetworkSettings } from '../../common/http/network';
import type { ArmGatewayOptions } from '../core/arm/context';
import type { ServiceTarget } from '../core/model';

/**
 * What every ApimDeploy version needs to reach its service: the AzureRM connection signed in (any
 * scheme, any cloud, the agent's proxy and CAs), the SDK client and the gateway options over it.
 */
export async function connectApim(
  settings: { connection: string; target: ServiceTarget; lroTimeoutMs: number },
  { host, secrets, log: logger }: TaskContext,
): Promise<{ http: AxiosInstance; gatewayOptions: ArmGatewayOptions }> {
  const network = readNetworkSettings(host, secrets);
  const http = createHttpClient({ network, secrets, logger });
  const endpoint = readAzureRmEndpoint(host, settings.connection);
  const session = await createAzureSession(endpoint, network, http);
  if (!session.subscriptionId) throw new EndpointError(settings.connection, 'names no subscription; use a connection scoped to a subscription');
  const client = new ApiManagementClient(session.credential, session.subscriptionId, session.clientOptions);
  return {
    http,
    gatewayOptions: {
      client,
      subscriptionId: session.subscriptionId,
      resourceGroup: settings.target.resourceGroup,
      serviceName: settings.target.serviceName,
      resourceManagerUrl: endpoint.resourceManagerUrl,
      lroTimeoutMs: settings.lroTimeoutMs,
      onSecretRead: (value) => secrets.register(value),
    },
  };
}
