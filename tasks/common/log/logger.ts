import type { IssueLocation } from '../host/task-host';
import { neutralizeCommands } from './safe-text';
import type { SecretRegistry } from './secrets';

/** What cores log through; implemented over the agent (TaskHost) or a console (CLI). */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string, location?: IssueLocation): void;
  error(message: string, location?: IssueLocation): void;
}

/** Where a Logger's lines end up: the agent (a TaskHost) or the CLI's streams. */
export type LogSink = Logger;

/**
 * The one output path of every task and the CLI: each message is redacted with the run's
 * secrets, then every pipeline command prefix in it is broken. Our own code never sends a command
 * by printing it (commands go through task-lib), so no printed line is ever a command, whatever
 * untrusted text a message quotes. Values interpolated into a message should also go through
 * `oneLine` (safe-text.ts), so that they cannot add lines.
 */
export function createLogger(sink: LogSink, secrets: SecretRegistry): Logger {
  const safe = (m: string) => neutralizeCommands(secrets.redact(m));
  return {
    debug: (m) => sink.debug(safe(m)),
    info: (m) => sink.info(safe(m)),
    warning: (m, loc) => sink.warning(safe(m), loc),
    error: (m, loc) => sink.error(safe(m), loc),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warning() {}, error() {} };
