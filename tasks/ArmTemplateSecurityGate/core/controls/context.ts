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
import { lowerType } from '../resource-type';

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

/** Adds `value` to the list under `key`. */
function put<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The resources of one type, indexed for related(). */
interface TypeIndex {
  /** Position in the template's resource list (answers come in template order). */
  position: Map<EvaluatedResource, number>;
  /** A name prefix ending before a '/' → the resources whose name starts so. */
  byPrefix: Map<string, EvaluatedResource[]>;
  /** A dependsOn entry → the resources whose dependsOn holds it. */
  byDependency: Map<string, EvaluatedResource[]>;
  /** A dependsOn entry or a tail of it after a '/' → the resources whose dependsOn holds it so. */
  byDependencyTail: Map<string, EvaluatedResource[]>;
}

const NONE: readonly EvaluatedResource[] = Object.freeze([]);

/**
 * The relations of one template's resources, indexed so that related() costs the size of its answer
 * rather than a pass over every resource (which made a scan quadratic in resources). Only the types
 * controls ask about are indexed (a few child types: config, securityRules, peerings, ...), when first
 * asked: indexing every resource's name prefixes and dependencies up front cost more than all the
 * questions. An answer is kept per resource and type: several controls ask the same question.
 */
class Relations {
  private readonly ofType = new Map<string, EvaluatedResource[]>();
  private readonly indexes = new Map<string, TypeIndex>();
  private readonly answers = new Map<EvaluatedResource, Map<string, readonly EvaluatedResource[]>>();

  constructor(resources: readonly EvaluatedResource[]) {
    for (const r of resources) put(this.ofType, lowerType(r.type), r);
  }

  private index(type: string): TypeIndex | undefined {
    let idx = this.indexes.get(type);
    if (idx !== undefined) return idx;
    const resources = this.ofType.get(type);
    if (resources === undefined) return undefined;
    idx = { position: new Map(), byPrefix: new Map(), byDependency: new Map(), byDependencyTail: new Map() };
    for (let i = 0; i < resources.length; i++) {
      const r = resources[i]!;
      idx.position.set(r, i);
      const name = r.name.toLowerCase();
      for (let at = name.indexOf('/'); at > 0; at = name.indexOf('/', at + 1)) put(idx.byPrefix, name.slice(0, at), r);
      const whole = new Set(dependsOnList(r));
      const tails = new Set<string>(whole);
      for (const d of whole) for (let at = d.indexOf('/'); at >= 0; at = d.indexOf('/', at + 1)) tails.add(d.slice(at + 1));
      for (const k of whole) put(idx.byDependency, k, r);
      for (const k of tails) put(idx.byDependencyTail, k, r);
    }
    this.indexes.set(type, idx);
    return idx;
  }

  related(resource: EvaluatedResource, type: string): readonly EvaluatedResource[] {
    let mine = this.answers.get(resource);
    if (mine === undefined) this.answers.set(resource, (mine = new Map()));
    let answer = mine.get(type);
    if (answer === undefined) {
      answer = this.find(resource, type);
      mine.set(type, answer);
    }
    return answer;
  }

  private find(resource: EvaluatedResource, type: string): readonly EvaluatedResource[] {
    const idx = this.index(lowerType(type));
    if (idx === undefined) return NONE;
    const name = resource.name.toLowerCase();
    const found = new Set<EvaluatedResource>();
    for (const r of idx.byPrefix.get(name) ?? NONE) if (isChildOf(r, resource)) found.add(r);
    // dependsOn names it by its name, or by its resource id (whole, or as the end of a longer one).
    for (const r of idx.byDependency.get(name) ?? NONE) found.add(r);
    const suffix = resourceIdSuffix(resource.type, resource.name);
    if (suffix !== undefined) for (const r of idx.byDependencyTail.get(suffix) ?? NONE) found.add(r);
    found.delete(resource);
    if (found.size === 0) return NONE;
    const out = [...found];
    // In template order, as a filter over the resources would give them.
    if (out.length > 1) out.sort((a, b) => idx.position.get(a)! - idx.position.get(b)!);
    // Shared by every control that asks: frozen, so none can change another's answer.
    return Object.freeze(out);
  }
}


export function createCheckContext(template: EvaluatedTemplate): CheckContext {
  let relations: Relations | undefined;
  return {
    template,
    related(resource: EvaluatedResource, type: string): EvaluatedResource[] {
      relations ??= new Relations(template.resources);
      // Read-only in fact (frozen); the context's type predates sharing the answers.
      return relations.related(resource, type) as EvaluatedResource[];
    },
  };
}
