/** One injected failure, consumed `times` times by requests that match it. */
export interface FaultSpec {
  /** HTTP method to match (case-insensitive); any method when absent. */
  method?: string;
  /** RegExp tested against the path (no query), or a string the path must contain (case-insensitive). */
  path?: RegExp | string;
  /** Answer with this status instead of handling the request (429, 500, 503...). */
  status?: number;
  /** Sets Retry-After (seconds) on the fault response. */
  retryAfterSeconds?: number;
  /** How many matching requests this fault affects. */
  times: number;
  /** Destroy the socket without answering (what clients see as ECONNRESET). */
  resetConnection?: boolean;
  /** Wait this long first; with no status/reset the request is then handled normally. */
  delayMs?: number;
  /** Error code for the JSON error body; defaults from the status. */
  code?: string;
}

export interface ActiveFault extends FaultSpec {
  readonly id: number;
  /** Requests this fault has hit so far. */
  hits: number;
}

export class FaultInjector {
  private readonly list: ActiveFault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): ActiveFault {
    if (!Number.isInteger(spec.times) || spec.times < 1) {
      throw new Error(`FaultSpec.times must be a positive integer, got ${String(spec.times)}`);
    }
    const fault: ActiveFault = { ...spec, id: this.nextId++, hits: 0 };
    this.list.push(fault);
    return fault;
  }

  clear(): void {
    this.list.length = 0;
  }

  /** Faults not yet used up. */
  get pending(): readonly ActiveFault[] {
    return this.list.filter((f) => f.hits < f.times);
  }

  /** Consume and return the first fault matching this request, if any. */
  take(method: string, path: string): ActiveFault | undefined {
    for (const fault of this.list) {
      if (fault.hits >= fault.times) {
        continue;
      }
      if (fault.method && fault.method.toUpperCase() !== method.toUpperCase()) {
        continue;
      }
      if (fault.path !== undefined && !pathMatches(fault.path, path)) {
        continue;
      }
      fault.hits++;
      return fault;
    }
    return undefined;
  }
}

export function pathMatches(pattern: RegExp | string, path: string): boolean {
  if (typeof pattern === 'string') {
    return path.toLowerCase().includes(pattern.toLowerCase());
  }
  pattern.lastIndex = 0;
  return pattern.test(path);
}

export function defaultErrorCode(status: number): string {
  switch (status) {
    case 429: return 'TooManyRequests';
    case 500: return 'InternalServerError';
    case 502: return 'BadGateway';
    case 503: return 'ServiceUnavailable';
    case 504: return 'GatewayTimeout';
    case 409: return 'Conflict';
    default: return `Http${status}`;
  }
}
