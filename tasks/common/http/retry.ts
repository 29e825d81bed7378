/** Retry policy shared by our HTTP clients: which failures are worth another try, and how long to wait. */
export interface RetryOptions {
  /** Further attempts after the first. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 4, baseDelayMs: 500, maxDelayMs: 30_000 };

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const RETRY_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'EAI_AGAIN', 'ECONNREFUSED']);

export function isRetriable(method: string, status: number | undefined, code: string | undefined): boolean {
  if (!IDEMPOTENT.has(method.toUpperCase())) return false;
  if (status === undefined) return code !== undefined && RETRY_CODES.has(code);
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Delay before retry number `attempt` (1-based): the server's Retry-After when it gives one
 * (seconds or an HTTP date), otherwise exponential backoff with full jitter.
 */
export function retryDelayMs(
  attempt: number,
  retryAfter: string | undefined,
  options: RetryOptions,
  now: () => number = Date.now,
  random: () => number = Math.random,
): number {
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, options.maxDelayMs);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.min(Math.max(0, date - now()), options.maxDelayMs);
  }
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
