/**
 * The file part of a scan: find the files, classify them, evaluate each template with its
 * parameter file, run the controls on its resources and on the template, and keep what each file
 * gave (drafts of findings, file status, resources no control covers, inline attestations).
 * Attestations, skips and the verdict come after, over all files at once (scan.ts).
 */
import * as path from 'node:path';
import { minimatch } from 'minimatch';
import { TaskError } from '../../common/errors';
import type { Logger } from '../../common/log/logger';
import { oneLine } from '../../common/log/safe-text';
import type { Attestation } from '../../common/report/attestations';
import { inlineAttestations } from './attestations';
import { isInsideFolder } from './engine';
import { SecretTracker } from './engine/secrets';
import { discoverFiles, isPattern } from './files';
import { TemplateError, type CheckContext, type Control, type EvaluatedTemplate, type Outcome } from './model';
import type { ControlSelection } from './select-controls';
import type { EvaluateOptions, FileStatus, Finding, GateDeps, GateEngine, UncoveredResource } from './scan-types';

export const ERROR_RULE_ID = 'template-error';

export type ContextFactory = (template: EvaluatedTemplate) => CheckContext;

/** A finding before attestations and the verdict: the control that made it is kept for its aliases. */
export interface Draft extends Omit<Finding, 'blocking'> {
  control?: Control;
}

export interface FileScan {
  drafts: Draft[];
  files: FileStatus[];
  uncovered: UncoveredResource[];
  /** Attestations written inside templates. */
  inline: Attestation[];
  templates: number;
  resources: number;
  /** Globs and folders from `paths` that matched no JSON file, as given. */
  unmatchedPaths: string[];
  /** One line each, said before the scan's own output (an empty scan otherwise reads as a clean one). */
  pathWarnings: string[];
}

export interface FileScanContext {
  options: EvaluateOptions;
  root: string;
  deps: GateDeps;
  engine: GateEngine;
  selection: ControlSelection;
  createContext: ContextFactory;
  /** How a file is named in results: relative to the root, forward slashes. */
  show: (absPath: string) => string;
}

