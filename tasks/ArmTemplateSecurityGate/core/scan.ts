/**
 * The scan itself, over an injected engine and catalogue (evaluate.ts binds the real ones; tests
 * drive this with hand-built templates and fake controls), in four steps: select the controls,
 * scan the files, apply skips and attestations, decide the verdict.
 */
import * as path from 'node:path';
import { FileError } from '../../common/errors';
import { AttestationIndex, attestationNote, applyAttestations, isExpired, parseAttestationFile, type Attestation } from '../../common/report/attestations';
import { displayPath, leavesThroughLink } from './files';
import type { CheckContext, EvaluatedTemplate } from './model';
import { scanFiles, type ContextFactory } from './scan-files';
import { aliasesOf, selectControls } from './select-controls';
import { loadCatalogue } from './catalogue';
import { applySkips } from './skips';
import { findExclusion, type Exclusion } from './settings';
import { oneLine } from '../../common/log/safe-text';
import type { Draft } from './scan-files';
import { TOOL, type EvaluateOptions, type ExcludedFinding, type ExclusionNote, type Finding, type GateDeps, type GateEngine, type ScanResult } from './scan-types';
import { gatePolicy, gateVerdict } from './verdict';

export { ERROR_RULE_ID, type ContextFactory } from './scan-files';

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

export function scanWith(options: EvaluateOptions, deps: GateDeps, engine: GateEngine, createContext: ContextFactory = simpleContext): ScanResult {
  const started = deps.clock.now();
  const root = path.resolve(options.root);
  // A root that is itself a link out of the folder it was named in (`infra -> /`) would make every
  // check below bound by the wrong folder: nothing is scanned, and the reason is the whole answer.
  if (options.baseFolder !== undefined && leavesThroughLink(deps.fs, path.resolve(options.baseFolder), root)) {
    throw new FileError(displayPath(path.resolve(options.baseFolder), root), `the scan root is a symbolic link (or lies under one) that leads outside ${options.baseFolder}; nothing was scanned`);
  }
  const catalogue = loadCatalogue(engine.controls, { root, settingsFile: options.settingsFile, controlsFolder: options.controlsFolder, policyPaths: options.policyPaths }, deps.fs);
  for (const n of catalogue.notEvaluated) deps.logger.warning(oneLine(`control '${n.id}' is not evaluated before deployment: ${n.reason}`));
  const selection = selectControls(catalogue.controls, options.baseline, options.skipControls ?? []);
  const controlById = new Map(catalogue.controls.map((c) => [c.meta.id, c]));
  const fileAttestations = readAttestationFile(options, root, deps);

  // path.relative is costly and the same files are shown again as parameter files and linked templates.
  const shownPaths = new Map<string, string>();
  const show = (p: string): string => {
    let shown = shownPaths.get(p);
    if (shown === undefined) {
      shown = insideRoot(p) ?? displayPath(root, p);
      shownPaths.set(p, shown);
    }
    return shown;
  };
  // Nearly every path shown is a normalised path below the root: its tail is what path.relative would
  // give, without resolving both paths against the working directory (microseconds per path, for
  // every file found and every parameter file and linked template named). Anything else (another separator, '.' or '..' segments, a root of '/') takes displayPath.
  const rootPrefix = path.sep === '/' && !root.endsWith('/') ? `${root}/` : undefined;
  function insideRoot(p: string): string | undefined {
    if (rootPrefix === undefined || p.length <= rootPrefix.length || !p.startsWith(rootPrefix)) return undefined;
    const rel = p.slice(rootPrefix.length);
    return rel.startsWith('.') || rel.startsWith('/') || rel.includes('/.') || rel.includes('//') || rel.endsWith('/') ? undefined : rel;
  }
  const scanned = scanFiles({ options, root, deps, engine, selection, createContext, show });

  const aliases = (d: { ruleId: string; control?: (typeof engine.controls)[number] }) => aliasesOf(d.control ?? controlById.get(d.ruleId));
  const skips = applySkips(scanned.drafts, options.skipRules ?? [], aliases);
  const { kept, excluded, exclusions } = applyExclusions(skips.kept, catalogue.exclusions);
  const skipped = skips.skipped;
  for (const e of exclusions) deps.logger.info(oneLine(`${e.source}:${e.line}: excluded ${e.matched} finding(s) of ${e.control} (${e.selector}): ${e.reason}`));

  const today = deps.clock.now();
  const attestations: Attestation[] = fileAttestations;
  for (const a of scanned.inline) attestations.push(a);
  const used = applyAttestations(kept, new AttestationIndex(attestations), today, (d) => ({ ruleId: d.ruleId, aliases: aliases(d), file: d.file, subject: d.resource }));
  const unusedAttestations = attestations.filter((a) => !used.has(a)).map(attestationNote);
  const expiredAttestations = attestations.filter((a) => isExpired(a, today)).map(attestationNote);

  const policy = gatePolicy(options);
  const findings: Finding[] = kept
    .map(toFinding)
    .sort((a, b) => cmp(a.file, b.file) || a.line - b.line || cmp(a.ruleId, b.ruleId) || cmp(a.resource.name, b.resource.name));
  const advisory = new Set(selection.controls.filter((c) => c.meta.effect === 'audit').map((c) => c.meta.id));
  const verdict = gateVerdict({
    findings,
    policy,
    options,
    files: scanned.files,
    pathWarnings: [...scanned.pathWarnings, ...catalogue.notEvaluated.map((n) => `control '${n.id}' is not evaluated before deployment: ${n.reason}`)],
    expired: expiredAttestations.length,
    unused: unusedAttestations.length,
    advisory,
  });

  // Findings are sorted by file: a file's count is the length of its run (one Map update per file,
  // not per finding), and the outcomes are counted in the same pass.
  const perFile = new Map<string, number>();
  const counts = { pass: 0, fail: 0, unknown: 0, attested: 0, error: 0, skipped, excluded: excluded.length, templates: scanned.templates, resources: scanned.resources };
  for (let i = 0; i < findings.length; ) {
    const file = findings[i].file;
    let j = i;
    for (; j < findings.length && findings[j].file === file; j++) counts[findings[j].outcome]++;
    perFile.set(file, (perFile.get(file) ?? 0) + j - i);
    i = j;
  }
  for (const s of scanned.files) s.findings = perFile.get(s.file) ?? 0;

  return {
    tool: { ...TOOL },
    baseline: { name: selection.baseline.name, date: selection.baseline.date, controls: selection.controls.length },
    startedAt: started.toISOString(),
    durationMs: Math.max(0, deps.clock.now().getTime() - started.getTime()),
    root,
    findings,
    uncovered: scanned.uncovered,
    files: scanned.files,
    unusedAttestations,
    expiredAttestations,
    unmatchedPaths: scanned.unmatchedPaths,
    counts,
    controls: selection.controls,
    verdict,
    ...(catalogue.settingsFile !== undefined ? { settingsFile: catalogue.settingsFile } : {}),
    exclusions,
    excluded,
    notEvaluated: catalogue.notEvaluated,
  };
}

