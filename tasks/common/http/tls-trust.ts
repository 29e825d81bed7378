/** Node's error codes for a server certificate the client does not trust (or that is not valid now). */
const UNTRUSTED_CERTIFICATE_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export function isUntrustedCertificate(code: string | undefined): boolean {
  return UNTRUSTED_CERTIFICATE_CODES.has(code ?? '');
}

/**
 * TLS alerts a server sends when it wants a client certificate it did not get, or does not trust
 * the one it got (TLS 1.3 "certificate required"; TLS 1.2 servers mostly answer "handshake failure").
 */
const CLIENT_CERTIFICATE_REFUSAL_CODES = new Set([
  'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN',
  'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_TLSV1_ALERT_ACCESS_DENIED',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED',
  'ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE',
]);

export function isClientCertificateRefusal(code: string | undefined): boolean {
  return CLIENT_CERTIFICATE_REFUSAL_CODES.has(code ?? '');
}
