import type { ApiControl } from '../model';
import { judgeRejection } from './helpers';

/** Every operation refuses a request that carries no credentials at all. */
export const unauthenticatedRequestsRejected: ApiControl = {
  meta: {
    id: 'unauthenticated-requests-rejected',
    title: 'Requests without credentials are rejected on every operation',
    severity: 'high',
    scope: 'operation',
    rationale:
      'An operation that answers an anonymous caller is open to the internet, whatever the rest of the API requires. Authentication is often configured per API, product or operation, so one forgotten operation (a new route, a health or debug endpoint) is enough to expose data. The answer should be 401 or 403, or a refused TLS handshake when mutual TLS decides.',
    remediation: {
      text: 'Require authentication on every operation: in API Management, keep subscription required on the API (or validate a JWT in the inbound policy at the API scope) and require a client certificate where mutual TLS is used; check new operations before they are published.',
      snippet: '<validate-jwt header-name="Authorization" failed-validation-httpcode="401">\n  <openid-config url="https://login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration" />\n</validate-jwt>',
    },
    references: { owaspApi: ['API2:2023', 'API5:2023'], cwe: ['CWE-306'], asvs: ['4.1.1'] },
    since: '2026-12-07',
  },
  applies: () => true,
  check: (evidence) => judgeRejection(evidence, { identity: 'none', without: 'without any credentials', tlsRefusalRejects: true }),
};
