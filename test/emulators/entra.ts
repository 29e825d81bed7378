import * as crypto from 'crypto';
import { certificateThumbprints } from './ca';
import { decodeJwt, DecodedJwt, nowSeconds, rsaJwk, signingKey, verifyJwtSignature } from './jwt';
import { EmulatorServer, Reply, RequestContext, TlsMaterial } from './server';
import { IssuedToken, resourceFromScope, TokenRegistry, TokenSource } from './tokens';

export interface EntraClientRegistration {
  tenantId: string;
  clientId: string;
  secret?: string;
  /** PEM certificate (a key, if present, is ignored) registered on the app. */
  certificatePem?: string;
  /** Federated credential subject, e.g. sc://org/project/connection */
  federatedSubject?: string;
  /** Federated credential issuer; defaults to any issuer trusted with trustIssuer(). */
  federatedIssuer?: string;
  /** Federated credential audience; default api://AzureADTokenExchange */
  federatedAudience?: string;
}

/** One successful token issuance. */
export interface TokenIssuance {
  tenantId: string;
  clientId: string;
  method: TokenSource;
  /** Resource the token is for. */
  resource: string;
  /** SHA-256 of the client assertion used, so tests can check a fresh assertion per token. */
  assertionHash?: string;
  /** jti claim of the assertion, when it had one. */
  assertionId?: string;
  token: IssuedToken;
  time: number;
}

interface TrustedIssuer {
  issuer: string;
  publicKeyPem: string;
}

const FEDERATED_AUDIENCE = 'api://AzureADTokenExchange';
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const CLOCK_SKEW_SECONDS = 300;

class AadError extends Error {
  constructor(readonly status: number, readonly error: string, readonly code: number, description: string) {
    super(`AADSTS${code}: ${description}`);
  }
}

/**
 * Microsoft Entra ID token service as MSAL-node and @azure/identity use it: OIDC metadata,
 * instance discovery, JWKS, v2 and v1 token endpoints for the client-credentials grant.
 * Any tenant path works, so the same server stands for any cloud whose authority is its URL.
 */
export class EntraEmulator extends EmulatorServer {
  private readonly clients = new Map<string, EntraClientRegistration>();
  private readonly trustedIssuers: TrustedIssuer[] = [];
  readonly issuances: TokenIssuance[] = [];
  /** Lifetime of issued access tokens. */
  tokenLifetimeSeconds = 3599;

  constructor(tls: TlsMaterial, readonly tokens: TokenRegistry) {
    super(tls);
  }

  /** Authority host to give clients, with trailing slash (activeDirectoryAuthority form). */
  get authorityHost(): string {
    return `${this.url}/`;
  }

  registerClient(reg: EntraClientRegistration): void {
    this.clients.set(clientKey(reg.tenantId, reg.clientId), { ...reg });
  }

  /** Trust JWTs signed by this key and carrying this issuer as federated assertions. */
  trustIssuer(issuer: string, publicKeyPem: string): void {
    this.trustedIssuers.push({ issuer, publicKeyPem });
  }

  /** Successful token issuances for a client (and tenant). */
  tokenCount(clientId: string, tenantId?: string): number {
    return this.issuances.filter((i) => i.clientId === clientId && (!tenantId || i.tenantId === tenantId)).length;
  }

  protected override faultBody(status: number, code: string): unknown {
    return aadErrorBody('temporarily_unavailable', 50000 + (status % 1000), `Injected fault ${code}.`);
  }

  private knownTenant(tenant: string): boolean {
    const t = tenant.toLowerCase();
    return [...this.clients.values()].some((c) => c.tenantId.toLowerCase() === t);
  }

  protected handle(ctx: RequestContext): Reply {
    try {
      return this.route(ctx);
    } catch (err) {
      if (err instanceof AadError) {
        return { status: err.status, body: aadErrorBody(err.error, err.code, err.message.replace(/^AADSTS\d+: /, '')) };
      }
      throw err;
    }
  }

  private route(ctx: RequestContext): Reply {
    const segments = ctx.path.split('/').filter(Boolean);
    const tenant = segments[0] ?? '';
    const rest = segments.slice(1).join('/').toLowerCase();
    if (ctx.method === 'GET' && rest === 'discovery/instance') {
      return this.instanceDiscovery(ctx);
    }
    if (ctx.method === 'GET' && (rest === 'v2.0/.well-known/openid-configuration' || rest === '.well-known/openid-configuration')) {
      return this.openIdConfiguration(tenant, rest.startsWith('v2.0'));
    }
    if (ctx.method === 'GET' && (rest === 'discovery/v2.0/keys' || rest === 'discovery/keys')) {
      const key = signingKey('entra-access-token');
      return { status: 200, body: { keys: [rsaJwk(key.publicPem, key.kid)] } };
    }
    if (ctx.method === 'POST' && (rest === 'oauth2/v2.0/token' || rest === 'oauth2/token')) {
      return this.token(ctx, tenant, rest === 'oauth2/token');
    }
    return { status: 404, body: aadErrorBody('invalid_request', 90011, `Request path ${ctx.path} is not served by the Entra emulator.`) };
  }

