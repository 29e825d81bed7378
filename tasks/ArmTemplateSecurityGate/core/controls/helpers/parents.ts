/** The parent a child resource declared at top level belongs to ("nsg/rule" → the NSG "nsg"), found by name. */

import type { CheckContext, EvaluatedResource } from '../../model';

const byTemplate = new WeakMap<object, Map<string, Map<string, EvaluatedResource>>>();

/** The resource of `type` whose name is `child`'s name without its last segment, when the template deploys it (not `existing`). */
export function declaredParent(child: EvaluatedResource, ctx: CheckContext, type: string): EvaluatedResource | undefined {
  const at = child.name.lastIndexOf('/');
  if (at <= 0) return undefined;
  let byType = byTemplate.get(ctx.template);
  if (!byType) byTemplate.set(ctx.template, (byType = new Map()));
  const key = type.toLowerCase();
  let byName = byType.get(key);
  if (!byName) {
    byName = new Map();
    for (const r of ctx.template.resources) if (!r.existing && r.type.toLowerCase() === key) byName.set(r.name.toLowerCase(), r);
    byType.set(key, byName);
  }
  return byName.get(child.name.slice(0, at).toLowerCase());
}
