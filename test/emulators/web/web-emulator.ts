/**
 * App Service (Microsoft.Web, api-version 2023-12-01) on top of the ARM emulator, with a Kudu and
 * an app host per app and slot. Every request under Microsoft.Web/sites is matched to an operation
 * of the committed specification extract and its body validated against it before anything else;
 * what the service would refuse gets a 400 in ARM's error shape, and `specLog` keeps the verdict
 * of every request for the tests' spec check.
 */
import * as crypto from 'crypto';
import { ArmContext, ArmEmulator, armError } from '../arm';
import { isObject } from '../jwt';
import type { Reply, TlsMaterial } from '../server';
import type { TokenRegistry } from '../tokens';
import { AppServer, KuduServer } from './kudu-server';
import { bodyProblems, matchOperation } from './spec-check';
import type { SiteState, SlotState } from './state';

export const WEB_API_VERSION = '2023-12-01';

export interface AddSiteOptions {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location?: string;
  /** `app` (Windows, the default), `app,linux`, `functionapp,linux`… */
  kind?: string;
  /** Deployment slots besides production. */
  slots?: string[];
  /** basicPublishingCredentialsPolicies/scm allow (default true), for every slot. */
  scmBasicAuth?: boolean;
  appSettings?: Record<string, string>;
}

export interface SpecLogEntry {
  method: string;
  path: string;
  apiVersion: string;
  /** undefined: the request matched no operation of the specification. */
  operationId?: string;
  /** Why the body was refused; empty when it was valid. */
  problems: string[];
  status: number;
}

export interface SwapRecord {
  site: string;
  slots: [string, string];
  time: number;
}

export class WebEmulator {
  readonly specLog: SpecLogEntry[] = [];
  readonly swaps: SwapRecord[] = [];
  /** Status polls answered "in progress" for the long-running site writes (app settings, config/web). */
  siteWritePolls = 1;
  /** Status polls answered "in progress" before a swap completes. */
  swapPolls = 1;
  /** Status of a request to an app's host (health checks): default 200. */
  health: (slot: SlotState, path: string) => number = () => 200;
  private readonly sites = new Map<string, SiteState>();

  constructor(
    readonly arm: ArmEmulator,
    private readonly tls: TlsMaterial,
    private readonly tokens: TokenRegistry,
  ) {
    arm.route('*', '/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Web/*', (ctx) => this.dispatch(ctx), { requireApiVersion: false });
  }

  /** Creates an app (and its slots), each with its own Kudu and app host listening on 127.0.0.1. */
  async addSite(o: AddSiteOptions): Promise<SiteState> {
    if (!this.arm.getResourceGroup(o.subscriptionId, o.resourceGroup)) this.arm.addResourceGroup(o.subscriptionId, o.resourceGroup, o.location);
    const site: SiteState = { subscriptionId: o.subscriptionId, resourceGroup: o.resourceGroup, name: o.name, location: o.location ?? 'westeurope', kind: o.kind ?? 'app', slots: new Map() };
    for (const slotName of ['production', ...(o.slots ?? [])]) {
      const slot = { site, name: slotName, appSettings: { ...(o.appSettings ?? {}) }, siteConfig: { healthCheckPath: null, alwaysOn: true }, scmBasicAuth: o.scmBasicAuth ?? true, inPreview: false } as Partial<SlotState> as SlotState;
      slot.publishingUserName = slotName === 'production' ? `$${o.name}` : `$${o.name}__${slotName}`;
      slot.publishingPassword = crypto.randomBytes(24).toString('base64url');
      slot.kudu = new KuduServer(this.tls, this.tokens, () => [this.arm.url, ...this.arm.acceptedAudiences], slot);
      slot.app = new AppServer(this.tls, slot, (s, p) => this.health(s, p));
      await Promise.all([slot.kudu.start(), slot.app.start()]);
      site.slots.set(slotName.toLowerCase(), slot);
    }
    this.sites.set(siteKey(o.subscriptionId, o.resourceGroup, o.name), site);
    return site;
  }

