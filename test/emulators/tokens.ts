import * as crypto from 'crypto';
import { nowSeconds, signJwt, signingKey } from './jwt';

export type TokenSource = 'client-secret' | 'client-certificate' | 'federated' | 'managed-identity';

export interface IssuedToken {
  token: string;
  /** `aud` claim: the resource, e.g. https://127.0.0.1:4431/ */
  audience: string;
  tenantId: string;
  /** Client (application) id of the caller. */
  appId: string;
  source: TokenSource;
  issuedAt: number;
  /** Seconds since epoch. */
  expiresOn: number;
}

/**
 * Access tokens issued by the Entra and managed identity emulators. ARM accepts only tokens found
 * here, so a task cannot pass by sending any JWT-looking string.
 */
export class TokenRegistry {
  private readonly byToken = new Map<string, IssuedToken>();
  readonly issued: IssuedToken[] = [];

  issue(opts: { audience: string; tenantId: string; appId: string; source: TokenSource; lifetimeSeconds: number }): IssuedToken {
    const key = signingKey('entra-access-token');
    const iat = nowSeconds();
    const exp = iat + opts.lifetimeSeconds;
    const payload = {
      aud: opts.audience,
      iss: `https://sts.windows.net/${opts.tenantId}/`,
      iat,
      nbf: iat,
      exp,
      appid: opts.appId,
      appidacr: opts.source === 'client-secret' ? '1' : '2',
      idtyp: 'app',
      oid: deterministicGuid(`${opts.tenantId}/${opts.appId}`),
      sub: deterministicGuid(`${opts.tenantId}/${opts.appId}`),
      tid: opts.tenantId,
      uti: crypto.randomBytes(16).toString('base64url'),
      ver: '1.0',
    };
    const token = signJwt({ alg: 'RS256', kid: key.kid }, payload, key.privatePem);
    const issued: IssuedToken = {
      token,
      audience: opts.audience,
      tenantId: opts.tenantId,
      appId: opts.appId,
      source: opts.source,
      issuedAt: iat,
      expiresOn: exp,
    };
    this.byToken.set(token, issued);
    this.issued.push(issued);
    return issued;
  }

  lookup(token: string): IssuedToken | undefined {
    return this.byToken.get(token);
  }

  /** Make a token expired now (tests of refresh behaviour). */
  expire(token: string): void {
    const t = this.byToken.get(token);
    if (t) {
      t.expiresOn = nowSeconds() - 1;
    }
  }
}

/** Stable GUID-shaped id from text (object ids of emulated principals). */
export function deterministicGuid(text: string): string {
  const h = crypto.createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Resource URI from a `<resource>/.default` scope; undefined when the scope is not of that form. */
export function resourceFromScope(scope: string): string | undefined {
  const resourceScopes = scope.split(/\s+/).filter((s) => s && !['openid', 'profile', 'offline_access'].includes(s));
  if (resourceScopes.length !== 1 || !resourceScopes[0].endsWith('/.default')) {
    return undefined;
  }
  return resourceScopes[0].slice(0, -'.default'.length);
}

/** Audience comparison as ARM does it in practice: case-insensitive, trailing slash optional. */
export function sameAudience(a: string, b: string): boolean {
  const norm = (s: string): string => s.trim().toLowerCase().replace(/\/+$/, '');
  return norm(a) === norm(b);
}
