/**
 * `armgate`: the CLI adapter over evaluate() and the reporters. Exit codes: 0 clean (warnings
 * allowed), 1 violations, 2 usage, input or internal error.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TaskError } from '../../common/errors';
import { controls } from '../core/controls';
import { evaluate } from '../core/evaluate';
import { nodeGateDeps, writeReport } from '../core/node-deps';
import { findReporter } from '../core/reporters';
import { TOOL } from '../core/scan-types';
import { parseCli, UsageError, USAGE } from './args';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
}

export const EXIT = { clean: 0, violations: 1, usage: 2 } as const;

function useColor(io: CliIo, forced: boolean | undefined): boolean {
  if (forced !== undefined) return forced;
  if (io.env.NO_COLOR) return false;
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0') return true;
  return io.isTTY && io.env.TERM !== 'dumb';
}

export function rulesCatalogue() {
  return controls.map((c) => ({
    id: c.meta.id,
    title: c.meta.title,
    severity: c.meta.severity,
    resourceTypes: c.meta.resourceTypes,
    references: { azsk: c.meta.references.azsk ?? [], checkov: c.meta.references.checkov ?? [], psrule: c.meta.references.psrule ?? [] },
    featureSet: c.meta.featureSet,
    since: c.meta.since,
  }));
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    const command = parseCli(argv, io.cwd);
    switch (command.kind) {
      case 'help':
        io.stdout(`${USAGE}\n`);
        return EXIT.clean;
      case 'version':
        io.stdout(`${TOOL.name} ${TOOL.version}\n`);
        return EXIT.clean;
      case 'rules': {
        const rules = rulesCatalogue();
        if (command.format === 'json') io.stdout(`${JSON.stringify(rules, null, 2)}\n`);
        else for (const r of rules) io.stdout(`${r.id.padEnd(48)} ${r.severity.padEnd(6)} ${r.title}\n`);
        return EXIT.clean;
      }
      case 'scan': {
        const deps = nodeGateDeps({ debug: () => undefined, info: () => undefined, warning: (m) => io.stderr(`warning: ${m}\n`) });
        const options = { ...command.options, root: path.resolve(io.cwd, command.options.root) };
        if (!fs.existsSync(options.root) || !fs.statSync(options.root).isDirectory()) throw new UsageError('--root', `no such folder '${command.options.root}'`);
        const result = evaluate(options, deps);
        const color = useColor(io, command.color);
        let toStdout = false;
        // Every report is rendered before any is written, so a failure leaves no mixed set behind.
        const rendered = command.reports.map((report) => ({
          report,
          text: findReporter(report.format)!.render(result, { color: report.file ? false : color, verbose: command.verbose }),
        }));
        for (const { report, text } of rendered) {
          if (report.file) {
            writeReport(path.resolve(io.cwd, report.file), text, report.file);
          } else {
            io.stdout(text);
            toStdout = true;
          }
        }
        if (!toStdout && !command.quiet) io.stdout(findReporter('console')!.render(result, { color, verbose: command.verbose }));
        return result.verdict.result === 'fail' ? EXIT.violations : EXIT.clean;
      }
    }
  } catch (err) {
    if (err instanceof TaskError) {
      io.stderr(`armgate: ${err.message}\n`);
      if (err instanceof UsageError) io.stderr(`Run 'armgate --help' for usage.\n`);
      return EXIT.usage;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    io.stderr(`armgate: internal error: ${e.message}\n${io.env.ARMGATE_DEBUG ? `${e.stack}\n` : ''}`);
    return EXIT.usage;
  }
}
