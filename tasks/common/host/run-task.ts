import { describeAzureError } from '../auth/azure-errors';
import { TaskError } from '../errors';
import type { TaskHost, TaskResult } from './task-host';

export interface TaskOutcome {
  result: Exclude<TaskResult, 'Cancelled' | 'Skipped'>;
  message: string;
}

/**
 * The single try/catch of every task: typed errors become one clear failure line;
 * anything else is a bug, reported briefly with its stack kept for System.Debug.
 */
export async function runTask<S>(
  host: TaskHost,
  readSettings: (host: TaskHost) => S,
  execute: (settings: S, host: TaskHost) => Promise<TaskOutcome | void>,
): Promise<void> {
  try {
    const settings = readSettings(host);
    const outcome = await execute(settings, host);
    host.setResult(outcome?.result ?? 'Succeeded', outcome?.message ?? '');
  } catch (err) {
    if (err instanceof TaskError) {
      host.setResult('Failed', err.message);
      return;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    host.debug(e.stack ?? e.message);
    const azure = describeAzureError(e);
    if (azure) {
      host.setResult('Failed', azure.message);
      return;
    }
    host.setResult('Failed', `Unexpected error: ${e.message}`);
  }
}
