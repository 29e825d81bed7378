import { ApiManagementClient } from '@azure/arm-apimanagement';
import { createAzureSession } from '../../common/auth/azure-credential';
import { readAzureRmEndpoint } from '../../common/endpoints/azurerm';
import { EndpointError, RemoteError } from '../../common/errors';
import { createNodeFileSystem } from '../../common/fs/node-file-system';
import type { TaskContext, TaskOutcome } from '../../common/host/run-task';
import { createHttpClient } from '../../common/http/http-client';
import { readNetworkSettings } from '../../common/http/network';
import { createArmGateway } from '../core/arm-gateway';
import { deploy, settingsSecrets } from '../core/deploy';
import type { ApimDeploySettings } from '../core/model';
import type { DeployDeps } from '../core/sources';

/**
 * The task around the core: signs in with the AzureRM connection (any scheme, any cloud, the
 * agent's proxy and CAs), builds the SDK client and the file/URL readers, runs the action and
 * publishes the output variables.
 */
export async function executeApimDeploy(settings: ApimDeploySettings, { host, secrets, log: logger }: TaskContext): Promise<TaskOutcome> {
  // Registered first; runTask redacts the failure message with them (an ARM message may echo what it was sent).
  for (const value of settingsSecrets(settings.run)) secrets.register(value);
  const network = readNetworkSettings(host, secrets);
  const http = createHttpClient({ network, secrets, logger });
  const endpoint = readAzureRmEndpoint(host, settings.connection);
  const session = await createAzureSession(endpoint, network, http);
  if (!session.subscriptionId) throw new EndpointError(settings.connection, 'names no subscription; use a connection scoped to a subscription');
  const client = new ApiManagementClient(session.credential, session.subscriptionId, session.clientOptions);
  const gateway = createArmGateway({
    client,
    subscriptionId: session.subscriptionId,
    resourceGroup: settings.target.resourceGroup,
    serviceName: settings.target.serviceName,
    resourceManagerUrl: endpoint.resourceManagerUrl,
    lroTimeoutMs: settings.lroTimeoutMs,
    onSecretRead: (value) => secrets.register(value),
  });

  const deps: DeployDeps = {
    gateway,
    logger,
    fs: createNodeFileSystem({ baseFolder: settings.workingDirectory, baseFolderName: 'System.DefaultWorkingDirectory' }),
    fetchText: async (url) => {
      try {
        const r = await http.get<string>(url, { responseType: 'text', transformResponse: (x: string) => x });
        return r.data;
      } catch (err) {
        if (err instanceof RemoteError) throw new RemoteError(`Downloading the API definition failed: ${err.message}`, err.status);
        throw err;
      }
    },
    now: () => new Date(),
    loc: (key, ...args) => host.loc(key, ...args),
  };

  logger.info(host.loc('Target', settings.run.action, settings.target.serviceName, settings.target.resourceGroup));
  const out = await deploy(settings.run, deps);
  if (out.apiId) host.setVariable('apiId', out.apiId, { isOutput: true });
  if (out.apiRevision) host.setVariable('apiRevision', out.apiRevision, { isOutput: true });
  if (out.gatewayUrl) host.setVariable('gatewayUrl', out.gatewayUrl, { isOutput: true });
  if (out.productId) host.setVariable('productId', out.productId, { isOutput: true });
  if (out.namedValueId) host.setVariable('namedValueId', out.namedValueId, { isOutput: true });
  if (out.backendId) host.setVariable('backendId', out.backendId, { isOutput: true });
  host.setVariable('writeCount', String(out.writes), { isOutput: true });
  return { result: 'Succeeded', message: out.writes === 0 ? host.loc('Unchanged') : host.loc('Changed', out.writes) };
}
