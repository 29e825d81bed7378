/**
 * The file part of a scan: find the files, classify them, evaluate each template with its
 * parameter file, run the controls on its resources and on the template, and keep what each file
 * gave (drafts of findings, file status, resources no control covers, inline attestations).
 * Attestations, skips and the verdict come after, over all files at once (scan.ts).
 *
 * Nothing the user named is skipped in silence: a folder that cannot be read, a link out of the
 * root, a named file that is no template, a file that is not text, a parameter file that cannot be
 * used, all become error findings, and the rest of the scan goes on.
 */
import * as path from 'node:path';
import { minimatch } from 'minimatch';
import { TaskError } from '../../common/errors';
import { redactUrl, urlSecrets } from '../../common/http/redact';
import type { Logger } from '../../common/log/logger';
import { oneLine } from '../../common/log/safe-text';
import type { Attestation } from '../../common/report/attestations';
import { inlineAttestations } from './attestations';
import { isInsideFolder } from './engine';
import { SecretTracker } from './engine/secrets';
import { discoverFiles, isPattern } from './files';
import { TemplateError, type CheckContext, type Control, type EvaluatedResource, type EvaluatedTemplate, type Outcome, type ResourceControl } from './model';
import type { ControlSelection } from './select-controls';
import type { EvaluateOptions, FileStatus, Finding, GateDeps, GateEngine, UncoveredResource } from './scan-types';
import { lowerType } from './resource-type';

export const ERROR_RULE_ID = 'template-error';

export type ContextFactory = (template: EvaluatedTemplate) => CheckContext;

