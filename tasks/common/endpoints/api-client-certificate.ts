/**
 * The "API with client certificate" service connection (endpoint type `srk-api-mtls`, declared in
 * vss-extension.json): an API's base URL, the client certificate for mutual TLS (a PEM chain and
 * key, or a base64 PFX and its password), an optional CA bundle to trust and an optional API
 * Management subscription key. Every secret is a confidential parameter of the authentication
 * scheme, which task-lib reads without echoing it (it echoes endpoint `data` values).
 *
 * The reader checks the material the way the TLS stack will use it, so a bad field fails here with
 * a message naming it, instead of deep in a handshake as a bare OpenSSL code.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import * as tls from 'node:tls';
import { EndpointError } from '../errors';
import type { TaskHost } from '../host/task-host';
import type { EndpointTls } from '../http/http-client';
import type { SecretRegistry } from '../log/secrets';
import { oneLine } from '../log/safe-text';

export const API_CONNECTION_TYPE = 'srk-api-mtls';

/** The connection's field names (authentication parameters): a contract with pipelines and docs. */
export const API_CONNECTION_FIELDS = {
  clientCertificate: 'clientCertificate',
  clientKey: 'clientKey',
  pfx: 'pfx',
  pfxPassword: 'pfxPassword',
  caCertificate: 'caCertificate',
  subscriptionKey: 'subscriptionKey',
} as const;

export type ApiConnectionField = keyof typeof API_CONNECTION_FIELDS | 'url';

/** The header API Management reads a subscription key from. */
export const SUBSCRIPTION_KEY_HEADER = 'Ocp-Apim-Subscription-Key';

export interface CertificateSummary {
  subject: string;
  issuer: string;
  validFrom: Date;
  validTo: Date;
  fingerprint256: string;
}

export interface ApiClientCertificateEndpoint {
  id: string;
  /** The API's base URL as given (https). */
  url: string;
  /** What the one HTTP client takes: the client chain and key or PFX, and the CAs to trust. */
  tls: EndpointTls;
  /** Headers every request carries (the subscription key); their values are registered secrets. */
  headers: Record<string, string>;
  subscriptionKey?: string;
  /** The client certificate presented (the leaf), for logs and checks. */
  clientCertificate: CertificateSummary;
  /** Certificates sent after the leaf (intermediates), as given in PEM; undefined for a PFX. */
  chainLength?: number;
  /** Problems that do not stop the connection from working (a chain out of order, expiry soon). */
  warnings: string[];
}

/** A connection field that cannot be used; the message names the connection and the field. */
export class ConnectionFieldError extends EndpointError {
  constructor(
    endpointId: string,
    readonly field: ApiConnectionField,
    problem: string,
  ) {
    super(endpointId, `field '${field}': ${problem}`);
  }
}

export interface ReadOptions {
  now?: Date;
  /** A client certificate expiring within this many days is reported as a warning. Default 30. */
  expiryWarningDays?: number;
}

/**
 * Reads and checks the connection. Every secret is registered before anything is parsed, so no
 * message or log line can carry one; parse errors never quote a secret field.
 */
