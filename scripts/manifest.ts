import { ManifestLike } from './validate';

/**
 * The manifest in the vsix is generated at stage time from vss-extension.json plus the task folders
 * that exist, so a task lands in the extension by existing, and no stale entry can point at a task
 * that is gone. Everything else in vss-extension.json (endpoint-type contributions, links, files)
 * is kept as written; a task contribution written there by hand is kept too and not duplicated.
 */

export const TASK_CONTRIBUTION_TYPE = 'ms.vss-distributed-task.task';
export const TASK_CONTRIBUTION_TARGET = 'ms.vss-distributed-task.tasks';

/** Contribution ids are permanent once published; kebab-case of the task folder name, e.g. arm-template-security-gate. */
export function contributionId(taskName: string): string {
  return taskName
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

export interface ManifestOverrides {
  publisher?: string;
  version?: string;
}

export interface GenerateOptions extends ManifestOverrides {
  /** Staged files outside the task folders that the vsix must carry (e.g. the third-party notices). */
  extraFiles?: string[];
  /** Where repository paths point on the web (docsBaseUrl): the base of links such as `](docs/x.md#part)` in a contribution's helpMarkDown. */
  docsBase?: string;
}

/** A Markdown link target that is a repository path (not a URL, an anchor or a mail address). */
const REPOSITORY_LINK = /\]\((?![a-z][a-z0-9+.-]*:|#|\/)([^)\s#]+)(#[^)\s]*)?\)/gi;

/**
 * Links in a contribution's help (the service connection dialog's *Learn more*) go where the tasks'
 * helpUrl go: written as repository paths, resolved against the publisher's docs address, so a fork
 * packaged under its own publisher does not send users to the placeholder repository.
 */
export function resolveHelpLinks(markdown: string, docsBase: string): string {
  return markdown.replace(REPOSITORY_LINK, (_m, file: string, anchor: string | undefined) => `](${docsBase}${file.split('/').map(encodeURIComponent).join('/')}${anchor ?? ''})`);
}

export function generateManifest(base: ManifestLike, taskNames: string[], overrides: GenerateOptions = {}): ManifestLike {
  const m: ManifestLike = JSON.parse(JSON.stringify(base)) as ManifestLike;
  delete m.$schema;
  const files = (m.files ??= []);
  const contributions = (m.contributions ??= []);
  for (const name of taskNames) {
    if (!files.some((f) => f.path === name)) files.push({ path: name });
    const declared = contributions.some((c) => c.type === TASK_CONTRIBUTION_TYPE && c.properties?.name === name);
    if (!declared) {
      contributions.push({
        id: contributionId(name),
        type: TASK_CONTRIBUTION_TYPE,
        targets: [TASK_CONTRIBUTION_TARGET],
        properties: { name },
      });
    }
  }
  for (const f of overrides.extraFiles ?? []) if (!files.some((x) => x.path === f)) files.push({ path: f });
  const docsBase = overrides.docsBase;
  if (docsBase) {
    for (const c of contributions) {
      const help = c.properties?.helpMarkDown;
      if (c.properties && typeof help === 'string') c.properties.helpMarkDown = resolveHelpLinks(help, docsBase);
    }
  }
  if (overrides.publisher) m.publisher = overrides.publisher;
  if (overrides.version) m.version = overrides.version;
  return m;
}

const VERSION = /^\d+\.\d+\.\d+$/;
const PUBLISHER = /^[a-zA-Z0-9][a-zA-Z0-9-]*$/;

/** Checks the overrides before they reach tfx, whose own errors would not name the option. */
export function checkOverrides(o: ManifestOverrides): void {
  if (o.version !== undefined && !VERSION.test(o.version)) throw new Error(`--extension-version / SRK_VERSION: '${o.version}' is not MAJOR.MINOR.PATCH`);
  if (o.publisher !== undefined && !PUBLISHER.test(o.publisher)) throw new Error(`--publisher / SRK_PUBLISHER: '${o.publisher}' is not a valid publisher id (letters, digits, '-')`);
}
