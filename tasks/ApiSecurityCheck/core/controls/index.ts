/**
 * The catalogue: every control, one file each, in the order reports list them. Ids are never
 * renamed or reused; a control that retires stays here until no baseline can name it.
 */
import type { ApiControl } from '../model';
import { corsNoAnyOriginWithCredentials } from './cors-no-any-origin-with-credentials';
import { hstsEnabled } from './hsts-enabled';
import { mtlsClientCertificateRequired } from './mtls-client-certificate-required';
import { mtlsUntrustedCertificateRejected } from './mtls-untrusted-certificate-rejected';
import { noVersionDisclosure } from './no-version-disclosure';
import { plainHttpRefused } from './plain-http-refused';
import { subscriptionKeyRequired } from './subscription-key-required';
import { tlsCertificateNotExpiring } from './tls-certificate-not-expiring';
import { tlsCertificateValid } from './tls-certificate-valid';
import { tlsLegacyVersionsRefused } from './tls-legacy-versions-refused';
import { unauthenticatedRequestsRejected } from './unauthenticated-requests-rejected';

export const controls: readonly ApiControl[] = [
  plainHttpRefused,
  tlsLegacyVersionsRefused,
  tlsCertificateValid,
  tlsCertificateNotExpiring,
  hstsEnabled,
  noVersionDisclosure,
  unauthenticatedRequestsRejected,
  subscriptionKeyRequired,
  mtlsClientCertificateRequired,
  mtlsUntrustedCertificateRejected,
  corsNoAnyOriginWithCredentials,
];
