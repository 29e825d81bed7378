import type { SecretRegistry } from '../log/secrets';

/** Query keys whose values are credentials: redacted in URLs and registered as secrets. */
const CREDENTIAL_KEYS = ['sig', 'signature', 'code', 'key', 'apikey', 'api_key', 'api-key', 'subscription-key', 'token', 'access_token', 'password', 'pwd', 'secret', 'client_secret'];
/** A SAS's other fields: redacted in URLs, but not secrets to mask everywhere (a version, a date). */
const SAS_DETAIL_KEYS = ['sv', 'se', 'skoid', 'sktid'];
const keyPattern = (keys: string[]) => new RegExp(`^(${keys.join('|')})$`, 'i');
const CREDENTIAL_QUERY_KEYS = keyPattern(CREDENTIAL_KEYS);
const SECRET_QUERY_KEYS = keyPattern([...CREDENTIAL_KEYS, ...SAS_DETAIL_KEYS]);
const SECRET_HEADERS = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|ocp-apim-subscription-key|x-identity-header|x-functions-key)$/i;

/** A URL safe to print: userinfo dropped and secret-looking query values replaced. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw.replace(/([?&][^=&#]*(?:sig|key|token|secret|password|code)[^=&#]*=)[^&#]*/gi, '$1***');
  }
  let changed = false;
  if (url.username || url.password) {
    url.username = '***';
    url.password = '';
    changed = true;
  }
  for (const key of [...url.searchParams.keys()]) {
    if (SECRET_QUERY_KEYS.test(key)) {
      url.searchParams.set(key, '***');
      changed = true;
    }
  }
  // Nothing to hide: the URL as written, not as the parser normalises it.
  return changed ? url.toString() : raw;
}

/**
 * The credentials inside a URL a user gave (the userinfo password, the values of credential query
 * parameters such as sig=, code=, key=), both as written and decoded, so they can be registered as
 * secrets before anything prints the URL or a message that echoes it.
 */
export function urlSecrets(raw: string): string[] {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return [];
  }
  const out = new Set<string>();
  const add = (value: string) => {
    out.add(value);
    try {
      out.add(decodeURIComponent(value.replace(/\+/g, ' ')));
    } catch {
      // Not valid percent-encoding: the value as written is what could be printed.
    }
  };
  if (url.password) add(url.password);
  for (const pair of url.search.replace(/^\?/, '').split('&')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    let key = pair.slice(0, at);
    try {
      key = decodeURIComponent(key);
    } catch {
      // keep the key as written
    }
    if (CREDENTIAL_QUERY_KEYS.test(key) && pair.length > at + 1) add(pair.slice(at + 1));
  }
  return [...out].filter(Boolean);
}

export function redactHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  // fromEntries defines own properties: a header a server named __proto__ stays a header.
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, SECRET_HEADERS.test(k) ? '***' : v]));
}

/** The one redaction path for text that may carry secrets: registered secrets, bearer tokens, secret URLs. */
export function redactText(text: string, secrets?: SecretRegistry): string {
  let out = secrets ? secrets.redact(text) : text;
  out = out.replace(/(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 ***');
  out = out.replace(/https?:\/\/[^\s'"<>]+/g, (u) => redactUrl(u));
  return out;
}
