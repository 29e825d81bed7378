/** Deployment, scope and resource functions (template-functions-deployment, -scope, -resource). */
import { EvaluatedValue, UnknownValue } from '../../model';
import { Env, siteError, siteLocation, unknownAt } from '../runtime';
import { RuntimeValue, fromPlain, newObj, setProp } from '../values';
import { CallNode, Registry, int, str } from './registry';

export function registerDeployment(r: Registry): void {
  r.def('parameters', 1, 1, (a, env, n) => {
    const name = str(a[0], env, n, 0);
    if (env.fnParams) {
      const v = env.fnParams.get(name.toLowerCase());
      if (v === undefined) throw siteError(env, `${n.display}(): the user-defined function has no parameter '${name}' (a user-defined function can only read its own parameters)`);
      if (env.fnSecure?.has(name.toLowerCase())) env.host.taint.force();
      return v;
    }
    const v = env.host.parameter(name, env);
    // Re-anchor at the use site: the declaration is not where a reader looks for the expression.
    return v instanceof UnknownValue ? new UnknownValue(v.reason, siteLocation(env), env.site.text) : v;
  }, { passes: true });
  r.def('variables', 1, 1, (a, env, n) => {
    if (env.fnParams) throw siteError(env, `${n.display}() cannot be used inside a user-defined function`);
    return env.host.variable(str(a[0], env, n, 0), env);
  }, { passes: true });
  r.def('copyIndex', 0, 2, (a, env, n) => {
    let loop: string | undefined;
    let offset = 0;
    if (a.length === 1) {
      if (typeof a[0] === 'number') offset = int(a[0], env, n, 0);
      else loop = str(a[0], env, n, 0);
    } else if (a.length === 2) {
      loop = str(a[0], env, n, 0);
      offset = int(a[1], env, n, 1);
    }
    let b = env.copy;
    if (loop === undefined) {
      while (b && !b.resourceLoop) b = b.parent;
      b ??= env.copy;
    } else {
      const l = loop.toLowerCase();
      while (b && b.name !== l) b = b.parent;
    }
    if (!b) throw siteError(env, loop === undefined ? 'copyIndex() is used outside a copy loop' : `copyIndex('${loop}'): there is no copy loop named '${loop}' here`);
    return typeof b.index === 'number' ? b.index + offset : b.index;
  });
  r.def('deployment', 0, 0, (_a, env) => env.host.deployment(env));
  r.def('environment', 0, 0, () => azureCloud());
  r.def('subscription', 0, 0, (_a, env) => {
    const c = env.host.context;
    return fromPlain({ id: `/subscriptions/${c.subscriptionId}`, subscriptionId: c.subscriptionId, tenantId: c.tenantId, displayName: unknownAt(env, 'the subscription display name is known only at deployment') }, 'subscription()');
  });
  r.def('resourceGroup', 0, 0, (_a, env) => {
    const c = env.host.context;
    // Built in place (what fromPlain would make): `resourceGroup().location` is in nearly every resource.
    const rg = newObj();
    setProp(rg, 'id', `/subscriptions/${c.subscriptionId}/resourceGroups/${c.resourceGroupName}`);
    setProp(rg, 'name', c.resourceGroupName);
    setProp(rg, 'type', 'Microsoft.Resources/resourceGroups');
    setProp(rg, 'location', c.location ?? unknownAt(env, 'the resource group location is known only at deployment'));
    setProp(rg, 'managedBy', null);
    setProp(rg, 'tags', newObj());
    const properties = newObj();
    setProp(properties, 'provisioningState', 'Succeeded');
    setProp(rg, 'properties', properties);
    return rg;
  });
  r.def('tenant', 0, 0, (_a, env) => {
    const c = env.host.context;
    return fromPlain({ id: `/tenants/${c.tenantId}`, tenantId: c.tenantId, countryCode: unknownAt(env, 'the tenant country is known only at deployment'), displayName: unknownAt(env, 'the tenant name is known only at deployment') }, 'tenant()');
  });
  r.def('managementGroup', 0, 1, (_a, env) => unknownAt(env, 'managementGroup() is known only at deployment'));
  // user-defined-functions#limitations: no reference() and no list*() in a user-defined function.
  r.def('reference', 1, 3, (_a, env, n) => runtimeOnly(env, n, `${n.display}() reads the runtime state of a resource, known only at deployment`), { acceptsUnknown: true });
  r.def('references', 1, 2, (_a, env, n) => runtimeOnly(env, n, `${n.display}() reads runtime state, known only at deployment`), { acceptsUnknown: true });
  r.def('pickZones', 3, 5, (_a, env, n) => unknownAt(env, `${n.display}() depends on the region's zones, known only at deployment`), { acceptsUnknown: true });
  r.def('providers', 1, 2, (_a, env, n) => unknownAt(env, `${n.display}() is known only at deployment`), { acceptsUnknown: true });
  r.def('listKeys,listSecrets,listAccountSas,listServiceSas,listConnectionStrings,listCredentials', 2, 3, (_a, env, n) => listResult(env, n), { acceptsUnknown: true });

  r.def('resourceId', 2, Infinity, (a, env, n) => {
    const { type, names, before } = resourceIdParts(a, env, n, 0);
    const c = env.host.context;
    let sub = c.subscriptionId;
    let rg = c.resourceGroupName;
    if (before.length === 1) rg = before[0];
    else if (before.length === 2) [sub, rg] = before;
    else if (before.length > 2) throw siteError(env, `${n.display}(): too many arguments before the resource type`);
    return `/subscriptions/${sub}/resourceGroups/${rg}${idPath(type, names)}`;
  });
  r.def('subscriptionResourceId', 2, Infinity, (a, env, n) => {
    const { type, names, before } = resourceIdParts(a, env, n, 0);
    if (before.length > 1) throw siteError(env, `${n.display}(): too many arguments before the resource type`);
    return `/subscriptions/${before[0] ?? env.host.context.subscriptionId}${idPath(type, names)}`;
  });
  r.def('tenantResourceId', 2, Infinity, (a, env, n) => {
    const { type, names, before } = resourceIdParts(a, env, n, 0);
    if (before.length > 0) throw siteError(env, `${n.display}(): unexpected arguments before the resource type`);
    return idPath(type, names);
  });
  r.def('managementGroupResourceId', 2, Infinity, (a, env, n) => {
    const { type, names, before } = resourceIdParts(a, env, n, 0);
    if (before.length === 0) return unknownAt(env, 'the management group is known only at deployment');
    return `/providers/Microsoft.Management/managementGroups/${before[0]}${idPath(type, names)}`;
  });
  r.def('extensionResourceId', 3, Infinity, (a, env, n) => {
    const base = str(a[0], env, n, 0);
    const { type, names } = resourceIdParts(a, env, n, 1);
    return `${base}${idPath(type, names)}`;
  });
}

