import type { ApimCall, ApimEmulator, ApimRouter } from './apim-emulator';
import { ApimError, inUse, notFound, validationError } from './errors';
import { apiContract, resolveApi } from './routes-apis';
import { ApimServiceState, checkIfMatch, compact, Entity, key, ProductRecord, requireString, upsertEntity } from './state';

const PRODUCT_TYPE = 'Microsoft.ApiManagement/service/products';

function productContract(svc: ApimServiceState, p: ProductRecord): Record<string, unknown> {
  return { id: `${svc.id}/products/${p.name}`, type: PRODUCT_TYPE, name: p.name, properties: p.properties };
}

function groupContract(svc: ApimServiceState, g: Entity): Record<string, unknown> {
  return { id: `${svc.id}/groups/${g.name}`, type: 'Microsoft.ApiManagement/service/groups', name: g.name, properties: g.properties };
}

export function getProduct(svc: ApimServiceState, id: string): ProductRecord {
  const p = svc.products[key(id)];
  if (!p) {
    throw notFound('Product');
  }
  return p;
}

/** Groups do not exist on the Consumption tier. */
function requireGroups(svc: ApimServiceState): void {
  if (svc.sku.toLowerCase() === 'consumption') {
    throw new ApimError(400, 'MethodNotAllowedInPricingTier', 'Method not allowed in Consumption pricing tier');
  }
}

function productProperties(props: Record<string, unknown>): Record<string, unknown> {
  requireString(props, 'displayName', { max: 300 });
  const state = props.state ?? 'notPublished';
  if (state !== 'published' && state !== 'notPublished') {
    throw validationError({ target: 'state', message: `'state' must be 'published' or 'notPublished', not '${String(state)}'.` });
  }
  const subscriptionRequired = props.subscriptionRequired ?? true;
  if (typeof subscriptionRequired !== 'boolean') {
    throw validationError({ target: 'subscriptionRequired', message: "'subscriptionRequired' must be a boolean." });
  }
  if (!subscriptionRequired && (props.approvalRequired === true || (props.subscriptionsLimit !== undefined && props.subscriptionsLimit !== null))) {
    throw validationError({ target: props.approvalRequired === true ? 'approvalRequired' : 'subscriptionsLimit', message: 'approvalRequired and subscriptionsLimit can only be set when subscriptionRequired is true.' });
  }
  if (props.subscriptionsLimit !== undefined && props.subscriptionsLimit !== null && (!Number.isInteger(props.subscriptionsLimit) || (props.subscriptionsLimit as number) < 0)) {
    throw validationError({ target: 'subscriptionsLimit', message: "'subscriptionsLimit' must be a non-negative integer." });
  }
  return compact({
    displayName: props.displayName,
    description: props.description ?? undefined,
    terms: props.terms ?? undefined,
    subscriptionRequired,
    approvalRequired: subscriptionRequired ? props.approvalRequired ?? false : undefined,
    subscriptionsLimit: subscriptionRequired ? props.subscriptionsLimit ?? undefined : undefined,
    state,
  });
}

