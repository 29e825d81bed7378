import { expectMinVersion, resourceControl, serverParameterRule, snippet, type Rule } from './helpers';

/** Oldest TLS version a client may use. */
const MIN_TLS = '1.2';

const single: Rule = expectMinVersion('$.properties.minimalTlsVersion', MIN_TLS, {
  ifAbsent: 'fail',
  absentReason: 'defaults to TLSEnforcementDisabled, which accepts every version',
  what: 'the minimum TLS version',
});

/** tls_version lists the versions a flexible server accepts ("TLSv1.2,TLSv1.3"); TLSv1.2 is the default. */
const flexible: Rule = serverParameterRule(
  ['tls_version'],
  (_, v) => {
    const versions = typeof v === 'string' ? v.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean) : [];
    const old = versions.filter((x) => x === 'tlsv1' || x === 'tlsv1.0' || x === 'tlsv1.1');
    return versions.length && !old.length ? { ok: true, detail: `accepts ${versions.join(', ')}` } : { ok: false, detail: `is ${JSON.stringify(v)}, which accepts TLS older than ${MIN_TLS}` };
  },
  'the accepted TLS versions',
);

const rule: Rule = (view, ctx) => (/\/configurations$/i.test(view.type) ? flexible(view, ctx) : single(view, ctx));

export default resourceControl(
  {
    id: 'mysql-min-tls-version',
    title: `Azure Database for MySQL rejects TLS older than ${MIN_TLS}`,
    severity: 'medium',
    featureSet: 'DBforMySQL',
    resourceTypes: ['Microsoft.DBforMySQL/servers', 'Microsoft.DBforMySQL/flexibleServers/configurations'],
    rationale:
      'TLS 1.0 and 1.1 are deprecated (RFC 8996). Single servers set the floor with minimalTlsVersion, which defaults to no ' +
      'enforcement; flexible servers list accepted versions in the tls_version server parameter (default TLSv1.2), so only a ' +
      'declared tls_version that admits TLSv1 or TLSv1.1 fails.',
    remediation: {
      text: `Set minimalTlsVersion to "TLS1_2" (single server), or keep tls_version at "TLSv1.2" or later (flexible server).`,
      snippet: snippet({ type: 'Microsoft.DBforMySQL/flexibleServers/configurations', name: "[concat(parameters('serverName'), '/tls_version')]", properties: { value: 'TLSv1.2,TLSv1.3', source: 'user-override' } }),
    },
    references: { psrule: ['Azure.MySQL.MinTLS'], mcsb: ['DP-3'] },
    since: '2026-12-07',
  },
  rule,
);
