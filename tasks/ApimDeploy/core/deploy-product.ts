import { DeployError } from './apim-errors';
import type { ProductState } from './gateway';
import type { DeployOutputs, GlobalPolicySettings, ProductSettings } from './model';
import { samePolicy } from './policy-xml';
import { checkNamedValues, resolvePolicy, type DeployDeps } from './sources';
import { WriteLog } from './write-log';

/** Consumption instances have no groups (no developer portal users); group links are skipped there. */
export function tierHasGroups(sku: string): boolean {
  return sku.toLowerCase() !== 'consumption';
}

export async function deployProduct(s: ProductSettings, deps: DeployDeps): Promise<DeployOutputs> {
  const { gateway, logger } = deps;
  const writes = new WriteLog(logger);
  const policy = await resolvePolicy(s.policy, 'product', deps);

  const service = await gateway.getService();
  if (policy) await checkNamedValues([policy], deps);
  const current = await gateway.getProduct(s.productId);
  const withGroups = tierHasGroups(service.sku);
  let groupsToAdd: string[] = [];
  let groupsToRemove: string[] = [];
  if (s.groups.length > 0 || s.removeOtherGroups) {
    if (!withGroups) {
      logger.warning(`The service is on the ${service.sku} tier, which has no groups; product groups are not set.`);
    } else {
      const existing = new Map((await gateway.listGroups()).map((g) => [g.toLowerCase(), g]));
      const missing = s.groups.filter((g) => !existing.has(g.toLowerCase()));
      if (missing.length > 0) {
        throw new DeployError(`Group(s) ${missing.map((m) => `'${m}'`).join(', ')} do not exist in the service (groups: ${[...existing.values()].join(', ')}); create them first or fix the ids.`);
      }
      const linked = current ? await gateway.listProductGroups(s.productId) : [];
      const linkedSet = new Set(linked.map((g) => g.toLowerCase()));
      const wanted = new Set(s.groups.map((g) => g.toLowerCase()));
      groupsToAdd = s.groups.filter((g) => !linkedSet.has(g.toLowerCase())).map((g) => existing.get(g.toLowerCase())!);
      groupsToRemove = s.removeOtherGroups ? linked.filter((g) => !wanted.has(g.toLowerCase())) : [];
    }
  }

  const want: ProductState = {
    displayName: s.displayName ?? current?.displayName ?? s.productId,
    description: s.description ?? current?.description,
    terms: s.terms ?? current?.terms,
    subscriptionRequired: s.subscriptionRequired ?? current?.subscriptionRequired ?? true,
    approvalRequired: s.approvalRequired ?? current?.approvalRequired,
    subscriptionsLimit: s.subscriptionsLimit ?? current?.subscriptionsLimit,
    state: s.state ?? current?.state ?? 'notPublished',
  };
  if (!want.subscriptionRequired) {
    // APIM rejects approval and limits on a product that needs no subscription.
    want.approvalRequired = undefined;
    want.subscriptionsLimit = undefined;
  }
  const changed = !current || (Object.keys(want) as Array<keyof ProductState>).some((k) => want[k] !== undefined && want[k] !== current[k]);
  if (changed) {
    await writes.run(`${current ? 'Update' : 'Create'} product '${s.productId}'`, () => gateway.putProduct(s.productId, want));
  } else {
    writes.unchanged(`product '${s.productId}'`);
  }
  for (const g of groupsToAdd) await writes.run(`Give group '${g}' access to product '${s.productId}'`, () => gateway.addGroupToProduct(s.productId, g));
  for (const g of groupsToRemove) await writes.run(`Remove group '${g}' from product '${s.productId}'`, () => gateway.removeGroupFromProduct(s.productId, g));
  if (policy) {
    const scope = { kind: 'product' as const, productId: s.productId };
    if (current && samePolicy(await gateway.getPolicy(scope), policy.xml)) writes.unchanged(`policy of product '${s.productId}'`);
    else await writes.run(`Set the policy of product '${s.productId}' from ${policy.source}`, () => gateway.putPolicy(scope, policy.xml));
  }
  if (writes.writes === 0) logger.info(`Product '${s.productId}': unchanged, nothing written.`);
  return { productId: s.productId, writes: writes.writes };
}

export async function deployGlobalPolicy(s: GlobalPolicySettings, deps: DeployDeps): Promise<DeployOutputs> {
  const writes = new WriteLog(deps.logger);
  const policy = await resolvePolicy(s.policy, 'global', deps);
  if (!policy) throw new DeployError('No global policy given: choose a file, inline XML or a template.');
  await checkNamedValues([policy], deps);
  if (samePolicy(await deps.gateway.getPolicy({ kind: 'global' }), policy.xml)) {
    writes.unchanged('global (All APIs) policy');
    deps.logger.info('Global policy: unchanged, nothing written.');
  } else {
    await writes.run(`Set the global (All APIs) policy from ${policy.source}`, () => deps.gateway.putPolicy({ kind: 'global' }, policy.xml));
  }
  return { writes: writes.writes };
}
