/** Evidence and transports shaped like what the real probes produce, for control and core tests. */
import type {
  CertificateOutcome,
  CheckContext,
  Evidence,
  HandshakeOutcome,
  HttpOutcome,
  HttpProbe,
  IdentityName,
  LegacyTlsVersion,
  Operation,
  OperationEvidence,
  ProbeTransport,
} from '../../tasks/ApiSecurityCheck/core/model';

export const NOW = new Date('2026-12-07T12:00:00Z');
const DAY = 86_400_000;
export const BASE = 'https://api.contoso.test/orders';
export const PROBE_ORIGIN = 'https://api-security-check-probe.invalid';

export function context(changes: Partial<CheckContext> = {}): CheckContext {
  return {
    baseUrl: BASE,
    origin: 'https://api.contoso.test',
    probeOrigin: PROBE_ORIGIN,
    credentials: { clientCertificate: true, subscriptionKey: true },
    expectClientCertificate: true,
    expectSubscriptionKey: true,
    certificateExpiryDays: 30,
    now: NOW,
    ...changes,
  };
}

export const STRICT_HEADERS = { 'strict-transport-security': 'max-age=31536000; includeSubDomains', 'content-type': 'application/json' };

export function response(status: number, headers: Record<string, string> = STRICT_HEADERS): HttpOutcome {
  return { kind: 'response', status, headers };
}

export const tlsRefused: HttpOutcome = { kind: 'tls-refused', reason: "alert 'certificate required', ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED" };

export function operation(method = 'GET', path = '/orders/{id}', safe = ['GET', 'HEAD', 'OPTIONS'].includes(method)): Operation {
  return { method, pathTemplate: path, url: `${BASE}${path.replace('{id}', '1')}`, headers: {}, safe, location: { file: 'api/openapi.yaml', line: 12 } };
}

/** An operation of a well-secured API: every probe without the right credentials refused. */
export function secureOperation(op = operation(), changes: Partial<Record<IdentityName, HttpOutcome>> = {}, preflight: HttpOutcome = response(200, {})): OperationEvidence {
  return {
    operation: op,
    probes: { ...(op.safe ? { full: response(200) } : {}), none: tlsRefused, certOnly: response(401), keyOnly: tlsRefused, untrusted: tlsRefused, ...changes },
    preflight,
  };
}

export const goodCertificate: Extract<CertificateOutcome, { kind: 'certificate' }> = {
  kind: 'certificate',
  subject: 'CN=api.contoso.test',
  issuer: 'CN=Contoso CA',
  validFrom: new Date(NOW.getTime() - 30 * DAY),
  validTo: new Date(NOW.getTime() + 300 * DAY),
  trusted: true,
  hostMatches: true,
};

export function evidence(changes: Partial<Evidence> = {}, ctx = context()): Evidence {
  return {
    context: ctx,
    certificate: goodCertificate,
    legacyTls: { TLSv1: { kind: 'refused', reason: "alert 'protocol version'" }, 'TLSv1.1': { kind: 'refused', reason: "alert 'protocol version'" } },
    plainHttp: { url: 'http://api.contoso.test/orders', outcome: { kind: 'network', reason: 'connection refused (ECONNREFUSED)', refused: true } },
    operations: [secureOperation()],
    notProbed: [],
    requestsSent: 10,
    ...changes,
  };
}

/** A transport that answers from a function and records what was sent and how many were in flight at once. */
export class FakeTransport implements ProbeTransport {
  readonly sent: HttpProbe[] = [];
  readonly handshakes: LegacyTlsVersion[] = [];
  certificateReads = 0;
  inFlight = 0;
  maxInFlight = 0;

  constructor(
    private readonly answer: (probe: HttpProbe) => HttpOutcome = (p) => (p.identity === 'full' ? response(200) : response(401)),
    private readonly handshakeAnswer: (v: LegacyTlsVersion) => HandshakeOutcome = () => ({ kind: 'refused', reason: 'protocol version' }),
    private readonly certificate: CertificateOutcome = goodCertificate,
  ) {}

  private async track<T>(fn: () => T): Promise<T> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    this.inFlight--;
    return fn();
  }

  http(probe: HttpProbe): Promise<HttpOutcome> {
    this.sent.push(probe);
    return this.track(() => this.answer(probe));
  }

  handshake(_url: string, version: LegacyTlsVersion): Promise<HandshakeOutcome> {
    this.handshakes.push(version);
    return this.track(() => this.handshakeAnswer(version));
  }

  serverCertificate(): Promise<CertificateOutcome> {
    this.certificateReads++;
    return this.track(() => this.certificate);
  }
}

export const quietLog = { debug() {}, info() {}, warning() {}, error() {} };