function runtimeOnly(env: Env, n: CallNode, reason: string): UnknownValue {
  if (env.fn) throw siteError(env, `${n.display}() cannot be used inside a user-defined function`);
  return unknownAt(env, reason);
}

/** list*(): keys and secrets, unknown before deployment; anything computed from them is secure. */
export function listResult(env: Env, n: CallNode): UnknownValue {
  if (env.fn) throw siteError(env, `${n.display}() cannot be used inside a user-defined function`);
  env.host.taint.force();
  return unknownAt(env, `${n.display}() returns secrets/keys known only at deployment`);
}

function resourceIdParts(a: RuntimeValue[], env: Env, n: CallNode, from: number): { type: string; names: string[]; before: string[] } {
  // Plain loops: resourceId() is among the most called functions (every dependsOn and reference).
  const strs: string[] = new Array<string>(a.length);
  for (let i = 0; i < a.length; i++) strs[i] = str(a[i], env, n, i);
  let t = -1;
  for (let i = from; i < strs.length; i++) {
    if (strs[i].includes('/')) { t = i; break; }
  }
  if (t === -1) throw siteError(env, `${n.display}(): no resource type (namespace/type) among the arguments`);
  const names: string[] = [];
  for (let i = t + 1; i < strs.length; i++) {
    const s = strs[i];
    if (s.includes('/')) for (const part of s.split('/')) names.push(part);
    else names.push(s);
  }
  // ARM tolerates a stray trailing slash in the type ('Microsoft.Network/virtualNetworks/').
  const raw = strs[t];
  const type = raw.charCodeAt(0) === 47 || raw.charCodeAt(raw.length - 1) === 47 ? raw.replace(/^\/+|\/+$/g, '') : raw;
  let segs = 0;
  for (let i = 0; i < type.length; i++) if (type.charCodeAt(i) === 47) segs++;
  if (names.length !== segs) {
    throw siteError(env, `${n.display}(): resource type '${raw.slice(0, 200)}' needs ${segs} name segment(s), got ${names.length}`);
  }
  return { type, names, before: strs.slice(from, t) };
}

function idPath(type: string, names: string[]): string {
  const ts = type.split('/');
  let out = `/providers/${ts[0]}`;
  for (let i = 1; i < ts.length; i++) out += `/${ts[i]}/${names[i - 1]}`;
  return out;
}

function azureCloud(): EvaluatedValue {
  return fromPlain({
    name: 'AzureCloud',
    gallery: 'https://gallery.azure.com/',
    graph: 'https://graph.windows.net/',
    portal: 'https://portal.azure.com',
    graphAudience: 'https://graph.windows.net/',
    activeDirectoryDataLake: 'https://datalake.azure.net/',
    batch: 'https://batch.core.windows.net/',
    media: 'https://rest.media.azure.net',
    sqlManagement: 'https://management.core.windows.net:8443/',
    vmImageAliasDoc: 'https://raw.githubusercontent.com/Azure/azure-rest-api-specs/master/arm-compute/quickstart-templates/aliases.json',
    resourceManager: 'https://management.azure.com/',
    authentication: {
      loginEndpoint: 'https://login.microsoftonline.com/',
      audiences: ['https://management.core.windows.net/', 'https://management.azure.com/'],
      tenant: 'common',
      identityProvider: 'AAD',
    },
    suffixes: {
      acrLoginServer: '.azurecr.io',
      azureDatalakeAnalyticsCatalogAndJob: 'azuredatalakeanalytics.net',
      azureDatalakeStoreFileSystem: 'azuredatalakestore.net',
      azureFrontDoorEndpointSuffix: 'azurefd.net',
      keyvaultDns: '.vault.azure.net',
      sqlServerHostname: '.database.windows.net',
      storage: 'core.windows.net',
    },
  }, 'environment()');
}
