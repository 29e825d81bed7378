import { describeAzureError } from '../../common/auth/azure-errors';
import { RemoteError, TaskError } from '../../common/errors';

/** A deployment that cannot go ahead as configured (missing product, group, revision...). */
export class DeployError extends TaskError {}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: Array<{ code?: string; target?: string; message?: string }> | null };
}

/** What to do about the ARM / APIM errors users meet most (reference apim.md §4.9). */
const HINTS: Array<{ test: (code: string, text: string, status?: number) => boolean; hint: string }> = [
  {
    test: (_c, t) => /parsing error|representation/i.test(t),
    hint: 'APIM could not parse the API definition; check it with an OpenAPI/WSDL validator (the detail above names the problem).',
  },
  {
    test: (_c, t) => /non-current revision/i.test(t),
    hint: 'display name and description can only change on the current revision: deploy with "update current revision", or release the revision first.',
  },
  {
    test: (_c, t) => /same path/i.test(t) || /path.*already/i.test(t),
    hint: 'another API already uses this URL suffix; choose another path, or deploy this one as a version in the same version set.',
  },
  {
    test: (c) => /MissingOrIncorrectVersionParameter|InvalidApiVersionParameter|NoRegisteredProviderFound/i.test(c),
    hint: 'the service does not accept api-version 2024-05-01 (its minimum API version, or a Consumption-tier limit); check apiVersionConstraint.minApiVersion of the instance.',
  },
  {
    test: (c, t) => /PessimisticConcurrencyConflict/i.test(c) || /operation on the api is in progress/i.test(t),
    hint: 'another deployment is changing this API right now; run again when it has finished, and avoid parallel jobs deploying the same API.',
  },
  {
    test: (c, _t, s) => s === 413 || /RequestedSizeExceeded|RequestEntityTooLarge/i.test(c),
    hint: 'the request is too large for APIM; split the definition or host it at a URL APIM can reach.',
  },
  {
    test: (c, _t, s) => s === 412 || /PreconditionFailed/i.test(c),
    hint: 'the entity changed while this task ran (ETag mismatch); someone else edited it; run the task again.',
  },
  {
    test: (_c, t) => /Can not find Managed Identity|identityClientId/i.test(t),
    hint: "the Key Vault named value names an identity the service does not have; use a user-assigned identity's client id, or none for the system-assigned one.",
  },
  {
    test: (c, _t, s) => s === 403 || /AuthorizationFailed/i.test(c),
    hint: 'the service connection lacks permission; give its identity the "API Management Service Contributor" role on the service.',
  },
  {
    test: (c, t) => /ResourceNotFound|ParentResourceNotFound/i.test(c) && /service/i.test(t),
    hint: 'check the resource group and API Management service names, and that the connection points at the right subscription.',
  },
];

/** An SDK failure as one line with APIM's own details and, where we know one, what to fix. */
export function explainApimError(err: unknown, doing: string): Error {
  if (err instanceof RemoteError) return new RemoteError(`${doing} failed: ${err.message}${hintFor(err.code ?? '', err.message, err.status)}`, err.status, err.code);
  if (err instanceof TaskError) return err;
  const base = describeAzureError(err);
  if (!base) return err instanceof Error ? err : new Error(String(err));
  const body = parseBody(err);
  const code = body?.error?.code ?? base.code ?? '';
  const details = (body?.error?.details ?? [])
    .map((d) => [d.target && d.target !== 'representation' ? `${d.target}: ` : '', d.message ?? ''].join(''))
    .filter(Boolean);
  const text = [base.message, ...details].join(' ');
  const message = `${doing} failed: ${base.message}${details.length ? ` (${details.join('; ')})` : ''}${hintFor(code, text, base.status)}`;
  return new RemoteError(message, base.status, code || undefined);
}

function hintFor(code: string, text: string, status?: number): string {
  const hint = HINTS.find((h) => h.test(code, text, status))?.hint;
  return hint ? `. What to do: ${hint}` : '';
}

function parseBody(err: unknown): ErrorBody | undefined {
  const e = err as { details?: unknown; response?: { bodyAsText?: string | null } };
  if (e.details && typeof e.details === 'object' && 'error' in e.details) return e.details as ErrorBody;
  const text = e.response?.bodyAsText;
  if (!text) return undefined;
  try {
    return JSON.parse(text) as ErrorBody;
  } catch {
    return undefined;
  }
}
