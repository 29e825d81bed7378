import * as crypto from 'crypto';
import { nowSeconds, signJwt, signingKey } from './jwt';
import { EmulatorServer, Reply, RequestContext, TlsMaterial } from './server';

export interface ServiceConnectionRegistration {
  /** Endpoint GUID (what the task passes as serviceConnectionId). */
  id: string;
  /** Service connection name; the subject is sc://<org>/<project>/<name>. */
  name: string;
  project?: string;
}

export interface OidcTokenRequest {
  serviceConnectionId: string;
  subject: string;
  token: string;
  time: number;
}

/**
 * Azure DevOps "Oidctoken - Create" as reached through SYSTEM_OIDCREQUESTURI: POST with the job's
 * System.AccessToken as bearer, answered with a short-lived JWT whose subject names the connection.
 */
export class OidcEmulator extends EmulatorServer {
  private readonly connections = new Map<string, ServiceConnectionRegistration>();
  readonly issued: OidcTokenRequest[] = [];
  /** The job access token the agent hands to tasks (SYSTEM_ACCESSTOKEN / SystemVssConnection AccessToken). */
  systemAccessToken = crypto.randomBytes(24).toString('base64url');
  readonly organizationId = crypto.randomUUID();
  readonly projectId = crypto.randomUUID();
  readonly planId = crypto.randomUUID();
  readonly jobId = crypto.randomUUID();
  /** Lifetime of OIDC tokens; Azure DevOps gives about 10 minutes. */
  tokenLifetimeSeconds = 600;

  constructor(tls: TlsMaterial, readonly organization = 'srk-org', readonly project = 'srk-project') {
    super(tls);
  }

  get issuer(): string {
    return `https://vstoken.dev.azure.com/${this.organizationId}`;
  }

  get publicKeyPem(): string {
    return signingKey('azure-devops-oidc').publicPem;
  }

  /** Value of SYSTEM_OIDCREQUESTURI (no query string), as the agent sets it. */
  get requestUri(): string {
    return `${this.url}/${this.organization}/${this.projectId}/_apis/distributedtask/hubs/build/plans/${this.planId}/jobs/${this.jobId}/oidctoken`;
  }

  /** SYSTEM_COLLECTIONURI for the same organisation. */
  get collectionUri(): string {
    return `${this.url}/${this.organization}/`;
  }

  registerServiceConnection(conn: ServiceConnectionRegistration): string {
    this.connections.set(conn.id.toLowerCase(), { ...conn });
    return this.subjectOf(conn);
  }

  subjectOf(conn: ServiceConnectionRegistration): string {
    return `sc://${this.organization}/${conn.project ?? this.project}/${conn.name}`;
  }

  tokenRequestCount(serviceConnectionId?: string): number {
    return this.findRequests('POST', '/oidctoken').filter((r) =>
      !serviceConnectionId || (r.query.serviceConnectionId ?? '').toLowerCase() === serviceConnectionId.toLowerCase()).length;
  }

  protected override faultBody(status: number, code: string): unknown {
    return vssError(`Injected fault ${code} (HTTP ${status}).`, 'VssServiceException');
  }

  protected handle(ctx: RequestContext): Reply {
    const expectedPath = new URL(this.requestUri).pathname.toLowerCase();
    if (ctx.path.toLowerCase() !== expectedPath) {
      return { status: 404, body: vssError(`The resource ${ctx.path} cannot be found.`, 'NotFoundException') };
    }
    if (ctx.method !== 'POST') {
      return { status: 405, body: vssError(`The requested resource does not support http method '${ctx.method}'.`, 'MethodNotAllowedException') };
    }
    const auth = ctx.headers.authorization ?? '';
    if (auth !== `Bearer ${this.systemAccessToken}`) {
      return {
        status: 401,
        headers: { 'WWW-Authenticate': 'Bearer authorization_uri=https://login.microsoftonline.com/common' },
        body: vssError('TF400813: The user is not authorized to access this resource.', 'UnauthorizedRequestException'),
      };
    }
    if (!ctx.query.get('api-version')) {
      return { status: 400, body: vssError('No api-version was supplied for the POST request.', 'VssVersionNotSpecifiedException') };
    }
    const connectionId = ctx.query.get('serviceConnectionId') ?? '';
    const conn = this.connections.get(connectionId.toLowerCase());
    if (!conn) {
      return { status: 404, body: vssError(`Service connection '${connectionId}' was not found or is not authorized for this pipeline.`, 'ServiceEndpointNotFoundException') };
    }
    const key = signingKey('azure-devops-oidc');
    const iat = nowSeconds();
    const subject = this.subjectOf(conn);
    const token = signJwt({ alg: 'RS256', kid: key.kid }, {
      jti: crypto.randomUUID(),
      sub: subject,
      aud: 'api://AzureADTokenExchange',
      iss: this.issuer,
      nbf: iat,
      iat,
      exp: iat + this.tokenLifetimeSeconds,
    }, key.privatePem);
    this.issued.push({ serviceConnectionId: connectionId, subject, token, time: Date.now() });
    return { status: 200, body: { oidcToken: token } };
  }
}

function vssError(message: string, typeKey: string): Record<string, unknown> {
  return {
    $id: '1',
    innerException: null,
    message,
    typeName: `Microsoft.TeamFoundation.DistributedTask.WebApi.${typeKey}, Microsoft.TeamFoundation.DistributedTask.WebApi`,
    typeKey,
    errorCode: 0,
    eventId: 3000,
  };
}
