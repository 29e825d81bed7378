/**
 * Azure Policy aliases → property paths of the resource body, from the shipped, versioned table
 * (alias-table.json: where it comes from, its licence and how it is regenerated are written in it).
 * An alias the table does not hold is never guessed: the condition that reads it is unknown.
 */
import tableJson from './alias-table.json';

export interface AliasTableFile {
  version: string;
  source: {
    repository: string;
    paths: string;
    licence: string;
    commits: Record<string, string>;
    /**
     * Excerpts of Get-AzPolicyAlias output (github.com/jeircul/azure-policy-aliases) for the types and
     * aliases the PSRule data lacks; commits are by excerpt file.
     */
    supplement?: { repository: string; paths: string; licence: string; commits: Record<string, string> };
    /** Types of which the table holds only the aliases built-in definitions and controls read; another alias of theirs is unknown. */
    partialTypes: string[];
    note: string;
  };
  /**
   * Resource type → alias → path. An alias is written as its suffix after "<type>/", or whole when
   * it does not start with the type (Microsoft.Compute/imageSku); a path "" stands for
   * "properties.<suffix>".
   */
  types: Record<string, Record<string, string>>;
}

export interface ResolvedAlias {
  /** Lower-cased resource type → path into its body ("properties.networkAcls.ipRules[*].value"). */
  paths: ReadonlyMap<string, string>;
}

/** The JSON is data: its inferred type (every alias a key) is not worth the compiler's time. */
const table = tableJson as unknown as AliasTableFile;

export const ALIAS_TABLE_VERSION: string = table.version;

let index: { aliases: Map<string, Map<string, string>>; types: Set<string> } | undefined;

function built(): NonNullable<typeof index> {
  if (index) return index;
  const aliases = new Map<string, Map<string, string>>();
  const types = new Set<string>();
  for (const [type, entries] of Object.entries(table.types)) {
    const t = type.toLowerCase();
    types.add(t);
    for (const [key, path] of Object.entries(entries)) {
      const whole = key.includes('/');
      const name = (whole ? key : `${type}/${key}`).toLowerCase();
      let paths = aliases.get(name);
      if (!paths) aliases.set(name, (paths = new Map()));
      paths.set(t, path === '' ? `properties.${key}` : path);
    }
  }
  index = { aliases, types };
  return index;
}

export function resolveAlias(alias: string): ResolvedAlias | undefined {
  const paths = built().aliases.get(alias.toLowerCase());
  return paths ? { paths } : undefined;
}

/** Whether the table holds the aliases of this resource type. */
export function tableCoversType(type: string): boolean {
  return built().types.has(type.toLowerCase());
}

/** Number of aliases and resource types in the table (for docs and `armgate rules`). */
export function aliasTableSize(): { aliases: number; types: number } {
  const b = built();
  return { aliases: b.aliases.size, types: b.types.size };
}
