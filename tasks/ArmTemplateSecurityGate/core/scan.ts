/**
 * The scan itself, over an injected engine and catalogue. evaluate.ts binds the real ones;
 * tests drive this with hand-built templates and fake controls.
 */
import * as path from 'node:path';
import { minimatch } from 'minimatch';
import { FileError, InputError, TaskError } from '../../common/errors';
import {
  attestationMatches,
  controlMatches,
  describeSelector,
  inlineAttestations,
  isExpired,
  parseAttestationFile,
  type Attestation,
} from './attestations';
import { baselineNames, resolveBaseline } from './baselines';
import { SecretTracker } from './engine/secrets';
import { isInsideFolder } from './engine';
import { discoverFiles, displayPath, isPattern } from './files';
import { TemplateError, type CheckContext, type Control, type EvaluatedTemplate, type Outcome, type Severity } from './model';
import {
  TOOL,
  type AttestationProblem,
  type EvaluateOptions,
  type FileStatus,
  type Finding,
  type GateDeps,
  type GateEngine,
  type ScanResult,
  type UncoveredResource,
} from './scan-types';

export const ERROR_RULE_ID = 'template-error';

const SEVERITY_RANK: Record<Severity, number> = { low: 1, medium: 2, high: 3 };

export function severityAtLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

export type ContextFactory = (template: EvaluatedTemplate) => CheckContext;

/** Fallback context: children by name prefix; enough for fakes, the real one comes from controls/context.ts. */
function simpleContext(template: EvaluatedTemplate): CheckContext {
  return {
    template,
    related: (resource, type) =>
      template.resources.filter(
        (r) => r !== resource && r.type.toLowerCase() === type.toLowerCase() && r.name.toLowerCase().startsWith(`${resource.name.toLowerCase()}/`),
      ),
  };
}

interface Draft extends Omit<Finding, 'blocking'> {
  control?: Control;
}

