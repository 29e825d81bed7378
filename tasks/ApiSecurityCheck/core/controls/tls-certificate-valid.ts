import type { ApiControl } from '../model';
import { shown } from './helpers';

/** The server's certificate is trusted, valid today and names the host the API is called by. */
export const tlsCertificateValid: ApiControl = {
  meta: {
    id: 'tls-certificate-valid',
    title: "The server certificate is trusted, current and matches the host",
    severity: 'high',
    scope: 'host',
    rationale:
      'Clients that meet an untrusted, expired or mismatched certificate either fail or, worse, are told to turn verification off, after which anyone on the path can impersonate the API. The certificate must chain to a trusted root, be within its validity period and name the host clients use.',
    remediation: {
      text: 'Serve a certificate from a CA the clients trust, issued for the API\'s host name (API Management: a custom domain with a Key Vault certificate that renews itself), and renew it before it expires.',
      snippet: '"hostnameConfigurations": [ { "type": "Proxy", "hostName": "api.contoso.com", "keyVaultId": "https://contoso-kv.vault.azure.net/secrets/api-contoso-com" } ]',
    },
    references: { owaspApi: ['API8:2023'], cwe: ['CWE-295', 'CWE-297'], mcsb: ['DP-7'], asvs: ['9.2.1'] },
    since: '2026-12-07',
  },
  applies: () => true,
  check(evidence) {
    const c = evidence.certificate;
    if (c.kind === 'skipped') return [{ outcome: 'unknown', message: `the server certificate was not read: ${c.reason}` }];
    if (c.kind === 'network') return [{ outcome: 'unknown', message: `the server certificate could not be read (${c.reason})` }];
    const who = `the certificate of ${shown(c.subject)} (issuer ${shown(c.issuer)})`;
    const now = evidence.context.now.getTime();
    const problems: string[] = [];
    if (c.validTo.getTime() < now) problems.push(`expired on ${c.validTo.toISOString().slice(0, 10)}`);
    else if (c.validFrom.getTime() > now) problems.push(`is not valid before ${c.validFrom.toISOString().slice(0, 10)}`);
    if (!c.trusted && !problems.length) problems.push(c.trustError ?? 'is not trusted');
    if (!c.hostMatches) problems.push(c.hostError ?? 'does not name the host');
    if (problems.length) return [{ outcome: 'fail', message: `${who} ${problems.join('; ')}` }];
    return [{ outcome: 'pass', message: `${who} is trusted, valid until ${c.validTo.toISOString().slice(0, 10)} and names the host` }];
  },
};
