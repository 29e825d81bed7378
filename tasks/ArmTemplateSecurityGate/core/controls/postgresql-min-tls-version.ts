import { compareVersions, expectMinVersion, parseVersion, resourceControl, serverParameterRule, snippet, type Rule } from './helpers';

function rule(minimumTlsVersion: string): Rule {
  const min = parseVersion(minimumTlsVersion)!;
  const single = expectMinVersion('$.properties.minimalTlsVersion', minimumTlsVersion, {
    ifAbsent: 'fail',
    absentReason: 'defaults to TLSEnforcementDisabled, which accepts every version',
    what: 'the minimum TLS version',
  });
  // ssl_min_protocol_version on flexible servers (default TLSv1.2).
  const flexible = serverParameterRule(
    ['ssl_min_protocol_version'],
    (_, v) => {
      const got = parseVersion(typeof v === 'string' ? v.trim().replace(/^tlsv/i, '') : v);
      const ok = !!got && compareVersions(got, min) >= 0;
      return { ok, detail: ok ? `is ${JSON.stringify(v)}` : `is ${JSON.stringify(v)}, expected TLSv${minimumTlsVersion} or later` };
    },
    'the minimum TLS version',
  );
  return (view, ctx) => (/\/configurations$/i.test(view.type) ? flexible(view, ctx) : single(view, ctx));
}

export default resourceControl(
  {
    id: 'postgresql-min-tls-version',
    title: 'Azure Database for PostgreSQL rejects TLS older than {minimumTlsVersion}',
    severity: 'medium',
    featureSet: 'DBforPostgreSQL',
    resourceTypes: ['Microsoft.DBforPostgreSQL/servers', 'Microsoft.DBforPostgreSQL/flexibleServers/configurations'],
    rationale:
      'TLS 1.0 and 1.1 are deprecated (RFC 8996). Single servers set the floor with minimalTlsVersion, which defaults to no ' +
      'enforcement; flexible servers use the ssl_min_protocol_version server parameter (default TLSv1.2), so only a declared ' +
      'value below TLSv{minimumTlsVersion} fails there.',
    remediation: {
      text: 'Set minimalTlsVersion to TLS {minimumTlsVersion} or later (single server), or ssl_min_protocol_version to TLSv{minimumTlsVersion} or later (flexible server).',
      snippet: snippet({ type: 'Microsoft.DBforPostgreSQL/flexibleServers/configurations', name: "[concat(parameters('serverName'), '/ssl_min_protocol_version')]", properties: { value: 'TLSv{minimumTlsVersion}', source: 'user-override' } }),
    },
    references: { psrule: ['Azure.PostgreSQL.MinTLS'], mcsb: ['DP-3'] },
    since: '2026-12-07',
    parameters: { minimumTlsVersion: { type: 'version', default: '1.2', doc: 'Oldest TLS version clients may use.' } },
  },
  ({ minimumTlsVersion }) => rule(minimumTlsVersion),
);
