/**
 * The CheckContext controls receive. `related()` is deliberately name-based, like ARM itself:
 * a child resource's fully qualified name starts with its parent's name ("site/web" belongs to "site"),
 * whether it is declared nested in `resources` or at top level. A resource whose `dependsOn` names the
 * resource (by resource id or by name) is related as well — that is how templates tie a top-level
 * `Microsoft.Sql/servers/firewallRules` declared with a computed name to its server.
 * Comparisons are case-insensitive; a name part known only at deployment reads as its expression text
 * ("[parameters('siteName')]/web"), so a child matches its parent when both are written with the same
 * expression, as they are when the child is nested or built from the parent's name.
 */
import type { CheckContext, EvaluatedResource, EvaluatedTemplate, EvaluatedValue } from '../model';

/** Resource-id suffix of a resource: Microsoft.Sql/servers/srv/databases/db for (Microsoft.Sql/servers/databases, srv/db). */
export function resourceIdSuffix(type: string, name: string): string | undefined {
  const typeParts = type.split('/');
  const nameParts = name.split('/');
  if (typeParts.length < 2 || nameParts.length !== typeParts.length - 1) return undefined;
  const segments = [typeParts[0]!];
  for (let i = 1; i < typeParts.length; i++) segments.push(typeParts[i]!, nameParts[i - 1]!);
  return segments.join('/').toLowerCase();
}

function dependsOnList(resource: EvaluatedResource): string[] {
  const deps: EvaluatedValue | undefined = resource.body['dependsOn'];
  if (!Array.isArray(deps)) return [];
  return deps.filter((d): d is string => typeof d === 'string').map((d) => d.toLowerCase());
}

export function isChildOf(candidate: EvaluatedResource, parent: EvaluatedResource): boolean {
  const ct = candidate.type.toLowerCase();
  const pt = parent.type.toLowerCase();
  if (!ct.startsWith(`${pt}/`)) return false;
  return candidate.name.toLowerCase().startsWith(`${parent.name.toLowerCase()}/`);
}

/** Adds `value` to the list under (outer, inner), making both levels as needed. */
function put<V>(map: Map<string, Map<string, V[]>>, outer: string, inner: string, value: V): void {
  let byInner = map.get(outer);
  if (!byInner) {
    byInner = new Map();
    map.set(outer, byInner);
  }
  const list = byInner.get(inner);
  if (list) list.push(value);
  else byInner.set(inner, [value]);
}

/**
 * The relations of one template's resources, indexed once, so that related() costs the size of its
 * answer rather than a pass over every resource (which made a scan quadratic in resources).
 */
class Relations {
  private readonly position = new Map<EvaluatedResource, number>();
  /** type → a name prefix ending before a '/' → the resources of that type whose name starts so. */
  private readonly byPrefix = new Map<string, Map<string, EvaluatedResource[]>>();
  /** type → a dependsOn entry → the resources whose dependsOn holds it. */
  private readonly byDependency = new Map<string, Map<string, EvaluatedResource[]>>();
  /** type → a dependsOn entry or a tail of it after a '/' → the resources whose dependsOn holds it so. */
  private readonly byDependencyTail = new Map<string, Map<string, EvaluatedResource[]>>();

  constructor(resources: readonly EvaluatedResource[]) {
    resources.forEach((r, i) => {
      this.position.set(r, i);
      const type = r.type.toLowerCase();
      const name = r.name.toLowerCase();
      for (let at = name.indexOf('/'); at > 0; at = name.indexOf('/', at + 1)) put(this.byPrefix, type, name.slice(0, at), r);
      const whole = new Set(dependsOnList(r));
      const tails = new Set<string>(whole);
      for (const d of whole) for (let at = d.indexOf('/'); at >= 0; at = d.indexOf('/', at + 1)) tails.add(d.slice(at + 1));
      for (const k of whole) put(this.byDependency, type, k, r);
      for (const k of tails) put(this.byDependencyTail, type, k, r);
    });
  }

  related(resource: EvaluatedResource, type: string): EvaluatedResource[] {
    const wanted = type.toLowerCase();
    const name = resource.name.toLowerCase();
    const found = new Set<EvaluatedResource>();
    for (const r of this.byPrefix.get(wanted)?.get(name) ?? []) if (isChildOf(r, resource)) found.add(r);
    // dependsOn names it by its name, or by its resource id (whole, or as the end of a longer one).
    for (const r of this.byDependency.get(wanted)?.get(name) ?? []) found.add(r);
    const suffix = resourceIdSuffix(resource.type, resource.name);
    if (suffix !== undefined) for (const r of this.byDependencyTail.get(wanted)?.get(suffix) ?? []) found.add(r);
    found.delete(resource);
    const out = [...found];
    // In template order, as a filter over the resources would give them.
    return out.length > 1 ? out.sort((a, b) => this.position.get(a)! - this.position.get(b)!) : out;
  }
}

export function createCheckContext(template: EvaluatedTemplate): CheckContext {
  let relations: Relations | undefined;
  return {
    template,
    related(resource: EvaluatedResource, type: string): EvaluatedResource[] {
      relations ??= new Relations(template.resources);
      return relations.related(resource, type);
    },
  };
}
