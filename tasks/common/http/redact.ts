import type { SecretRegistry } from '../log/secrets';

const SECRET_QUERY_KEYS = /^(sig|signature|code|key|apikey|api_key|token|access_token|password|pwd|secret|client_secret|sv|se|skoid|sktid)$/i;
const SECRET_HEADERS = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|ocp-apim-subscription-key|x-identity-header|x-functions-key)$/i;

/** A URL safe to print: userinfo dropped and secret-looking query values replaced. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw.replace(/([?&][^=&#]*(?:sig|key|token|secret|password|code)[^=&#]*=)[^&#]*/gi, '$1***');
  }
  if (url.username || url.password) {
    url.username = '***';
    url.password = '';
  }
  for (const key of [...url.searchParams.keys()]) {
    if (SECRET_QUERY_KEYS.test(key)) url.searchParams.set(key, '***');
  }
  return url.toString();
}

export function redactHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = SECRET_HEADERS.test(k) ? '***' : v;
  return out;
}

/** The one redaction path for text that may carry secrets: registered secrets, bearer tokens, secret URLs. */
export function redactText(text: string, secrets?: SecretRegistry): string {
  let out = secrets ? secrets.redact(text) : text;
  out = out.replace(/(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 ***');
  out = out.replace(/https?:\/\/[^\s'"<>]+/g, (u) => redactUrl(u));
  return out;
}
