/**
 * Generates the gate's Azure Policy alias table (tasks/ArmTemplateSecurityGate/core/policy/alias-table.json)
 * from provider data in the layout of PSRule for Azure (github.com/Azure/PSRule.Rules.Azure,
 * data/providers/<namespace>/types.json, MIT licence): for every resource type the control catalogue
 * covers, its aliases and their paths, written compactly ("" for the usual "properties.<suffix>").
 *
 * Where PSRule's data lacks a type or an alias (Microsoft.Network, aliases newer than its files), the
 * table also takes excerpts of github.com/jeircul/azure-policy-aliases (MIT), which records what
 * `Get-AzPolicyAlias` returns from Azure Resource Manager (DefaultPath and Name of every alias), kept
 * verbatim in scripts/policy-aliases/get-azpolicyalias; an alias both sources hold must have one path.
 *
 * Usage: npx tsc -p . && node out/scripts/gen-policy-aliases.js [--check | --coverage] [<providers folder>]
 * The providers folder defaults to scripts/policy-aliases/providers, which holds the excerpts the
 * shipped table was generated from (their source and licence are in its README; the commit of
 * each namespace's file in its commits.json); the Get-AzPolicyAlias excerpts are in the folder
 * get-azpolicyalias beside it (commits and licence in its sources.json). --check writes
 * nothing and exits 1 when the table differs from what the folder gives; --coverage prints, per resource
 * type, how many aliases of the collected built-in definitions (builtin-definitions.json) the table holds.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { AliasTableFile } from '../tasks/ArmTemplateSecurityGate/core/policy/aliases';

export const TABLE_FILE = path.join('tasks', 'ArmTemplateSecurityGate', 'core', 'policy', 'alias-table.json');
export const PROVIDERS = path.join('scripts', 'policy-aliases', 'providers');
/** Bumped whenever the table's content changes: reports name it beside an alias they do not know. */
export const TABLE_VERSION = '2026-12.6';
/** The built-in definitions collected for the catalogue's types: what each reads, and the aliases the table does not hold yet. */
export const BUILTINS = path.join('scripts', 'policy-aliases', 'builtin-definitions.json');
export const SOURCE = { repository: 'Azure/PSRule.Rules.Azure', paths: 'data/providers/<namespace>/types.json', licence: 'MIT' };
/** The folder, beside the providers folder, of the excerpts of Get-AzPolicyAlias output (see sources.json there). */
export const SUPPLEMENT_FOLDER = 'get-azpolicyalias';

interface ProviderType {
  resourceType: string;
  aliases: Record<string, string> | null;
  /** Set in an excerpt that keeps only some of the type's aliases (those the built-in definitions and controls read). */
  partial?: boolean;
}

interface SupplementSources {
  repository: string;
  paths: string;
  licence: string;
  note: string;
  /** Excerpt path (as in the repository) → the commit it was taken from, and whether it keeps only some rows. */
  files: Record<string, { commit: string; partial: boolean }>;
}

export interface SupplementType {
  /** The full resource type as the file's heading spells it (Microsoft.Network/virtualNetworks/subnets). */
  type: string;
  /** Alias → its default path, as Get-AzPolicyAlias returns them. */
  aliases: Record<string, string>;
  partial: boolean;
}

