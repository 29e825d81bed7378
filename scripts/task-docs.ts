import * as fs from 'fs';
import * as path from 'path';
import { contributionId } from './manifest';
import { discoverTasks, TaskJson, TaskVersion } from './discover';
import { rel, toolRoot } from './paths';
import { Problem } from './validate';

/**
 * A task's documentation page and its input reference. The page is the task.json `helpUrl` when that
 * is a repository path (`docs/armgate.md`), else `docs/<kebab task name>.md`. The build turns the path
 * into a link into the publisher's repository; the input reference between the markers below is
 * generated from task.json, so the page cannot drift from the inputs the task really has.
 */

export interface TaskInput {
  name?: string;
  type?: string;
  label?: string;
  required?: boolean;
  defaultValue?: unknown;
  helpMarkDown?: string;
  aliases?: string[];
  options?: Record<string, string>;
  visibleRule?: string;
  groupName?: string;
}

export function inputsOf(t: TaskJson | undefined): TaskInput[] {
  return t?.inputs ?? [];
}

const ABSOLUTE_URL = /^https?:\/\//i;

/** The repository-relative documentation page of a task version, when there is one. */
export function taskDocPath(root: string, v: TaskVersion): string | undefined {
  const help = v.taskJson?.helpUrl;
  if (typeof help === 'string' && help && !ABSOLUTE_URL.test(help)) return help.replace(/^\.?\//, '');
  const conventional = `docs/${contributionId(v.taskName)}.md`;
  return fs.existsSync(path.join(root, conventional)) ? conventional : undefined;
}

/** helpUrl problems: a repository path that does not exist, or no page at all. */
export function helpUrlProblems(root: string, v: TaskVersion): Problem[] {
  const file = rel(root, v.taskJsonFile);
  const help = v.taskJson?.helpUrl;
  if (typeof help === 'string' && ABSOLUTE_URL.test(help)) return [];
  const doc = taskDocPath(root, v);
  if (!doc) {
    return [{ file, message: `${v.taskName} ${v.versionFolder} has no helpUrl and there is no docs/${contributionId(v.taskName)}.md; write the page and set "helpUrl": "docs/<page>.md"` }];
  }
  if (!fs.existsSync(path.join(root, doc))) return [{ file, message: `helpUrl '${doc}' does not exist in the repository` }];
  return [];
}

/**
 * Where repository paths point on the web. `SRK_DOCS_URL` (or the docsUrl option) wins: a prefix the
 * path is appended to. Otherwise the manifest's `repository.uri`: Azure Repos (`…/_git/<repo>`) use
 * `?path=/`, everything else GitHub's `/blob/HEAD/` (the default branch).
 */
export function docsBaseUrl(manifest: { repository?: { uri?: string } }, override = process.env.SRK_DOCS_URL): string | undefined {
  if (override) return override.endsWith('/') || override.endsWith('=') ? override : `${override}/`;
  const uri = manifest.repository?.uri?.replace(/\.git$/, '').replace(/\/+$/, '');
  if (!uri) return undefined;
  if (/\/_git\/[^/]+$/.test(uri)) return `${uri}?path=/`;
  return `${uri}/blob/HEAD/`;
}

/** The helpUrl the staged task.json carries: absolute as written, or the page's address under the docs base. */
export function resolvedHelpUrl(root: string, v: TaskVersion, base: string | undefined): string | undefined {
  const help = v.taskJson?.helpUrl;
  if (typeof help === 'string' && ABSOLUTE_URL.test(help)) return help;
  const doc = taskDocPath(root, v);
  return doc && base ? `${base}${doc.split('/').map(encodeURIComponent).join('/')}` : undefined;
}

function cell(text: string): string {
  return text.replace(/\r?\n/g, '<br>').replace(/\|/g, '\\|').trim();
}

function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

/** The generated input reference of one task version (Markdown, deterministic). */
export function renderInputReference(root: string, v: TaskVersion): string {
  const t = v.taskJson ?? {};
  const groups = new Map(((t.groups ?? []) as Array<{ name?: string; displayName?: string }>).map((g) => [g.name, g.displayName ?? g.name]));
  const rows = inputsOf(t).map((i) => {
    const name = [code(i.name ?? ''), ...(i.aliases?.length ? [`(alias ${i.aliases.map(code).join(', ')})`] : []), ...(i.required ? ['**required**'] : [])].join(' ');
    const def = i.defaultValue === undefined || i.defaultValue === '' ? '' : code(cell(String(i.defaultValue)));
    const parts: string[] = [];
    if (i.label) parts.push(`**${cell(i.label)}.**`);
    if (i.helpMarkDown) parts.push(cell(i.helpMarkDown));
    if (i.options && Object.keys(i.options).length) parts.push(`Options: ${Object.entries(i.options).map(([k, d]) => `${code(k)} (${cell(d)})`).join(', ')}.`);
    if (i.groupName) parts.push(`Group: ${cell(groups.get(i.groupName) ?? i.groupName)}.`);
    if (i.visibleRule) parts.push(`Shown when ${code(i.visibleRule)}.`);
    return `| ${name} | ${code(i.type ?? 'string')} | ${def} | ${parts.join(' ')} |`;
  });
  const outputs = ((t.outputVariables ?? []) as Array<{ name?: string; description?: string }>).map((o) => `| ${code(o.name ?? '')} | ${cell(o.description ?? '')} |`);
  const lines = [
    `### \`${v.taskName}@${v.folderMajor}\` inputs`,
    '',
    `Generated from \`${rel(root, v.taskJsonFile)}\`; regenerate with \`npm run docs\`.`,
    '',
    '| Input | Type | Default | Description |',
    '| --- | --- | --- | --- |',
    ...rows,
  ];
  if (outputs.length) lines.push('', `Output variables of \`${v.taskName}@${v.folderMajor}\`:`, '', '| Variable | Description |', '| --- | --- |', ...outputs);
  return lines.join('\n');
}

const begin = (key: string): string => `<!-- BEGIN GENERATED INPUTS ${key} -->`;
const end = (key: string): string => `<!-- END GENERATED INPUTS ${key} -->`;
const SECTION_HEADING = '## Input reference';

export interface DocUpdate {
  doc: string;
  /** Task versions whose section was missing or different. */
  stale: string[];
  text: string;
}

/** Each doc with its generated sections brought up to date; a missing section is appended under "## Input reference". */
export function updateTaskDocs(root: string, versions: TaskVersion[] = discoverTasks(root).versions): DocUpdate[] {
  const byDoc = new Map<string, TaskVersion[]>();
  for (const v of versions) {
    if (!v.taskJson) continue;
    const doc = taskDocPath(root, v);
    if (doc && fs.existsSync(path.join(root, doc))) byDoc.set(doc, [...(byDoc.get(doc) ?? []), v]);
  }
  const updates: DocUpdate[] = [];
  for (const [doc, vs] of byDoc) {
    const original = fs.readFileSync(path.join(root, doc), 'utf8');
    let text = original.replace(/\r\n/g, '\n');
    const stale: string[] = [];
    for (const v of [...vs].sort((a, b) => b.folderMajor - a.folderMajor || a.taskName.localeCompare(b.taskName))) {
      const key = `${v.taskName}@${v.folderMajor}`;
      const block = `${begin(key)}\n${renderInputReference(root, v)}\n${end(key)}`;
      const from = text.indexOf(begin(key));
      const to = text.indexOf(end(key));
      if (from >= 0 && to > from) {
        const current = text.slice(from, to + end(key).length);
        if (current !== block) {
          stale.push(key);
          text = text.slice(0, from) + block + text.slice(to + end(key).length);
        }
      } else {
        stale.push(key);
        if (!text.includes(SECTION_HEADING)) text = `${text.trimEnd()}\n\n${SECTION_HEADING}\n`;
        text = `${text.trimEnd()}\n\n${block}\n`;
      }
    }
    updates.push({ doc, stale, text });
  }
  return updates;
}

/** Writes the stale docs; returns the ones written. */
export function writeTaskDocs(root: string, versions?: TaskVersion[]): string[] {
  const written: string[] = [];
  for (const u of updateTaskDocs(root, versions)) {
    if (!u.stale.length) continue;
    fs.writeFileSync(path.join(root, u.doc), u.text);
    written.push(`${u.doc} (${u.stale.join(', ')})`);
  }
  return written;
}

if (require.main === module) {
  const root = toolRoot();
  if (process.argv.includes('--check')) {
    const stale = updateTaskDocs(root).filter((u) => u.stale.length);
    for (const u of stale) console.error(`${u.doc}: the input reference of ${u.stale.join(', ')} is out of date; run \`npm run docs\``);
    process.exit(stale.length ? 1 : 0);
  }
  const written = writeTaskDocs(root);
  console.log(written.length ? `updated ${written.join('; ')}` : 'task docs are up to date');
}
