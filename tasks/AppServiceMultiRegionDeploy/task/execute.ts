import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WebSiteManagementClient } from '@azure/arm-appservice';
import { createAzureSession } from '../../common/auth/azure-credential';
import { readAzureRmEndpoint } from '../../common/endpoints/azurerm';
import { EndpointError } from '../../common/errors';
import type { TaskContext, TaskOutcome } from '../../common/host/run-task';
import { createHttpClient } from '../../common/http/http-client';
import { readNetworkSettings } from '../../common/http/network';
import { deployAll } from '../core/deploy';
import type { DeploySettings } from '../core/model';
import type { Clock } from '../core/ports';
import { outputVariables, summaryMarkdown } from '../core/report';
import { createWebArm, WEB_API_VERSION } from '../core/web-arm';
import { resolvePackage } from './package-source';

const LRO_TIMEOUT_MS = 30 * 60_000;

const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * The task around the core: signs in with the AzureRM connection (any scheme, any cloud, the
 * agent's proxy and CAs), pins the Microsoft.Web api-version, resolves the package, runs the
 * rollout and publishes what v2 reports.
 */
export async function executeAppServiceDeploy(settings: DeploySettings, { host, secrets, log }: TaskContext): Promise<TaskOutcome> {
  for (const value of settings.appSettings?.set.values() ?? []) secrets.register(value);
  const pkg = resolvePackage(settings.packagePattern, settings.workingDirectory);
  const network = readNetworkSettings(host, secrets);
  const http = createHttpClient({ network, secrets, logger: log });
  const probeHttp = createHttpClient({ network, secrets, logger: log, retry: { retries: 0 } });
  const endpoint = readAzureRmEndpoint(host, settings.connection);
  const session = await createAzureSession(endpoint, network, http);
  if (!session.subscriptionId) throw new EndpointError(settings.connection, 'names no subscription; use a connection scoped to a subscription');
  const { endpoint: armUrl, credentialScopes, ...pipelineOptions } = session.clientOptions;
  const client = new WebSiteManagementClient(session.credential, session.subscriptionId, {
    ...pipelineOptions,
    endpoint: armUrl,
    // This client reads its scopes from `credentials`, not `credentialScopes`: without it a
    // sovereign cloud's connection would ask for a token of public Azure.
    credentials: { scopes: credentialScopes },
    apiVersion: WEB_API_VERSION,
  });
  const arm = createWebArm({ client, subscriptionId: session.subscriptionId, resourceManagerUrl: endpoint.resourceManagerUrl, lroTimeoutMs: LRO_TIMEOUT_MS, clock: realClock });

  const report = await deployAll(settings, {
    arm,
    http,
    probeHttp,
    kuduToken: async () => {
      const token = await session.credential.getToken(session.scope);
      if (!token) throw new EndpointError(settings.connection, 'gave no access token for Kudu');
      return token.token;
    },
    registerSecret: (v) => secrets.register(v),
    pkg,
    log,
    clock: realClock,
  });

  if (settings.report) {
    for (const v of outputVariables(report.outcomes)) host.setVariable(v.name, v.value, { isOutput: true });
    const dir = host.getVariable('Agent.TempDirectory') ?? os.tmpdir();
    const file = path.join(dir, `app-service-multi-region-${Date.now()}.md`);
    fs.writeFileSync(file, summaryMarkdown(report.outcomes));
    host.uploadSummary(file);
  }
  return { result: report.result, message: report.message };
}
