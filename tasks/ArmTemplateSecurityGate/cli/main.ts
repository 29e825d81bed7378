/**
 * `armgate`: the CLI adapter over evaluate() and the reporters; the CLI's composition root.
 * Exit codes: 0 clean (warnings allowed), 1 violations, 2 usage, input or internal error.
 *
 * Everything it prints goes through the common output path (createLogger): a script step runs it
 * on an agent, so no line it prints may carry a pipeline command.
 */
import * as fs from 'node:fs';
import { TaskError } from '../../common/errors';
import { createLogger, type Logger } from '../../common/log/logger';
import { oneLine } from '../../common/log/safe-text';
import { SecretRegistry } from '../../common/log/secrets';
import { publishReports } from '../../common/report/publish';
import { controls } from '../core/controls';
import { loadCatalogue, type CatalogueEntry } from '../core/catalogue';
import { showParameter } from '../core/controls/helpers/parameters';
import { evaluate } from '../core/evaluate';
import { findReporter } from '../core/reporters';
import { TOOL } from '../core/scan-types';
import { nodeGateDeps, nodeGateFileSystem } from '../task/node-deps';
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

/** The CLI's streams as a Logger sink: info is standard output, the rest standard error. */
function cliLogger(io: CliIo): Logger {
  const debug = Boolean(io.env.ARMGATE_DEBUG);
  return createLogger(
    {
      debug: (m) => {
        if (debug) io.stderr(`${m}\n`);
      },
      info: (m) => io.stdout(`${m}\n`),
      warning: (m) => io.stderr(`warning: ${m}\n`),
      error: (m) => io.stderr(`armgate: ${m}\n`),
    },
    // Reports mask secure values per template; the CLI has no other secrets to hide.
    new SecretRegistry(),
  );
}

/** The controls with their effective settings: what a scan with the same files would run. */
export function rulesCatalogue(entries: readonly CatalogueEntry[] = controls.map((control) => ({ control, status: 'enabled' as const }))) {
  return entries.map(({ control: c, status, reason }) => ({
    id: c.meta.id,
    title: c.meta.title,
    severity: c.meta.severity,
    resourceTypes: c.meta.resourceTypes,
    references: { azsk: c.meta.references.azsk ?? [], checkov: c.meta.references.checkov ?? [], psrule: c.meta.references.psrule ?? [] },
    featureSet: c.meta.featureSet,
    since: c.meta.since,
    status,
    ...(reason !== undefined ? { reason } : {}),
    ...(c.meta.effect !== undefined ? { effect: c.meta.effect } : {}),
    parameters: c.parameterValues ?? {},
  }));
}

function isFolder(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Prints a text that ends with a line break through the logger, which adds its own. */
function print(log: Logger, text: string): void {
  log.info(text.endsWith('\n') ? text.slice(0, -1) : text);
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const log = cliLogger(io);
  try {
    const command = parseCli(argv, io.cwd, isFolder);
    switch (command.kind) {
      case 'help':
        print(log, USAGE);
        return EXIT.clean;
      case 'version':
        log.info(`${TOOL.name} ${TOOL.version}`);
        return EXIT.clean;
      case 'rules': {
        const catalogue = loadCatalogue(controls, command.catalogue, nodeGateFileSystem(io.cwd));
        const rules = rulesCatalogue(catalogue.entries);
        if (command.format === 'json') print(log, JSON.stringify(rules, null, 2));
        else {
          if (catalogue.settingsFile !== undefined) log.info(`settings: ${catalogue.settingsFile}`);
          for (const r of rules) {
            const status = r.status === 'enabled' ? '' : `  [${r.status}: ${r.reason ?? ''}]`;
            log.info(oneLine(`${r.id.padEnd(48)} ${r.severity.padEnd(6)} ${r.title}${status}`));
            for (const [name, value] of Object.entries(r.parameters)) log.info(oneLine(`${''.padEnd(48)} ${name} = ${showParameter(value)}`));
          }
        }
        return EXIT.clean;
      }
      case 'scan': {
        const options = command.options;
        if (!fs.existsSync(options.root) || !fs.statSync(options.root).isDirectory()) {
          throw new UsageError(command.rootGiven !== undefined ? '--root' : 'paths', `no such folder '${command.rootGiven ?? options.root}'`);
        }
        const fileSystem = nodeGateFileSystem(io.cwd);
        const result = evaluate(options, nodeGateDeps(log, fileSystem));
        const color = useColor(io, command.color);
        const jobs = command.reports.map((report) => ({
          format: report.format,
          file: report.file,
          render: () => findReporter(report.format)!.render(result, { color: report.file ? false : color, verbose: command.verbose }),
        }));
        const sent = publishReports(jobs, { write: (file, text) => fileSystem.writeTextAtomic(file, text), print: (text) => print(log, text) });
        if (sent.every((s) => s.file !== undefined) && !command.quiet) print(log, findReporter('console')!.render(result, { color, verbose: command.verbose }));
        return result.verdict.result === 'fail' ? EXIT.violations : EXIT.clean;
      }
    }
  } catch (err) {
    if (err instanceof TaskError) {
      log.error(oneLine(err.message));
      if (err instanceof UsageError) io.stderr(`Run 'armgate --help' for usage.\n`);
      return EXIT.usage;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    log.error(`internal error: ${oneLine(e.message)}`);
    log.debug(e.stack ?? '');
    return EXIT.usage;
  }
}