  site(subscriptionId: string, resourceGroup: string, name: string): SiteState | undefined {
    return this.sites.get(siteKey(subscriptionId, resourceGroup, name));
  }

  slot(subscriptionId: string, resourceGroup: string, name: string, slot = 'production'): SlotState {
    const s = this.site(subscriptionId, resourceGroup, name)?.slots.get(slot.toLowerCase());
    if (!s) throw new Error(`no slot ${resourceGroup}/${name}/${slot}`);
    return s;
  }

  /** Requests that matched no operation or were refused by validation (the spec check wants none). */
  get specViolations(): SpecLogEntry[] {
    return this.specLog.filter((e) => !e.operationId || e.problems.length > 0 || e.apiVersion !== WEB_API_VERSION);
  }

  async close(): Promise<void> {
    const servers = [...this.sites.values()].flatMap((s) => [...s.slots.values()].flatMap((slot) => [slot.kudu, slot.app]));
    await Promise.all(servers.map((s) => s.close()));
  }

  private dispatch(ctx: ArmContext): Reply {
    const entry: SpecLogEntry = { method: ctx.method, path: ctx.path, apiVersion: ctx.query.get('api-version') ?? '', problems: [], status: 0 };
    this.specLog.push(entry);
    const reply = this.answer(ctx, entry);
    entry.status = reply.status;
    return reply;
  }