const ROW = /^\| `([^`]+)` \| `([^`]+)` \|$/;

/**
 * One excerpt: a heading "# <resource type>", the header "| Default Path | Alias |" and "|---|---|", then
 * one row per alias. Anything else is an error naming the file and line, so an excerpt is never half-read.
 */
export function parseAliasMarkdown(text: string, file: string): { type: string; aliases: Record<string, string> } {
  const lines = text.split(/\r?\n/);
  const heading = /^# (\w+(\.\w+)*\/[\w/]+)$/.exec(lines[0] ?? '');
  if (!heading) throw new Error(`${file}:1: expected "# <resource type>", found ${JSON.stringify(lines[0] ?? '')}`);
  if (lines[1] !== '' || lines[2] !== '| Default Path | Alias |' || lines[3] !== '|---|---|') throw new Error(`${file}:3: expected the table header "| Default Path | Alias |" and "|---|---|"`);
  const aliases: Record<string, string> = {};
  for (let i = 4; i < lines.length; i++) {
    if (lines[i] === '' && i === lines.length - 1) break;
    const row = ROW.exec(lines[i]);
    if (!row) throw new Error(`${file}:${i + 1}: expected a row "| \`<default path>\` | \`<alias>\` |"`);
    const [, defaultPath, alias] = row;
    if (!alias.toLowerCase().startsWith(`${heading[1].split('/')[0].toLowerCase()}/`)) throw new Error(`${file}:${i + 1}: alias ${alias} is not of the namespace of ${heading[1]}`);
    if (alias in aliases) throw new Error(`${file}:${i + 1}: alias ${alias} is listed twice`);
    aliases[alias] = defaultPath;
  }
  return { type: heading[1], aliases };
}

/** The Get-AzPolicyAlias excerpts of a folder (sources.json and the files it lists), by lower-cased resource type. */
export function readSupplement(folder: string): { sources?: SupplementSources; types: Map<string, SupplementType> } {
  const types = new Map<string, SupplementType>();
  const index = path.join(folder, 'sources.json');
  if (!fs.existsSync(index)) return { types };
  const sources = JSON.parse(fs.readFileSync(index, 'utf8')) as SupplementSources;
  for (const [file, { partial }] of Object.entries(sources.files)) {
    const { type, aliases } = parseAliasMarkdown(fs.readFileSync(path.join(folder, file), 'utf8'), file);
    if (types.has(type.toLowerCase())) throw new Error(`${file}: a second excerpt of ${type}`);
    types.set(type.toLowerCase(), { type, aliases, partial });
  }
  return { sources, types };
}

const byAlias = ([a]: [string, string], [b]: [string, string]) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1);

/**
 * PSRule's entries of a type with the Get-AzPolicyAlias ones it lacks added. An alias both hold must
 * have one path (compared as written out, without regard to case): two sources disagreeing is an
 * error to look into, never a silent choice.
 */
export function mergeEntries(type: string, psrule: Record<string, string> | undefined, supplement: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!supplement) return psrule;
  const written = (key: string, p: string) => (p === '' ? `properties.${key}` : p).toLowerCase();
  const out: Record<string, string> = { ...(psrule ?? {}) };
  const held = new Map(Object.keys(out).map((k) => [k.toLowerCase(), k]));
  for (const [key, p] of Object.entries(supplement)) {
    const same = held.get(key.toLowerCase());
    if (same === undefined) out[key] = p;
    else if (written(same, out[same]) !== written(key, p)) throw new Error(`${type}: alias ${key} is ${written(same, out[same])} in the PSRule excerpt but ${written(key, p)} in the Get-AzPolicyAlias excerpt`);
  }
  return Object.fromEntries(Object.entries(out).sort(byAlias));
}

/** The table entries of one resource type from its provider file; undefined when the file does not hold the type. */
export function typeEntries(types: readonly ProviderType[], fullType: string): Record<string, string> | undefined {
  const [, ...rest] = fullType.split('/');
  const wanted = rest.join('/').toLowerCase();
  const found = types.find((t) => t.resourceType.toLowerCase() === wanted && t.aliases);
  if (!found?.aliases) return undefined;
  const out: Record<string, string> = {};
  const prefix = `${fullType}/`.toLowerCase();
  for (const [alias, p] of Object.entries(found.aliases).sort(([a], [b]) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1))) {
    if (!alias.toLowerCase().startsWith(prefix)) {
      out[alias] = p;
      continue;
    }
    const suffix = alias.slice(prefix.length);
    out[suffix] = p === `properties.${suffix}` ? '' : p;
  }
  return out;
}

/**
 * The full names of the types an excerpt holds aliases for, its namespace spelt as the aliases spell it
 * (the folder name is lower case): Microsoft.Sql/servers/auditingSettings.
 */
export function excerptTypes(namespace: string, types: readonly ProviderType[]): string[] {
  const out: string[] = [];
  for (const t of types) {
    const first = Object.keys(t.aliases ?? {}).find((a) => a.toLowerCase().startsWith(`${namespace.toLowerCase()}/`));
    if (first) out.push(`${first.slice(0, namespace.length)}/${t.resourceType}`);
  }
  return out;
}