export function scanFiles(c: FileScanContext): FileScan {
  const { options, root, deps, engine, selection, show } = c;
  const fs = deps.fs;
  // Secrets are masked per template: a parameter file may hold a plain word ("secret") as a
  // secure value, and masking it in every other template's messages would garble them.
  const announced = new Set<string>();
  const announce = (v: string): void => {
    if (announced.has(v)) return;
    announced.add(v);
    deps.onSecret?.(v);
  };
  let secrets = new SecretTracker(announce);
  const log: Logger = redactingLogger(deps.logger, (m) => secrets.redact(m));

  // Local files for linked templates are named relative to the root, like every other path.
  // A key is text from the pipeline; looked up in a plain object, 'constructor' would find a function.
  let linkedTemplateMap: Record<string, string> | undefined;
  if (options.linkedTemplateMap) {
    linkedTemplateMap = Object.create(null) as Record<string, string>;
    for (const [from, file] of Object.entries(options.linkedTemplateMap)) linkedTemplateMap[from] = path.resolve(root, file);
  }
  // What a template asks the engine to read (linked templates, parameter links) stays in the root.
  const allowedRoots = [root];
  const unmatchedPaths: string[] = [];
  const found = discoverFiles(fs, root, options.paths, { recurse: options.recurse, exclude: options.exclude, unmatched: unmatchedPaths });
  const pathWarnings = unmatchedPaths.map((p) =>
    isPattern(p)
      ? `pattern '${p}' matched no file${path.isAbsolute(p) ? '' : ` under ${root}`}`
      : `folder '${p}' holds no JSON file${options.recurse === false ? ' (sub-folders not searched)' : ''}${path.isAbsolute(p) ? '' : ` under ${root}`}`,
  );
  for (const w of pathWarnings) log.warning(oneLine(w));

  const out: FileScan = { drafts: [], files: [], uncovered: [], inline: [], templates: 0, resources: 0, unmatchedPaths, pathWarnings };
  const { drafts, uncovered } = out;

  for (const abs of found) {
    const file = show(abs);
    if (secrets.size > 0) secrets = new SecretTracker(announce);
    const firstDraft = drafts.length;
    const firstUncovered = uncovered.length;
    let kind: FileStatus['kind'];
    try {
      kind = engine.classify(abs, fs.readFile(abs));
    } catch (err) {
      kind = 'error';
      drafts.push(errorDraft(file, 1, 1, `cannot read: ${(err as Error).message}`));
    }
    const status: FileStatus = { file, kind, resources: 0, findings: 0, diagnostics: [] };
    out.files.push(status);
    if (kind !== 'template') continue;
    out.templates++;

    const parametersFile = pickParameters(options, root, abs, file, engine, fs);
    if (parametersFile) status.parametersFile = show(parametersFile);
    let template: EvaluatedTemplate;
    try {
      template = engine.loadAndEvaluate(abs, { parametersFile, linkedTemplateMap, displayPath: show, secrets, allowedRoots });
    } catch (err) {
      status.kind = 'error';
      if (err instanceof TemplateError) {
        status.error = err.message;
        drafts.push(errorDraft(err.location.file || file, err.location.line, err.location.column, err.message));
      } else if (err instanceof TaskError) {
        status.error = err.message;
        drafts.push(errorDraft(file, 1, 1, err.message));
      } else {
        const e = err instanceof Error ? err : new Error(String(err));
        status.error = `engine failure: ${e.message}`;
        log.debug(e.stack ?? e.message);
        drafts.push(errorDraft(file, 1, 1, `could not be evaluated (engine failure: ${e.message})`));
      }
      if (secrets.size > 0) redactShown(secrets, drafts, firstDraft, status, uncovered, firstUncovered);
      continue;
    }

    for (const d of template.diagnostics) {
      status.diagnostics.push({ severity: d.severity, message: d.message, line: d.location.line });
      if (d.severity !== 'info') log.warning(`${oneLine(d.location.file)}:${d.location.line}: ${oneLine(d.message)}`);
    }
    checkResources(template, file, status, c, log, (m) => secrets.redact(m), out);
    for (const control of selection.templateControls) {
      try {
        for (const r of control.check(template)) {
          drafts.push(draft(control, r.outcome, r.location.file || file, r.location.line, r.location.column, r.resource, r.message));
        }
      } catch (err) {
        log.debug((err as Error).stack ?? String(err));
        drafts.push(draft(control, 'error', file, 1, 1, { type: 'template', name: file }, `control failed to run: ${(err as Error).message}`));
      }
    }
    if (secrets.size > 0) redactShown(secrets, drafts, firstDraft, status, uncovered, firstUncovered);
  }
  return out;
}

/** Every resource control on every deployed resource of one template. */
function checkResources(template: EvaluatedTemplate, file: string, status: FileStatus, c: FileScanContext, log: Logger, redact: (t: string) => string, out: FileScan): void {
  const ctx = c.createContext(template);
  for (const resource of template.resources) {
    if (resource.existing) continue;
    status.resources++;
    out.resources++;
    // Attestations select resources by the name reports show, which hides secrets.
    const shownName = redact(resource.name);
    const inl = inlineAttestations(shownName === resource.name ? resource : { ...resource, name: shownName }, file);
    for (const a of inl.attestations) out.inline.push(a);
    for (const p of inl.problems) {
      status.diagnostics.push({ severity: 'warning', message: p.message, line: p.line });
      log.warning(`${oneLine(file)}:${p.line}: ${oneLine(p.message)}`);
    }
    const applicable = c.selection.byType.get(resource.type.toLowerCase());
    if (!applicable) {
      out.uncovered.push({ file: resource.location.file || file, line: resource.location.line, type: resource.type, name: resource.name });
      continue;
    }
    const resourceRef = { type: resource.type, name: resource.name };
    for (const control of applicable) {
      try {
        for (const r of control.check(resource, ctx)) {
          const conditional = resource.conditionUnknown && r.outcome !== 'pass' ? ` (deployed only if its condition holds: ${resource.conditionUnknown.reason})` : '';
          out.drafts.push(draft(control, r.outcome, r.location.file || file, r.location.line, r.location.column, resourceRef, r.message + conditional));
        }
      } catch (err) {
        log.debug((err as Error).stack ?? String(err));
        out.drafts.push(draft(control, 'error', file, resource.location.line, resource.location.column, resourceRef, `control failed to run: ${(err as Error).message}`));
      }
    }
  }
}

