/**
 * The one entry point the task and the CLI share: the scan bound to the real engine and
 * control catalogue.
 */
import * as path from 'node:path';
import { FileError } from '../../common/errors';
import { controls } from './controls';
import { createCheckContext } from './controls/context';
import { DocumentCache, classifyJsonText, findParameterFile, isInsideFolder, loadAndEvaluate, type EngineFs } from './engine';
import { scanWith } from './scan';
import type { EvaluateOptions, GateDeps, GateEngine, GateFs, ScanResult } from './scan-types';

const TOP_SCHEMA = /^\s*\{\s*"\$schema"\s*:\s*"([^"]*)"/;

/**
 * Most templates and parameter files open with their `$schema`; reading it there spares a full
 * parse of every file just to classify it (the engine parses templates again anyway). Anything
 * else goes to the engine's classifier.
 */
export function classify(text: string): 'template' | 'parameters' | 'other' {
  const m = TOP_SCHEMA.exec(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  if (m) {
    if (/deploymentTemplate\.json/i.test(m[1])) return 'template';
    if (/deploymentParameters\.json/i.test(m[1])) return 'parameters';
  }
  return classifyJsonText(text);
}

export function realEngine(deps: GateDeps): GateEngine {
  const fs: EngineFs = {
    readFile: (p: string) => deps.fs.readText(p),
    exists: (p: string) => deps.fs.exists(p),
    realPath: (p: string) => deps.fs.realPath(p),
  };
  const documents = new DocumentCache();
  // The same linked-template candidates, parameter files and links are checked against the root for
  // template after template; resolving links and relating paths each time was a tenth of a scan.
  // By root, then by path: the paths asked about are mostly the same string objects (cached link
  // candidates, resolved paths), whose hash is kept; a joined key would be a new string to hash.
  const insideMemo = new Map<string, Map<string, boolean>>();
  const inside = (root: string, p: string): boolean => {
    let byPath = insideMemo.get(root);
    if (byPath === undefined) insideMemo.set(root, (byPath = new Map()));
    let v = byPath.get(p);
    if (v === undefined) {
      v = isInsideFolder(fs, root, p);
      byPath.set(p, v);
    }
    return v;
  };
  const resolved = new Map<string, string>();
  const resolve = (p: string): string => {
    let abs = resolved.get(p);
    if (abs === undefined) {
      // The engine asks with normalised absolute paths (link candidates, parameter files): those are
      // their own resolution, and path.resolve per new path showed in profiles.
      abs = isResolved(p) ? p : path.resolve(p);
      resolved.set(p, abs);
    }
    return abs;
  };
  // Asked twice per template (which parameter file to use, then which one to hide from the engine);
  // the file system stays the same for the scan, so the answer does too.
  const parameterFiles = new Map<string, string | undefined>();
  const parameterFileOf = (templatePath: string): string | undefined => {
    if (parameterFiles.has(templatePath)) return parameterFiles.get(templatePath);
    const found = findParameterFile(templatePath, fs);
    parameterFiles.set(templatePath, found);
    return found;
  };
  return {
    controls,
    classify: (_file, text) => classify(text),
    findParameterFile: parameterFileOf,
    loadAndEvaluate: (file, { parametersFile, ...options }) => {
      const hidden = parametersFile === null ? parameterFileOf(file) : undefined;
      const jailed = confine(fs, options.allowedRoots, [file, parametersFile ?? undefined], hidden, inside, resolve);
      return loadAndEvaluate(file, { ...options, parametersFile: parametersFile ?? undefined, fs: jailed, documents });
    },
  };
}

/** A POSIX absolute path that path.resolve returns unchanged: no '.' or '..' segment, no empty segment, no trailing '/'. */
function isResolved(p: string): boolean {
  return path.sep === '/' && p.startsWith('/') && !p.includes('/.') && !p.includes('//') && (p.length === 1 || !p.endsWith('/'));
}

/**
 * The file system as the engine may see it for one template: the template, its parameter file and
 * what lies inside the allowed roots (links resolved) can be read. Outside them nothing is read and
 * nothing is looked at: every path there "exists", so the engine refuses it as outside the root
 * whether or not a file is there, and no message can tell whether a file outside the root exists
 * (`../../etc/…`, `..%2f..%2f…` in a URI).
 */
function confine(
  fs: EngineFs, roots: readonly string[] | undefined, files: Array<string | undefined>, hidden: string | undefined,
  inside: (root: string, p: string) => boolean, resolve: (p: string) => string,
): EngineFs {
  const named = new Set(files.filter((f): f is string => f !== undefined).map((f) => resolve(f)));
  const allowed = (p: string): boolean => {
    const abs = resolve(p);
    if (abs === hidden) return false;
    return named.has(abs) || roots === undefined || roots.some((r) => inside(r, abs));
  };
  return {
    readFile: (p) => {
      if (!allowed(p)) throw new FileError(p, 'not read: it lies outside the scan root');
      return fs.readFile(p);
    },
    exists: (p) => (allowed(p) ? fs.exists(p) : resolve(p) !== hidden),
    realPath: fs.realPath,
    isInside: inside,
  };
}

const READ_CACHE_CHARS = 16_000_000;

/**
 * The file system as one scan sees it: a file is read once although it is classified, then
 * evaluated, and read again as the parameter file or linked template of others; existence checks
 * (parameter files by naming convention, local copies of linked templates) and link resolutions
 * repeat as well. Texts are kept up to a bound so a huge tree does not stay in memory whole.
 */
export function scanFs(fs: GateFs): GateFs {
  const texts = new Map<string, string>();
  const exists = new Map<string, boolean>();
  const reals = new Map<string, string>();
  let held = 0;
  const remember = <V>(cache: Map<string, V>, key: string, get: () => V): V => {
    let v = cache.get(key);
    if (v === undefined) {
      v = get();
      cache.set(key, v);
    }
    return v;
  };
  return {
    readText: (file) => {
      let text = texts.get(file);
      if (text === undefined) {
        text = fs.readText(file);
        if (text.length <= READ_CACHE_CHARS - held) {
          texts.set(file, text);
          held += text.length;
        }
      }
      return text;
    },
    exists: (file) => remember(exists, file, () => fs.exists(file)),
    isDirectory: (file) => fs.isDirectory(file),
    list: (dir) => fs.list(dir),
    realPath: (file) => remember(reals, file, () => fs.realPath(file)),
  };
}

export function evaluate(options: EvaluateOptions, deps: GateDeps): ScanResult {
  const scoped: GateDeps = { ...deps, fs: scanFs(deps.fs) };
  return scanWith(options, scoped, realEngine(scoped), createCheckContext);
}