export function scanWith(
  options: EvaluateOptions,
  deps: GateDeps,
  engine: GateEngine,
  createContext: ContextFactory = simpleContext,
): ScanResult {
  const { fs, clock } = deps;
  // Secrets are masked per template: a parameter file may hold a plain word ("secret") as a
  // secure value, and masking it in every other template's messages would garble them.
  const announced = new Set<string>();
  const announce = (v: string): void => {
    if (announced.has(v)) return;
    announced.add(v);
    deps.onSecret?.(v);
  };
  let secrets = new SecretTracker(announce);
  const logger: GateDeps['logger'] = {
    debug: (m) => deps.logger.debug(secrets.redact(m)),
    info: (m) => deps.logger.info(secrets.redact(m)),
    warning: (m) => deps.logger.warning(secrets.redact(m)),
  };
  const started = clock.now();
  const root = path.resolve(options.root);
  const threshold = options.severityThreshold ?? 'low';
  const unknownPolicy = options.unknownPolicy ?? 'warn';
  const treatAsPassed = new Set<Outcome>(options.treatAsPassed ?? []);

  const baseline = resolveBaseline(options.baseline, engine.controls);
  if (!baseline) {
    throw new InputError('baseline', `unknown baseline '${options.baseline}' (expected ${baselineNames().join(', ')} or a date YYYY-MM-DD)`);
  }
  const skipIds = (options.skipControls ?? []).map((s) => s.trim()).filter(Boolean);
  const controls = baseline.controls.filter((c) => !skipIds.some((id) => controlMatches(id, c, c.meta.id)));
  const byType = new Map<string, Control[]>();
  for (const c of controls) {
    if (c.kind !== 'resource') continue;
    for (const t of c.meta.resourceTypes) {
      const added = c.meta.typesSince?.[t];
      if (added && baseline.date && added > baseline.date) continue;
      const key = t.toLowerCase();
      byType.set(key, [...(byType.get(key) ?? []), c]);
    }
  }
  const templateControls = controls.filter((c) => c.kind === 'template');
  const controlById = new Map(engine.controls.map((c) => [c.meta.id, c]));

  const fileAttestations: Attestation[] = [];
  if (options.attestationsFile) {
    const abs = path.resolve(root, options.attestationsFile);
    const shown = displayPath(root, abs);
    if (!fs.exists(abs) || fs.isDirectory(abs)) throw new FileError(shown, 'attestation file not found');
    fileAttestations.push(...parseAttestationFile(fs.readFile(abs), shown));
  }
  const inline: Attestation[] = [];

  // path.relative is costly and the same files are shown again as parameter files and linked templates.
  const shownPaths = new Map<string, string>();
  const show = (p: string): string => {
    let shown = shownPaths.get(p);
    if (shown === undefined) {
      shown = displayPath(root, p);
      shownPaths.set(p, shown);
    }
    return shown;
  };
  // Local files for linked templates are named relative to the root, like every other path.
  const linkedTemplateMap = options.linkedTemplateMap
    ? Object.fromEntries(Object.entries(options.linkedTemplateMap).map(([from, file]) => [from, path.resolve(root, file)]))
    : undefined;
  // What a template asks the engine to read (linked templates, parameter links) stays in the root.
  const allowedRoots = [root];
  const unmatchedPaths: string[] = [];
  const files = discoverFiles(fs, root, options.paths, { recurse: options.recurse, exclude: options.exclude, unmatched: unmatchedPaths });
  const pathWarnings = unmatchedPaths.map((p) =>
    isPattern(p)
      ? `pattern '${p}' matched no file${path.isAbsolute(p) ? '' : ` under ${root}`}`
      : `folder '${p}' holds no JSON file${options.recurse === false ? ' (sub-folders not searched)' : ''}${path.isAbsolute(p) ? '' : ` under ${root}`}`,
  );
  // Said before the scan's own output: an empty scan otherwise reads as a clean one.
  for (const w of pathWarnings) logger.warning(w);
  const drafts: Draft[] = [];
  const statuses: FileStatus[] = [];
  const uncovered: UncoveredResource[] = [];
  let templates = 0;
  let resourceCount = 0;

  for (const abs of files) {
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
    statuses.push(status);
    if (kind !== 'template') continue;
    templates++;

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
        logger.debug(e.stack ?? e.message);
        drafts.push(errorDraft(file, 1, 1, `could not be evaluated (engine failure: ${e.message})`));
      }
      if (secrets.size > 0) redactShown(secrets, drafts, firstDraft, status, uncovered, firstUncovered);
      continue;
    }

    for (const d of template.diagnostics) {
      // An expression that cannot be evaluated fails the gate; the rest of the template is still checked.
      if (d.severity === 'error') {
        drafts.push(errorDraft(d.location.file || file, d.location.line, d.location.column, d.message));
        continue;
      }
      status.diagnostics.push({ severity: d.severity, message: d.message, line: d.location.line });
      if (d.severity !== 'info') logger.warning(`${d.location.file}:${d.location.line}: ${d.message}`);
    }
    const ctx = createContext(template);
    for (const resource of template.resources) {
      if (resource.existing) continue;
      status.resources++;
      resourceCount++;
      // Attestations select resources by the name reports show, which hides secrets.
      const shownName = secrets.redact(resource.name);
      const inl = inlineAttestations(shownName === resource.name ? resource : { ...resource, name: shownName }, file);
      inline.push(...inl.attestations);
      for (const p of inl.problems) {
        status.diagnostics.push({ severity: 'warning', message: p.message, line: p.line });
        logger.warning(`${file}:${p.line}: ${p.message}`);
      }
      const applicable = byType.get(resource.type.toLowerCase()) ?? [];
      if (applicable.length === 0) {
        uncovered.push({ file: resource.location.file || file, line: resource.location.line, type: resource.type, name: resource.name });
        continue;
      }
      for (const control of applicable) {
        if (control.kind !== 'resource') continue;
        const resourceRef = { type: resource.type, name: resource.name };
        try {
          for (const r of control.check(resource, ctx)) {
            const conditional = resource.conditionUnknown && r.outcome !== 'pass' ? ` (deployed only if its condition holds: ${resource.conditionUnknown.reason})` : '';
            drafts.push(draft(control, r.outcome, r.location.file || file, r.location.line, r.location.column, resourceRef, r.message + conditional));
          }
        } catch (err) {
          logger.debug((err as Error).stack ?? String(err));
          drafts.push(draft(control, 'error', file, resource.location.line, resource.location.column, resourceRef, `control failed to run: ${(err as Error).message}`));
        }
      }
    }
    for (const control of templateControls) {
      if (control.kind !== 'template') continue;
      try {
        for (const r of control.check(template)) {
          drafts.push(draft(control, r.outcome, r.location.file || file, r.location.line, r.location.column, r.resource, r.message));
        }
      } catch (err) {
        logger.debug((err as Error).stack ?? String(err));
        drafts.push(draft(control, 'error', file, 1, 1, { type: 'template', name: file }, `control failed to run: ${(err as Error).message}`));
      }
    }
    if (secrets.size > 0) redactShown(secrets, drafts, firstDraft, status, uncovered, firstUncovered);
  }

  // Skip rules (AzSK "skip controls from file") drop findings before anything counts them.
  let skipped = 0;
  const kept = drafts.filter((d) => {
    const rule = (options.skipRules ?? []).find(
      (s) =>
        d.outcome !== 'error' &&
        controlMatches(s.control, d.control, d.ruleId) &&
        (!s.file || minimatch(d.file, s.file, { dot: true, matchBase: !s.file.includes('/') })) &&
        (!s.resourceName || sameName(d.resource.name, s.resourceName) || minimatch(d.resource.name, s.resourceName, { nocase: true })),
    );
    if (rule) skipped++;
    return !rule;
  });

  const today = clock.now();
  const allAttestations = [...fileAttestations, ...inline];
  const used = new Set<Attestation>();
  for (const d of kept) {
    if (d.outcome !== 'fail' && d.outcome !== 'unknown') continue;
    const candidates = allAttestations.filter((a) => attestationMatches(a, d, d.control ?? controlById.get(d.ruleId)));
    if (candidates.length === 0) continue;
    // A valid attestation wins over an expired one for the same finding (a renewal written beside the old one).
    const a = candidates.find((c) => !isExpired(c, today)) ?? candidates[0];
    used.add(a);
    const expired = isExpired(a, today);
    d.attestation = { source: a.source, line: a.line, justification: a.justification, approvedBy: a.approvedBy, expiresOn: a.expiresOn, expired };
    if (expired) {
      d.message += ` — attestation expired on ${a.expiresOn} (${a.source}${a.line ? `:${a.line}` : ''}); renew or fix`;
    } else {
      d.attestedOutcome = d.outcome;
      d.outcome = 'attested';
    }
  }
  const problem = (a: Attestation): AttestationProblem => ({
    control: a.control,
    source: a.source,
    line: a.line,
    expiresOn: a.expiresOn,
    justification: a.justification,
    selector: describeSelector(a),
  });
  const unusedAttestations = allAttestations.filter((a) => !used.has(a)).map(problem);
  const expiredAttestations = allAttestations.filter((a) => isExpired(a, today)).map(problem);

  const findings: Finding[] = kept
    .map(({ control: _control, ...d }) => ({ ...d, blocking: isBlocking(d) }))
    .sort((a, b) => cmp(a.file, b.file) || a.line - b.line || cmp(a.ruleId, b.ruleId) || cmp(a.resource.name, b.resource.name));
  const perFile = new Map<string, number>();
  for (const f of findings) perFile.set(f.file, (perFile.get(f.file) ?? 0) + 1);
  for (const s of statuses) s.findings = perFile.get(s.file) ?? 0;

  function isBlocking(d: Draft): boolean {
    if (d.attestation?.expired) return true;
    if (treatAsPassed.has(d.outcome)) return false;
    switch (d.outcome) {
      case 'error':
        return true;
      case 'fail':
        return severityAtLeast(d.severity, threshold);
      case 'unknown':
        return unknownPolicy === 'fail' && severityAtLeast(d.severity, threshold);
      default:
        return false;
    }
  }

  const counts = { pass: 0, fail: 0, unknown: 0, attested: 0, error: 0, skipped, templates, resources: resourceCount };
  for (const f of findings) counts[f.outcome]++;

  const reasons: string[] = [];
  const warnings: string[] = [];
  const blockingFails = findings.filter((f) => f.blocking && f.outcome === 'fail' && !f.attestation?.expired).length;
  if (blockingFails) reasons.push(`${blockingFails} control failure(s) at or above severity '${threshold}'`);
  const blockingUnknown = findings.filter((f) => f.blocking && f.outcome === 'unknown' && !f.attestation?.expired).length;
  if (blockingUnknown) reasons.push(`${blockingUnknown} unknown result(s) under policy 'fail'`);
  const blockingErrors = findings.filter((f) => f.blocking && f.outcome === 'error').length;
  if (blockingErrors) reasons.push(`${blockingErrors} file(s) or control(s) could not be evaluated`);
  if (expiredAttestations.length) reasons.push(`${expiredAttestations.length} expired attestation(s)`);
  const evaluated = counts.pass + counts.fail + counts.unknown + counts.attested;
  if (options.failIfNoControlsScanned && evaluated === 0) reasons.push('no control was evaluated against any resource');

  const softFails = findings.filter((f) => f.outcome === 'fail' && !f.blocking).length;
  if (softFails) warnings.push(`${softFails} control failure(s) below the severity threshold or treated as passed`);
  const softUnknown = findings.filter((f) => f.outcome === 'unknown' && !f.blocking && unknownPolicy === 'warn' && !treatAsPassed.has('unknown')).length;
  if (softUnknown) warnings.push(`${softUnknown} unknown result(s) (values known only at deployment)`);
  if (unusedAttestations.length) warnings.push(`${unusedAttestations.length} attestation(s) matched no finding`);
  // A linked template that could not be followed leaves resources unchecked: never a clean pass.
  const templateWarnings = statuses.flatMap((s) => s.diagnostics.filter((d) => d.severity === 'warning').map((d) => `${s.file}:${d.line}: ${d.message}`));
  if (templateWarnings.length) warnings.push(`${templateWarnings.length} template warning(s), first: ${templateWarnings[0]}`);
  warnings.push(...pathWarnings);

  const verdict: ScanResult['verdict'] =
    reasons.length > 0 ? { result: 'fail', reasons } : warnings.length > 0 ? { result: 'warn', reasons: warnings } : { result: 'pass', reasons: [] };

  return {
    tool: { ...TOOL },
    baseline: { name: baseline.name, date: baseline.date, controls: controls.length },
    startedAt: started.toISOString(),
    durationMs: Math.max(0, clock.now().getTime() - started.getTime()),
    root,
    findings,
    uncovered,
    files: statuses,
    unusedAttestations,
    expiredAttestations,
    unmatchedPaths,
    counts,
    controls,
    verdict,
  };
}

/** Ordinal comparison: stable across machines and locales (localeCompare is neither, and slow). */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One shape for every control draft (spreading a per-control base object was the scan's hot spot). */
function draft(control: Control, outcome: Outcome, file: string, line: number, column: number, resource: Finding['resource'], message: string): Draft {
  const m = control.meta;
  return { ruleId: m.id, title: m.title, severity: m.severity, featureSet: m.featureSet, control, outcome, file, line, column, resource, message };
}

function errorDraft(file: string, line: number, column: number, message: string): Draft {
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

function pickParameters(
  options: EvaluateOptions,
  root: string,
  abs: string,
  file: string,
  engine: GateEngine,
  fs: GateDeps['fs'],
): string | undefined {
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
 * A name known only at deployment reads as its expression ("[parameters('x')]"), which minimatch
 * would take for a character class; the exact name, as copied from a report, must still match.
 */
function sameName(name: string, wanted: string): boolean {
  return name.length === wanted.length && name.toLowerCase() === wanted.toLowerCase();
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
