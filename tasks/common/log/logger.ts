import type { IssueLocation, TaskHost } from '../host/task-host';
import type { SecretRegistry } from './secrets';

/** What cores log through; implemented over the agent (TaskHost) or a console (CLI). */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string, location?: IssueLocation): void;
  error(message: string, location?: IssueLocation): void;
}

/** A Logger over the agent that passes every line through the one redaction path. */
export function hostLogger(host: TaskHost, secrets: SecretRegistry): Logger {
  return {
    debug: (m) => host.debug(secrets.redact(m)),
    info: (m) => host.info(secrets.redact(m)),
    warning: (m, loc) => host.warning(secrets.redact(m), loc),
    error: (m, loc) => host.error(secrets.redact(m), loc),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warning() {}, error() {} };