export function readApiClientCertificateEndpoint(host: TaskHost, id: string, secrets: SecretRegistry, options: ReadOptions = {}): ApiClientCertificateEndpoint {
  const auth = host.getEndpointAuthorization(id);
  if (!auth) throw new EndpointError(id, "not found; is it an 'API with client certificate' connection this pipeline may use?");
  // A YAML pipeline can name a connection of any type; say so rather than 'clientCertificate is missing'.
  if (auth.scheme && auth.scheme.toLowerCase() !== 'certificate') {
    throw new EndpointError(id, `authentication scheme '${oneLine(auth.scheme)}' is not supported; expected an 'API with client certificate' connection (scheme Certificate)`);
  }
  const param = (key: string) => findParam(auth.parameters, key);
  const keyPem = param(API_CONNECTION_FIELDS.clientKey);
  const pfxText = param(API_CONNECTION_FIELDS.pfx);
  const pfxPassword = param(API_CONNECTION_FIELDS.pfxPassword);
  const subscriptionKey = param(API_CONNECTION_FIELDS.subscriptionKey)?.trim();
  for (const secret of [keyPem, pfxText, pfxPassword, subscriptionKey]) secrets.register(secret);

  const fail = (field: ApiConnectionField, problem: string): never => {
    throw new ConnectionFieldError(id, field, problem);
  };
  const url = checkUrl(host.getEndpointUrl(id), (p) => fail('url', p));
  const now = options.now ?? new Date();
  const warnDays = options.expiryWarningDays ?? 30;
  // The CA bundle is public; older connections may carry it as endpoint data rather than a parameter.
  const caText = param(API_CONNECTION_FIELDS.caCertificate) ?? host.getEndpointDataParameter(id, API_CONNECTION_FIELDS.caCertificate);
  const caPem = caText ? parseCertificates(caText, (p) => fail('caCertificate', p)).map((c) => c.toString()) : undefined;
  const certText = param(API_CONNECTION_FIELDS.clientCertificate);

  const warnings: string[] = [];
  let endpointTls: EndpointTls;
  let leaf: X509Certificate;
  let chainLength: number | undefined;
  if (pfxText && (certText || keyPem)) {
    fail(certText ? 'clientCertificate' : 'clientKey', "give either 'clientCertificate' and 'clientKey' (PEM) or 'pfx' and 'pfxPassword', not both");
  }
  if (pfxText) {
    const pfx = decodeBase64(pfxText, (p) => fail('pfx', p));
    leaf = loadPfx(pfx, pfxPassword, fail);
    endpointTls = { pfx, passphrase: pfxPassword, caPem };
    checkValidity(leaf, now, warnDays, 'pfx', 'the client certificate in the PFX', fail, warnings);
  } else {
    if (!certText) return fail('clientCertificate', "is missing: give the client certificate as PEM (with its intermediates) and its key in 'clientKey', or a base64 PFX in 'pfx'");
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(certText)) fail('clientCertificate', "holds a private key; put the key in 'clientKey' and keep only certificates here");
    if (!keyPem) return fail('clientKey', "is missing: give the PEM private key of the certificate in 'clientCertificate'");
    const chain = parseCertificates(certText, (p) => fail('clientCertificate', p));
    const key = parseKey(keyPem, (p) => fail('clientKey', p));
    const [first] = chain;
    if (!first) return fail('clientCertificate', 'holds no PEM certificate');
    const matching = chain.findIndex((c) => c.checkPrivateKey(key));
    if (matching < 0) fail('clientKey', `does not match the client certificate in 'clientCertificate' (${describe(first)})`);
    if (matching > 0) fail('clientCertificate', `the certificate that matches 'clientKey' (${describe(chain[matching]!)}) must come first, followed by its intermediates`);
    leaf = first;
    chainLength = chain.length - 1;
    const issuedInOrder = chain.findIndex((c, i) => i > 0 && !chain[i - 1]!.checkIssued(c));
    if (issuedInOrder > 0) {
      warnings.push(`certificate ${issuedInOrder + 1} in 'clientCertificate' (${describe(chain[issuedInOrder]!)}) did not issue certificate ${issuedInOrder}; servers expect the client certificate first, then each issuer in order`);
    }
    chain.forEach((c, i) => checkValidity(c, now, warnDays, 'clientCertificate', i === 0 ? 'the client certificate' : `intermediate certificate ${i + 1}`, fail, warnings));
    endpointTls = { certPem: chain.map((c) => c.toString()).join(''), keyPem, caPem };
    tryContext({ cert: endpointTls.certPem, key: keyPem }, 'clientKey', fail);
  }

  return {
    id,
    url,
    tls: endpointTls,
    headers: subscriptionKey ? { [SUBSCRIPTION_KEY_HEADER]: subscriptionKey } : {},
    subscriptionKey: subscriptionKey || undefined,
    clientCertificate: summarize(leaf),
    chainLength,
    warnings,
  };
}

function checkUrl(raw: string | undefined, fail: (problem: string) => never): string {
  if (!raw) return fail("the API's base URL is missing");
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return fail(`'${oneLine(raw)}' is not an absolute URL`);
  }
  if (parsed.protocol !== 'https:') fail(`'${oneLine(raw)}' is not an https URL; a client certificate is only sent over TLS`);
  if (parsed.username || parsed.password) fail('must not carry a user name or password');
  return raw;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Every PEM certificate in a text; a block that does not parse is named by its position. */
export function parseCertificates(text: string, fail: (problem: string) => never): X509Certificate[] {
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) return fail('holds no PEM certificate (expected -----BEGIN CERTIFICATE----- blocks)');
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch {
      return fail(`certificate ${i + 1} of ${blocks.length} is not a valid X.509 certificate`);
    }
  });
}

