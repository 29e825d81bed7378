/**
 * The gate's results over the whole committed quickstart corpus (test/corpora/quickstart), as
 * text: every finding (control, outcome, file:line:column, resource, message), every file's status
 * and diagnostics (expression errors, warnings, infos), the resources no control covers, what was
 * logged, and a digest of every secure value the scan announced. The engine evaluates lazily and
 * shares work; this record is what proves it still gives the same results
 * (test/ArmTemplateSecurityGate/core/corpus-golden.test.ts compares it with the committed file).
 *
 * Regenerating the committed file is deliberate, never a side effect of a test run:
 *   npm run armgate:golden            (compiles, then writes test/ArmTemplateSecurityGate/fixtures/corpus-golden.txt)
 * A change of controls (a new control, a reworded message) changes the file; review its diff.
 *
 * Lines within a section are sorted: the record says WHICH results come out, not in which order
 * the engine happened to produce diagnostics.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evaluate } from '../tasks/ArmTemplateSecurityGate/core/evaluate';
import type { GateDeps } from '../tasks/ArmTemplateSecurityGate/core/scan-types';
import { nodeGateDeps } from '../tasks/ArmTemplateSecurityGate/task/node-deps';
import type { Logger } from '../tasks/common/log/logger';
import { toolRoot } from './paths';

export function goldenFile(): string {
  return path.join(toolRoot(), 'test', 'ArmTemplateSecurityGate', 'fixtures', 'corpus-golden.txt');
}

/** One field: tabs and line breaks escaped so every record stays one line. */
const f = (v: unknown): string => String(v ?? '').replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\r/g, '\\r').replace(/\n/g, '\\n');
const row = (...fields: unknown[]): string => fields.map(f).join('\t');
const digest = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 16);

/** The committed corpus itself (not ARMGATE_CORPUS, which points the benchmark elsewhere). */
export function committedCorpus(): string {
  return path.join(toolRoot(), 'test', 'corpora', 'quickstart');
}

/** The scan of `root` (the committed corpus by default) as the golden text. */
export function goldenText(root: string = committedCorpus()): string {
  const logged: string[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: (m) => logged.push(row('info', m)),
    warning: (m) => logged.push(row('warning', m)),
    error: (m) => logged.push(row('error', m)),
  };
  const secrets = new Set<string>();
  const deps: GateDeps = {
    ...nodeGateDeps(logger),
    clock: { now: () => new Date('2026-12-01T00:00:00Z') },
    onSecret: (v) => secrets.add(digest(v)),
  };
  const r = evaluate({ paths: ['.'], root, unknownPolicy: 'warn' }, deps);

  const findings = r.findings.map((x) => row(x.ruleId, x.outcome, `${x.file}:${x.line}:${x.column}`, x.resource.type, x.resource.name, x.message, x.expression));
  const files: string[] = [];
  const diagnostics: string[] = [];
  for (const s of r.files) {
    files.push(row(s.file, s.kind, s.parametersFile, s.linkedFrom, s.resources, s.findings, s.error));
    for (const d of s.diagnostics) diagnostics.push(row(s.file, d.line, d.severity, d.message));
  }
  const uncovered = r.uncovered.map((u) => row(`${u.file}:${u.line}`, u.type, u.name));
  const c = r.counts;
  const section = (name: string, lines: string[]): string => [`## ${name} (${lines.length})`, ...lines.sort(), ''].join('\n');
  return [
    `# armgate over ${path.basename(root)}: ${c.templates} templates, ${c.resources} resources; pass ${c.pass}, fail ${c.fail}, unknown ${c.unknown}, error ${c.error}; verdict ${r.verdict.result}`,
    '',
    section('findings', findings),
    section('files', files),
    section('diagnostics', diagnostics),
    section('uncovered', uncovered),
    section('logged', logged),
    section('secure values announced (sha-256, first 16 hex digits)', [...secrets]),
  ].join('\n');
}

if (require.main === module) {
  const write = process.argv.includes('--write');
  const text = goldenText();
  if (write) {
    fs.writeFileSync(goldenFile(), text);
    console.log(`wrote ${path.relative(toolRoot(), goldenFile())} (${text.split('\n').length} lines)`);
  } else {
    process.stdout.write(text);
  }
}