export function registerProductRoutes(r: ApimRouter, emu: ApimEmulator): void {
  r.add('GET', '/products', (c) => emu.page(c, Object.values(c.svc.products).map((p) => productContract(c.svc, p))));
  r.add('GET', '/products/:productId', (c) => {
    const p = getProduct(c.svc, c.params.productId);
    return { status: 200, body: productContract(c.svc, p), headers: { ETag: p.etag } };
  });
  r.add('HEAD', '/products/:productId', (c) => ({ status: 200, headers: { ETag: getProduct(c.svc, c.params.productId).etag } }));
  r.add('PUT', '/products/:productId', (c) => {
    checkIfMatch(c.headers['if-match'], c.svc.products[key(c.params.productId)]?.etag, false);
    const { entity, created } = upsertEntity(c.svc.products, c.params.productId, productProperties(c.props));
    const p = entity as ProductRecord;
    p.apis ??= [];
    p.groups ??= [];
    p.tags ??= [];
    if (created && c.svc.sku.toLowerCase() !== 'consumption') {
      // A new product is visible to administrators, as in the real service.
      p.groups.push('administrators');
    }
    return { status: created ? 201 : 200, body: productContract(c.svc, p), headers: { ETag: p.etag } };
  });
  r.add('PATCH', '/products/:productId', (c) => {
    const p = getProduct(c.svc, c.params.productId);
    checkIfMatch(c.headers['if-match'], p.etag, true);
    upsertEntity(c.svc.products, p.name, productProperties({ ...p.properties, ...c.props }));
    return { status: 200, body: productContract(c.svc, p), headers: { ETag: p.etag } };
  });
  r.add('DELETE', '/products/:productId', (c) => {
    const p = c.svc.products[key(c.params.productId)];
    if (!p) {
      return { status: 204 };
    }
    checkIfMatch(c.headers['if-match'], p.etag, true);
    const scope = `/products/${p.name}`.toLowerCase();
    const subscriptions = Object.values(c.svc.subscriptions).filter((s) => String(s.properties.scope).toLowerCase() === scope);
    if (subscriptions.length > 0 && c.query.get('deleteSubscriptions') !== 'true') {
      // Emulator's choice of status (the specification gives only `default`): a product with subscriptions goes only with deleteSubscriptions=true.
      throw inUse(`Product has ${subscriptions.length} subscription(s); delete them first or set deleteSubscriptions=true.`);
    }
    for (const s of subscriptions) delete c.svc.subscriptions[key(s.name)];
    delete c.svc.products[key(c.params.productId)];
    return { status: 200 };
  });

  // Product <-> API links (classic productApi).
  r.add('GET', '/products/:productId/apis', (c) => {
    const p = getProduct(c.svc, c.params.productId);
    const items = p.apis.map((a) => c.svc.apis[a]).filter((a) => a !== undefined)
      .map((api) => apiContract(c.svc, { api, rev: api.revisions[String(api.current)], name: api.name }));
    return emu.page(c, items);
  });
  const apiLink = (c: ApimCall): { p: ProductRecord; apiKey: string; linked: boolean; apiName: string } => {
    const p = getProduct(c.svc, c.params.productId);
    const { api } = resolveApi(c.svc, c.params.apiId);
    return { p, apiKey: key(api.name), linked: p.apis.includes(key(api.name)), apiName: api.name };
  };
  r.add('HEAD', '/products/:productId/apis/:apiId', (c) => {
    const { linked } = apiLink(c);
    return linked ? { status: 204 } : notFound('Api').toReply();
  });
  r.add('PUT', '/products/:productId/apis/:apiId', (c) => {
    const { p, apiKey, linked } = apiLink(c);
    if (!linked) {
      p.apis.push(apiKey);
    }
    const api = c.svc.apis[apiKey];
    return { status: linked ? 200 : 201, body: apiContract(c.svc, { api, rev: api.revisions[String(api.current)], name: api.name }) };
  });
  r.add('DELETE', '/products/:productId/apis/:apiId', (c) => {
    const p = getProduct(c.svc, c.params.productId);
    const before = p.apis.length;
    p.apis = p.apis.filter((a) => a !== key(c.params.apiId.split(';')[0]));
    return { status: p.apis.length === before ? 204 : 200 };
  });
  r.add('GET', '/apis/:apiId/products', (c) => {
    const { api } = resolveApi(c.svc, c.params.apiId);
    return emu.page(c, Object.values(c.svc.products).filter((p) => p.apis.includes(key(api.name))).map((p) => productContract(c.svc, p)));
  });

  // Groups and product <-> group links.
  r.add('GET', '/groups', (c) => {
    requireGroups(c.svc);
    return emu.page(c, Object.values(c.svc.groups).map((g) => groupContract(c.svc, g)));
  });
  const group = (c: ApimCall): Entity => {
    requireGroups(c.svc);
    const g = c.svc.groups[key(c.params.groupId)];
    if (!g) {
      throw notFound('Group');
    }
    return g;
  };
  r.add('GET', '/groups/:groupId', (c) => {
    const g = group(c);
    return { status: 200, body: groupContract(c.svc, g), headers: { ETag: g.etag } };
  });
  r.add('PUT', '/groups/:groupId', (c) => {
    requireGroups(c.svc);
    const existing = c.svc.groups[key(c.params.groupId)];
    checkIfMatch(c.headers['if-match'], existing?.etag, false);
    if (existing?.properties.builtIn) {
      throw validationError({ target: 'groupId', message: `Built-in group '${existing.name}' cannot be modified.` });
    }
    requireString(c.props, 'displayName', { max: 300 });
    const type = c.props.type ?? 'custom';
    if (type !== 'custom' && type !== 'external') {
      throw validationError({ target: 'type', message: "'type' must be 'custom' or 'external'." });
    }
    const { entity, created } = upsertEntity(c.svc.groups, c.params.groupId, compact({ displayName: c.props.displayName, description: c.props.description, externalId: c.props.externalId, builtIn: false, type }));
    return { status: created ? 201 : 200, body: groupContract(c.svc, entity), headers: { ETag: entity.etag } };
  });
  r.add('DELETE', '/groups/:groupId', (c) => {
    requireGroups(c.svc);
    const g = c.svc.groups[key(c.params.groupId)];
    if (!g) {
      return { status: 204 };
    }
    checkIfMatch(c.headers['if-match'], g.etag, true);
    if (g.properties.builtIn || g.properties.type === 'system') {
      throw validationError({ target: 'groupId', message: `Built-in group '${g.name}' cannot be deleted.` });
    }
    delete c.svc.groups[key(c.params.groupId)];
    for (const p of Object.values(c.svc.products)) {
      p.groups = p.groups.filter((x) => x !== key(g.name));
    }
    return { status: 200 };
  });
  r.add('GET', '/products/:productId/groups', (c) => {
    requireGroups(c.svc);
    const p = getProduct(c.svc, c.params.productId);
    return emu.page(c, p.groups.map((g) => c.svc.groups[g]).filter((g) => g !== undefined).map((g) => groupContract(c.svc, g)));
  });
  r.add('HEAD', '/products/:productId/groups/:groupId', (c) => {
    requireGroups(c.svc);
    const p = getProduct(c.svc, c.params.productId);
    return p.groups.includes(key(c.params.groupId)) ? { status: 204 } : notFound('Group').toReply();
  });
  r.add('PUT', '/products/:productId/groups/:groupId', (c) => {
    const p = getProduct(c.svc, c.params.productId);
    const g = group(c);
    const linked = p.groups.includes(key(g.name));
    if (!linked) {
      p.groups.push(key(g.name));
    }
    return { status: linked ? 200 : 201, body: groupContract(c.svc, g) };
  });
  r.add('DELETE', '/products/:productId/groups/:groupId', (c) => {
    requireGroups(c.svc);
    const p = getProduct(c.svc, c.params.productId);
    const before = p.groups.length;
    p.groups = p.groups.filter((g) => g !== key(c.params.groupId));
    return { status: p.groups.length === before ? 204 : 200 };
  });
}