function parseKey(pem: string, fail: (problem: string) => never): KeyObject {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) return fail('holds no PEM private key (expected a -----BEGIN PRIVATE KEY----- block)');
  try {
    return createPrivateKey(pem);
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code === 'ERR_MISSING_PASSPHRASE' || /ENCRYPTED/.test(pem)) {
      return fail("is encrypted; give the key unencrypted (it is stored as a secret), or use 'pfx' and 'pfxPassword'");
    }
    return fail('is not a valid PEM private key (RSA, EC or Ed25519)');
  }
}

function decodeBase64(text: string, fail: (problem: string) => never): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 === 1) {
    return fail('is not base64 text; encode the .pfx file (PowerShell: [Convert]::ToBase64String([IO.File]::ReadAllBytes("client.pfx")), Linux: base64 -w0 client.pfx)');
  }
  return Buffer.from(compact, 'base64');
}

/** OpenSSL loads the PFX as the TLS client will; the leaf is read back from the loaded context. */
function loadPfx(pfx: Buffer, passphrase: string | undefined, fail: (field: ApiConnectionField, problem: string) => never): X509Certificate {
  let context: tls.SecureContext;
  try {
    context = tls.createSecureContext({ pfx, passphrase });
  } catch (err) {
    const message = (err as Error).message;
    if (/mac verify failure|invalid password/i.test(message)) {
      return fail('pfxPassword', passphrase ? "is not the password of the PFX in 'pfx'" : "is missing: the PFX in 'pfx' is protected by a password");
    }
    if (/unsupported/i.test(message)) {
      return fail('pfx', 'is encrypted with a legacy algorithm (RC2, as older Windows exports use) that OpenSSL 3 no longer loads; export it again with AES-256 (see the connection help)');
    }
    if (/key values mismatch/i.test(message)) return fail('pfx', 'holds a private key that does not match its certificate');
    return fail('pfx', 'is not a PKCS#12 (PFX) file encoded in base64');
  }
  const socket = new tls.TLSSocket(null as never, { secureContext: context });
  try {
    const leaf = socket.getX509Certificate();
    if (!leaf) return fail('pfx', 'holds no certificate with a private key');
    return leaf;
  } finally {
    socket.destroy();
  }
}

function tryContext(options: tls.SecureContextOptions, field: ApiConnectionField, fail: (field: ApiConnectionField, problem: string) => never): void {
  try {
    tls.createSecureContext(options);
  } catch (err) {
    const message = (err as Error).message;
    // Node's OpenSSL may refuse what node:crypto parsed (a key too weak for its security level, say).
    if (/ee key too small|md too weak|ca md too weak/i.test(message)) fail(field, 'the key or signature is too weak for the TLS stack (use RSA 2048+ or EC P-256+, signed with SHA-256 or better)');
    fail(field, `cannot be used for TLS (${plainReason(message)})`);
  }
}

function checkValidity(
  cert: X509Certificate,
  now: Date,
  warnDays: number,
  field: ApiConnectionField,
  what: string,
  fail: (field: ApiConnectionField, problem: string) => never,
  warnings: string[],
): void {
  const from = new Date(cert.validFrom);
  const to = new Date(cert.validTo);
  if (to.getTime() < now.getTime()) fail(field, `${what} (${describe(cert)}) expired on ${day(to)}; renew it and update the service connection`);
  if (from.getTime() > now.getTime()) fail(field, `${what} (${describe(cert)}) is not valid before ${day(from)}`);
  const days = Math.floor((to.getTime() - now.getTime()) / 86_400_000);
  if (days < warnDays) warnings.push(`${what} in '${field}' (${describe(cert)}) expires in ${days} day(s), on ${day(to)}`);
}

function summarize(cert: X509Certificate): CertificateSummary {
  return {
    subject: oneLineName(cert.subject),
    issuer: oneLineName(cert.issuer),
    validFrom: new Date(cert.validFrom),
    validTo: new Date(cert.validTo),
    fingerprint256: cert.fingerprint256,
  };
}

function describe(cert: X509Certificate): string {
  return `subject ${oneLineName(cert.subject)}`;
}

/** X509Certificate names are one attribute per line. */
function oneLineName(name: string): string {
  return oneLine(name.split('\n').filter(Boolean).join(', '));
}

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** An OpenSSL message without its `error:0A000086:SSL routines::` prefix. */
export function plainReason(message: string): string {
  return oneLine(message.replace(/error:[0-9A-F]+:[^:]*:[^:]*:/gi, '').trim());
}

function findParam(parameters: Record<string, string>, key: string): string | undefined {
  const wanted = key.toLowerCase();
  for (const [k, v] of Object.entries(parameters)) {
    if (k.toLowerCase() === wanted && v && v.trim()) return v;
  }
  return undefined;
}
