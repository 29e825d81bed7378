import type { ApiControl } from '../model';
import { judgeRejection } from './helpers';

/** With expectClientCertificate: a request without a client certificate is refused on every operation. */
export const mtlsClientCertificateRequired: ApiControl = {
  meta: {
    id: 'mtls-client-certificate-required',
    title: 'A request without a client certificate is rejected',
    severity: 'high',
    scope: 'operation',
    rationale:
      'When an API relies on mutual TLS, the client certificate is the proof of who calls. A gateway that only asks for a certificate (negotiates it) but lets requests without one through, or a policy that checks it on some operations only, leaves the API open to anyone who has the other credentials, or none.',
    remediation: {
      text: 'Require the client certificate: in API Management turn on negotiateClientCertificate on the host name and validate the certificate in the inbound policy at the API scope; on Application Gateway attach an SSL profile with client authentication to the listener.',
      snippet: '<validate-client-certificate validate-revocation="true" validate-trust="true" validate-not-before="true" validate-not-after="true" ignore-error="false">\n  <identities>\n    <identity issuer-certificate-id="contoso-clients-ca" />\n  </identities>\n</validate-client-certificate>',
    },
    references: { owaspApi: ['API2:2023'], cwe: ['CWE-306', 'CWE-295'], mcsb: ['IM-4'] },
    since: '2026-12-07',
  },
  applies: (context) => context.expectClientCertificate,
  check: (evidence) => judgeRejection(evidence, { identity: 'keyOnly', without: 'without a client certificate', tlsRefusalRejects: true }),
};
