import * as crypto from 'crypto';

export type JwtPayload = Record<string, unknown>;
export type JwtHeader = Record<string, unknown>;

export interface DecodedJwt {
  header: JwtHeader;
  payload: JwtPayload;
  signingInput: string;
  signature: Buffer;
}

export function base64Url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** Sign with RS256 (or PS256), the algorithms Entra and Azure DevOps use. */
export function signJwt(header: JwtHeader, payload: JwtPayload, privateKeyPem: string): string {
  const alg = (header.alg as string | undefined) ?? 'RS256';
  const fullHeader = { typ: 'JWT', ...header, alg };
  const signingInput = `${base64Url(JSON.stringify(fullHeader))}.${base64Url(JSON.stringify(payload))}`;
  const key = alg === 'PS256'
    ? { key: privateKeyPem, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST }
    : privateKeyPem;
  const signature = crypto.sign('sha256', Buffer.from(signingInput), key);
  return `${signingInput}.${base64Url(signature)}`;
}

/** Parse without verifying; undefined when the text is not a three-part JSON JWT. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) {
    return undefined;
  }
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as unknown;
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    if (!isObject(header) || !isObject(payload)) {
      return undefined;
    }
    return { header, payload, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], 'base64url') };
  } catch {
    return undefined;
  }
}

/** Verify RS256 / PS256 with a public key, certificate or private key PEM. */
export function verifyJwtSignature(jwt: DecodedJwt, keyPem: string | crypto.KeyObject): boolean {
  const alg = jwt.header.alg;
  const publicKey = typeof keyPem === 'string' ? publicKeyOf(keyPem) : keyPem;
  try {
    if (alg === 'RS256') {
      return crypto.verify('sha256', Buffer.from(jwt.signingInput), publicKey, jwt.signature);
    }
    if (alg === 'PS256') {
      return crypto.verify('sha256', Buffer.from(jwt.signingInput),
        { key: publicKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: crypto.constants.RSA_PSS_SALTLEN_AUTO }, jwt.signature);
    }
  } catch {
    return false;
  }
  return false;
}

function publicKeyOf(pem: string): crypto.KeyObject {
  if (pem.includes('BEGIN CERTIFICATE')) {
    return new crypto.X509Certificate(pem).publicKey;
  }
  return crypto.createPublicKey(pem);
}

/** JWK (RSA public) for a jwks_uri document. */
export function rsaJwk(publicKeyPem: string, kid: string): Record<string, string> {
  const jwk = crypto.createPublicKey(publicKeyPem).export({ format: 'jwk' }) as Record<string, string>;
  return { kty: 'RSA', use: 'sig', alg: 'RS256', kid, n: jwk.n, e: jwk.e };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** A signing key pair created once per process: several emulators sign tokens and RSA generation is slow. */
const keyCache = new Map<string, { privatePem: string; publicPem: string; kid: string }>();
export function signingKey(name: string): { privatePem: string; publicPem: string; kid: string } {
  let key = keyCache.get(name);
  if (!key) {
    const pair = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    key = {
      privatePem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicPem,
      kid: crypto.createHash('sha256').update(publicPem).digest('base64url').slice(0, 16),
    };
    keyCache.set(name, key);
  }
  return key;
}