  private answer(ctx: ArmContext, entry: SpecLogEntry): Reply {
    const matched = matchOperation(ctx.method, ctx.path);
    if (!matched) return armError(404, 'NotFound', `No operation of Microsoft.Web ${WEB_API_VERSION} (as emulated) matches ${ctx.method} ${ctx.path}.`);
    const { operation, params } = matched;
    entry.operationId = operation.operationId;
    if (!entry.apiVersion) return armError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
    if (entry.apiVersion !== WEB_API_VERSION) {
      return armError(400, 'NoRegisteredProviderFound', `No registered resource provider found for location 'westeurope' and API version '${entry.apiVersion}' for type 'sites'. The supported api-versions are '${WEB_API_VERSION}'.`);
    }
    entry.problems = bodyProblems(operation, ctx.json);
    if (entry.problems.length) {
      return { status: 400, body: { error: { code: 'BadRequest', message: entry.problems.join(' '), details: entry.problems.map((message) => ({ code: 'BadRequest', message })) } } };
    }
    if (!this.arm.getResourceGroup(params.subscriptionId, params.resourceGroupName)) {
      return armError(404, 'ResourceGroupNotFound', `Resource group '${params.resourceGroupName}' could not be found.`);
    }
    if (operation.operationId === 'WebApps_ListByResourceGroup') {
      const sites = [...this.sites.values()].filter((s) => s.subscriptionId.toLowerCase() === params.subscriptionId.toLowerCase() && s.resourceGroup.toLowerCase() === params.resourceGroupName.toLowerCase());
      return { status: 200, body: this.arm.paginate(ctx, sites.map((s) => siteBody(s.slots.get('production')!))) };
    }
    const site = this.site(params.subscriptionId, params.resourceGroupName, params.name);
    if (!site) return armError(404, 'ResourceNotFound', `The Resource 'Microsoft.Web/sites/${params.name}' under resource group '${params.resourceGroupName}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
    const slot = site.slots.get((params.slot ?? 'production').toLowerCase());
    if (!slot) return armError(404, 'ResourceNotFound', `The Resource 'Microsoft.Web/sites/${params.name}/slots/${params.slot}' under resource group '${params.resourceGroupName}' was not found.`);
    const body = isObject(ctx.json) ? ctx.json : {};
    const props = isObject(body.properties) ? body.properties : {};

    switch (operation.operationId) {
      case 'WebApps_Get':
      case 'WebApps_GetSlot':
        return { status: 200, body: siteBody(slot) };
      case 'WebApps_ListSlots':
        return { status: 200, body: this.arm.paginate(ctx, [...site.slots.values()].filter((s) => s.name !== 'production').map(siteBody)) };
      case 'WebApps_GetScmAllowed':
      case 'WebApps_GetScmAllowedSlot':
        return { status: 200, body: scmPolicyBody(slot) };
      case 'WebApps_UpdateScmAllowed':
      case 'WebApps_UpdateScmAllowedSlot':
        slot.scmBasicAuth = props.allow === true;
        return { status: 200, body: scmPolicyBody(slot) };
      case 'WebApps_ListPublishingCredentials':
      case 'WebApps_ListPublishingCredentialsSlot':
        return {
          status: 200,
          body: {
            id: `${slotId(slot)}/config/publishingcredentials`,
            name: slot.name === 'production' ? site.name : `${site.name}/${slot.name}`,
            type: 'Microsoft.Web/sites/config',
            properties: {
              publishingUserName: slot.publishingUserName,
              publishingPassword: slot.publishingPassword,
              scmUri: `https://${encodeURIComponent(slot.publishingUserName)}:${slot.publishingPassword}@${slot.kudu.hostName}`,
            },
          },
        };
      case 'WebApps_ListApplicationSettings':
      case 'WebApps_ListApplicationSettingsSlot':
        return { status: 200, body: configBody(slot, 'appsettings', slot.appSettings) };
      case 'WebApps_UpdateApplicationSettings':
        return this.siteWrite(slot, () => {
          slot.appSettings = { ...(props as Record<string, string>) };
          return configBody(slot, 'appsettings', slot.appSettings);
        });
      case 'WebApps_UpdateApplicationSettingsSlot':
        slot.appSettings = { ...(props as Record<string, string>) };
        return { status: 200, body: configBody(slot, 'appsettings', slot.appSettings) };
      case 'WebApps_GetConfiguration':
      case 'WebApps_GetConfigurationSlot':
        return { status: 200, body: configBody(slot, 'web', slot.siteConfig) };
      case 'WebApps_CreateOrUpdateConfiguration':
      case 'WebApps_UpdateConfiguration': {
        const replace = operation.method === 'PUT';
        return this.siteWrite(slot, () => {
          slot.siteConfig = replace ? { ...props } : { ...slot.siteConfig, ...props };
          return configBody(slot, 'web', slot.siteConfig);
        });
      }
      case 'WebApps_CreateOrUpdateConfigurationSlot':
      case 'WebApps_UpdateConfigurationSlot':
        slot.siteConfig = operation.method === 'PUT' ? { ...props } : { ...slot.siteConfig, ...props };
        return { status: 200, body: configBody(slot, 'web', slot.siteConfig) };
      case 'WebApps_SwapSlotWithProduction':
      case 'WebApps_SwapSlot': {
        const other = site.slots.get(String(body.targetSlot).toLowerCase());
        if (!other) return armError(400, 'BadRequest', `Cannot find the target slot '${String(body.targetSlot)}' of site '${site.name}'.`);
        if (other === slot) return armError(400, 'BadRequest', 'The source and target slots of a swap must differ.');
        const op = this.arm.beginOperation({
          subscriptionId: site.subscriptionId,
          namespace: 'Microsoft.Web',
          location: site.location,
          polls: this.swapPolls,
          // The final poll answers 200 (the SDK, generated from the spec, accepts 200 and 202 only).
          result: () => ({}),
          onDone: (outcome) => {
            if (outcome === 'Succeeded') this.swap(slot, other);
          },
        });
        return { status: 202, headers: op.headers('location') };
      }
      case 'WebApps_ApplySlotConfigToProduction':
      case 'WebApps_ApplySlotConfigurationSlot': {
        if (!site.slots.get(String(body.targetSlot).toLowerCase())) return armError(400, 'BadRequest', `Cannot find the target slot '${String(body.targetSlot)}' of site '${site.name}'.`);
        slot.inPreview = true;
        return { status: 200 };
      }
      case 'WebApps_ResetProductionSlotConfig':
      case 'WebApps_ResetSlotConfigurationSlot':
        slot.inPreview = false;
        return { status: 200 };
      default:
        return armError(404, 'NotFound', `${operation.operationId} is in the specification extract but not emulated.`);
    }
  }

  /** A long-running write of the site (not of a slot): 202 with a Location, applied when done. */
  private siteWrite(slot: SlotState, apply: () => unknown): Reply {
    if (this.siteWritePolls <= 0) return { status: 200, body: apply() };
    let result: unknown;
    const op = this.arm.beginOperation({
      subscriptionId: slot.site.subscriptionId,
      namespace: 'Microsoft.Web',
      location: slot.site.location,
      polls: this.siteWritePolls,
      result: () => result,
      onDone: (outcome) => {
        if (outcome === 'Succeeded') result = apply();
      },
    });
    return { status: 202, headers: op.headers('location') };
  }

  /** Content and (non-sticky) settings change places; host names and Kudu stay with the slot. */
  private swap(a: SlotState, b: SlotState): void {
    [a.content, b.content] = [b.content, a.content];
    [a.appSettings, b.appSettings] = [b.appSettings, a.appSettings];
    [a.siteConfig, b.siteConfig] = [b.siteConfig, a.siteConfig];
    a.inPreview = false;
    b.inPreview = false;
    this.swaps.push({ site: `${a.site.resourceGroup}/${a.site.name}`, slots: [a.name, b.name], time: Date.now() });
  }
}

