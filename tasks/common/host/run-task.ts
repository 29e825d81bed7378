import { describeAzureError } from '../auth/azure-errors';
import { TaskError } from '../errors';
import { SecretRegistry } from '../log/secrets';
import type { TaskHost, TaskResult } from './task-host';

export interface TaskOutcome {
  result: Exclude<TaskResult, 'Cancelled' | 'Skipped'>;
  message: string;
}

/**
 * The host as the task sees it, except that every secret the task registers is also kept here:
 * the failure message goes through the same redaction, since an error (an ARM message echoing
 * what it was sent, say) may quote one.
 */
function watchingSecrets(host: TaskHost, seen: SecretRegistry): TaskHost {
  return new Proxy(host, {
    get(target, prop) {
      if (prop === 'setSecret') {
        return (value: string) => {
          seen.register(value);
          target.setSecret(value);
        };
      }
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/**
 * The single try/catch of every task: typed errors become one clear failure line;
 * anything else is a bug, reported briefly with its stack kept for System.Debug. Every
 * message is redacted with the secrets the task registered.
 */
export async function runTask<S>(
  host: TaskHost,
  readSettings: (host: TaskHost) => S,
  execute: (settings: S, host: TaskHost) => Promise<TaskOutcome | void>,
): Promise<void> {
  const secrets = new SecretRegistry();
  const watched = watchingSecrets(host, secrets);
  const fail = (message: string) => host.setResult('Failed', secrets.redact(message));
  try {
    const settings = readSettings(watched);
    const outcome = await execute(settings, watched);
    host.setResult(outcome?.result ?? 'Succeeded', outcome?.message ?? '');
  } catch (err) {
    if (err instanceof TaskError) {
      fail(err.message);
      return;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    host.debug(secrets.redact(e.stack ?? e.message));
    const azure = describeAzureError(e);
    fail(azure ? azure.message : `Unexpected error: ${e.message}`);
  }
}
