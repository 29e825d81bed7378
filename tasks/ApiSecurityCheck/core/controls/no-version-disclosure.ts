import type { ApiControl, HttpOutcome } from '../model';
import { header, operationName, shown } from './helpers';

/** Headers whose mere presence discloses a framework version. */
const ALWAYS_VERSIONS = ['x-aspnet-version', 'x-aspnetmvc-version'];
/** Headers that disclose a version when their value carries one ("nginx/1.25.3", "PHP/8.2.1", "Express 4.18"). */
const MAYBE_VERSIONS = ['server', 'x-powered-by', 'x-generator', 'x-runtime-version', 'x-version'];
const VERSION = /(?:\/|\bv?)\d+(?:\.\d+)+|\/\d+\b/i;

export function disclosedVersions(headers: Record<string, string>): string[] {
  const found: string[] = [];
  for (const name of ALWAYS_VERSIONS) {
    const value = header(headers, name);
    if (value !== undefined) found.push(`${name}: ${shown(value, 80)}`);
  }
  for (const name of MAYBE_VERSIONS) {
    const value = header(headers, name);
    if (value !== undefined && VERSION.test(value)) found.push(`${name}: ${shown(value, 80)}`);
  }
  return found;
}

/** No response (error pages included) names the server or framework version. */
export const noVersionDisclosure: ApiControl = {
  meta: {
    id: 'no-version-disclosure',
    title: 'No server or framework version is disclosed',
    severity: 'low',
    scope: 'host',
    rationale:
      'A version in Server, X-Powered-By or X-AspNet-Version headers tells an attacker which published vulnerabilities to try, at no cost. Error responses (401, 404) leak it as often as successful ones.',
    remediation: {
      text: 'Remove version headers at the edge (API Management outbound policy, Application Gateway rewrite rules) and in the framework (Kestrel AddServerHeader=false, IIS removeServerHeader, Express app.disable("x-powered-by")).',
      snippet: '<set-header name="X-Powered-By" exists-action="delete" />\n<set-header name="X-AspNet-Version" exists-action="delete" />\n<set-header name="Server" exists-action="delete" />',
    },
    references: { owaspApi: ['API8:2023'], cwe: ['CWE-200', 'CWE-497'], asvs: ['14.3.3'] },
    since: '2026-12-07',
  },
  applies: () => true,
  check(evidence) {
    const seen: Array<{ where: string; outcome: HttpOutcome }> = [];
    for (const op of evidence.operations) {
      for (const outcome of [...Object.values(op.probes), op.preflight]) if (outcome?.kind === 'response') seen.push({ where: operationName(op), outcome });
    }
    if (evidence.plainHttp.outcome.kind === 'response') seen.push({ where: 'plain HTTP', outcome: evidence.plainHttp.outcome });
    if (seen.length === 0) return [{ outcome: 'unknown', message: 'no response was received, so there are no headers to inspect' }];
    const disclosed = new Map<string, string>();
    for (const { where, outcome } of seen) {
      if (outcome.kind !== 'response') continue;
      for (const header of disclosedVersions(outcome.headers)) if (!disclosed.has(header)) disclosed.set(header, `${where} (HTTP ${outcome.status})`);
    }
    if (disclosed.size === 0) return [{ outcome: 'pass', message: `none of ${seen.length} response(s) names a server or framework version` }];
    const list = [...disclosed.entries()].map(([header, where]) => `'${header}' in the response to ${where}`);
    return [{ outcome: 'fail', message: `versions are disclosed: ${list.slice(0, 3).join('; ')}${list.length > 3 ? `; and ${list.length - 3} more` : ''}` }];
  },
};
