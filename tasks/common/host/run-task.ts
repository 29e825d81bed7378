import { describeAzureError } from '../auth/azure-errors';
import { TaskError } from '../errors';
import { createLogger, type Logger } from '../log/logger';
import { neutralizeCommands } from '../log/safe-text';
import { SecretRegistry } from '../log/secrets';
import { TaskInputs } from './inputs';
import type { TaskHost, TaskResult } from './task-host';

export interface TaskOutcome {
  result: Exclude<TaskResult, 'Cancelled' | 'Skipped'>;
  message: string;
}

/**
 * What a task's composition root gets: the agent, the run's one secret registry (register every
 * secret here: it reaches the agent's masker and our own redaction), and the one logger
 * (redacted, no line can be a pipeline command).
 */
export interface TaskContext {
  host: TaskHost;
  secrets: SecretRegistry;
  log: Logger;
}

/**
 * The single try/catch of every task: typed errors become one clear failure line;
 * anything else is a bug, reported briefly with its stack kept for System.Debug. Every
 * message is redacted with the secrets registered in the run's registry.
 */
export async function runTask<S>(
  host: TaskHost,
  readSettings: (inputs: TaskInputs, ctx: TaskContext) => S,
  execute: (settings: S, ctx: TaskContext) => Promise<TaskOutcome | void>,
): Promise<void> {
  const secrets = new SecretRegistry(host);
  const ctx: TaskContext = { host, secrets, log: createLogger(host, secrets) };
  // task-lib prints the result message inside task.issue and task.complete; a message may quote an
  // input or file value, so it goes through the same command breaker as every logged line.
  const finish = (result: TaskResult, message: string) => host.setResult(result, neutralizeCommands(secrets.redact(message)));
  const fail = (message: string) => finish('Failed', message);
  try {
    const settings = readSettings(new TaskInputs(host, secrets), ctx);
    const outcome = await execute(settings, ctx);
    finish(outcome?.result ?? 'Succeeded', outcome?.message ?? '');
  } catch (err) {
    if (err instanceof TaskError) {
      fail(err.message);
      return;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    ctx.log.debug(e.stack ?? e.message);
    const azure = describeAzureError(e);
    fail(azure ? azure.message : `Unexpected error: ${e.message}`);
  }
}
