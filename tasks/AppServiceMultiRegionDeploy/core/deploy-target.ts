/**
 * One target, start to end: read the app from ARM, choose how Kudu is reached, patch the app
 * settings, upload and wait, check health, and for a slot swap it into production (with preview)
 * and swap back when production is not healthy afterwards.
 */
import { TaskError } from '../../common/errors';
import { oneLine } from '../../common/log/safe-text';
import { patchAppSettings } from './app-settings';
import { checkHealth } from './health';
import { KuduClient, type KuduMethod } from './kudu';
import type { DeploymentMethod, DeploySettings, PackageKind, Target, TargetOutcome } from './model';
import type { CoreDeps, SiteInfo } from './ports';

export type ResolvedMethod = 'oneDeploy' | 'zipDeploy' | 'runFromPackage';

/** Checked once before any target: a jar or war goes through OneDeploy only. */
export function checkMethodForPackage(method: DeploymentMethod, kind: PackageKind): void {
  if ((kind === 'jar' || kind === 'war') && (method === 'zipDeploy' || method === 'runFromPackage')) {
    throw new TaskError(`Input 'deploymentMethod': ${method} deploys zip packages; a .${kind} package needs oneDeploy (or auto)`);
  }
}

/** `auto`: OneDeploy on Linux and for jar/war, Run From Package on Windows (as Microsoft's AzureWebApp does). */
export function resolveMethod(method: DeploymentMethod, kind: PackageKind, site: SiteInfo): ResolvedMethod {
  if (method !== 'auto') return method;
  if (kind === 'jar' || kind === 'war' || /linux/i.test(site.kind)) return 'oneDeploy';
  return 'runFromPackage';
}

export async function deployTarget(target: Target, settings: DeploySettings, deps: CoreDeps): Promise<TargetOutcome> {
  const { arm, log, clock } = deps;
  const started = clock.now();
  const outcome = (o: Omit<TargetOutcome, 'target' | 'durationMs'>): TargetOutcome => ({ target, durationMs: clock.now() - started, ...o });
  let site: SiteInfo | undefined;
  let deployed = false;
  try {
    // Independent reads go out together: far regions cost a round trip each. The SCM policy is one
    // of them (it never fails the deployment: unreadable means "not allowed").
    const basicAllowed = scmBasicAuthAllowed(target, deps);
    const [siteRead, settingsRead] = await Promise.allSettled([arm.getSite(target), arm.listAppSettings(target)]);
    if (siteRead.status === 'rejected') throw siteRead.reason;
    if (settingsRead.status === 'rejected') throw settingsRead.reason;
    site = siteRead.value;
    const method = resolveMethod(settings.method, deps.pkg.kind, site);
    log.info(`${target.label}: ${site.location}, ${site.kind || 'app'}; deploying ${oneLine(deps.pkg.name)} with ${method} through ${oneLine(site.scmHostName)}`);

    const change = patchAppSettings(settingsRead.value, settings.appSettings, method === 'runFromPackage', target.label);
    // Both settle before going on: neither is left running behind a failure of the other.
    const [auth, written] = await Promise.allSettled([kuduAuthorization(target, deps, basicAllowed), change ? arm.replaceAppSettings(target, change.next) : Promise.resolve()]);
    if (written.status === 'rejected') throw written.reason;
    if (auth.status === 'rejected') throw auth.reason;
    if (change) {
      const parts = [change.changed.length ? `set ${change.changed.map(oneLine).join(', ')}` : '', change.removed.length ? `removed ${change.removed.map(oneLine).join(', ')}` : ''].filter(Boolean);
      log.info(`${target.label}: app settings updated (${parts.join('; ')})`);
    }
    const authorization = auth.value;

    const kudu = new KuduClient({
      http: deps.http,
      baseUrl: `https://${site.scmHostName}`,
      authorization,
      log,
      clock,
      label: target.label,
    });
    const kuduMethod: KuduMethod = method === 'oneDeploy' ? 'oneDeploy' : 'zipDeploy';
    await kudu.deploy(kuduMethod, deps.pkg, started + settings.deploymentTimeoutMs);
    deployed = true;
    log.info(`${target.label}: the new version is deployed`);

    if (settings.health) {
      const health = await checkHealth(deps.probeHttp, site.defaultHostName, settings.health, log, clock, target.label);
      if (!health.healthy) {
        return outcome({ result: 'Failed', region: site.location, url: appUrl(site), deployed, message: `deployed, but not healthy: ${health.last}` });
      }
    }
    if (target.slot && settings.swap) return await swapIntoProduction(target, site, settings, deps, outcome);
    return outcome({ result: 'Succeeded', region: site.location, url: appUrl(site), deployed });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log.error(`${target.label}: ${message}`);
    return outcome({ result: 'Failed', region: site?.location, url: site ? appUrl(site) : undefined, deployed, message });
  }
}

