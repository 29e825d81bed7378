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

function dependsOnNames(candidate: EvaluatedResource, target: EvaluatedResource): boolean {
  const deps = dependsOnList(candidate);
  if (!deps.length) return false;
  const suffix = resourceIdSuffix(target.type, target.name);
  const name = target.name.toLowerCase();
  return deps.some((d) => d === name || (suffix !== undefined && (d === suffix || d.endsWith(`/${suffix}`))));
}

export function isChildOf(candidate: EvaluatedResource, parent: EvaluatedResource): boolean {
  const ct = candidate.type.toLowerCase();
  const pt = parent.type.toLowerCase();
  if (!ct.startsWith(`${pt}/`)) return false;
  return candidate.name.toLowerCase().startsWith(`${parent.name.toLowerCase()}/`);
}

export function createCheckContext(template: EvaluatedTemplate): CheckContext {
  return {
    template,
    related(resource: EvaluatedResource, type: string): EvaluatedResource[] {
      const wanted = type.toLowerCase();
      return template.resources.filter(
        (r) =>
          r !== resource &&
          r.type.toLowerCase() === wanted &&
          (isChildOf(r, resource) || dependsOnNames(r, resource)),
      );
    },
  };
}
