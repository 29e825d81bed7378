/**
 * The Microsoft.Web calls of a deployment over @azure/arm-appservice, at api-version 2023-12-01
 * (the client's `apiVersion` option; sovereign clouds lag behind the SDK's default). The SDK
 * pipeline signs, retries 429/5xx with Retry-After and polls the swap; every long-running call is
 * bounded, and every failure names what was being done.
 */
import type { WebSiteManagementClient } from '@azure/arm-appservice';
import { createDefaultHttpClient, createHttpHeaders, createPipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { describeAzureError } from '../../common/auth/azure-errors';
import { RemoteError, TaskError } from '../../common/errors';
import { oneLine } from '../../common/log/safe-text';
import type { Target } from './model';
import type { Clock, PublishingCredentials, SiteInfo, WebArm } from './ports';

export const WEB_API_VERSION = '2023-12-01';

export interface WebArmOptions {
  client: WebSiteManagementClient;
  subscriptionId: string;
  /** Resource Manager URL with a trailing slash. */
  resourceManagerUrl: string;
  lroTimeoutMs: number;
  clock: Clock;
}

export function createWebArm(o: WebArmOptions): WebArm {
  const { client } = o;
  const apps = client.webApps;
  const httpClient = createDefaultHttpClient();

  async function call<T>(doing: string, target: Target, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status === 404 && doing === 'reading the app') {
        throw new TaskError(
          target.slot
            ? `Slot '${target.slot}' of App Service '${target.app}' was not found in resource group '${target.resourceGroup}'`
            : `App Service '${target.app}' was not found in resource group '${target.resourceGroup}' of subscription ${o.subscriptionId}`,
        );
      }
      const described = describeAzureError(err);
      throw new RemoteError(`${doing} failed: ${described?.message ?? (err as Error).message}`, described?.status ?? status, described?.code);
    }
  }

  /** Bounds a long-running operation; the SDK's poller stops when the signal fires. */
  async function bounded<T>(doing: string, target: Target, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), o.lroTimeoutMs);
    try {
      return await call(doing, target, () => fn(controller.signal));
    } catch (err) {
      if (controller.signal.aborted) throw new RemoteError(`${doing} did not finish within ${Math.round(o.lroTimeoutMs / 60_000)} minute(s); Azure may still complete it`);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The site's app settings PUT is a long-running operation in the 2023-12-01 specification
   * (200, or 202 with a Location to poll); the SDK models it as synchronous and would reject a 202.
   * So this one request goes through the client's own pipeline (same credential, retries, proxy).
   */
  async function putSiteAppSettings(target: Target, settings: Record<string, string>): Promise<void> {
    const path = `subscriptions/${enc(o.subscriptionId)}/resourceGroups/${enc(target.resourceGroup)}/providers/Microsoft.Web/sites/${enc(target.app)}/config/appsettings`;
    const send = (method: 'PUT' | 'GET', url: string, body?: unknown, abortSignal?: AbortSignal) =>
      client.pipeline.sendRequest(
        httpClient,
        createPipelineRequest({
          url,
          method,
          abortSignal,
          headers: createHttpHeaders({ Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) }),
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      );
    await bounded('updating the app settings', target, async (signal) => {
      let response = await send('PUT', `${o.resourceManagerUrl}${path}?api-version=${WEB_API_VERSION}`, { properties: settings }, signal);
      if (response.status === 200) return;
      if (response.status !== 202) throw armFailure(response);
      const location = response.headers.get('location');
      if (!location) throw new RemoteError(`Azure Resource Manager accepted the app settings (202) but named no Location to follow`);
      const pollUrl = sameOrigin(location, o.resourceManagerUrl);
      do {
        await o.clock.sleep(retryAfterMs(response));
        response = await send('GET', pollUrl, undefined, signal);
      } while (response.status === 202);
      if (response.status !== 200 && response.status !== 204) throw armFailure(response);
    });
  }

  return {
    async getSite(target) {
      const site = await call('reading the app', target, () => (target.slot ? apps.getSlot(target.resourceGroup, target.app, target.slot) : apps.get(target.resourceGroup, target.app)));
      const scm = site.hostNameSslStates?.find((h) => h.hostType === 'Repository')?.name;
      if (!scm) throw new RemoteError(`Azure names no SCM (Kudu) host for this app (no hostNameSslStates entry of hostType Repository); is it a web or function app with Kudu?`);
      if (!site.defaultHostName) throw new RemoteError(`Azure names no default host name for this app`);
      return { location: site.location, kind: site.kind ?? '', defaultHostName: site.defaultHostName, scmHostName: scm } satisfies SiteInfo;
    },
    async scmBasicAuthAllowed(target) {
      const policy = await call('reading basicPublishingCredentialsPolicies/scm', target, () =>
        target.slot ? apps.getScmAllowedSlot(target.resourceGroup, target.app, target.slot) : apps.getScmAllowed(target.resourceGroup, target.app),
      );
      return policy.allow === true;
    },
    async publishingCredentials(target) {
      const user = await bounded('reading the publishing credentials', target, (abortSignal) =>
        target.slot
          ? apps.listPublishingCredentialsSlot(target.resourceGroup, target.app, target.slot, { abortSignal, updateIntervalInMs: 1000 }).pollUntilDone({ abortSignal })
          : apps.listPublishingCredentials(target.resourceGroup, target.app, { abortSignal, updateIntervalInMs: 1000 }).pollUntilDone({ abortSignal }),
      );
      if (!user.publishingUserName || !user.publishingPassword) throw new RemoteError(`Azure returned no publishing user name or password`);
      return { userName: user.publishingUserName, password: user.publishingPassword } satisfies PublishingCredentials;
    },
    async listAppSettings(target) {
      const dict = await call('reading the app settings', target, () =>
        target.slot ? apps.listApplicationSettingsSlot(target.resourceGroup, target.app, target.slot) : apps.listApplicationSettings(target.resourceGroup, target.app),
      );
      return { ...(dict.properties ?? {}) };
    },
    async replaceAppSettings(target, settings) {
      if (target.slot) {
        await call('updating the app settings', target, () => apps.updateApplicationSettingsSlot(target.resourceGroup, target.app, target.slot!, { properties: settings }));
      } else {
        await putSiteAppSettings(target, settings);
      }
    },
    async applyProductionConfigToSlot(target) {
      await call("applying production's settings to the slot", target, () =>
        apps.applySlotConfigurationSlot(target.resourceGroup, target.app, target.slot!, { targetSlot: 'production', preserveVnet: true }),
      );
    },
    async resetSlotConfig(target) {
      await call("restoring the slot's own settings", target, () => apps.resetSlotConfigurationSlot(target.resourceGroup, target.app, target.slot!));
    },
    async swapWithProduction(target) {
      await bounded('swapping the slot with production', target, (abortSignal) =>
        apps.swapSlot(target.resourceGroup, target.app, target.slot!, { targetSlot: 'production', preserveVnet: true }, { abortSignal, updateIntervalInMs: 1000 }).pollUntilDone({ abortSignal }),
      );
    },
  };
}

function enc(s: string): string {
  return encodeURIComponent(s);
}

function retryAfterMs(response: PipelineResponse): number {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 60) * 1000 : 2000;
}

/** The operation URL must be on Resource Manager itself: the request carries its token. */
function sameOrigin(location: string, resourceManagerUrl: string): string {
  const url = new URL(location, resourceManagerUrl);
  if (url.origin !== new URL(resourceManagerUrl).origin) throw new RemoteError(`Azure Resource Manager named an operation URL on another host (${oneLine(url.origin)}); not following it`);
  return url.toString();
}

function armFailure(response: PipelineResponse): RemoteError {
  let code: string | undefined;
  let message = (response.bodyAsText ?? '').slice(0, 300);
  try {
    const parsed = JSON.parse(response.bodyAsText ?? '') as { error?: { code?: string; message?: string }; Code?: string; Message?: string };
    code = parsed.error?.code ?? parsed.Code;
    message = parsed.error?.message ?? parsed.Message ?? message;
  } catch {
    // Not JSON (a gateway's page): the excerpt above says what came back.
  }
  return new RemoteError(`Azure Resource Manager answered HTTP ${response.status}${code ? ` ${code}` : ''}: ${oneLine(message)}`, response.status, code);
}
