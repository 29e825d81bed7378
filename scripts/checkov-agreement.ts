/**
 * Agreement with Checkov on its own ARM check fixtures (test/corpora/checkov, Apache-2.0).
 *
 * Each folder holds the fixture templates of one Checkov check, unmodified, and `checkov.json`: the
 * check's id, where the files come from, and per resource what Checkov's test expects (PASSED or
 * FAILED). The templates run through the real engine; every control whose references name the check
 * judges the resource, and the worst result is ours (fail > unknown > pass; no result counts as pass).
 *
 * A resource counts as agreement when ours matches Checkov's. Two kinds of entries are annotated:
 * - `unknowable`: the deciding value is genuinely unknown before deployment (a parameter without a
 *   value); ours must be unknown, and the entry is left out of the comparison.
 * - `deviation`: a control deliberately judges differently; it still counts as a disagreement, the
 *   entry states what ours is and why, and the control's doc page says so.
 *
 * Usage: node out/scripts/checkov-agreement.js — prints the table per check.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseTree, type Node } from 'jsonc-parser';
import { controls as catalogue, createCheckContext } from '../tasks/ArmTemplateSecurityGate/core/controls';
import { loadAndEvaluate } from '../tasks/ArmTemplateSecurityGate/core/engine';
import type { CheckResult, Control, EvaluatedTemplate } from '../tasks/ArmTemplateSecurityGate/core/model';
import { toolRoot } from './paths';

export type Ours = 'pass' | 'fail' | 'unknown' | 'error';

export interface CheckovEntry {
  file: string;
  /** Resource type and name exactly as written in the template; type "parameter" for a parameter check. */
  type: string;
  name: string;
  checkov: 'PASSED' | 'FAILED';
  unknowable?: string;
  deviation?: { ours: Ours; why: string };
}

export interface CheckovManifest {
  check: string;
  id: string;
  source: {
    /** Folder of the fixtures in bridgecrewio/checkov. */
    fixtures: string;
    /** The test that states the expectations. */
    test: string;
    /** Commit of each file as taken (fixtures, test and check). */
    commits: Record<string, string>;
  };
  /** How the per-resource expectations were read: the test's resource sets, or its counts and the check's code. */
  expectedFrom: string;
  resources: CheckovEntry[];
}

export interface Row {
  entry: CheckovEntry;
  ours: Ours;
  /** Messages of the results that decided ours. */
  messages: string[];
  agrees: boolean;
  /** Left out of the comparison (genuinely unknowable value). */
  excluded: boolean;
  /** What is wrong with the entry's annotation, if anything (stale deviation or unknowable). */
  problem?: string;
}

export interface CheckAgreement {
  check: string;
  id: string;
  controls: string[];
  rows: Row[];
  compared: number;
  agreed: number;
}

export interface AgreementReport {
  checks: CheckAgreement[];
  compared: number;
  agreed: number;
  excluded: number;
  /** agreed / compared in percent. */
  percent: number;
}

export function checkovCorpusDir(): string {
  return path.join(toolRoot(), 'test', 'corpora', 'checkov');
}

export function readManifests(dir: string): Array<{ folder: string; manifest: CheckovManifest }> {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const folder = path.join(dir, name);
      return { folder, manifest: JSON.parse(fs.readFileSync(path.join(folder, 'checkov.json'), 'utf8')) as CheckovManifest };
    });
}

/** Controls that map a Checkov id (ours may split one check over several controls, or judge several checks in one). */
export function controlsFor(id: string, controls: readonly Control[] = catalogue): Control[] {
  return controls.filter((c) => c.meta.references.checkov?.includes(id));
}

const engineFs = { readFile: (p: string) => fs.readFileSync(p, 'utf8'), exists: (p: string) => fs.existsSync(p) };

function lineOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Where the resource object with this exact type and name is declared (anywhere in the document). */
function declaration(root: Node, text: string, type: string, name: string): Array<{ line: number; column: number }> {
  const found: Array<{ line: number; column: number }> = [];
  const visit = (n: Node): void => {
    if (n.type === 'object') {
      const get = (k: string): unknown => n.children?.find((p) => p.children?.[0]?.value === k)?.children?.[1]?.value;
      if (get('type') === type && get('name') === name) found.push(lineOf(text, n.offset));
    }
    for (const c of n.children ?? []) visit(c);
  };
  visit(root);
  return found;
}

function worst(results: readonly CheckResult[]): Ours {
  if (results.some((r) => r.outcome === 'fail')) return 'fail';
  if (results.some((r) => r.outcome === 'unknown')) return 'unknown';
  return 'pass';
}

