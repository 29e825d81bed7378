import { RemoteError } from '../errors';

interface RestErrorLike {
  name: string;
  message: string;
  statusCode?: number;
  code?: string;
  request?: { method?: string; url?: string };
}

const CREDENTIAL_ERRORS = new Set(['AuthenticationError', 'CredentialUnavailableError', 'AggregateAuthenticationError']);

/**
 * Errors of the Azure SDK as one actionable line: the ARM error code and status, or why sign-in
 * failed. Undefined for anything that is not an Azure SDK error.
 */
export function describeAzureError(err: unknown): RemoteError | undefined {
  if (!(err instanceof Error)) return undefined;
  const e = err as RestErrorLike;
  if (CREDENTIAL_ERRORS.has(e.name)) {
    return new RemoteError(`Sign-in to Microsoft Entra ID failed: ${firstLine(e.message)}`, undefined, e.name);
  }
  if (e.name === 'RestError') {
    const where = e.request?.method && e.request.url ? ` (${e.request.method} ${pathOf(e.request.url)})` : '';
    const status = e.statusCode ? `HTTP ${e.statusCode}` : (e.code ?? 'no response');
    const code = e.statusCode && e.code ? ` ${e.code}` : '';
    return new RemoteError(`Azure Resource Manager${where} answered ${status}${code}: ${firstLine(e.message)}`, e.statusCode, e.code);
  }
  return undefined;
}

function firstLine(text: string): string {
  return text.split(/\r?\n/)[0].trim();
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