/**
 * The table for these resource types from a providers folder; types the folder does not hold are left out.
 * Every other type an excerpt holds is added too: child resources the built-in definitions read (an
 * SQL server's auditingSettings, its encryptionProtector) are not all in the catalogue's list.
 */
export function generateTable(providers: string, resourceTypes: readonly string[], supplementFolder = path.join(path.dirname(providers), SUPPLEMENT_FOLDER)): { table: AliasTableFile; missing: string[] } {
  const types: AliasTableFile['types'] = {};
  const missing: string[] = [];
  const partialTypes: string[] = [];
  const files = new Map<string, ProviderType[] | undefined>();
  const wanted = new Map<string, string>();
  for (const t of resourceTypes) if (!wanted.has(t.toLowerCase())) wanted.set(t.toLowerCase(), t);
  const catalogue = new Set(wanted.keys());
  const supplement = readSupplement(supplementFolder);
  if (fs.existsSync(providers)) {
    for (const namespace of fs.readdirSync(providers).sort()) {
      const file = path.join(providers, namespace, 'types.json');
      if (!fs.existsSync(file)) continue;
      for (const t of excerptTypes(namespace, JSON.parse(fs.readFileSync(file, 'utf8')) as ProviderType[])) if (!wanted.has(t.toLowerCase())) wanted.set(t.toLowerCase(), t);
    }
  }
  for (const { type } of supplement.types.values()) if (!wanted.has(type.toLowerCase())) wanted.set(type.toLowerCase(), type);
  for (const t of [...wanted.values()].sort()) {
    const namespace = t.split('/')[0].toLowerCase();
    if (!files.has(namespace)) {
      const file = path.join(providers, namespace, 'types.json');
      files.set(namespace, fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as ProviderType[]) : undefined);
    }
    const file = files.get(namespace);
    const child = t.slice(t.indexOf('/') + 1);
    const psrule = file ? typeEntries(file, t) : undefined;
    const extra = supplement.types.get(t.toLowerCase());
    const entries = mergeEntries(t, psrule, extra && typeEntries([{ resourceType: child, aliases: extra.aliases }], t));
    if (entries) types[t] = entries;
    else if (catalogue.has(t.toLowerCase())) missing.push(t);
    const psrulePartial = psrule !== undefined && file!.some((x) => x.partial && x.resourceType.toLowerCase() === child.toLowerCase());
    if (entries && (psrulePartial || extra?.partial)) partialTypes.push(t);
  }
  const table: AliasTableFile = {
    version: TABLE_VERSION,
    source: {
      ...SOURCE,
      commits: readCommits(providers),
      ...(supplement.sources && {
        supplement: {
          repository: supplement.sources.repository,
          paths: supplement.sources.paths,
          licence: supplement.sources.licence,
          commits: Object.fromEntries(Object.entries(supplement.sources.files).map(([f, { commit }]) => [f, commit])),
        },
      }),
      partialTypes,
      note: `Generated by scripts/gen-policy-aliases.ts from ${PROVIDERS} and the Get-AzPolicyAlias excerpts beside it; resource types of the catalogue not yet in the table: ${missing.length ? missing.join(', ') : 'none'}. An alias not in the table makes the condition that reads it unknown.`,
    },
    types,
  };
  return { table, missing };
}

/** The source commit of each namespace's file (commits.json in the providers folder). */
function readCommits(providers: string): Record<string, string> {
  const file = path.join(providers, 'commits.json');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>) : {};
}

export interface BuiltinDefinitions {
  source: { repository: string; path: string; licence: string; note: string };
  definitions: Array<{ name: string; file: string; commit: string; effects: string[]; aliases: string[] }>;
  /** Alias → why the table does not hold it yet. */
  gaps: Record<string, string>;
  /** Definition file → why it was not collected. */
  notRead: Record<string, string>;
}

export interface TypeCoverage {
  type: string;
  /** Aliases of the type in the table; 0 when the table does not hold the type. */
  inTable: number;
  partial: boolean;
  /** Distinct aliases of the type the collected definitions read, and those the table lacks. */
  used: number;
  missing: string[];
}

export interface Coverage {
  definitions: Array<{ name: string; file: string; missing: string[] }>;
  types: TypeCoverage[];
}