function siteKey(sub: string, rg: string, name: string): string {
  return `${sub}|${rg}|${name}`.toLowerCase();
}

function slotId(slot: SlotState): string {
  const s = slot.site;
  const base = `/subscriptions/${s.subscriptionId}/resourceGroups/${s.resourceGroup}/providers/Microsoft.Web/sites/${s.name}`;
  return slot.name === 'production' ? base : `${base}/slots/${slot.name}`;
}

function siteBody(slot: SlotState): Record<string, unknown> {
  const s = slot.site;
  const production = slot.name === 'production';
  return {
    id: slotId(slot),
    name: production ? s.name : `${s.name}/${slot.name}`,
    type: production ? 'Microsoft.Web/sites' : 'Microsoft.Web/sites/slots',
    kind: s.kind,
    location: s.location,
    properties: {
      state: 'Running',
      hostNames: [slot.app.hostName],
      repositorySiteName: s.name,
      usageState: 'Normal',
      enabled: true,
      enabledHostNames: [slot.app.hostName, slot.kudu.hostName],
      availabilityState: 'Normal',
      hostNameSslStates: [
        { name: slot.app.hostName, sslState: 'Disabled', hostType: 'Standard' },
        { name: slot.kudu.hostName, sslState: 'Disabled', hostType: 'Repository' },
      ],
      serverFarmId: `/subscriptions/${s.subscriptionId}/resourceGroups/${s.resourceGroup}/providers/Microsoft.Web/serverfarms/plan-${s.location}`,
      reserved: /linux/i.test(s.kind),
      lastModifiedTimeUtc: new Date().toISOString(),
      resourceGroup: s.resourceGroup,
      defaultHostName: slot.app.hostName,
      httpsOnly: true,
      slotSwapStatus: null,
    },
  };
}

function scmPolicyBody(slot: SlotState): Record<string, unknown> {
  return { id: `${slotId(slot)}/basicPublishingCredentialsPolicies/scm`, name: 'scm', type: 'Microsoft.Web/sites/basicPublishingCredentialsPolicies', properties: { allow: slot.scmBasicAuth } };
}

function configBody(slot: SlotState, name: string, properties: unknown): Record<string, unknown> {
  return { id: `${slotId(slot)}/config/${name}`, name, type: 'Microsoft.Web/sites/config', properties };
}
