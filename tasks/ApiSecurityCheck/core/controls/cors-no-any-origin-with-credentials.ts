import type { ApiCheckResult, ApiControl, HttpOutcome } from '../model';
import { shown } from './helpers';

function corsProblem(outcome: HttpOutcome | undefined, probeOrigin: string): string | undefined {
  if (outcome?.kind !== 'response') return undefined;
  const origin = outcome.headers['access-control-allow-origin']?.trim();
  const credentials = outcome.headers['access-control-allow-credentials']?.trim().toLowerCase() === 'true';
  if (!origin || !credentials) return undefined;
  if (origin === '*') return "allows any origin ('Access-Control-Allow-Origin: *') together with 'Access-Control-Allow-Credentials: true'";
  if (origin.toLowerCase() === probeOrigin.toLowerCase()) return `echoes an arbitrary origin (${shown(probeOrigin)}) in Access-Control-Allow-Origin together with 'Access-Control-Allow-Credentials: true'`;
  return undefined;
}

/** No preflight or response allows any origin (`*`, or whatever Origin is sent) together with credentials. */
export const corsNoAnyOriginWithCredentials: ApiControl = {
  meta: {
    id: 'cors-no-any-origin-with-credentials',
    title: 'CORS does not allow any origin together with credentials',
    severity: 'high',
    scope: 'operation',
    rationale:
      "A CORS policy that allows credentials for every origin - '*' or the caller's own Origin echoed back - lets any web page a signed-in user visits call the API with the user's cookies or client certificate and read the answer. Credentials may only be allowed for a fixed list of trusted origins.",
    remediation: {
      text: 'List the origins that may call the API with credentials; never combine allow-credentials with a wildcard or with an origin copied from the request.',
      snippet: '<cors allow-credentials="true">\n  <allowed-origins>\n    <origin>https://app.contoso.com</origin>\n  </allowed-origins>\n  <allowed-methods><method>GET</method></allowed-methods>\n</cors>',
    },
    references: { owaspApi: ['API8:2023'], cwe: ['CWE-942', 'CWE-346'], asvs: ['14.5.3'] },
    since: '2026-12-07',
  },
  applies: () => true,
  check(evidence) {
    const origin = evidence.context.probeOrigin;
    const results: ApiCheckResult[] = [];
    for (const op of evidence.operations) {
      const answers = [
        ['the preflight', op.preflight],
        ['the response', op.probes.full],
      ] as const;
      const received = answers.filter(([, o]) => o?.kind === 'response');
      if (received.length === 0) {
        if (op.preflight || op.probes.full) results.push({ outcome: 'unknown', operation: op.operation, message: `neither a preflight nor a request from origin ${shown(origin)} was answered` });
        continue;
      }
      const problem = answers.map(([what, o]) => [what, corsProblem(o, origin)] as const).find(([, p]) => p);
      results.push(
        problem
          ? { outcome: 'fail', operation: op.operation, message: `${problem[0]} to a request from ${shown(origin)} ${problem[1]}` }
          : { outcome: 'pass', operation: op.operation, message: `no answer to a request from ${shown(origin)} allows it with credentials` },
      );
    }
    return results;
  },
};
