import * as crypto from 'crypto';
import { EmulatorServer, Reply, RequestContext } from './server';
import { deterministicGuid, TokenRegistry } from './tokens';

export interface ManagedIdentity {
  clientId: string;
  tenantId: string;
  /** ARM id of a user-assigned identity (msi_res_id / mi_res_id). */
  resourceId?: string;
  objectId?: string;
}

const APP_SERVICE_PATH = '/msi/token';
const IMDS_PATH = '/metadata/identity/oauth2/token';

/**
 * Managed identity endpoints, plain HTTP like the real ones: App Service (IDENTITY_ENDPOINT +
 * IDENTITY_HEADER, api-version 2019-08-01) and IMDS (/metadata/identity/oauth2/token, Metadata: true),
 * the latter reachable from @azure/identity through AZURE_POD_IDENTITY_AUTHORITY_HOST.
 */
export class MsiEmulator extends EmulatorServer {
  /** Secret App Service puts in IDENTITY_HEADER. */
  readonly identityHeader = crypto.randomBytes(16).toString('hex');
  /** The machine's system-assigned identity; replace it to put it in the tenant a test's subscription belongs to. */
  systemAssigned: ManagedIdentity;
  private readonly userAssigned: ManagedIdentity[] = [];
  tokenLifetimeSeconds = 86399;

  constructor(readonly tokens: TokenRegistry, tenantId = '00000000-0000-4000-8000-00000000aaaa') {
    super();
    this.systemAssigned = { clientId: deterministicGuid(`system-assigned/${tenantId}`), tenantId };
  }

  addUserAssigned(identity: ManagedIdentity): void {
    this.userAssigned.push({ ...identity });
  }

  /** Environment for the App Service source (msal-node checks it before IMDS). */
  get appServiceEnv(): Record<string, string> {
    return { IDENTITY_ENDPOINT: `${this.url}${APP_SERVICE_PATH}`, IDENTITY_HEADER: this.identityHeader };
  }

  /** Environment that sends msal-node's IMDS source here instead of 169.254.169.254. */
  get imdsEnv(): Record<string, string> {
    return { AZURE_POD_IDENTITY_AUTHORITY_HOST: this.url };
  }

  tokenCount(clientId?: string): number {
    return this.tokens.issued.filter((t) => t.source === 'managed-identity' && (!clientId || t.appId === clientId)).length;
  }

  protected handle(ctx: RequestContext): Reply {
    if (ctx.method !== 'GET') {
      return { status: 405, body: { error: 'invalid_request', error_description: `Method ${ctx.method} not allowed` } };
    }
    // msal-node appends a slash to AZURE_POD_IDENTITY_AUTHORITY_HOST-based URLs.
    const path = ctx.path.replace(/\/+$/, '');
    if (path === APP_SERVICE_PATH) {
      return this.appService(ctx);
    }
    if (path === IMDS_PATH) {
      return this.imds(ctx);
    }
    return { status: 404, body: { error: 'not_found', error_description: `No managed identity endpoint at ${ctx.path}` } };
  }

  private appService(ctx: RequestContext): Reply {
    if (ctx.headers['x-identity-header'] !== this.identityHeader) {
      return { status: 401, body: { statusCode: 401, message: 'Unauthorized: X-IDENTITY-HEADER is missing or wrong.' } };
    }
    if (ctx.query.get('api-version') !== '2019-08-01') {
      return { status: 400, body: { statusCode: 400, message: `Unsupported api-version '${ctx.query.get('api-version') ?? ''}'; expected 2019-08-01.` } };
    }
    const resource = ctx.query.get('resource');
    if (!resource) {
      return { status: 400, body: { statusCode: 400, message: "Missing query parameter 'resource'." } };
    }
    const identity = this.pick(ctx.query.get('client_id'), ctx.query.get('mi_res_id'), ctx.query.get('principal_id') ?? ctx.query.get('object_id'));
    if (!identity) {
      return { status: 400, body: { statusCode: 400, message: 'No managed identity matches the requested identity.' } };
    }
    const issued = this.tokens.issue({ audience: resource, tenantId: identity.tenantId, appId: identity.clientId, source: 'managed-identity', lifetimeSeconds: this.tokenLifetimeSeconds });
    return {
      status: 200,
      body: { access_token: issued.token, expires_on: String(issued.expiresOn), resource, token_type: 'Bearer', client_id: identity.clientId },
    };
  }

  private imds(ctx: RequestContext): Reply {
    if (ctx.headers.metadata?.toString().toLowerCase() !== 'true') {
      return { status: 400, body: { error: 'invalid_request', error_description: 'Required metadata header not specified' } };
    }
    if (!ctx.query.get('api-version')) {
      return { status: 400, body: { error: 'invalid_request', error_description: 'Required query variable \'api-version\' is missing' } };
    }
    const resource = ctx.query.get('resource');
    if (!resource) {
      return { status: 400, body: { error: 'invalid_request', error_description: 'Required query variable \'resource\' is missing' } };
    }
    const identity = this.pick(ctx.query.get('client_id'), ctx.query.get('msi_res_id') ?? ctx.query.get('mi_res_id'), ctx.query.get('object_id'));
    if (!identity) {
      return { status: 400, body: { error: 'invalid_request', error_description: 'Identity not found' } };
    }
    const issued = this.tokens.issue({ audience: resource, tenantId: identity.tenantId, appId: identity.clientId, source: 'managed-identity', lifetimeSeconds: this.tokenLifetimeSeconds });
    return {
      status: 200,
      body: {
        access_token: issued.token,
        client_id: identity.clientId,
        expires_in: String(issued.expiresOn - issued.issuedAt),
        expires_on: String(issued.expiresOn),
        ext_expires_in: String(issued.expiresOn - issued.issuedAt),
        not_before: String(issued.issuedAt),
        resource,
        token_type: 'Bearer',
      },
    };
  }

  private pick(clientId: string | null, resourceId: string | null, objectId: string | null): ManagedIdentity | undefined {
    if (!clientId && !resourceId && !objectId) {
      return this.systemAssigned;
    }
    return this.userAssigned.find((u) =>
      (clientId && u.clientId.toLowerCase() === clientId.toLowerCase())
      || (resourceId && u.resourceId?.toLowerCase() === resourceId.toLowerCase())
      || (objectId && u.objectId?.toLowerCase() === objectId.toLowerCase()));
  }
}