async function swapIntoProduction(
  target: Target,
  slotSite: SiteInfo,
  settings: DeploySettings,
  deps: CoreDeps,
  outcome: (o: Omit<TargetOutcome, 'target' | 'durationMs'>) => TargetOutcome,
): Promise<TargetOutcome> {
  const { arm, log, clock } = deps;
  const swap = settings.swap!;
  const health = settings.health!;
  const production: Target = { resourceGroup: target.resourceGroup, app: target.app, label: `${target.resourceGroup}/${target.app}` };
  const productionSite = await arm.getSite(production);

  if (swap.preview) {
    log.info(`${target.label}: swap with preview: the slot takes production's settings`);
    await arm.applyProductionConfigToSlot(target);
    const preview = await checkHealth(deps.probeHttp, slotSite.defaultHostName, health, log, clock, target.label);
    if (!preview.healthy) {
      await arm.resetSlotConfig(target);
      log.warning(`${target.label}: not healthy with production's settings (${preview.last}); swap cancelled, the slot has its own settings back`);
      return outcome({ result: 'Failed', region: slotSite.location, url: appUrl(slotSite), deployed: true, message: `not healthy with production's settings: ${preview.last}; not swapped` });
    }
  }

  log.info(`${target.label}: swapping into production`);
  await arm.swapWithProduction(target);
  const after = await checkHealth(deps.probeHttp, productionSite.defaultHostName, health, log, clock, production.label);
  if (after.healthy) {
    log.info(`${target.label}: swapped; production runs the new version`);
    return outcome({ result: 'Succeeded', region: productionSite.location, url: appUrl(productionSite), deployed: true, swappedIntoProduction: true });
  }
  if (!swap.swapBackOnFailure) {
    return outcome({ result: 'Failed', region: productionSite.location, url: appUrl(productionSite), deployed: true, swappedIntoProduction: true, message: `production not healthy after the swap: ${after.last}; not swapped back (swapBackOnFailure is off)` });
  }
  log.warning(`${production.label}: not healthy after the swap (${after.last}); swapping back`);
  await arm.swapWithProduction(target);
  const restored = await checkHealth(deps.probeHttp, productionSite.defaultHostName, { ...health, retries: Math.min(health.retries, 2) }, log, clock, production.label);
  return outcome({
    result: 'SwappedBack',
    region: productionSite.location,
    url: appUrl(productionSite),
    deployed: false,
    message: `production not healthy after the swap (${after.last}); swapped back, production runs the previous version${restored.healthy ? '' : ` (and is still not healthy: ${restored.last})`}`,
  });
}

/** Whether the app's SCM policy allows basic credentials; a policy that cannot be read counts as "not allowed", as Microsoft's tasks do. */
async function scmBasicAuthAllowed(target: Target, deps: CoreDeps): Promise<boolean> {
  try {
    return await deps.arm.scmBasicAuthAllowed(target);
  } catch (err) {
    deps.log.debug(`${target.label}: cannot read basicPublishingCredentialsPolicies/scm (${(err as Error).message}); using an Entra token`);
    return false;
  }
}

/**
 * Basic publishing credentials when the app's SCM policy allows them (read together with the app),
 * otherwise an Entra token. The credentials themselves are listed only when they will be used.
 */
async function kuduAuthorization(target: Target, deps: CoreDeps, basicAllowed: Promise<boolean>): Promise<() => Promise<string>> {
  if (await basicAllowed) {
    const creds = await deps.arm.publishingCredentials(target);
    deps.registerSecret(creds.password);
    const header = `Basic ${Buffer.from(`${creds.userName}:${creds.password}`).toString('base64')}`;
    deps.registerSecret(header.slice('Basic '.length));
    deps.log.info(`${target.label}: Kudu authentication: basic publishing credentials`);
    return async () => header;
  }
  deps.log.info(`${target.label}: Kudu authentication: Microsoft Entra token (basic publishing credentials are disabled)`);
  return async () => {
    const token = await deps.kuduToken();
    deps.registerSecret(token);
    return `Bearer ${token}`;
  };
}

function appUrl(site: SiteInfo): string {
  return `https://${site.defaultHostName}/`;
}