/** A logger that masks the current template's secrets before anything reaches the real one. */
function redactingLogger(logger: Logger, redact: (m: string) => string): Logger {
  return {
    debug: (m) => logger.debug(redact(m)),
    info: (m) => logger.info(redact(m)),
    warning: (m, at) => logger.warning(redact(m), at),
    error: (m, at) => logger.error(redact(m), at),
  };
}

/** One shape for every control draft (spreading a per-control base object was the scan's hot spot). */
function draft(control: Control, outcome: Outcome, file: string, line: number, column: number, resource: Finding['resource'], message: string): Draft {
  const m = control.meta;
  return { ruleId: m.id, title: m.title, severity: m.severity, featureSet: m.featureSet, control, outcome, file, line, column, resource, message };
}

export function errorDraft(file: string, line: number, column: number, message: string): Draft {
  return {
    ruleId: ERROR_RULE_ID,
    title: 'Template could not be evaluated',
    outcome: 'error',
    severity: 'high',
    featureSet: 'Error',
    file,
    line: line || 1,
    column: column || 1,
    resource: { type: 'template', name: file },
    message,
  };
}

function pickParameters(options: EvaluateOptions, root: string, abs: string, file: string, engine: GateEngine, fs: GateDeps['fs']): string | undefined {
  for (const pair of options.parameterMap ?? []) {
    if (minimatch(file, pair.template, { dot: true, matchBase: !pair.template.includes('/') })) {
      const p = path.resolve(root, pair.parameters);
      if (!fs.exists(p)) throw new TaskError(`${pair.parameters}: parameter file (mapped to '${pair.template}') not found`);
      return p;
    }
  }
  let folder = options.parametersFolder;
  if (options.parametersFile) {
    const p = path.resolve(root, options.parametersFile);
    if (!fs.exists(p)) throw new TaskError(`${options.parametersFile}: parameter file not found`);
    // AzSK's "parameter file path or folder path": a folder means pairing by name inside it.
    if (!fs.isDirectory(p)) return p;
    folder = p;
  }
  if (folder) {
    const stem = path.basename(abs).replace(/\.jsonc?$/i, '');
    const p = path.resolve(root, folder, `${stem}.parameters.json`);
    if (fs.exists(p)) return p;
  }
  const found = engine.findParameterFile(abs);
  // One beside the template that links out of the root is not read; the engine says so.
  return found && isInsideFolder(fs, root, found) ? found : undefined;
}

/**
 * Secure parameter values never reach a report: controls quote the values they judge and names
 * or errors may embed them, so every text shown for a template is masked once it is evaluated.
 */
function redactShown(secrets: SecretTracker, drafts: Draft[], firstDraft: number, status: FileStatus, uncovered: UncoveredResource[], firstUncovered: number): void {
  const r = (t: string) => secrets.redact(t);
  for (let i = firstDraft; i < drafts.length; i++) {
    const d = drafts[i]!;
    d.message = r(d.message);
    if (d.resource.name) d.resource = { type: d.resource.type, name: r(d.resource.name) };
    if (d.expression !== undefined) d.expression = r(d.expression);
  }
  if (status.error !== undefined) status.error = r(status.error);
  for (const dg of status.diagnostics) dg.message = r(dg.message);
  for (let i = firstUncovered; i < uncovered.length; i++) uncovered[i]!.name = r(uncovered[i]!.name);
}
