/**
 * Sends the probes: a fixed plan in priority order (the host's TLS first, then each operation in
 * the order the definition lists them), cut at the request budget, at most maxConcurrency at a
 * time. Identical requests (a probe "without the subscription key" when there is no key) are sent
 * once. Methods that are not safe are sent only when asked, and then never with credentials.
 */
import type { Logger } from '../../common/log/logger';
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
} from './model';

export interface GatherOptions {
  context: CheckContext;
  operations: Operation[];
  plainHttpUrl: string;
  maxRequests: number;
  maxConcurrency: number;
  probeUnsafeMethods: boolean;
}

interface Job {
  key: string;
  run: () => Promise<unknown>;
  skip: (reason: string) => unknown;
  result?: unknown;
}

/** Runs fn over items, at most `limit` at a time, keeping order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/** What an identity actually sends, so probes that would be identical are sent once. */
function material(identity: IdentityName, context: CheckContext): string {
  const { clientCertificate, subscriptionKey } = context.credentials;
  const cert = identity === 'untrusted' ? 'throwaway' : (identity === 'full' || identity === 'certOnly') && clientCertificate ? 'connection' : 'none';
  const key = (identity === 'full' || identity === 'keyOnly' || identity === 'untrusted') && subscriptionKey;
  return `${cert}|${key}`;
}

/** The identities each operation is probed with, besides `full`. */
export function negativeIdentities(context: CheckContext): IdentityName[] {
  const ids: IdentityName[] = ['none'];
  if (context.expectSubscriptionKey) ids.push('certOnly');
  if (context.expectClientCertificate) ids.push('keyOnly', 'untrusted');
  return ids;
}

export async function gatherEvidence(options: GatherOptions, transport: ProbeTransport, log: Logger): Promise<Evidence> {
  const { context } = options;
  const jobs: Job[] = [];
  const byKey = new Map<string, Job>();
  const budget = `the request budget (maxRequests = ${options.maxRequests}) was spent`;
  const add = <R>(key: string, run: () => Promise<R>, skip: (reason: string) => R): (() => R) => {
    let job = byKey.get(key);
    if (!job) {
      job = { key, run, skip };
      byKey.set(key, job);
      jobs.push(job);
    }
    const j = job;
    return () => j.result as R;
  };
  const http = (probe: HttpProbe) =>
    add<HttpOutcome>(
      `http|${material(probe.identity, context)}|${probe.method}|${probe.url}|${JSON.stringify(probe.headers)}`,
      () => transport.http(probe),
      (reason) => ({ kind: 'skipped', reason }),
    );

  const certificate = add<CertificateOutcome>('certificate', () => transport.serverCertificate(context.baseUrl), (reason) => ({ kind: 'skipped', reason }));
  const legacy = (['TLSv1', 'TLSv1.1'] as LegacyTlsVersion[]).map(
    (v) => [v, add<HandshakeOutcome>(`tls|${v}`, () => transport.handshake(context.baseUrl, v), (reason) => ({ kind: 'skipped', reason }))] as const,
  );
  const plainHttp = http({ identity: 'none', method: 'GET', url: options.plainHttpUrl, headers: {} });

  const negatives = negativeIdentities(context);
  const notProbed: Evidence['notProbed'] = [];
  const perOperation: Array<{ operation: Operation; probes: Array<[IdentityName, () => HttpOutcome]>; preflight?: () => HttpOutcome }> = [];
  for (const operation of options.operations) {
    if (!operation.safe && !options.probeUnsafeMethods) {
      notProbed.push({ operation, reason: operation.method === 'TRACE' ? 'TRACE is never sent' : 'changes state; probeUnsafeMethods is off' });
      continue;
    }
    if (operation.method === 'TRACE') {
      notProbed.push({ operation, reason: 'TRACE is never sent' });
      continue;
    }
    const probes: Array<[IdentityName, () => HttpOutcome]> = [];
    // Credentials go only to safe operations: an unsafe one would really run with them.
    if (operation.safe) probes.push(['full', http({ identity: 'full', method: operation.method, url: operation.url, headers: { ...operation.headers, Origin: context.probeOrigin } })]);
    for (const identity of negatives) probes.push([identity, http({ identity, method: operation.method, url: operation.url, headers: { ...operation.headers } })]);
    const preflight = http({
      identity: 'full',
      method: 'OPTIONS',
      url: operation.url,
      headers: { Origin: context.probeOrigin, 'Access-Control-Request-Method': operation.method },
    });
    perOperation.push({ operation, probes, preflight });
  }

  const sent = jobs.slice(0, options.maxRequests);
  for (const job of jobs.slice(options.maxRequests)) job.result = job.skip(budget);
  if (jobs.length > options.maxRequests) log.warning(`${jobs.length - options.maxRequests} of ${jobs.length} probe(s) were not sent: ${budget}; their results are unknown`);
  log.info(`Probing ${options.operations.length - notProbed.length} operation(s) of ${context.baseUrl}: ${sent.length} request(s), at most ${options.maxConcurrency} at a time`);
  await mapBounded(sent, options.maxConcurrency, async (job) => {
    job.result = await job.run();
  });

  const operations: OperationEvidence[] = perOperation.map(({ operation, probes, preflight }) => ({
    operation,
    probes: Object.fromEntries(probes.map(([identity, get]) => [identity, get()])),
    preflight: preflight?.(),
  }));
  return {
    context,
    certificate: certificate(),
    legacyTls: Object.fromEntries(legacy.map(([v, get]) => [v, get()])) as Record<LegacyTlsVersion, HandshakeOutcome>,
    plainHttp: { url: options.plainHttpUrl, outcome: plainHttp() },
    operations,
    notProbed,
    requestsSent: sent.length,
  };
}
