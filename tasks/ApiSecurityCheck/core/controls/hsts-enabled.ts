import type { ApiControl } from '../model';
import { credentialedResponses, shown } from './helpers';

/** 180 days: the shortest max-age the Mozilla Observatory and most scanners accept. */
export const MIN_HSTS_MAX_AGE = 15_552_000;

export function hstsProblem(value: string | undefined): string | undefined {
  if (value === undefined) return 'has no Strict-Transport-Security header';
  const m = /(?:^|;)\s*max-age\s*=\s*"?(\d+)"?\s*(?:;|$)/i.exec(value);
  if (!m) return `has a Strict-Transport-Security header without max-age ('${shown(value)}')`;
  const maxAge = Number(m[1]);
  if (maxAge < MIN_HSTS_MAX_AGE) return `sets Strict-Transport-Security max-age=${maxAge}, under 180 days (${MIN_HSTS_MAX_AGE} seconds)`;
  return undefined;
}

/** Responses carry Strict-Transport-Security with a max-age of at least 180 days. */
export const hstsEnabled: ApiControl = {
  meta: {
    id: 'hsts-enabled',
    title: 'Responses carry Strict-Transport-Security (HSTS)',
    severity: 'medium',
    scope: 'host',
    rationale:
      'HSTS tells browsers and HTTP clients that honour it to use HTTPS only for this host, so a link, a typed URL or an attacker-forced redirect to plain HTTP can no longer strip TLS. Without it the first request of a session can go out in clear text.',
    remediation: {
      text: 'Add Strict-Transport-Security with max-age of at least 180 days (one year is usual) to every response, for example in the API Management outbound policy at the global scope.',
      snippet: '<set-header name="Strict-Transport-Security" exists-action="override">\n  <value>max-age=31536000; includeSubDomains</value>\n</set-header>',
    },
    references: { owaspApi: ['API8:2023'], cwe: ['CWE-319', 'CWE-523'], asvs: ['14.4.5'] },
    since: '2026-12-07',
  },
  applies: () => true,
  check(evidence) {
    const responses = credentialedResponses(evidence);
    if (responses.length === 0) return [{ outcome: 'unknown', message: "no request with the connection's credentials was answered, so there is no response to inspect" }];
    const bad = responses.map((r) => ({ where: r.where, problem: hstsProblem(r.headers['strict-transport-security']) })).filter((r) => r.problem);
    if (bad.length === 0) return [{ outcome: 'pass', message: `all ${responses.length} response(s) set Strict-Transport-Security for at least 180 days` }];
    const first = bad[0]!;
    const more = bad.length > 1 ? ` (and ${bad.length - 1} more of ${responses.length} responses)` : '';
    return [{ outcome: 'fail', message: `the response to ${first.where} ${first.problem}${more}` }];
  },
};
