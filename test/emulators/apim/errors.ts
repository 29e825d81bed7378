import { Reply } from '../server';

export interface ApimErrorDetail {
  code: string;
  target?: string;
  message: string;
}

/** Thrown by handlers; turned into the APIM error body `{ error: { code, message, details } }`. */
export class ApimError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details: ApimErrorDetail[] | null = null) {
    super(message);
  }

  toReply(): Reply {
    return { status: this.status, body: { error: { code: this.code, message: this.message, details: this.details } } };
  }
}

/** The service's usual 400: a summary line and one detail per offending field. */
export function validationError(...details: { target?: string; message: string }[]): ApimError {
  return new ApimError(400, 'ValidationError', 'One or more fields contain incorrect values:',
    details.map((d) => ({ code: 'ValidationError', ...d })));
}

/** `kind` is the entity name APIM uses in its messages: Api, Product, NamedValue, ... */
export function notFound(kind: string): ApimError {
  return new ApimError(404, 'ResourceNotFound', `${kind} not found.`);
}

export function preconditionFailed(): ApimError {
  return new ApimError(412, 'PreconditionFailed', 'The resource has been modified since it was last retrieved. Get the entity again and retry with the new ETag in the If-Match header.');
}

export function ifMatchRequired(): ApimError {
  // The SDK always sends If-Match where the spec requires it; raw clients that forget it get this.
  return new ApimError(400, 'ValidationError', "The 'If-Match' header is required for this operation. Send the entity's ETag, or '*' to skip the concurrency check.",
    [{ code: 'ValidationError', target: 'If-Match', message: 'If-Match header is required.' }]);
}

export function conflict(message: string): ApimError {
  return new ApimError(409, 'IdentifierAlreadyInUse', message);
}

/**
 * A delete the service refuses because something still uses the entity (a version set with APIs,
 * a fragment a policy includes). The specification gives only the `default` error for these
 * operations; status and code here are the emulator's choice (409, like ARM's other conflicts).
 */
export function inUse(message: string): ApimError {
  return new ApimError(409, 'Conflict', message);
}
