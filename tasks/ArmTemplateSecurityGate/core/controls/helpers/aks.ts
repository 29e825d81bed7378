/** AKS clusters and their node pools: pools are declared inline (agentPoolProfiles) or as managedClusters/agentPools resources. */

import { UnknownValue, type EvaluatedValue } from '../../model';
import { isObject, prop, type ResourceView } from './lookup';
import { fail, pass, unknown, type Rule } from './results';

export const AKS_TYPE = 'Microsoft.ContainerService/managedClusters';
export const AKS_POOL_TYPE = 'Microsoft.ContainerService/managedClusters/agentPools';

/** An add-on profile by name (addonProfiles keys are case-insensitive: azurepolicy / azurePolicy). */
export function addon(view: ResourceView, name: string): { enabled: boolean | UnknownValue; config?: EvaluatedValue } {
  const profiles = view.getShallow('$.properties.addonProfiles');
  if (profiles.state === 'unknown') return { enabled: profiles.value };
  if (profiles.state !== 'value' || !isObject(profiles.value)) return { enabled: false };
  const p = prop(profiles.value, name);
  if (p instanceof UnknownValue) return { enabled: p };
  if (!isObject(p)) return { enabled: false };
  const e = prop(p, 'enabled');
  if (e instanceof UnknownValue) return { enabled: e, config: prop(p, 'config') };
  return { enabled: e === true || (typeof e === 'string' && e.toLowerCase() === 'true'), config: prop(p, 'config') };
}

/**
 * A rule over every node pool a resource declares: the cluster's agentPoolProfiles, or the agentPools
 * resource itself. `judge` says what is wrong with one pool's properties (undefined when nothing).
 */
export function eachPool(judge: (pool: { [key: string]: EvaluatedValue }) => string | UnknownValue | undefined, ok: string): Rule {
  return (view) => {
    const isPool = view.type.toLowerCase() === AKS_POOL_TYPE.toLowerCase();
    const list = isPool ? view.getShallow('$.properties') : view.getShallow('$.properties.agentPoolProfiles');
    if (list.state === 'unknown') return unknown(`Cannot decide for the node pools: ${list.value.reason}.`, list.location);
    const pools = isPool ? (list.state === 'value' && isObject(list.value) ? [{ name: view.name, props: list.value }] : []) : list.state === 'value' && Array.isArray(list.value) ? list.value.map((p, i) => ({ name: isObject(p) && typeof prop(p, 'name') === 'string' ? String(prop(p, 'name')) : `[${i}]`, props: p })) : [];
    if (pools.length === 0) return undefined;
    const problems: string[] = [];
    let undecided: UnknownValue | undefined;
    for (const p of pools) {
      if (p.props instanceof UnknownValue) {
        undecided ??= p.props;
        continue;
      }
      if (!isObject(p.props)) continue;
      const j = judge(p.props);
      if (j instanceof UnknownValue) undecided ??= j;
      else if (j) problems.push(`pool '${p.name}' ${j}`);
    }
    if (problems.length) return fail(`${problems.join('; ')}.`, list.location);
    if (undecided) return unknown(`Cannot decide for every node pool: ${undecided.reason}.`, undecided.location ?? list.location);
    return pass(ok, list.location);
  };
}
