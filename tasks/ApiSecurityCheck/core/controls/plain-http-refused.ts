import type { ApiControl } from '../model';
import { shown } from './helpers';

/**
 * A plain-HTTP request never reaches the API: nothing listens, the server refuses (400, 403, 404,
 * 421, 426), or it redirects to https. Serving it, or asking for credentials over it (401), means
 * a client can send its credentials in clear text.
 */
export const plainHttpRefused: ApiControl = {
  meta: {
    id: 'plain-http-refused',
    title: 'Plain HTTP is refused or redirected to HTTPS',
    severity: 'high',
    scope: 'host',
    rationale:
      'An API that answers over plain HTTP lets a client (or a misconfigured script) send credentials, subscription keys and data in clear text, readable and changeable by anyone on the path. The API must either not listen on HTTP or answer every plain request with a redirect to HTTPS without serving it.',
    remediation: {
      text: 'Allow only HTTPS on the API (API Management: the API\'s protocols list holds only https; App Service: HTTPS Only on), or redirect plain HTTP to HTTPS before any routing or authentication.',
      snippet: '"protocols": [ "https" ]',
    },
    references: { owaspApi: ['API8:2023'], cwe: ['CWE-319'], mcsb: ['DP-3'], asvs: ['9.1.1'] },
    since: '2026-12-07',
  },
  applies: () => true,
  check(evidence) {
    const { url, outcome } = evidence.plainHttp;
    const at = `plain HTTP (${shown(url)})`;
    switch (outcome.kind) {
      case 'skipped':
        return [{ outcome: 'unknown', message: `${at} was not probed: ${outcome.reason}` }];
      case 'network':
        return outcome.refused
          ? [{ outcome: 'pass', message: `nothing answers ${at}: ${outcome.reason}` }]
          : [{ outcome: 'unknown', message: `${at} gave no answer (${outcome.reason}); a firewall that drops it is fine, a slow server is not` }];
      case 'tls-refused':
        return [{ outcome: 'pass', message: `${at} is not served (${outcome.reason})` }];
      case 'response': {
        const status = outcome.status;
        const location = outcome.headers.location;
        if (status >= 300 && status < 400) {
          if (location && /^https:\/\//i.test(location)) return [{ outcome: 'pass', message: `${at} redirects to ${shown(location)} (HTTP ${status})` }];
          return [{ outcome: 'fail', message: `${at} redirects to ${location ? shown(location) : 'nowhere'} (HTTP ${status}), not to an https URL` }];
        }
        if (status >= 200 && status < 300) return [{ outcome: 'fail', message: `${at} is served: HTTP ${status}` }];
        if (status === 401) return [{ outcome: 'fail', message: `${at} asks for credentials (HTTP 401), so a client would send them in clear text` }];
        if (status >= 500) return [{ outcome: 'unknown', message: `${at} answered HTTP ${status}; cannot tell whether it would be served` }];
        return [{ outcome: 'pass', message: `${at} is refused: HTTP ${status}` }];
      }
    }
  },
};
