import { compareVersions, expectMinVersion, parseVersion, resourceControl, serverParameterRule, snippet, type Rule } from './helpers';

/** "TLSv1.2" → [1, 2]; "TLSv1" → [1, 0]. */
function tlsVersion(text: string): number[] | undefined {
  const v = parseVersion(text.trim().replace(/^tlsv/i, ''));
  return v && v.length === 1 ? [v[0]!, 0] : v;
}

function rule(minimumTlsVersion: string): Rule {
  const min = parseVersion(minimumTlsVersion)!;
  const single = expectMinVersion('$.properties.minimalTlsVersion', minimumTlsVersion, {
    ifAbsent: 'fail',
    absentReason: 'defaults to TLSEnforcementDisabled, which accepts every version',
    what: 'the minimum TLS version',
  });
  // tls_version lists the versions a flexible server accepts ("TLSv1.2,TLSv1.3"); TLSv1.2 is the default.
  const flexible = serverParameterRule(
    ['tls_version'],
    (_, v) => {
      const versions = typeof v === 'string' ? v.split(',').map((x) => x.trim()).filter(Boolean) : [];
      const old = versions.filter((x) => {
        const parsed = tlsVersion(x);
        return !parsed || compareVersions(parsed, min) < 0;
      });
      return versions.length && !old.length
        ? { ok: true, detail: `accepts ${versions.join(', ')}` }
        : { ok: false, detail: `is ${JSON.stringify(v)}, which accepts TLS older than ${minimumTlsVersion}` };
    },
    'the accepted TLS versions',
  );
  return (view, ctx) => (/\/configurations$/i.test(view.type) ? flexible(view, ctx) : single(view, ctx));
}

export default resourceControl(
  {
    id: 'mysql-min-tls-version',
    title: 'Azure Database for MySQL rejects TLS older than {minimumTlsVersion}',
    severity: 'medium',
    featureSet: 'DBforMySQL',
    resourceTypes: ['Microsoft.DBforMySQL/servers', 'Microsoft.DBforMySQL/flexibleServers/configurations'],
    rationale:
      'TLS 1.0 and 1.1 are deprecated (RFC 8996). Single servers set the floor with minimalTlsVersion, which defaults to no ' +
      'enforcement; flexible servers list accepted versions in the tls_version server parameter (default TLSv1.2), so only a ' +
      'declared tls_version that admits a version older than {minimumTlsVersion} fails.',
    remediation: {
      text: 'Set minimalTlsVersion to TLS {minimumTlsVersion} or later (single server), or list only TLS {minimumTlsVersion} and later in tls_version (flexible server).',
      snippet: snippet({ type: 'Microsoft.DBforMySQL/flexibleServers/configurations', name: "[concat(parameters('serverName'), '/tls_version')]", properties: { value: 'TLSv1.2,TLSv1.3', source: 'user-override' } }),
    },
    references: { checkov: ['CKV_AZURE_54'], psrule: ['Azure.MySQL.MinTLS'], mcsb: ['DP-3'] },
    since: '2026-12-07',
    parameters: { minimumTlsVersion: { type: 'version', default: '1.2', doc: 'Oldest TLS version clients may use.' } },
  },
  ({ minimumTlsVersion }) => rule(minimumTlsVersion),
);