/** The resource type an alias belongs to: everything before its last '/' (Microsoft.Web/sites/slots/httpsOnly → Microsoft.Web/sites/slots). */
export function aliasType(alias: string): string {
  return alias.slice(0, alias.lastIndexOf('/'));
}

/** Which aliases of the collected built-in definitions the table holds, per definition and per resource type. */
export function builtinCoverage(table: AliasTableFile, builtins: BuiltinDefinitions): Coverage {
  const held = new Set<string>();
  const count = new Map<string, number>();
  for (const [type, entries] of Object.entries(table.types)) {
    count.set(type.toLowerCase(), Object.keys(entries).length);
    for (const key of Object.keys(entries)) held.add((key.includes('/') ? key : `${type}/${key}`).toLowerCase());
  }
  const partial = new Set(table.source.partialTypes.map((t) => t.toLowerCase()));
  const definitions = builtins.definitions.map((d) => ({ name: d.name, file: d.file, missing: d.aliases.filter((a) => !held.has(a.toLowerCase())) }));
  const byType = new Map<string, { type: string; used: Set<string>; missing: Set<string> }>();
  const typeOf = (t: string) => {
    const key = t.toLowerCase();
    let entry = byType.get(key);
    if (!entry) byType.set(key, (entry = { type: Object.keys(table.types).find((x) => x.toLowerCase() === key) ?? t, used: new Set(), missing: new Set() }));
    return entry;
  };
  for (const t of Object.keys(table.types)) typeOf(t);
  for (const d of builtins.definitions) {
    for (const a of d.aliases) {
      const entry = typeOf(aliasType(a));
      entry.used.add(a.toLowerCase());
      if (!held.has(a.toLowerCase())) entry.missing.add(a);
    }
  }
  const types = [...byType.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, e]) => ({ type: e.type, inTable: count.get(key) ?? 0, partial: partial.has(key), used: e.used.size, missing: [...e.missing].sort() }));
  return { definitions, types };
}

export function renderCoverage(c: Coverage): string {
  const lines = c.types.map((t) => `${t.type}: ${t.inTable ? `${t.inTable} aliases${t.partial ? ' (excerpt)' : ' (all)'}` : 'not in the table'}; built-in definitions read ${t.used}, missing ${t.missing.length}${t.missing.length ? ` (${t.missing.join(', ')})` : ''}`);
  const covered = c.definitions.filter((d) => d.missing.length === 0).length;
  lines.push(`built-in definitions with every alias in the table: ${covered} of ${c.definitions.length}`);
  return lines.join('\n');
}

export function renderTable(table: AliasTableFile): string {
  return `${JSON.stringify(table, null, 2)}\n`;
}

function main(): void {
  const root = path.resolve(__dirname, '..', '..');
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  if (args.includes('--coverage')) {
    const table = JSON.parse(fs.readFileSync(path.join(root, TABLE_FILE), 'utf8')) as AliasTableFile;
    const builtins = JSON.parse(fs.readFileSync(path.join(root, BUILTINS), 'utf8')) as BuiltinDefinitions;
    console.log(renderCoverage(builtinCoverage(table, builtins)));
    return;
  }
  const folder = args.find((a) => !a.startsWith('--')) ?? path.join(root, PROVIDERS);
  // Loaded here, not at import time, so tests import the generator without the catalogue.
  const { controls } = require('../tasks/ArmTemplateSecurityGate/core/controls') as typeof import('../tasks/ArmTemplateSecurityGate/core/controls');
  const wanted = controls.flatMap((c) => c.meta.resourceTypes).filter((t) => t !== '*');
  const { table, missing } = generateTable(folder, wanted);
  const file = path.join(root, TABLE_FILE);
  const text = renderTable(table);
  if (check) {
    const same = fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text;
    if (!same) console.error(`${TABLE_FILE} is stale: run node out/scripts/gen-policy-aliases.js`);
    process.exitCode = same ? 0 : 1;
    return;
  }
  fs.writeFileSync(file, text);
  console.log(`wrote ${Object.keys(table.types).length} resource types to ${TABLE_FILE}; not in ${folder}: ${missing.length}`);
}

if (require.main === module) main();
