/**
 * Typed errors carry what a user needs to act on them. runTask turns any TaskError into one
 * clear failure line; anything else is a bug and keeps its stack in the debug log.
 */
const TASK_ERROR = Symbol.for('secure-release-kit.TaskError');

export class TaskError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }

  /**
   * A deferred part of a bundle (see scripts/deferred-chunks.ts) carries its own copy of this
   * module, so its errors are of another TaskError class: `instanceof TaskError` recognises them by
   * a brand both copies set. Subclasses keep the ordinary check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== TaskError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [TASK_ERROR]?: unknown })[TASK_ERROR] === true;
  }
}
Object.defineProperty(TaskError.prototype, TASK_ERROR, { value: true });

/** A task input (or CLI option) is missing or malformed. */
export class InputError extends TaskError {
  constructor(
    readonly input: string,
    problem: string,
  ) {
    super(`Input '${input}': ${problem}`);
  }
}

/** A file the user gave cannot be used; names the file and, where known, the line. */
export class FileError extends TaskError {
  constructor(
    readonly file: string,
    problem: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${file}${line ? `:${line}${column ? `:${column}` : ''}` : ''}: ${problem}`);
  }
}

/** A service endpoint (service connection) lacks something or has a bad value. */
export class EndpointError extends TaskError {
  constructor(
    readonly endpointId: string,
    problem: string,
  ) {
    super(`Service connection '${endpointId}': ${problem}`);
  }
}

/** A remote call failed; message already redacted. */
export class RemoteError extends TaskError {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}