/** A finding before attestations and the verdict: the control that made it is kept for its aliases. */
export interface Draft extends Omit<Finding, 'blocking'> {
  control?: Control;
  /** Made by a control on the template as a whole (parameters, outputs), not on a resource. */
  templateWide?: boolean;
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

/** Where a file's results go while it is checked: its own lists, joined to the scan's in discovery order. */
type Sink = Pick<FileScan, 'drafts' | 'uncovered' | 'inline' | 'resources'>;

/** A line logged or a secret announced while a file was checked, kept to be passed on in discovery order. */
type Said = { level: 'secret'; text: string } | { level: 'debug' | 'info'; text: string } | { level: 'warning' | 'error'; text: string; at: Parameters<Logger['warning']>[1] };

interface Template {
  picked: PickedParameters;
  whole: boolean;
}

/** One discovered file, checked apart from the others (see scanFiles for the order). */
interface FileWork extends Sink {
  abs: string;
  status: FileStatus;
  reached: Set<string>;
  warnings: string[];
  said: Said[];
  /**
   * A template to evaluate, with its parameter file; `whole` when its resources are evaluated wherever
   * it is listed: it has a parameter file of its own (or one it may not use), or its text may link templates.
   */
  template?: Template;
}

const URL_WITH_USER = /[a-z][a-z0-9+.-]*:\/\/[^\s'"<>/@]*@[^\s'"<>]*/gi;

/** A URL's user and password never reach a report or a log line (`https://user:pw@host/t.json`). */
export function hideUrlCredentials(text: string): string {
  return text.includes('@') ? text.replace(URL_WITH_USER, (u) => redactUrl(u)) : text;
}

export function scanFiles(c: FileScanContext): FileScan {
  const { options, root, deps, engine, show } = c;
  const fs = deps.fs;
  // What the file being checked says (secrets it announces, lines it logs); see `Said`.
  let said: Said[] = [];
  // Secrets are masked per template: a parameter file may hold a plain word ("secret") as a
  // secure value, and masking it in every other template's messages would garble them.
  const announce = (v: string): void => {
    said.push({ level: 'secret', text: v });
  };
  let secrets = new SecretTracker(announce);
  const clean = (m: string): string => hideUrlCredentials(secrets.redact(m));
  const log: Logger = redactingLogger(
    {
      debug: (text) => said.push({ level: 'debug', text }),
      info: (text) => said.push({ level: 'info', text }),
      warning: (text, at) => said.push({ level: 'warning', text, at }),
      error: (text, at) => said.push({ level: 'error', text, at }),
    },
    clean,
  );

  // A key is text from the pipeline; looked up in a plain object, 'constructor' would find a function.
  const linkedTemplateMap: Record<string, string> | undefined = options.linkedTemplateMap
    ? Object.assign(Object.create(null) as Record<string, string>, Object.fromEntries(Object.entries(options.linkedTemplateMap).map(([from, file]) => [from, path.resolve(root, file)])))
    : undefined;
  // What a template asks the engine to read (linked templates, parameter links) stays in the root.
  const allowedRoots = [root];
  const discovery = discoverFiles(fs, root, options.paths, { recurse: options.recurse, exclude: options.exclude, anchor: options.baseFolder });
  const unmatchedPaths = discovery.unmatched;
  const pathWarnings = unmatchedPaths.map((p) =>
    isPattern(p)
      ? `pattern '${p}' matched no file${path.isAbsolute(p) ? '' : ` under ${root}`}`
      : `folder '${p}' holds no JSON file${options.recurse === false ? ' (sub-folders not searched)' : ''}${path.isAbsolute(p) ? '' : ` under ${root}`}`,
  );
  const direct = redactingLogger(deps.logger, clean);
  for (const w of pathWarnings) direct.warning(oneLine(w));

  const out: FileScan = { drafts: [], files: [], uncovered: [], inline: [], templates: 0, resources: 0, unmatchedPaths, pathWarnings };
  for (const p of discovery.problems) {
    out.files.push({ file: p.path, kind: 'error', resources: 0, findings: 0, error: p.message, diagnostics: [] });
    out.drafts.push(errorDraft(p.path, 1, 1, `'${p.path}' ${p.message}`, 'path'));
  }

  // Every file is read and classified first, in discovery order, then the templates are evaluated
  // in that order but for one kind: a template whose resources would be left out were it linked
  // (see evaluateTemplate), that no template before it links to, waits for the later templates of
  // its top folder. It is evaluated right after the first of them that links to it (its resources
  // are not evaluated), or else after the last of them, in full as before. Waiting longer (for the
  // whole scan) would lose the parses the engine keeps of a few recent documents, for templates a
  // template before them links to without reaching any resource of theirs.
  // Which templates wait changes only the work done, never a result: a linked template evaluated in
  // full, then reduced to its template-wide findings, gives what it gives evaluated without its
  // resources (test/ArmTemplateSecurityGate/core/linked-alone.test.ts). Each file keeps its results,
  // and what it logged and announced, apart; they join the scan's in discovery order, so the order
  // of evaluation shows nowhere.
  const works: FileWork[] = [];
  const namedParameterFiles: FileStatus[] = [];
  // The position of the last template of each top folder of the scan: the one a template waits for at most (see below).
  const lastInFolder = new Map<string, number>();
  // Thrown where the scan of the file that raised it would have begun: after every file listed before it.
  let stop: { error: unknown } | undefined;
  for (const abs of discovery.files) {
    const status: FileStatus = { file: show(abs), kind: 'other', resources: 0, findings: 0, diagnostics: [] };
    const work: FileWork = { abs, status, drafts: [], uncovered: [], inline: [], resources: 0, reached: new Set(), warnings: [], said: [] };
    let text: string | undefined;
    try {
      text = fs.readText(abs);
    } catch (err) {
      fail(work, `cannot read: ${(err as Error).message}`);
    }
    if (text !== undefined) {
      if (text.includes('\u0000')) {
        // UTF-16 without a byte-order mark (or a binary file) would read as no template at all.
        fail(work, 'is not text in UTF-8, or in UTF-16 with a byte-order mark; it could not be checked');
      } else {
        status.kind = engine.classify(abs, text);
        if (status.kind === 'template') {
          let picked: PickedParameters;
          try {
            picked = pickParameters(options, root, abs, status.file, engine, fs);
          } catch (error) {
            stop = { error };
            break;
          }
          out.templates++;
          // The text is searched only when that decides (most templates have a parameter file).
          work.template = { picked, whole: picked.file !== undefined || picked.problem !== undefined || /templatelink/i.test(text) };
          lastInFolder.set(topFolder(status.file), works.length);
        } else if (status.kind === 'other' && discovery.named.has(abs)) {
          fail(work, 'is not an ARM deployment template (no deploymentTemplate.json $schema); it was named to be scanned, so it is reported instead of skipped');
        } else if (status.kind === 'parameters' && discovery.named.has(abs)) {
          namedParameterFiles.push(status);
        }
      }
    }
    out.files.push(status);
    works.push(work);
    if (!work.template) redactFile(work);
  }

  // Files the evaluation of a template already scanned reached (its linked templates): see evaluateTemplate.
  const reachedByTemplates = new Set<string>();
  // Templates not evaluated at their turn (see above), by name, and by the position they wait for at most.
  const waiting = new Map<string, [FileWork, Template]>();
  const due = new Map<number, string[]>();
  try {
    for (let i = 0; i < works.length; i++) {
      const work = works[i];
      const template = work.template;
      const namedBy = template && !template.whole && !reachedByTemplates.has(work.status.file) ? lastInFolder.get(topFolder(work.status.file)) : undefined;
      if (template && namedBy !== undefined && namedBy > i) {
        waiting.set(work.status.file, [work, template]);
        const list = due.get(namedBy);
        if (list) list.push(work.status.file);
        else due.set(namedBy, [work.status.file]);
      } else if (template) {
        evaluateThenLinked(work, template);
      }
      for (const f of due.get(i) ?? []) {
        const turn = waiting.get(f);
        if (turn === undefined) continue;
        waiting.delete(f);
        evaluateThenLinked(...turn);
      }
    }
  } finally {
    // Secrets reach the agent, and lines the log, as they would have had each file been checked in turn.
    const announced = new Set<string>();
    for (const work of works) {
      for (const s of work.said) {
        if (s.level === 'secret') {
          if (announced.has(s.text)) continue;
          announced.add(s.text);
          deps.onSecret?.(s.text);
        } else if (s.level === 'warning' || s.level === 'error') deps.logger[s.level](s.text, s.at);
        else deps.logger[s.level](s.text);
      }
    }
  }
  if (stop) throw stop.error;

  dropLinkedOnTheirOwn(works);
  for (const w of works) {
    for (const d of w.drafts) out.drafts.push(d);
    for (const u of w.uncovered) out.uncovered.push(u);
    for (const a of w.inline) out.inline.push(a);
    out.resources += w.resources;
  }
  // A parameter file named on its own, used by no template, checks nothing: said, not passed.
  const used = new Set(out.files.map((s) => s.parametersFile).filter((f) => f !== undefined));
  for (const s of namedParameterFiles) {
    if (used.has(s.file)) continue;
    s.kind = 'error';
    s.error = 'is a parameter file, and no scanned template uses it; name the template to scan (or map them with a parameter mapping)';
    out.drafts.push(errorDraft(s.file, 1, 1, s.error, 'parameters'));
  }
  for (const w of works) for (const m of w.warnings) deps.logger.warning(m);
  return out;

  function fail(work: FileWork, message: string): void {
    work.status.kind = 'error';
    work.status.error = message;
    work.drafts.push(errorDraft(work.status.file, 1, 1, message));
  }

  /** Masks what a file shows: with its template's secrets, or its URLs' credentials only. */
  function redactFile(work: FileWork): void {
    const { status } = work;
    if (secrets.size > 0) redactShown(clean, work.drafts, 0, status, work.uncovered, 0);
    else if (status.error !== undefined || status.diagnostics.length > 0) redactShown(hideUrlCredentials, work.drafts, 0, status, work.uncovered, 0);
  }

  /** Evaluates a template, then the waiting templates it links to: their parsed texts are still in the engine's cache of a few documents. */
  function evaluateThenLinked(work: FileWork, template: Template): void {
    evaluate(work, template);
    for (const f of work.reached) {
      const linked = waiting.get(f);
      if (linked === undefined || !reachedByTemplates.has(f)) continue;
      waiting.delete(f);
      evaluateThenLinked(...linked);
    }
  }

  function evaluate(work: FileWork, template: Template): void {
    if (secrets.size > 0) secrets = new SecretTracker(announce);
    said = work.said;
    evaluateTemplate(work, template);
    if (work.status.kind === 'template') for (const f of work.reached) reachedByTemplates.add(f);
    redactFile(work);
  }

  function evaluateTemplate(work: FileWork, { picked, whole }: Template): void {
    const { abs, status } = work;
    const file = status.file;
    const drafts = work.drafts;
    // A template another template links to, without a parameter file of its own, is checked where
    // it is deployed: on its own only its template-wide findings are kept (dropLinkedOnTheirOwn), so
    // its resources are not evaluated at all. Unless it links further templates itself: its own
    // evaluation may be what reaches them, and that makes them linked in turn. A template listed
    // before the one that links to it may wait for it (see the evaluation order above).
    const resources = whole || !reachedByTemplates.has(file);
    let parametersFile: string | null = picked.file ?? null;
    const rejectParameters = (shown: string, message: string, line = 1, column = 1) => {
      drafts.push({ ...errorDraft(shown, line, column, message, 'parameters'), title: 'Parameter file could not be used' });
      status.diagnostics.push({ severity: 'error', message: `${shown}: ${message}`, line: 1 });
      parametersFile = null;
    };
    if (picked.problem) rejectParameters(picked.problem.shown, picked.problem.message);
    if (parametersFile !== null) {
      try {
        fs.readText(parametersFile);
      } catch (err) {
        rejectParameters(show(parametersFile), `cannot read the parameter file: ${(err as Error).message}; the template was evaluated with its default values`);
      }
    }
    let template: EvaluatedTemplate | undefined;
    for (let attempt = 0; attempt < 2 && !template; attempt++) {
      try {
        template = engine.loadAndEvaluate(abs, { parametersFile, linkedTemplateMap, displayPath: show, secrets, allowedRoots, ...(resources ? {} : { resources }) });
      } catch (err) {
        const shownParameters = parametersFile !== null ? show(parametersFile) : undefined;
        if (err instanceof TemplateError && shownParameters !== undefined && err.location.file === shownParameters) {
          // A broken parameter file is its own error; the template is still checked, with its defaults.
          rejectParameters(shownParameters, `${err.message}; the template was evaluated with its default values`, err.location.line, err.location.column);
          continue;
        }
        reportFailure(err, status, drafts);
        return;
      }
    }
    if (!template) return;
    if (parametersFile !== null) status.parametersFile = show(parametersFile);
    else delete status.parametersFile;
    for (const d of template.diagnostics) {
      status.diagnostics.push({ severity: d.severity, message: d.message, line: d.location.line });
      if (d.location.file && d.location.file !== file) work.reached.add(d.location.file);
      // Most diagnostics hold no URL: urlSecrets('') would fail to parse one (a thrown error each time).
      const url = firstUrl(d.message);
      if (url !== undefined) for (const s of urlSecrets(url)) announce(s);
      if (d.severity === 'error') drafts.push(errorDraft(d.location.file || file, d.location.line, d.location.column, d.message));
      else if (d.severity !== 'info') work.warnings.push(`${oneLine(clean(d.location.file))}:${d.location.line}: ${oneLine(clean(d.message))}`);
    }
    for (const r of template.resources) if (r.location.file && r.location.file !== file) work.reached.add(r.location.file);
    if (status.parametersFile) work.reached.delete(status.parametersFile);
    checkResources(template, file, status, c, log, (m) => secrets.redact(m), work, (w) => work.warnings.push(w));
    for (const control of c.selection.templateControls) {
      try {
        for (const r of control.check(template)) {
          // Marked in place: a spread per finding was the costliest line of this function.
          const d = draft(control, r.outcome, r.location.file || file, r.location.line, r.location.column, r.resource, r.message);
          d.templateWide = true;
          drafts.push(d);
        }
      } catch (err) {
        log.debug((err as Error).stack ?? String(err));
        drafts.push(draft(control, 'error', file, 1, 1, { type: 'template', name: file }, `control failed to run: ${(err as Error).message}`));
      }
    }
  }

  function reportFailure(err: unknown, status: FileStatus, drafts: Draft[]): void {
    const file = status.file;
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
  }
}

/** The top folder of a file as shown ('' for a file at the root): a repository's modules are mostly linked from beside them. */
function topFolder(shown: string): string {
  const slash = shown.indexOf('/');
  return slash === -1 ? '' : shown.slice(0, slash);
}

function firstUrl(text: string): string | undefined {
  return /[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/i.exec(text)?.[0];
}

/**
 * A template that another scanned template links to is evaluated there, in its parent's context,
 * with the values the parent passes. On its own, with its defaults, it gives spurious errors
 * (`uri(): '' is not an absolute URI`) and findings the deployment never has: those are dropped,
 * and its resources are counted once. What does not depend on the context stays: the template-wide
 * controls (secure parameters, outputs) on its declarations.
 */
function dropLinkedOnTheirOwn(works: readonly FileWork[]): void {
  const parentOf = new Map<string, string>();
  for (const w of works) {
    if (w.status.kind !== 'template') continue;
    for (const f of w.reached) if (!parentOf.has(f)) parentOf.set(f, w.status.file);
  }
  for (const w of works) {
    const parent = parentOf.get(w.status.file);
    if (parent === undefined || (w.status.kind !== 'template' && w.status.kind !== 'error') || w.status.parametersFile !== undefined) continue;
    w.drafts = w.drafts.filter((d) => d.templateWide);
    w.uncovered = [];
    w.inline = [];
    w.resources = 0;
    w.warnings.length = 0;
    Object.assign(w.status, { kind: 'template', linkedFrom: parent, resources: 0, diagnostics: [] });
    delete w.status.error;
  }
}

/** Every resource control on every deployed resource of one template. */
function checkResources(
  template: EvaluatedTemplate,
  file: string,
  status: FileStatus,
  c: FileScanContext,
  log: Logger,
  redact: (t: string) => string,
  out: Sink,
  warn: (message: string) => void,
): void {
  const ctx = c.createContext(template);
  const nameOf = instanceNames(template.resources);
  const { byType, anyType } = c.selection;
  const drafts = out.drafts;
  const shownName = (r: EvaluatedResource): string => redact(nameOf(r));
  for (const resource of template.resources) {
    if (resource.existing) continue;
    status.resources++;
    out.resources++;
    const name = nameOf(resource);
    // Attestations select resources by the name reports show, which hides secrets.
    const inl = inlineAttestations(resource, file, shownName);
    for (const a of inl.attestations) out.inline.push(a);
    for (const p of inl.problems) {
      status.diagnostics.push({ severity: 'warning', message: p.message, line: p.line });
      warn(`${oneLine(file)}:${p.line}: ${oneLine(redact(p.message))}`);
    }
    const specific = byType.get(lowerType(resource.type));
    if (!specific) out.uncovered.push({ file: resource.location.file || file, line: resource.location.line, type: resource.type, name });
    const resourceRef = { type: resource.type, name };
    // Said after every result but a pass, made once per resource.
    const conditional = resource.conditionUnknown ? ` (deployed only if its condition holds: ${resource.conditionUnknown.reason})` : undefined;
    // The type's own controls, then the ones for every type: two loops, not a list joined per resource.
    // A function of the module, not one declared per resource: a closure per resource showed in allocation profiles.
    // The type's own controls get the resource as matched (deployed, of their type: see checkMatched).
    if (specific) for (const control of specific) runControl(control, true, resource, ctx, file, resourceRef, conditional, drafts, log);
    for (const control of anyType) runControl(control, false, resource, ctx, file, resourceRef, conditional, drafts, log);
  }
}

/** One resource control on one resource: its results as drafts, a control that throws as an error draft. */
function runControl(
  control: ResourceControl, matched: boolean, resource: EvaluatedResource, ctx: CheckContext, file: string, resourceRef: Finding['resource'],
  conditional: string | undefined, drafts: Draft[], log: Logger,
): void {
  try {
    const results = matched && control.checkMatched !== undefined ? control.checkMatched(resource, ctx) : control.check(resource, ctx);
    for (const r of results) {
      const message = conditional !== undefined && r.outcome !== 'pass' ? r.message + conditional : r.message;
      drafts.push(draft(control, r.outcome, r.location.file || file, r.location.line, r.location.column, resourceRef, message));
    }
  } catch (err) {
    log.debug((err as Error).stack ?? String(err));
    drafts.push(draft(control, 'error', file, resource.location.line, resource.location.column, resourceRef, `control failed to run: ${(err as Error).message}`));
  }
}


/**
 * The names reports show. Copies whose names are known only at deployment read the same
 * ("[parameters('vm')]_nic" four times), and so may resources of nested deployments: those get
 * where they come from (deployment, copy index), so a reader, a fingerprint and an attestation can
 * tell them apart. Every other name is shown as the template gives it.
 */
export function instanceNames(resources: readonly EvaluatedResource[]): (r: EvaluatedResource) => string {
  // Resources by lower-cased name first, types compared only within a name: most names are unique,
  // so most resources cost one lower-casing and one look-up, and no key is built.
  const byName = new Map<string, EvaluatedResource | Map<string, EvaluatedResource>>();
  let repeated: Set<EvaluatedResource> | undefined;
  for (const r of resources) {
    const k = r.name.toLowerCase();
    const seen = byName.get(k);
    if (seen === undefined) {
      byName.set(k, r);
      continue;
    }
    // A name met again: its resources by type (the first of each), so a thousand copies stay linear.
    let byType: Map<string, EvaluatedResource>;
    if (seen instanceof Map) byType = seen;
    else byName.set(k, (byType = new Map([[lowerType(seen.type), seen]])));
    const type = lowerType(r.type);
    const first = byType.get(type);
    if (first === undefined) {
      byType.set(type, r);
      continue;
    }
    repeated ??= new Set();
    repeated.add(first);
    repeated.add(r);
  }
  if (repeated === undefined) return (r) => r.name;
  const twice = repeated;
  return (r) => {
    if (!twice.has(r)) return r.name;
    const where = [...r.deploymentPath.map((d) => `deployment '${d}'`), ...(r.copyPath ?? []).map((s) => `copy ${s.index ?? '?'} of '${s.loop}'`)];
    return where.length ? `${r.name} (${where.join(', ')})` : r.name;
  };
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

/** A file (or path, or parameter file) that could not be checked; it always fails the gate. */
export function errorDraft(file: string, line: number, column: number, message: string, type: 'template' | 'parameters' | 'path' = 'template'): Draft {
  return {
    ruleId: ERROR_RULE_ID,
    title: 'Template could not be evaluated',
    outcome: 'error',
    severity: 'high',
    featureSet: 'Error',
    file,
    line: line || 1,
    column: column || 1,
    resource: { type, name: file },
    message,
  };
}

interface PickedParameters {
  file?: string;
  /** A parameter file found by its name that may not be read. */
  problem?: { shown: string; message: string };
}

function pickParameters(options: EvaluateOptions, root: string, abs: string, file: string, engine: GateEngine, fs: GateDeps['fs']): PickedParameters {
  for (const pair of options.parameterMap ?? []) {
    if (minimatch(file, pair.template, { dot: true, matchBase: !pair.template.includes('/') })) {
      const p = path.resolve(root, pair.parameters);
      if (!fs.exists(p)) throw new TaskError(`${pair.parameters}: parameter file (mapped to '${pair.template}') not found`);
      return { file: p };
    }
  }
  let folder = options.parametersFolder;
  if (options.parametersFile) {
    const p = path.resolve(root, options.parametersFile);
    if (!fs.exists(p)) throw new TaskError(`${options.parametersFile}: parameter file not found`);
    // AzSK's "parameter file path or folder path": a folder means pairing by name inside it.
    if (!fs.isDirectory(p)) return { file: p };
    folder = p;
  }
  if (folder) {
    const stem = path.basename(abs).replace(/\.jsonc?$/i, '');
    const p = path.resolve(root, folder, `${stem}.parameters.json`);
    if (fs.exists(p)) return { file: p };
  }
  const found = engine.findParameterFile(abs);
  if (found === undefined) return {};
  if (isInsideFolder(fs, root, found)) return { file: found };
  // Beside the template but (a link) outside the root: not read, and never a quiet evaluation with defaults.
  const shown = path.relative(root, found).startsWith('..') ? found.split(path.sep).join('/') : path.relative(root, found).split(path.sep).join('/');
  return {
    problem: {
      shown,
      message: `the parameter file beside the template resolves outside the scan root (${root}); it is not read, so the template's deployed values are unknown (scan from a root that holds both)`,
    },
  };
}

/**
 * Secure parameter values never reach a report: controls quote the values they judge and names
 * or errors may embed them, so every text shown for a template is masked once it is evaluated.
 */
function redactShown(r: (t: string) => string, drafts: Draft[], firstDraft: number, status: FileStatus, uncovered: UncoveredResource[], firstUncovered: number): void {
  // The drafts of one resource share its reference: it is masked once, and they share the masked one.
  const masked = new Map<Finding['resource'], Finding['resource']>();
  for (let i = firstDraft; i < drafts.length; i++) {
    const d = drafts[i];
    d.message = r(d.message);
    if (d.resource.name) {
      let shown = masked.get(d.resource);
      if (shown === undefined) {
        shown = { type: d.resource.type, name: r(d.resource.name) };
        masked.set(d.resource, shown);
      }
      d.resource = shown;
    }
    if (d.expression !== undefined) d.expression = r(d.expression);
  }
  if (status.error !== undefined) status.error = r(status.error);
  for (const dg of status.diagnostics) dg.message = r(dg.message);
  for (let i = firstUncovered; i < uncovered.length; i++) uncovered[i].name = r(uncovered[i].name);
}
