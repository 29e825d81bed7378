import type { ApiControl } from '../model';

const DAY = 86_400_000;

/** The server certificate stays valid for at least the days the pipeline asks (certificateExpiryDays). */
export const tlsCertificateNotExpiring: ApiControl = {
  meta: {
    id: 'tls-certificate-not-expiring',
    title: 'The server certificate does not expire soon',
    severity: 'medium',
    scope: 'host',
    rationale:
      'An expired certificate takes an API down for every client at once, and the rush to fix it is when verification gets turned off. A release is the moment to notice a certificate that will expire before the next one.',
    remediation: {
      text: 'Renew the certificate, or better, let it renew itself (a Key Vault certificate with auto-renewal referenced by API Management or Application Gateway, an App Service managed certificate).',
      snippet: '"lifetimeActions": [ { "trigger": { "daysBeforeExpiry": 30 }, "action": { "actionType": "AutoRenew" } } ]',
    },
    references: { cwe: ['CWE-298'], mcsb: ['DP-7'] },
    since: '2026-12-07',
  },
  applies: () => true,
  check(evidence) {
    const c = evidence.certificate;
    if (c.kind !== 'certificate') return [{ outcome: 'unknown', message: `the server certificate could not be read (${c.reason})` }];
    const days = Math.floor((c.validTo.getTime() - evidence.context.now.getTime()) / DAY);
    const until = c.validTo.toISOString().slice(0, 10);
    const wanted = evidence.context.certificateExpiryDays;
    if (days < 0) return [{ outcome: 'fail', message: `the server certificate expired on ${until}` }];
    if (days < wanted) return [{ outcome: 'fail', message: `the server certificate expires in ${days} day(s), on ${until}; at least ${wanted} are required` }];
    return [{ outcome: 'pass', message: `the server certificate is valid for ${days} more day(s), until ${until}` }];
  },
};
