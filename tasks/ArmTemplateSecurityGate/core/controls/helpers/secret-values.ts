/**
 * Whether a value in a resource is a secret, as far as a control can tell: a known string under a
 * secret-like name, or a value known only at deployment that comes from a secure parameter, a Key Vault
 * reference or a list*() call (the engine says which in the UnknownValue's reason). A known string
 * computed from a secure parameter that has a value is not recognisable here: the engine's secure-value
 * marks do not reach controls.
 */
import { UnknownValue, type CheckContext, type EvaluatedValue } from '../../model';
import { isObject } from './lookup';
import { isSecretLikeName, isSecureType } from './template';
import { fail, pass, unknown, type Rule } from './results';

/** Why an unknown value is a secret, or undefined when nothing says it is. */
export function secretSource(u: UnknownValue, ctx: CheckContext): string | undefined {
  if (/returns secrets\/keys/.test(u.reason)) return u.reason;
  const param = /parameter '([^']+)'/.exec(u.reason)?.[1];
  if (param === undefined) return undefined;
  if (/Key Vault secret/.test(u.reason)) return `parameter '${param}' is a Key Vault secret`;
  const declared = ctx.template.parameters.find((p) => p.name.toLowerCase() === param.toLowerCase());
  return declared && isSecureType(declared.type) ? `it comes from the secure parameter '${param}'` : undefined;
}

export interface SecretFinding {
  /** Dotted path below the searched object: "protectedSettings.storageAccountKey". */
  path: string;
  why: string;
}

/**
 * Secrets anywhere inside `value`: known non-empty strings under secret-like names, and values from
 * secure sources (whatever their name). `unknowns` collects values known only at deployment whose
 * source says nothing either way — under a secret-like name.
 */
export function findSecrets(value: EvaluatedValue | undefined, ctx: CheckContext, at = ''): { secrets: SecretFinding[]; unknowns: Array<{ path: string; value: UnknownValue }> } {
  const secrets: SecretFinding[] = [];
  const unknowns: Array<{ path: string; value: UnknownValue }> = [];
  const walk = (v: EvaluatedValue | undefined, path: string, key: string | undefined): void => {
    if (v instanceof UnknownValue) {
      const source = secretSource(v, ctx);
      if (source) secrets.push({ path, why: source });
      else if (key !== undefined && isSecretLikeName(key)) unknowns.push({ path, value: v });
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${path}[${i}]`, key));
      return;
    }
    if (isObject(v)) {
      for (const k of Object.keys(v)) walk(v[k], path ? `${path}.${k}` : k, k);
      return;
    }
    if (typeof v === 'string' && v.trim() !== '' && key !== undefined && isSecretLikeName(key)) secrets.push({ path, why: `'${key}' holds a secret-like value` });
  };
  walk(value, at, undefined);
  return { secrets, unknowns };
}

/**
 * Credentials recognisable in a script or cloud-init text: key=value pairs of Azure connection strings and SAS tokens,
 * password / secret assignments with a value, private keys, and Azure storage account keys (88 base64 characters).
 */
const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/\b(AccountKey|SharedAccessKey|SharedAccessSignature)=[^;\s"']{8,}/i, 'an Azure connection string key'],
  [/[?&]sig=[A-Za-z0-9%+/=]{16,}/, 'a SAS token signature'],
  [/-----BEGIN ([A-Z]+ )?PRIVATE KEY-----/, 'a private key'],
  [/(^|[^a-z])(password|passwd|pwd|client_?secret|api_?key|access_?token)\s*[:=]\s*["']?[^\s"'$]{4,}/i, 'a password or secret assignment'],
  [/(^|[^A-Za-z0-9+/])[A-Za-z0-9+/]{86}==($|[^A-Za-z0-9+/=])/, 'a storage account key'],
];

/** customData is base64 by contract (searched decoded); a template may also write the text itself (searched as is). */
function readable(text: string): string {
  const t = text.trim();
  if (t.length >= 8 && t.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(t)) {
    try {
      return atob(t);
    } catch {
      return t;
    }
  }
  return t;
}

export function credentialIn(text: string): string | undefined {
  const candidate = readable(text);
  for (const [re, what] of SECRET_PATTERNS) if (re.test(candidate)) return what;
  return undefined;
}

/**
 * A secret property (a password, a shared key) must reach the template from a secure source: a secureString parameter
 * without a stated value, a Key Vault reference or a list*() call. A value the template or its parameter file states is
 * in clear text in source control and the deployment history. An absent property yields no result.
 */
export function expectSecretFromSecureSource(path: string, what: string): Rule {
  return (view, ctx) => {
    const l = view.get(path);
    if (l.state === 'absent') return undefined;
    if (l.state === 'unknown') {
      const source = secretSource(l.value, ctx);
      if (source) return pass(`The ${what} is not in the template: ${source}.`, l.location);
      return unknown(`Cannot decide where the ${what} comes from: it is not known before deployment — ${l.value.reason}.`, l.location);
    }
    return fail(
      `The ${what} is a value stated in the template or its parameter file: it is readable in source control and in the deployment history. ` +
        'Pass it through a secure parameter (or a Key Vault reference).',
      l.location,
    );
  };
}
