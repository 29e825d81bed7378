import * as fs from 'fs';
import * as path from 'path';

/**
 * The repository that holds these scripts (and its node_modules). Found by walking up from this
 * file because the scripts run from out/scripts/ after tsc, yet tests point them at other roots.
 */
export function toolRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'secure-release-kit') return dir;
      } catch {
        // an unreadable package.json is not ours; keep walking
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the secure-release-kit package.json above ${__dirname}`);
    dir = parent;
  }
}

/** Where the task, manifest and SARIF schemas live: scripts/schemas in the repository, unless SRK_SCHEMAS_DIR says otherwise. */
export function schemasDir(): string {
  return process.env.SRK_SCHEMAS_DIR ? path.resolve(process.env.SRK_SCHEMAS_DIR) : path.join(toolRoot(), 'scripts', 'schemas');
}

/** The committed quickstart template corpus (test/corpora/quickstart), unless ARMGATE_CORPUS says otherwise. */
export function corpusDir(): string {
  return process.env.ARMGATE_CORPUS ? path.resolve(process.env.ARMGATE_CORPUS) : path.join(toolRoot(), 'test', 'corpora', 'quickstart');
}

export function toolNodeModules(): string {
  return path.join(toolRoot(), 'node_modules');
}

/** Repository-relative, forward-slash path for messages. */
export function rel(root: string, file: string): string {
  const r = path.relative(root, file);
  return (r.startsWith('..') ? file : r).split(path.sep).join('/');
}
