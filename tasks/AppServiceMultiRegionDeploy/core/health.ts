import type { AxiosInstance } from 'axios';
import type { Logger } from '../../common/log/logger';
import { oneLine } from '../../common/log/safe-text';
import type { HealthCheck } from './model';
import type { Clock } from './ports';

export interface HealthResult {
  healthy: boolean;
  attempts: number;
  /** What the last attempt saw: an HTTP status or a network error. */
  last: string;
}

/**
 * GET https://<host><path> until it answers the expected status, at most 1 + retries attempts,
 * each bounded by the timeout. A redirect is not followed: a sign-in page is not health.
 */
export async function checkHealth(http: AxiosInstance, host: string, check: HealthCheck, log: Logger, clock: Clock, label: string): Promise<HealthResult> {
  const url = `https://${host}${check.path}`;
  let last = '';
  const attempts = check.retries + 1;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const response = await http.get(url, { timeout: check.timeoutMs, maxRedirects: 0, validateStatus: () => true, responseType: 'text', transformResponse: (x: unknown) => x });
      last = `HTTP ${response.status}`;
      if (response.status === check.expectedStatus) {
        log.info(`${label}: health check ${oneLine(url)} answered ${response.status} (attempt ${attempt}/${attempts})`);
        return { healthy: true, attempts: attempt, last };
      }
    } catch (err) {
      last = oneLine((err as Error).message);
    }
    log.info(`${label}: health check ${oneLine(url)}: ${last}, expected HTTP ${check.expectedStatus} (attempt ${attempt}/${attempts})`);
    if (attempt < attempts) await clock.sleep(check.intervalMs);
  }
  return { healthy: false, attempts, last };
}