function judge(entry: CheckovEntry, ours: Ours, messages: string[]): Row {
  const expected = entry.checkov === 'FAILED' ? 'fail' : 'pass';
  if (entry.unknowable !== undefined) {
    return { entry, ours, messages, agrees: false, excluded: true, problem: ours === 'unknown' ? undefined : `marked unknowable but ours is ${ours}` };
  }
  const agrees = ours === expected;
  let problem: string | undefined;
  if (entry.deviation && entry.deviation.ours !== ours) problem = `deviation says ours is ${entry.deviation.ours} but it is ${ours}`;
  else if (entry.deviation && agrees) problem = 'marked as a deviation but ours agrees';
  return { entry, ours, messages, agrees, excluded: false, problem };
}

/** Runs the controls mapped to one manifest's check over its fixtures. */
export function checkAgreement(folder: string, manifest: CheckovManifest, controls: readonly Control[] = catalogue): CheckAgreement {
  const mapped = controlsFor(manifest.id, controls);
  const templates = new Map<string, { template?: EvaluatedTemplate; text: string; root?: Node; error?: string }>();
  const load = (file: string) => {
    let t = templates.get(file);
    if (!t) {
      const full = path.join(folder, file);
      const text = fs.readFileSync(full, 'utf8');
      try {
        t = { template: loadAndEvaluate(full, { fs: engineFs }), text, root: parseTree(text) };
      } catch (e) {
        t = { text, error: (e as Error).message };
      }
      templates.set(file, t);
    }
    return t;
  };
  const rows = manifest.resources.map((entry): Row => {
    const t = load(entry.file);
    if (!t.template || !t.root) return judge(entry, 'error', [t.error ?? 'not JSON']);
    const results: CheckResult[] = [];
    if (entry.type === 'parameter') {
      for (const c of mapped) if (c.kind === 'template') results.push(...c.check(t.template).filter((r) => r.resource.type === 'parameter' && r.resource.name === entry.name));
    } else {
      const at = declaration(t.root, t.text, entry.type, entry.name);
      if (at.length !== 1) return judge(entry, 'error', [`${at.length} declarations of ${entry.type} '${entry.name}' in ${entry.file}`]);
      const ctx = createCheckContext(t.template);
      const instances = t.template.resources.filter((r) => r.location.line === at[0].line && r.location.column === at[0].column);
      if (instances.length === 0) return judge(entry, 'error', [`the engine produced no resource for ${entry.type} '${entry.name}'`]);
      for (const r of instances) for (const c of mapped) if (c.kind === 'resource') results.push(...c.check(r, ctx));
    }
    const ours = worst(results);
    return judge(entry, ours, results.filter((r) => r.outcome === ours).map((r) => r.message));
  });
  const compared = rows.filter((r) => !r.excluded);
  return { check: manifest.check, id: manifest.id, controls: mapped.map((c) => c.meta.id), rows, compared: compared.length, agreed: compared.filter((r) => r.agrees).length };
}

export function agreementReport(dir: string = checkovCorpusDir(), controls: readonly Control[] = catalogue): AgreementReport {
  const checks = readManifests(dir).map(({ folder, manifest }) => checkAgreement(folder, manifest, controls));
  const compared = checks.reduce((n, c) => n + c.compared, 0);
  const agreed = checks.reduce((n, c) => n + c.agreed, 0);
  const excluded = checks.reduce((n, c) => n + c.rows.filter((r) => r.excluded).length, 0);
  return { checks, compared, agreed, excluded, percent: compared ? (100 * agreed) / compared : 0 };
}

export function formatReport(report: AgreementReport): string {
  const lines = report.checks.map((c) => {
    const pct = c.compared ? ((100 * c.agreed) / c.compared).toFixed(0) : '-';
    const notes = c.rows.filter((r) => !r.agrees).map((r) => `${r.entry.file} ${r.entry.name}: checkov ${r.entry.checkov}, ours ${r.ours}${r.excluded ? ' (unknowable)' : r.entry.deviation ? ' (deviation)' : ''}`);
    return `${c.id.padEnd(14)} ${c.check.padEnd(48)} ${String(c.agreed).padStart(3)}/${String(c.compared).padEnd(3)} ${pct.padStart(4)}%  ${c.controls.join(', ')}${notes.length ? `\n${notes.map((n) => `${' '.repeat(16)}${n}`).join('\n')}` : ''}`;
  });
  lines.push(`overall: ${report.agreed}/${report.compared} resources agree (${report.percent.toFixed(1)}%), ${report.excluded} left out as unknowable, ${report.checks.length} checks`);
  return lines.join('\n');
}

if (require.main === module) console.log(formatReport(agreementReport(process.argv[2] ?? checkovCorpusDir())));