  private instanceDiscovery(ctx: RequestContext): Reply {
    const host = `127.0.0.1:${this.port}`;
    const authEndpoint = ctx.query.get('authorization_endpoint') ?? `${this.url}/common/oauth2/v2.0/authorize`;
    const tenant = new URL(authEndpoint).pathname.split('/').filter(Boolean)[0] ?? 'common';
    return {
      status: 200,
      body: {
        tenant_discovery_endpoint: `${this.url}/${tenant}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      },
    };
  }

  private openIdConfiguration(tenant: string, v2: boolean): Reply {
    if (!this.knownTenant(tenant)) {
      throw new AadError(400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    }
    const base = `${this.url}/${tenant}`;
    const suffix = v2 ? '/v2.0' : '';
    return {
      status: 200,
      body: {
        token_endpoint: `${base}/oauth2${suffix}/token`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        jwks_uri: `${base}/discovery${suffix}/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: v2 ? `${base}/v2.0` : `https://sts.windows.net/${tenant}/`,
        request_uri_parameter_supported: false,
        userinfo_endpoint: `${this.url}/oidc/userinfo`,
        authorization_endpoint: `${base}/oauth2${suffix}/authorize`,
        device_authorization_endpoint: `${base}/oauth2${suffix}/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `${base}/oauth2${suffix}/logout`,
        claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'tid'],
        kerberos_endpoint: `${base}/kerberos`,
        tenant_region_scope: null,
        cloud_instance_name: `127.0.0.1:${this.port}`,
        cloud_graph_host_name: 'graph.windows.net',
        msgraph_host: 'graph.microsoft.com',
        rbac_url: 'https://pas.windows.net',
      },
    };
  }

  private token(ctx: RequestContext, tenant: string, v1: boolean): Reply {
    const form = new URLSearchParams(ctx.body.toString('utf8'));
    const grantType = form.get('grant_type');
    if (!grantType) {
      throw new AadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.");
    }
    if (grantType !== 'client_credentials') {
      throw new AadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`);
    }
    const clientId = form.get('client_id');
    if (!clientId) {
      throw new AadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
    }
    if (!this.knownTenant(tenant)) {
      throw new AadError(400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    }
    const client = this.clients.get(clientKey(tenant, clientId));
    if (!client) {
      throw new AadError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
    }
    let resource: string | undefined;
    if (v1) {
      resource = form.get('resource') ?? undefined;
      if (!resource) {
        throw new AadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'resource'.");
      }
    } else {
      const scope = form.get('scope');
      if (!scope) {
        throw new AadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'scope'.");
      }
      resource = resourceFromScope(scope);
      if (!resource) {
        throw new AadError(400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
      }
    }
    const auth = this.authenticateClient(ctx, form, client, tenant, v1);
    const issued = this.tokens.issue({ audience: resource, tenantId: client.tenantId, appId: client.clientId, source: auth.method, lifetimeSeconds: this.tokenLifetimeSeconds });
    this.issuances.push({ tenantId: client.tenantId, clientId: client.clientId, method: auth.method, resource, assertionHash: auth.assertionHash, assertionId: auth.assertionId, token: issued, time: Date.now() });
    const body: Record<string, unknown> = {
      token_type: 'Bearer',
      expires_in: this.tokenLifetimeSeconds,
      ext_expires_in: this.tokenLifetimeSeconds,
      access_token: issued.token,
    };
    if (v1) {
      body.expires_on = String(issued.expiresOn);
      body.not_before = String(issued.issuedAt);
      body.resource = resource;
    }
    return { status: 200, body, headers: { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' } };
  }

  private authenticateClient(ctx: RequestContext, form: URLSearchParams, client: EntraClientRegistration, tenant: string, v1: boolean):
    { method: TokenSource; assertionHash?: string; assertionId?: string } {
    const secret = form.get('client_secret') ?? basicSecret(ctx.headers.authorization);
    const assertion = form.get('client_assertion');
    if (secret !== undefined && secret !== null) {
      if (client.secret === undefined || !timingSafeEqual(secret, client.secret)) {
        throw new AadError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${client.clientId}'.`);
      }
      return { method: 'client-secret' };
    }
    if (!assertion) {
      throw new AadError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    }
    if (form.get('client_assertion_type') !== JWT_BEARER) {
      throw new AadError(400, 'invalid_request', 700023, `Invalid client_assertion_type; expected '${JWT_BEARER}'.`);
    }
    const jwt = decodeJwt(assertion);
    if (!jwt) {
      throw new AadError(401, 'invalid_client', 50027, 'JWT token is invalid or malformed.');
    }
    const assertionHash = crypto.createHash('sha256').update(assertion).digest('hex');
    const assertionId = typeof jwt.payload.jti === 'string' ? jwt.payload.jti : undefined;
    checkLifetime(jwt);
    if (jwt.header.x5t !== undefined || jwt.header['x5t#S256'] !== undefined) {
      this.verifyCertificateAssertion(jwt, client, tenant, v1);
      return { method: 'client-certificate', assertionHash, assertionId };
    }
    this.verifyFederatedAssertion(jwt, client);
    return { method: 'federated', assertionHash, assertionId };
  }

  private verifyCertificateAssertion(jwt: DecodedJwt, client: EntraClientRegistration, tenant: string, v1: boolean): void {
    const presented = jwt.header['x5t#S256'] ?? jwt.header.x5t;
    const sha256 = jwt.header['x5t#S256'] !== undefined;
    const thumbHex = typeof presented === 'string' ? Buffer.from(presented, 'base64url').toString('hex').toUpperCase() : '';
    const registered = client.certificatePem ? certificateThumbprints(client.certificatePem) : undefined;
    if (!registered || thumbHex !== (sha256 ? registered.sha256 : registered.sha1)) {
      throw new AadError(401, 'invalid_client', 700027, `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbHex}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${client.clientId}'.]`);
    }
    if (!verifyJwtSignature(jwt, client.certificatePem as string)) {
      throw new AadError(401, 'invalid_client', 700027, 'Client assertion failed signature validation.');
    }
    const { iss, sub, aud } = jwt.payload;
    if (iss !== client.clientId || sub !== client.clientId) {
      throw new AadError(401, 'invalid_client', 700021, "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .");
    }
    const validAudiences = [`${this.url}/${tenant}/oauth2/v2.0/token`, `${this.url}/${tenant}/oauth2/token`, `${this.url}/${tenant}/v2.0`]
      .map((a) => a.toLowerCase());
    const audiences = (Array.isArray(aud) ? aud : [aud]).filter((a): a is string => typeof a === 'string').map((a) => a.toLowerCase());
    if (!audiences.some((a) => validAudiences.includes(a))) {
      throw new AadError(401, 'invalid_client', 700212, `Client assertion audience claim does not match Realm issuer. Expected ${v1 ? validAudiences[1] : validAudiences[0]}.`);
    }
  }

  private verifyFederatedAssertion(jwt: DecodedJwt, client: EntraClientRegistration): void {
    const { iss, sub, aud } = jwt.payload;
    const issuer = this.trustedIssuers.find((t) => t.issuer === iss && (!client.federatedIssuer || client.federatedIssuer === iss));
    if (!client.federatedSubject || !issuer) {
      throw new AadError(400, 'invalid_request', 700211, `No matching federated identity record found for presented assertion issuer '${String(iss)}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.`);
    }
    if (!verifyJwtSignature(jwt, issuer.publicKeyPem)) {
      throw new AadError(401, 'invalid_client', 700027, 'Client assertion failed signature validation.');
    }
    if (sub !== client.federatedSubject) {
      throw new AadError(400, 'invalid_request', 700213, `No matching federated identity record found for presented assertion subject '${String(sub)}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.`);
    }
    const expectedAudience = client.federatedAudience ?? FEDERATED_AUDIENCE;
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (!audiences.includes(expectedAudience)) {
      throw new AadError(400, 'invalid_request', 700212, `No matching federated identity record found for presented assertion audience '${String(aud)}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.`);
    }
  }
}

function clientKey(tenantId: string, clientId: string): string {
  return `${tenantId.toLowerCase()}|${clientId.toLowerCase()}`;
}

function checkLifetime(jwt: DecodedJwt): void {
  const now = nowSeconds();
  const exp = jwt.payload.exp;
  const nbf = jwt.payload.nbf;
  if (typeof exp !== 'number') {
    throw new AadError(401, 'invalid_client', 50027, "JWT token is invalid or malformed: missing 'exp'.");
  }
  if (exp + CLOCK_SKEW_SECONDS < now || (typeof nbf === 'number' && nbf - CLOCK_SKEW_SECONDS > now)) {
    throw new AadError(400, 'invalid_client', 700024, `Client assertion is not within its valid time range. Current time: ${new Date(now * 1000).toISOString()}, assertion valid from ${typeof nbf === 'number' ? new Date(nbf * 1000).toISOString() : 'unknown'}, expiry time of assertion ${new Date(exp * 1000).toISOString()}.`);
  }
}

function basicSecret(header: string | undefined): string | undefined {
  if (!header?.startsWith('Basic ')) {
    return undefined;
  }
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i < 0 ? undefined : decodeURIComponent(decoded.slice(i + 1));
}

function timingSafeEqual(a: string, b: string): boolean {
  const ha = crypto.createHash('sha256').update(a).digest();
  const hb = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(ha, hb);
}

/** The error JSON Entra returns, AADSTS code first in the description as clients parse it. */
export function aadErrorBody(error: string, code: number, description: string): Record<string, unknown> {
  const traceId = crypto.randomUUID();
  const correlationId = crypto.randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return {
    error,
    error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  };
}
