import { RemoteError } from '../errors';
import { isUntrustedCertificate } from '../http/tls-trust';

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
    if (!e.statusCode) {
      // No answer at all: a network or TLS failure, not something Resource Manager said.
      const hint = isUntrustedCertificate(e.code)
        ? "; the server's TLS certificate is not trusted: if a private CA or a TLS-inspecting proxy issued it, give the agent that CA (Agent.CAInfo)"
        : '';
      return new RemoteError(`Azure Resource Manager${where} could not be reached (${e.code ?? 'no response'}): ${firstLine(e.message)}${hint}`, undefined, e.code);
    }
    const code = e.code ? ` ${e.code}` : '';
    return new RemoteError(`Azure Resource Manager${where} answered HTTP ${e.statusCode}${code}: ${firstLine(e.message)}`, e.statusCode, e.code);
  }
  return undefined;
}

function firstLine(text: string): string {
  return (text.split(/\r?\n/, 1)[0] ?? '').trim();
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
