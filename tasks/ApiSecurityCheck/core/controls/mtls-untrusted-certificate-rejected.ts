import type { ApiControl } from '../model';
import { judgeRejection } from './helpers';

/**
 * With expectClientCertificate: a request with a self-signed certificate that bears the real
 * certificate's common name is refused, so the API checks the issuer, not only that a certificate
 * was sent or what its subject says.
 */
export const mtlsUntrustedCertificateRejected: ApiControl = {
  meta: {
    id: 'mtls-untrusted-certificate-rejected',
    title: 'A request with an untrusted client certificate is rejected',
    severity: 'high',
    scope: 'operation',
    rationale:
      "Mutual TLS proves nothing if the server accepts any certificate: anyone can make a self-signed one with the expected subject in seconds. Gateways that only negotiate a certificate, and policies that compare the subject or thumbprint of an unvalidated certificate, fall for it. The probe presents a fresh self-signed certificate with the real certificate's common name.",
    remediation: {
      text: 'Validate the client certificate against the issuing CA (API Management: validate-client-certificate with validate-trust and a configured CA certificate; Application Gateway: trusted client CA certificates in the SSL profile), not only its subject or presence.',
      snippet: '<choose>\n  <when condition="@(context.Request.Certificate == null || !context.Request.Certificate.Verify())">\n    <return-response><set-status code="403" reason="Invalid client certificate" /></return-response>\n  </when>\n</choose>',
    },
    references: { owaspApi: ['API2:2023'], cwe: ['CWE-295'], mcsb: ['IM-4'] },
    since: '2026-12-07',
  },
  applies: (context) => context.expectClientCertificate,
  check: (evidence) => judgeRejection(evidence, { identity: 'untrusted', without: 'with an untrusted (self-signed) client certificate', tlsRefusalRejects: true }),
};