function readAttestationFile(options: EvaluateOptions, root: string, deps: GateDeps): Attestation[] {
  if (!options.attestationsFile) return [];
  const abs = path.resolve(root, options.attestationsFile);
  const shown = displayPath(root, abs);
  if (deps.fs.isDirectory(abs)) throw new FileError(shown, 'is a folder; give the path of the attestation file (YAML)');
  if (!deps.fs.exists(abs)) throw new FileError(shown, 'attestation file not found');
  return parseAttestationFile(deps.fs.readText(abs), shown);
}

/** Keys toFinding() copies by name (what a draft made by scan-files.ts holds), and the two it leaves out. */
const FINDING_KEYS = new Set(['ruleId', 'title', 'outcome', 'severity', 'file', 'line', 'column', 'resource', 'message', 'featureSet', 'expression', 'attestedOutcome', 'attestation', 'control', 'templateWide']);

/**
 * A draft as the finding reports show: the scan's own two keys left out, `blocking` added. Built
 * with one fixed shape: an object rest and spread per finding (and a keyed copy too) made objects
 * that were slow to build, then slow to sort and judge (a few percent of a scan). Any other key a
 * draft carries is still copied.
 */
function toFinding(d: Draft): Finding {
  const f: Finding = {
    ruleId: d.ruleId, title: d.title, outcome: d.outcome, severity: d.severity, file: d.file, line: d.line, column: d.column,
    resource: d.resource, message: d.message, featureSet: d.featureSet, blocking: false,
  };
  if (d.expression !== undefined) f.expression = d.expression;
  if (d.attestedOutcome !== undefined) f.attestedOutcome = d.attestedOutcome;
  if (d.attestation !== undefined) f.attestation = d.attestation;
  const source = d as unknown as Record<string, unknown>;
  const target = f as unknown as Record<string, unknown>;
  for (const k in source) {
    if (FINDING_KEYS.has(k) || !Object.hasOwn(source, k)) continue;
    // eslint-disable-next-line local/no-prototype-keys -- the keys are a Draft's own, all written by our code (no `__proto__`); the target is a fresh literal
    target[k] = source[k];
  }
  return f;
}

/** Ordinal comparison: stable across machines and locales (localeCompare is neither, and slow). */
function cmp(a: string, b: string): number {
  // Equal first: sorting compares findings of the same file (and rule) most of the time, and an
  // equal pair then costs one comparison instead of two.
  return a === b ? 0 : a < b ? -1 : 1;
}

/**
 * Settings exclusions take findings out before attestations and the verdict; each is kept with the
 * exclusion that took it, and each exclusion says how many it took (one that took none is stale).
 * Errors are never excluded: a file that could not be evaluated was not checked.
 */
function applyExclusions(drafts: Draft[], rules: readonly Exclusion[]): { kept: Draft[]; excluded: ExcludedFinding[]; exclusions: ExclusionNote[] } {
  if (rules.length === 0) return { kept: drafts, excluded: [], exclusions: [] };
  const matched = new Map<Exclusion, number>();
  const excluded: ExcludedFinding[] = [];
  const kept = drafts.filter((d) => {
    const e = d.outcome === 'error' ? undefined : findExclusion(rules, d);
    if (!e) return true;
    matched.set(e, (matched.get(e) ?? 0) + 1);
    excluded.push({ ruleId: d.ruleId, file: d.file, line: d.line, resource: d.resource, outcome: d.outcome, reason: e.reason, excludedBy: `${e.source}:${e.line}` });
    return false;
  });
  const exclusions = rules.map((e) => ({
    control: e.control,
    selector: [e.file !== undefined ? `file ${e.file}` : '', e.type !== undefined ? `type ${e.type}` : '', e.name !== undefined ? `name ${e.name}` : ''].filter(Boolean).join(', '),
    reason: e.reason,
    source: e.source,
    line: e.line,
    matched: matched.get(e) ?? 0,
  }));
  return { kept, excluded, exclusions };
}
