import { expectOneOf, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'cosmos-db-min-tls-version',
    title: 'Cosmos DB account does not accept TLS older than 1.2',
    severity: 'medium',
    featureSet: 'CosmosDb',
    resourceTypes: ['Microsoft.DocumentDB/databaseAccounts'],
    rationale:
      'TLS 1.0 and 1.1 are deprecated (RFC 8996). minimalTlsVersion "Tls" or "Tls11" keeps them open for the account. Cosmos DB ' +
      'retired TLS 1.0/1.1 on 31 August 2025, after which an unset value means Tls12, so only an explicit older value fails ' +
      '(PSRule Azure.Cosmos.MinTLS also asks for the value to be written).',
    remediation: {
      text: 'Set properties.minimalTlsVersion to "Tls12" (or remove an older value).',
      snippet: snippet({ type: 'Microsoft.DocumentDB/databaseAccounts', properties: { minimalTlsVersion: 'Tls12' } }),
    },
    references: { psrule: ['Azure.Cosmos.MinTLS'], mcsb: ['DP-3'] },
    since: '2026-12-07',
  },
  expectOneOf('$.properties.minimalTlsVersion', ['Tls12', 'Tls13'], { ifAbsent: 'pass', absentReason: 'the service enforces TLS 1.2 since 31 August 2025', what: 'the minimum TLS version' }),
);
