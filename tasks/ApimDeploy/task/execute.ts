import { RemoteError } from '../../common/errors';
import { createNodeFileSystem } from '../../common/fs/node-file-system';
import type { TaskContext, TaskOutcome } from '../../common/host/run-task';
import { createArmGateway } from '../core/arm-gateway';
import { deploy, settingsSecrets } from '../core/deploy';
import type { ApimDeploySettings } from '../core/model';
import type { DeployDeps } from '../core/sources';
import { connectApim } from './apim-connection';

/**
 * The task around the core: signs in with the AzureRM connection (any scheme, any cloud, the
 * agent's proxy and CAs), builds the SDK client and the file/URL readers, runs the action and
 * publishes the output variables.
 */
export async function executeApimDeploy(settings: ApimDeploySettings, ctx: TaskContext): Promise<TaskOutcome> {
  const { host, secrets, log: logger } = ctx;
  // Registered first; runTask redacts the failure message with them (an ARM message may echo what it was sent).
  for (const value of settingsSecrets(settings.run)) secrets.register(value);
  const { http, gatewayOptions } = await connectApim(settings, ctx);
  const gateway = createArmGateway(gatewayOptions);

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
