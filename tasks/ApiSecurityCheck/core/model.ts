/**
 * The vocabulary of the API security check: what is probed (the target, its operations), how a
 * probe can end, the evidence the probes gather, and the controls that judge it. The prober, the
 * controls and the report adapter are written against this file only.
 */
import type { Severity } from '../../common/report/model';
import type { UnknownPolicy } from '../../common/report/verdict';

export type { Severity, UnknownPolicy };

/** An operation of the API, from the OpenAPI definition or the base URL itself. */
export interface Operation {
  /** Upper-case HTTP method. */
  method: string;
  /** The path as the definition writes it ("/pets/{petId}"), "/" for the base URL. */
  pathTemplate: string;
  /** The URL probed: base URL + path with sample parameter values. */
  url: string;
  /** Required header parameters with sample values (never credentials). */
  headers: Record<string, string>;
  /** GET, HEAD and OPTIONS: RFC 9110 safe methods, probed with the connection's credentials. */
  safe: boolean;
  operationId?: string;
  /** Where the operation is declared, when it comes from a definition file. */
  location?: { file: string; line: number };
}

/**
 * Who a probe claims to be. `full` carries every credential the target gives (client certificate,
 * subscription key); the others leave some out to see whether the API notices.
 */
export type IdentityName = 'full' | 'none' | 'certOnly' | 'keyOnly' | 'untrusted';

export interface HttpProbe {
  identity: IdentityName;
  method: string;
  url: string;
  headers: Record<string, string>;
  /** Default: redirects are not followed (a redirect is an answer to judge). */
}

/** How one HTTP probe ended. Header names are lower-case. */
export type HttpOutcome =
  | { kind: 'response'; status: number; headers: Record<string, string> }
  /** The TLS handshake (or the connection right after it) was refused: a client certificate problem, as a server says it. */
  | { kind: 'tls-refused'; reason: string }
  /** Nothing answered: DNS, connection refused, timeout. */
  | { kind: 'network'; reason: string; refused: boolean }
  /** Not sent: the request budget was spent, or the method is not safe to send. */
  | { kind: 'skipped'; reason: string };

export type LegacyTlsVersion = 'TLSv1' | 'TLSv1.1';

export type HandshakeOutcome =
  | { kind: 'accepted'; protocol: string }
  | { kind: 'refused'; reason: string }
  /** This agent's TLS library cannot offer the version at all, so nothing was learnt about the server. */
  | { kind: 'untestable'; reason: string }
  | { kind: 'network'; reason: string }
  | { kind: 'skipped'; reason: string };

export type CertificateOutcome =
  | {
      kind: 'certificate';
      subject: string;
      issuer: string;
      validFrom: Date;
      validTo: Date;
      /** Trusted by Node's roots plus the agent's and the connection's CAs. */
      trusted: boolean;
      /** Why not, in words ("expired", "issued by a CA this agent does not trust"). */
      trustError?: string;
      /** The certificate names the host the URL names. */
      hostMatches: boolean;
      hostError?: string;
    }
  | { kind: 'network'; reason: string }
  | { kind: 'skipped'; reason: string };

/** What the transport does on the network; the composition root gives the real one, tests a fake. */
export interface ProbeTransport {
  http(probe: HttpProbe): Promise<HttpOutcome>;
  handshake(url: string, version: LegacyTlsVersion): Promise<HandshakeOutcome>;
  serverCertificate(url: string): Promise<CertificateOutcome>;
}

export interface OperationEvidence {
  operation: Operation;
  /** One outcome per identity probed; an identity absent here was not needed for this operation. */
  probes: Partial<Record<IdentityName, HttpOutcome>>;
  /** CORS preflight (OPTIONS with Origin and Access-Control-Request-Method), sent with every credential. */
  preflight?: HttpOutcome;
}

/** What the target gives a client, and what the pipeline expects of it. */
export interface CheckContext {
  baseUrl: string;
  /** scheme://host[:port] of the base URL, the subject of host-wide findings. */
  origin: string;
  /** The Origin header CORS probes send: a site no API should trust. */
  probeOrigin: string;
  credentials: { clientCertificate: boolean; subscriptionKey: boolean };
  expectClientCertificate: boolean;
  expectSubscriptionKey: boolean;
  certificateExpiryDays: number;
  now: Date;
}

export interface Evidence {
  context: CheckContext;
  certificate: CertificateOutcome;
  legacyTls: Record<LegacyTlsVersion, HandshakeOutcome>;
  plainHttp: { url: string; outcome: HttpOutcome };
  operations: OperationEvidence[];
  /** Operations nothing was sent to (a method that is not safe, without probeUnsafeMethods). */
  notProbed: Array<{ operation: Operation; reason: string }>;
  /** Requests sent (the budget is maxRequests). */
  requestsSent: number;
}

export interface ControlReferences {
  owaspApi?: string[];
  cwe?: string[];
  mcsb?: string[];
  asvs?: string[];
}

export interface ApiControlMeta {
  /** Stable id, equal to the control's file name and its doc page; never renamed or reused. */
  id: string;
  title: string;
  severity: Severity;
  /** `host`: one result for the API's host; `operation`: one result per operation probed. */
  scope: 'host' | 'operation';
  rationale: string;
  remediation: {
    text: string;
    /** A fixed example of the compliant setting (an API Management policy, a server setting). */
    snippet: string;
  };
  references: ControlReferences;
  /** ISO date the control shipped. */
  since: string;
}

export interface ApiCheckResult {
  outcome: 'pass' | 'fail' | 'unknown';
  message: string;
  /** The operation judged; absent for host-wide results. */
  operation?: Operation;
  /** A qualifier of a host-wide subject ("TLS 1.0"). */
  aspect?: string;
}

export interface ApiControl {
  meta: ApiControlMeta;
  /** False when the pipeline does not expect what the control checks (no mutual TLS expected, say). */
  applies(context: CheckContext): boolean;
  check(evidence: Evidence): ApiCheckResult[];
}
