import { compareVersions, decide, parseVersion, resourceControl, snippet, type Rule } from './helpers';

/** Cosmos DB writes versions as Tls, Tls11, Tls12, Tls13. */
function cosmosTls(value: unknown): number[] | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^\s*tls(\d?)(\d?)\s*$/i.exec(value);
  if (!m) return undefined;
  return m[1] ? [Number(m[1]), Number(m[2] || 0)] : [1, 0];
}

const rule = (minimumTlsVersion: string): Rule => {
  const min = parseVersion(minimumTlsVersion)!;
  return (view) =>
    decide(
      view,
      view.get('$.properties.minimalTlsVersion'),
      (v) => {
        const got = cosmosTls(v);
        if (!got) return { ok: false, detail: `is ${JSON.stringify(v)}, which is not a TLS version` };
        return compareVersions(got, min) >= 0 ? { ok: true, detail: `is ${JSON.stringify(v)}` } : { ok: false, detail: `is ${JSON.stringify(v)}, expected TLS ${minimumTlsVersion} or later` };
      },
      { ifAbsent: 'pass', absentValue: 'Tls12', absentReason: 'the service enforces TLS 1.2 since 31 August 2025', what: 'the minimum TLS version' },
    );
};

export default resourceControl(
  {
    id: 'cosmos-db-min-tls-version',
    title: 'Cosmos DB account does not accept TLS older than {minimumTlsVersion}',
    severity: 'medium',
    featureSet: 'CosmosDb',
    resourceTypes: ['Microsoft.DocumentDB/databaseAccounts'],
    rationale:
      'TLS 1.0 and 1.1 are deprecated (RFC 8996). minimalTlsVersion "Tls" or "Tls11" keeps them open for the account. Cosmos DB ' +
      'retired TLS 1.0/1.1 on 31 August 2025, after which an unset value means Tls12, so an unset value is judged as TLS 1.2 ' +
      '(PSRule Azure.Cosmos.MinTLS asks for the value to be written). The minimum asked for is TLS {minimumTlsVersion}.',
    remediation: {
      text: 'Set properties.minimalTlsVersion to "Tls12" (or later), at least TLS {minimumTlsVersion}.',
      snippet: snippet({ type: 'Microsoft.DocumentDB/databaseAccounts', properties: { minimalTlsVersion: 'Tls12' } }),
    },
    references: { psrule: ['Azure.Cosmos.MinTLS'], mcsb: ['DP-3'] },
    since: '2026-12-07',
    parameters: { minimumTlsVersion: { type: 'version', default: '1.2', doc: 'Oldest TLS version clients may use.' } },
  },
  ({ minimumTlsVersion }) => rule(minimumTlsVersion),
);
