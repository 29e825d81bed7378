import { compareVersions, expectMinVersion, parseVersion, resourceControl, serverParameterRule, snippet, type Rule } from './helpers';

/** Oldest TLS version a client may use. */
const MIN_TLS = '1.2';

const single: Rule = expectMinVersion('$.properties.minimalTlsVersion', MIN_TLS, {
  ifAbsent: 'fail',
  absentReason: 'defaults to TLSEnforcementDisabled, which accepts every version',
  what: 'the minimum TLS version',
});

/** ssl_min_protocol_version on flexible servers (default TLSv1.2). */
const flexible: Rule = serverParameterRule(
  ['ssl_min_protocol_version'],
  (_, v) => {
    const got = parseVersion(typeof v === 'string' ? v.replace(/^tlsv/i, '') : v);
    const ok = !!got && compareVersions(got, parseVersion(MIN_TLS)!) >= 0;
    return { ok, detail: ok ? `is ${JSON.stringify(v)}` : `is ${JSON.stringify(v)}, expected TLSv${MIN_TLS} or later` };
  },
  'the minimum TLS version',
);

const rule: Rule = (view, ctx) => (/\/configurations$/i.test(view.type) ? flexible(view, ctx) : single(view, ctx));

export default resourceControl(
  {
    id: 'postgresql-min-tls-version',
    title: `Azure Database for PostgreSQL rejects TLS older than ${MIN_TLS}`,
    severity: 'medium',
    featureSet: 'DBforPostgreSQL',
    resourceTypes: ['Microsoft.DBforPostgreSQL/servers', 'Microsoft.DBforPostgreSQL/flexibleServers/configurations'],
    rationale:
      'TLS 1.0 and 1.1 are deprecated (RFC 8996). Single servers set the floor with minimalTlsVersion, which defaults to no ' +
      'enforcement; flexible servers use the ssl_min_protocol_version server parameter (default TLSv1.2), so only a declared ' +
      'value below TLSv1.2 fails there.',
    remediation: {
      text: 'Set minimalTlsVersion to "TLS1_2" (single server), or keep ssl_min_protocol_version at "TLSv1.2" or later (flexible server).',
      snippet: snippet({ type: 'Microsoft.DBforPostgreSQL/flexibleServers/configurations', name: "[concat(parameters('serverName'), '/ssl_min_protocol_version')]", properties: { value: 'TLSv1.2', source: 'user-override' } }),
    },
    references: { psrule: ['Azure.PostgreSQL.MinTLS'], mcsb: ['DP-3'] },
    since: '2026-12-07',
  },
  rule,
);
